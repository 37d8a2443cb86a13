"""A sandbox supplier for the demo and the tests: configurable delay, failure rate and "outcome unknown"
answers, and a record of how many times each order was executed (which must never exceed one).

Its state lives in its own SQLite file, like a real supplier's would live on its side, so it survives
the platform being killed and restarted.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kameng_platform.suppliers.base import SupplierError, SupplierResult, TopupRequest


@dataclass(frozen=True)
class SandboxConfig:
    delay_s: float = 0.0
    failure_rate: float = 0.0
    unknown_rate: float = 0.0  # the top-up is executed but the answer is lost
    seed: int | None = None


class SandboxSupplier:
    def __init__(self, path: Path | str = ":memory:", config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self._rng = random.Random(self.config.seed)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS executions (order_id TEXT PRIMARY KEY, state TEXT NOT NULL, "
                         "reason TEXT, executions INTEGER NOT NULL)")

    def submit(self, request: TopupRequest) -> SupplierResult:
        with self._lock:
            row = self._db.execute("SELECT state, reason FROM executions WHERE order_id = ?",
                                   (request.order_id,)).fetchone()
            if row is not None:  # idempotent by order id: never executed twice
                return SupplierResult(row[0], row[1])
            if self.config.delay_s:
                time.sleep(self.config.delay_s)
            roll = self._rng.random()
            failed = roll < self.config.failure_rate
            state, reason = ("failed", "sandbox: 号码暂不支持充值") if failed else ("succeeded", None)
            self._db.execute("INSERT INTO executions(order_id, state, reason, executions) VALUES (?, ?, ?, 1)",
                             (request.order_id, state, reason))
            if self._rng.random() < self.config.unknown_rate:
                raise SupplierError("sandbox: the answer was lost")
            return SupplierResult(state, reason)

    def query(self, order_id: str) -> SupplierResult:
        with self._lock:
            row = self._db.execute("SELECT state, reason FROM executions WHERE order_id = ?", (order_id,)).fetchone()
        return SupplierResult("unknown") if row is None else SupplierResult(row[0], row[1])

    def executions(self) -> dict[str, int]:
        with self._lock:
            return dict(self._db.execute("SELECT order_id, executions FROM executions"))
