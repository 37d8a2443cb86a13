"""A sandbox supplier for the demo and the tests: configurable delay, failure rate and "outcome unknown"
answers, and a record of each order it executed.

Its record is one table in the platform's own database (`sandbox_topups`), shared by every platform process
and surviving restarts, as a real supplier's record lives on its side for all its clients. The order id is
the table's primary key: when two processes execute the same top-up at once, one insert wins and the other
answers with the winner's outcome, so an order is executed once, as a supplier honouring the idempotency
key does. (A record per process let two processes execute 16 of 40 top-ups twice.)
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from kameng_platform import clock
from kameng_platform.schema import sandbox_topups
from kameng_platform.suppliers.base import SupplierError, SupplierResult, TopupRequest


@dataclass(frozen=True)
class SandboxConfig:
    delay_s: float = 0.0
    failure_rate: float = 0.0
    unknown_rate: float = 0.0  # the top-up is executed but the answer is lost
    seed: int | None = None


class SandboxSupplier:
    def __init__(self, engine: Engine, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._engine = engine
        self._rng = random.Random(self.config.seed)

    def _recorded(self, order_id: str) -> SupplierResult | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(sandbox_topups.c.state, sandbox_topups.c.reason)
                               .where(sandbox_topups.c.order_id == order_id)).first()
        return None if row is None else SupplierResult(row.state, row.reason)

    def submit(self, request: TopupRequest) -> SupplierResult:
        if (known := self._submitted_again(request.order_id)) is not None:  # idempotent by order id
            return known
        if self.config.delay_s:
            time.sleep(self.config.delay_s)
        failed = self._rng.random() < self.config.failure_rate
        state, reason = ("failed", "sandbox: 号码暂不支持充值") if failed else ("succeeded", None)
        try:
            with self._engine.begin() as conn:
                conn.execute(insert(sandbox_topups).values(order_id=request.order_id, state=state, reason=reason,
                                                           executed_at=clock.now(), submissions=1))
        except IntegrityError:
            # Another process executed this order a moment ago: its outcome is the outcome.
            return self._submitted_again(request.order_id) or self.query(request.order_id)
        if self._rng.random() < self.config.unknown_rate:
            raise SupplierError("sandbox: the answer was lost")
        return SupplierResult(state, reason)

    def _submitted_again(self, order_id: str) -> SupplierResult | None:
        """The recorded outcome of an order executed before, counting this submission; None if it is new."""
        with self._engine.begin() as conn:
            counted = conn.execute(update(sandbox_topups).where(sandbox_topups.c.order_id == order_id)
                                   .values(submissions=sandbox_topups.c.submissions + 1)).rowcount
        return self._recorded(order_id) if counted else None

    def query(self, order_id: str) -> SupplierResult:
        known = self._recorded(order_id)
        return SupplierResult("unknown") if known is None else known

    def close(self) -> None:
        """The engine is the platform's: its owner disposes of it."""
