"""A pass run every few seconds on its own thread in the server process (top-ups, payment reconciling), and
the row leases that make each piece of a pass run once across all the platform's processes.

Every API process runs the passes. Before working on a row (a top-up, a payment to ask about) a worker
claims it: one UPDATE that sets claimed_by and lease_until and succeeds only while no other worker holds an
unexpired lease. The database arbitrates (SQLite takes its write lock up front, see db.py; PostgreSQL
re-checks the WHERE on the row it waited for), so exactly one worker wins, on either backend. A process that
dies holding a lease loses it when the lease runs out, and any other process then takes the row over: no
leader to elect, no lock that outlives its holder, and the work spreads over the processes. (A PostgreSQL
advisory-lock leader would need a second mechanism for SQLite and would leave all the work to one process.)
"""

from __future__ import annotations

import logging
import math
import os
import secrets
import socket
import threading
from collections.abc import Callable

from sqlalchemy import ColumnElement, Connection, Table, or_, update

from kameng_platform import clock

log = logging.getLogger(__name__)

_STARTED = secrets.token_hex(4)  # hosts in containers may share names and process ids


def worker_id() -> str:
    """Who holds a lease: host, process id and a random token (the threads of one process share it; a lease is
    never re-entered, so they exclude each other all the same)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{_STARTED}"


def lease_free(table: Table, now: int) -> ColumnElement[bool]:
    return or_(table.c.lease_until.is_(None), table.c.lease_until <= now)


def claim(conn: Connection, table: Table, key: str, *where: ColumnElement[bool], worker: str,
          lease_s: float) -> bool:
    """Leases the row `key` of `table` (which has claimed_by and lease_until) to `worker` for `lease_s`
    seconds, if `where` holds and no other lease is running. True if this worker won it."""
    now = clock.now()
    pk = next(iter(table.primary_key.columns))
    return conn.execute(update(table).where(pk == key, lease_free(table, now), *where)
                        .values(claimed_by=worker, lease_until=now + math.ceil(lease_s))).rowcount == 1


def release(conn: Connection, table: Table, key: str, worker: str) -> None:
    """Gives the row back before its lease runs out (the next pass of any process may take it)."""
    pk = next(iter(table.primary_key.columns))
    conn.execute(update(table).where(pk == key, table.c.claimed_by == worker).values(lease_until=None))


class Periodic:
    def __init__(self, name: str, step: Callable[[], object], interval: float) -> None:
        self.name, self._step, self.interval = name, step, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"kameng-{name}", daemon=True)

    def start(self) -> Periodic:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._step()
            except Exception:  # a bad pass must not stop the work for good: it is logged and run again
                log.exception("%s pass failed", self.name)
            self._stop.wait(self.interval)
