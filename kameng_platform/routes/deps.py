"""What the routes depend on: the app's services (one `Services` on `app.state`, no module globals), the
signed terminal, and transactions.

`services` is `async def`: FastAPI runs a plain `def` dependency in the threadpool, a thread hop per request for
an attribute read.

Transactions are `Services.in_transaction(work, ...)`, called by the route, and not a `yield` dependency: FastAPI
enters and leaves those in threads of their own, apart from the route's, so the transaction (on SQLite the write
lock of BEGIN IMMEDIATE, on PostgreSQL a pooled connection) would be held while the request waits for a worker
thread to run the route and validate its answer. In a burst of more requests than worker threads (40), every
worker then waits for a lock or a connection held by a request that waits for a worker: 120 concurrent catalog
reads, answered in about 1 s this way, stalled past the clients' 60 s timeout as a yield dependency
(tests/platform/test_routes.py). `in_transaction` begins, commits and rolls back in the calling thread, as a
`with engine.begin()` in the route did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from kameng_platform import signing, terminals
from kameng_platform.crypto import Sealer
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.models import ErrorResponse
from kameng_platform.settings import PlatformSettings
from kameng_platform.terminals import PairingLimits, ReplayGuard, Terminal

P = ParamSpec("P")
T = TypeVar("T")

# The error answers a route documents (the body of each is an ErrorResponse).
ERRORS = {status: {"model": ErrorResponse} for status in (400, 401, 402, 403, 404, 409, 413, 503)}


@dataclass(frozen=True)
class Services:
    """One app's engine, keys, settings and gateways, built once by create_app."""
    engine: Engine
    sealer: Sealer
    settings: PlatformSettings
    gateways: GatewayRegistry
    replay_guard: ReplayGuard  # keeps when it last pruned the nonces: one per app
    pairing_limits: PairingLimits

    def in_transaction(self, work: Callable[Concatenate[Connection, P], T], *args: P.args,
                       **kwargs: P.kwargs) -> T:
        """`work(conn, *args, **kwargs)` in one transaction: committed when it returns, rolled back when it
        raises. Call it from the route's own thread (see the module's docstring)."""
        with self.engine.begin() as conn:
            return work(conn, *args, **kwargs)


async def services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(services)]


async def signed_terminal(request: Request, platform: ServicesDep) -> Terminal:
    """The terminal whose signature the request carries, its nonce recorded in a transaction of its own (spent
    whatever the route then does); 401 otherwise. create_app's guard finds the signed routes by this
    dependency and checks their headers before any body byte is read."""
    body = await request.body()  # already read, within the limit, by the RequestGuard
    # The signature covers the request target exactly as sent, never the decoded path (docs/platform.md).
    target = signing.request_target(request.scope["raw_path"], request.scope["query_string"])
    return await run_in_threadpool(platform.in_transaction, terminals.authenticate, platform.sealer,
                                   platform.replay_guard, request.headers, method=request.method, target=target,
                                   body=body)


SignedTerminal = Annotated[Terminal, Depends(signed_terminal)]
