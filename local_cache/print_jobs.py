"""Print jobs: stored before printing, so a job survives paper-out, an unplugged printer and a restart.

queued -> printing -> done | failed; failed -> queued (retry); queued/failed -> cancelled. A job that may be
partly on paper (found 'printing' at start-up, or failed after bytes went out) is marked as a copy, so the
second slip that comes out says 重印 / COPY; one that failed before anything was sent prints as the original.
The payload is the slip's content (encrypted with the database).
"""

from __future__ import annotations

from dataclasses import dataclass

from local_cache import states
from local_cache.connection import Connection
from local_cache.errors import NotFoundError
from local_cache.ids import new_id, utc_now


@dataclass(frozen=True)
class PrintJob:
    id: str
    kind: str
    state: str
    printer: str
    payload: bytes
    order_id: str | None
    is_copy: bool
    attempts: int
    last_error: str | None
    created_at: str

    def __repr__(self) -> str:  # a slip may hold card secrets: never in a log
        return f"PrintJob(id={self.id!r}, kind={self.kind!r}, state={self.state!r})"


_COLUMNS = "id, kind, state, printer, payload, order_id, is_copy, attempts, last_error, created_at"


def _row(r: tuple) -> PrintJob:
    return PrintJob(r[0], r[1], r[2], r[3], bytes(r[4]), r[5], bool(r[6]), r[7], r[8], r[9])


def enqueue(conn: Connection, kind: str, printer: str, payload: bytes, *, order_id: str | None = None,
            is_copy: bool = False) -> PrintJob:
    job_id, now = new_id(), utc_now()
    conn.execute(
        "INSERT INTO print_jobs(id, kind, state, printer, payload, order_id, is_copy, created_at, updated_at) "
        "VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)", (job_id, kind, printer, payload, order_id, int(is_copy), now, now))
    return get(conn, job_id)


def get(conn: Connection, job_id: str) -> PrintJob:
    row = conn.execute(f"SELECT {_COLUMNS} FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
    if row is None:
        raise NotFoundError("No such print job.")
    return _row(row)


def _move(conn: Connection, job_id: str, target: str, *, error: str | None = None) -> None:
    states.check("print job", get(conn, job_id).state, target)
    conn.execute("UPDATE print_jobs SET state = ?, last_error = ?, updated_at = ? WHERE id = ?",
                 (target, error, utc_now(), job_id))


def next_queued(conn: Connection, printer: str) -> PrintJob | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM print_jobs WHERE state = 'queued' AND printer = ? "
                       "ORDER BY created_at, id LIMIT 1", (printer,)).fetchone()
    return None if row is None else _row(row)


def claim(conn: Connection, job_id: str) -> bool:
    """queued -> printing just before the bytes go out; False when the job left the queue meanwhile (a void
    cancelled it), and then nothing may be sent."""
    states.check("print job", "queued", "printing")
    return conn.execute("UPDATE print_jobs SET state = 'printing', last_error = NULL, attempts = attempts + 1, "
                        "updated_at = ? WHERE id = ? AND state = 'queued'", (utc_now(), job_id)).rowcount == 1


def mark_done(conn: Connection, job_id: str) -> None:
    _move(conn, job_id, "done")


def mark_failed(conn: Connection, job_id: str, reason: str, *, partly_printed: bool) -> None:
    """The job stays visible with the reason (paper out, printer unplugged) until retried or cancelled.
    partly_printed: bytes went out before it failed, so a retry prints a copy (重印 / COPY)."""
    _move(conn, job_id, "failed", error=reason)
    if partly_printed:
        conn.execute("UPDATE print_jobs SET is_copy = 1 WHERE id = ?", (job_id,))


def retry(conn: Connection, job_id: str) -> None:
    """failed -> queued; a job that was partly printed already says so (is_copy)."""
    _move(conn, job_id, "queued")


def note_waiting(conn: Connection, printer: str, reason: str | None) -> None:
    """The printer cannot print now (paper out, unplugged): every queued job for it shows the reason and
    stays queued, to be tried again; None clears it once the printer prints."""
    conn.execute("UPDATE print_jobs SET last_error = ?, updated_at = ? WHERE state = 'queued' AND printer = ? "
                 "AND last_error IS NOT ?", (reason, utc_now(), printer, reason))


def cancel(conn: Connection, job_id: str) -> None:
    _move(conn, job_id, "cancelled")


def cancel_for_order(conn: Connection, order_id: str) -> int:
    """A voided order's slips that have not started printing never will (queued or failed -> cancelled)."""
    states.check_each("print job", ("queued", "failed"), "cancelled")
    return conn.execute("UPDATE print_jobs SET state = 'cancelled', updated_at = ? "
                        "WHERE order_id = ? AND state IN ('queued', 'failed')", (utc_now(), order_id)).rowcount


def open_jobs(conn: Connection) -> list[PrintJob]:
    return [_row(r) for r in conn.execute(
        f"SELECT {_COLUMNS} FROM print_jobs WHERE state IN ('queued', 'printing', 'failed') ORDER BY created_at")]


def recover_interrupted(conn: Connection) -> int:
    """At start-up: jobs cut off mid-print are queued again, as copies."""
    states.check("print job", "printing", "queued")
    return conn.execute("UPDATE print_jobs SET state = 'queued', is_copy = 1, updated_at = ? WHERE state = 'printing'",
                        (utc_now(),)).rowcount
