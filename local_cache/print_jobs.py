"""Print jobs: stored before printing, so a job survives paper-out, an unplugged printer and a restart.

queued -> printing -> done | failed; failed -> queued (retry); queued/failed -> cancelled. A job that may be
partly on paper (found 'printing' at start-up, or failed after bytes went out) is marked as a copy, so the
second slip that comes out says 重印 / COPY; one that failed before anything was sent prints as the original.
The payload is the slip's content (encrypted with the database). Why a job waits or failed is kept as a
JobReason: a stable code and its facts, never words, so rewording a message changes nothing stored (issue #16).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from local_cache import states
from local_cache.connection import Connection
from local_cache.errors import NotFoundError
from local_cache.ids import new_id, utc_now

_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class JobReason:
    """Why a job waits or failed: a code ('paper_out', 'unreachable', ...; printing.errors gives each error its
    own) and the facts its words need (e.g. {'where': '192.168.1.50:9100'}). A screen words it in its language."""

    code: str
    fields: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _CODE.fullmatch(self.code) or not all(_CODE.fullmatch(k) and isinstance(v, str)
                                                     for k, v in self.fields.items()):
            raise ValueError(f"a print job reason is a lower-case code with text fields, not {self.code!r}")

    def _stored(self) -> tuple[str, str | None]:
        return self.code, json.dumps(dict(self.fields), ensure_ascii=False, sort_keys=True) if self.fields else None


def _reason(code: str | None, fields: str | None) -> JobReason | None:
    return None if code is None else JobReason(code, json.loads(fields) if fields else {})


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
    reason: JobReason | None
    created_at: str

    def __repr__(self) -> str:  # a slip may hold card secrets: never in a log
        return f"PrintJob(id={self.id!r}, kind={self.kind!r}, state={self.state!r})"


_COLUMNS = "id, kind, state, printer, payload, order_id, is_copy, attempts, reason, reason_fields, created_at"


def _row(r: tuple) -> PrintJob:
    return PrintJob(r[0], r[1], r[2], r[3], bytes(r[4]), r[5], bool(r[6]), r[7], _reason(r[8], r[9]), r[10])


def enqueue(conn: Connection, kind: str, printer: str, payload: bytes, *, order_id: str | None = None,
            is_copy: bool = False) -> PrintJob:
    job_id, now = new_id(), utc_now()
    conn.execute(
        "INSERT INTO print_jobs(id, kind, state, printer, payload, order_id, is_copy, created_at, updated_at) "
        "VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)", (job_id, kind, printer, payload, order_id, int(is_copy), now, now))
    return PrintJob(job_id, kind, "queued", printer, payload, order_id, is_copy, 0, None, now)


def get(conn: Connection, job_id: str) -> PrintJob:
    row = conn.execute(f"SELECT {_COLUMNS} FROM print_jobs WHERE id = ?", (job_id,)).fetchone()
    if row is None:
        raise NotFoundError("No such print job.")
    return _row(row)


def _move(conn: Connection, job_id: str, target: str, *, reason: JobReason | None = None) -> None:
    states.check("print job", get(conn, job_id).state, target)
    code, fields = reason._stored() if reason else (None, None)
    conn.execute("UPDATE print_jobs SET state = ?, reason = ?, reason_fields = ?, updated_at = ? WHERE id = ?",
                 (target, code, fields, utc_now(), job_id))


def next_queued(conn: Connection, printer: str) -> PrintJob | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM print_jobs WHERE state = 'queued' AND printer = ? "
                       "ORDER BY created_at, id LIMIT 1", (printer,)).fetchone()
    return None if row is None else _row(row)


def claim(conn: Connection, job_id: str) -> bool:
    """queued -> printing just before the bytes go out; False when the job left the queue meanwhile (a void
    cancelled it), and then nothing may be sent."""
    states.check("print job", "queued", "printing")
    return conn.execute("UPDATE print_jobs SET state = 'printing', reason = NULL, reason_fields = NULL, "
                        "attempts = attempts + 1, "
                        "updated_at = ? WHERE id = ? AND state = 'queued'", (utc_now(), job_id)).rowcount == 1


def mark_done(conn: Connection, job_id: str) -> None:
    _move(conn, job_id, "done")


def mark_failed(conn: Connection, job_id: str, reason: JobReason, *, partly_printed: bool) -> None:
    """The job stays visible with the reason (paper out, printer unplugged) until retried or cancelled.
    partly_printed: bytes went out before it failed, so a retry prints a copy (重印 / COPY)."""
    _move(conn, job_id, "failed", reason=reason)
    if partly_printed:
        conn.execute("UPDATE print_jobs SET is_copy = 1 WHERE id = ?", (job_id,))


def retry(conn: Connection, job_id: str) -> None:
    """failed -> queued; a job that was partly printed already says so (is_copy)."""
    _move(conn, job_id, "queued")


def note_waiting(conn: Connection, printer: str, reason: JobReason | None) -> None:
    """The printer cannot print now (paper out, unplugged): every queued job for it shows the reason and
    stays queued, to be tried again; None clears it once the printer prints."""
    code, fields = reason._stored() if reason else (None, None)
    conn.execute("UPDATE print_jobs SET reason = ?, reason_fields = ?, updated_at = ? WHERE state = 'queued' "
                 "AND printer = ? AND (reason IS NOT ? OR reason_fields IS NOT ?)",
                 (code, fields, utc_now(), printer, code, fields))


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
