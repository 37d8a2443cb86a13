"""Races between two platform processes on one database: the same order batch delivered to both at the same
instant, and a payment's create racing its cancel. Two servers, each with its own app and engine (its own
connection pool), on one SQLite file or one PostgreSQL database; a barrier releases each pair together.
Every request gets a 4xx or the right answer, never a 5xx, and every order of a batch gets its own answer."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import func, select

from kameng_platform.schema import codes, ledger, orders, payments
from kameng_platform.server import serve_in_thread
from tests.platform.client import PlatformHarness, Terminal

BATCH_PAIRS = 45
PAYMENT_PAIRS = 60
TOPUP_COST_FEN = 4950  # hf50 at the demo's standard tier
CODE_COST_FEN = 960  # qb10


@pytest.fixture
def two_platforms(db_url) -> Iterator[tuple[PlatformHarness, str]]:
    """The harness's server and a second server on the same database: two processes' worth of engines."""
    harness = PlatformHarness.start(db_url, codes_per_product=BATCH_PAIRS)
    second = serve_in_thread(harness.settings)
    yield harness, second.base_url
    second.stop()
    harness.stop()


def on(terminal: Terminal, base_url: str) -> Terminal:
    """The same terminal (id and secret) talking to another server, on its own HTTP connection."""
    return replace(terminal, base_url=base_url, http=httpx.Client(timeout=60))


def at_once(first: Callable[[], httpx.Response], second: Callable[[], httpx.Response]
            ) -> tuple[httpx.Response, httpx.Response]:
    barrier = threading.Barrier(2)

    def go(call: Callable[[], httpx.Response]) -> httpx.Response:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.submit(go, first), pool.submit(go, second)
        return a.result(), b.result()


def sale(order_id: str, code_id: str, total_fen: int = 1000) -> dict:
    return {"order_id": order_id, "number": "R-1", "kind": "sale", "created_at": "2026-12-01T03:00:00Z",
            "payment_method": "cash", "lines": [{"product_id": "qb10", "quantity": 1, "unit_price_fen": 1000,
                                                 "code_ids": [code_id]}], "total_fen": total_fen}


def topup(order_id: str) -> dict:
    return {"order_id": order_id, "number": "R-2", "kind": "topup", "created_at": "2026-12-01T03:00:00Z",
            "payment_method": "cash", "lines": [{"product_id": "hf50", "quantity": 1, "unit_price_fen": 5000}],
            "total_fen": 5000, "topup": {"account": "13812345678"}}


def test_same_batch_on_two_processes_at_once_answers_every_order(two_platforms) -> None:
    harness, second_url = two_platforms
    a = harness.pair()
    b = on(a, second_url)
    stock = a.request("POST", "/v1/restock", {"request_id": "race-stock", "product_id": "qb10",
                                              "quantity": BATCH_PAIRS}).json()
    code_ids = [c["id"] for c in stock["codes"]]
    failures, answers = [], []
    for n, code_id in enumerate(code_ids):
        # An accepted sale, a sale rejected for its total (the path that lost whole batches) and a top-up.
        batch = {"orders": [sale(f"ok-{n}", code_id), sale(f"bad-{n}", code_id, total_fen=1), topup(f"top-{n}")]}
        first, second = at_once(lambda: a.request("POST", "/v1/orders/batch", batch),  # noqa: B023
                                lambda: b.request("POST", "/v1/orders/batch", batch))  # noqa: B023
        for reply in (first, second):
            if reply.status_code != 200:
                failures.append((n, reply.status_code, reply.text[:200]))
        if first.status_code == second.status_code == 200:
            answers.append([(x["status"], y["status"]) for x, y in
                            zip(first.json()["results"], second.json()["results"], strict=True)])
    assert failures == []
    for ok, bad, top in answers:
        assert sorted(ok) == ["accepted", "duplicate"]
        assert bad == ("rejected", "rejected")
        assert sorted(top) == ["accepted", "duplicate"]
    engine = harness.engine()
    with engine.connect() as conn:
        sold = conn.execute(select(func.count()).where(codes.c.state == "sold")).scalar()
        charged = conn.execute(select(func.count()).where(ledger.c.reason == "topup")).scalar()
        kept = conn.execute(select(func.count()).select_from(orders)).scalar()
        total = int(conn.execute(select(func.sum(ledger.c.amount_fen))).scalar())
    engine.dispose()
    assert (sold, charged, kept) == (BATCH_PAIRS, BATCH_PAIRS, 3 * BATCH_PAIRS)
    assert total == 500_000 - BATCH_PAIRS * (CODE_COST_FEN + TOPUP_COST_FEN)


def test_payment_create_racing_its_cancel_on_two_processes(two_platforms) -> None:
    harness, second_url = two_platforms
    a = harness.pair()
    b = on(a, second_url)
    server_errors = []
    for n in range(PAYMENT_PAIRS):
        payment_id = str(uuid.uuid4())
        body = {"payment_id": payment_id, "order_id": f"qr-{n}", "amount_fen": 1000, "method": "sandbox"}
        # Alternate which server creates, so both orders of arrival happen on both.
        creator, canceller = (a, b) if n % 2 else (b, a)
        created, cancelled = at_once(lambda: creator.request("POST", "/v1/payments", body),  # noqa: B023
                                     lambda: canceller.request("POST", f"/v1/payments/{payment_id}/cancel"))  # noqa: B023
        server_errors += [(n, r.status_code, r.text[:200]) for r in (created, cancelled) if r.status_code >= 500]
        if server_errors:
            continue
        # Whoever came first, the cancel wins: it answers "cancelled" and so does every later read.
        assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled"), cancelled.text
        assert a.request("GET", f"/v1/payments/{payment_id}").json()["status"] == "cancelled"
        if created.status_code == 409:
            assert created.json()["error"]["code"] == "payment_cancelled"
        else:
            assert created.status_code == 200 and created.json()["status"] in ("pending", "cancelled")
    assert server_errors == []
    engine = harness.engine()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(payments)
                            .where(payments.c.status != "cancelled")).scalar() == 0
    engine.dispose()
