"""Append-only audit log with a hash chain.

Each entry's hash covers its own fields and the previous entry's hash, and ``audit_head`` records the
last sequence number and hash, so :func:`verify` detects an edited, deleted (also the last one) or
reordered row. Triggers refuse UPDATE and DELETE on the log itself. Details never hold card codes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from local_cache.connection import Connection
from local_cache.ids import utc_now

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    staff_id: str | None
    approver_id: str | None
    action: str
    subject: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    problem: str | None = None
    seq: int | None = None


def _digest(prev_hash: str, seq: int, at: str, staff_id: str | None, approver_id: str | None,
            action: str, subject: str | None, detail: str) -> str:
    material = json.dumps(
        [prev_hash, seq, at, staff_id, approver_id, action, subject, detail],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def append(conn: Connection, action: str, *, staff_id: str | None, subject: str | None = None,
           approver_id: str | None = None, detail: dict[str, Any] | None = None) -> int:
    """Append one entry inside the caller's transaction; returns its sequence number."""
    head = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
    at = utc_now()
    detail_text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = _digest(prev_hash, seq, at, staff_id, approver_id, action, subject, detail_text)
    conn.execute(
        "INSERT INTO audit_log(seq, at, staff_id, approver_id, action, subject, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, staff_id, approver_id, action, subject, detail_text, prev_hash, digest),
    )
    conn.execute(
        "INSERT INTO audit_head(id, seq, hash) VALUES (1, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        (seq, digest),
    )
    return seq


def verify(conn: Connection) -> VerifyResult:
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    rows = conn.execute(
        "SELECT seq, at, staff_id, approver_id, action, subject, detail, prev_hash, hash "
        "FROM audit_log ORDER BY rowid"
    )
    for seq, at, staff_id, approver_id, action, subject, detail, stored_prev, stored_hash in rows:
        if seq != expected_seq:
            return VerifyResult(False, checked, f"entry {expected_seq} is missing or out of order", seq)
        if stored_prev != prev_hash:
            return VerifyResult(False, checked, f"entry {seq} does not follow the entry before it", seq)
        if _digest(prev_hash, seq, at, staff_id, approver_id, action, subject, detail) != stored_hash:
            return VerifyResult(False, checked, f"entry {seq} was changed after it was written", seq)
        prev_hash, expected_seq, checked = stored_hash, expected_seq + 1, checked + 1
    head = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    head_seq, head_hash = head if head else (0, GENESIS)
    if (head_seq, head_hash) != (checked, prev_hash):
        return VerifyResult(False, checked, f"the log ends at entry {checked} but {head_seq} were written",
                            checked + 1)
    return VerifyResult(True, checked)


def entries(conn: Connection, *, limit: int = 200, before_seq: int | None = None) -> list[AuditEntry]:
    sql = "SELECT seq, at, staff_id, approver_id, action, subject, detail FROM audit_log"
    params: tuple[Any, ...] = ()
    if before_seq is not None:
        sql += " WHERE seq < ?"
        params = (before_seq,)
    sql += " ORDER BY seq DESC LIMIT ?"
    return [
        AuditEntry(seq, at, staff, approver, action, subject, json.loads(detail))
        for seq, at, staff, approver, action, subject, detail in conn.execute(sql, (*params, limit))
    ]


def first_at(conn: Connection, action: str, subject: str) -> str | None:
    """When `subject` first had an `action` entry (None: never)."""
    return conn.execute("SELECT min(at) FROM audit_log WHERE action = ? AND subject = ?",
                        (action, subject)).fetchone()[0]


def first_detail(conn: Connection, action: str, subject: str) -> dict[str, Any] | None:
    """The detail of `subject`'s first `action` entry (None: there is none)."""
    row = conn.execute("SELECT detail FROM audit_log WHERE action = ? AND subject = ? ORDER BY seq LIMIT 1",
                       (action, subject)).fetchone()
    return None if row is None else json.loads(row[0])


def details_since(conn: Connection, action: str, since: str) -> list[dict[str, Any]]:
    """The details of every `action` entry written at or after `since` (UTC ISO-8601)."""
    return [json.loads(detail) for (detail,) in conn.execute(
        "SELECT detail FROM audit_log WHERE action = ? AND at >= ?", (action, since))]


def last_seq(conn: Connection, action: str, *, staff_id: str) -> int:
    """The sequence number of `staff_id`'s latest `action` entry, 0 when there is none."""
    row = conn.execute("SELECT max(seq) FROM audit_log WHERE action = ? AND staff_id = ?",
                       (action, staff_id)).fetchone()
    return row[0] or 0


def count_since(conn: Connection, actions: tuple[str, ...], *, after_seq: int) -> dict[str, int]:
    """How many entries of each of `actions` come after `after_seq` (0 for those with none)."""
    marks = ", ".join("?" * len(actions))
    counted = dict(conn.execute(
        f"SELECT action, count(*) FROM audit_log WHERE seq > ? AND action IN ({marks}) GROUP BY action",
        (after_seq, *actions)).fetchall())
    return {action: counted.get(action, 0) for action in actions}
