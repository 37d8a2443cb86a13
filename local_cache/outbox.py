"""The outbox: what must reach the platform. A row is marked done only after the platform answered it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from local_cache.connection import Connection
from local_cache.ids import utc_now


@dataclass(frozen=True)
class OutboxItem:
    seq: int
    kind: str
    ref_id: str
    payload: dict[str, Any]
    attempts: int
    last_error: str | None


def enqueue(conn: Connection, kind: str, ref_id: str, payload: dict[str, Any]) -> int:
    cur = conn.execute(
        "INSERT INTO outbox(kind, ref_id, payload, created_at) VALUES (?, ?, ?, ?)",
        (kind, ref_id, json.dumps(payload, ensure_ascii=False, separators=(",", ":")), utc_now()),
    )
    return cur.lastrowid


def replace(conn: Connection, kind: str, ref_id: str, payload: dict[str, Any]) -> int:
    """For what only its latest state matters (a product's retail price): the newest payload, under a new seq, so
    a delivery of the one it replaces, in flight meanwhile, marks nothing done."""
    conn.execute("DELETE FROM outbox WHERE kind = ? AND ref_id = ?", (kind, ref_id))
    return enqueue(conn, kind, ref_id, payload)


def pending(conn: Connection, kind: str, limit: int) -> list[OutboxItem]:
    return [
        OutboxItem(seq, k, ref, json.loads(payload), attempts, err)
        for seq, k, ref, payload, attempts, err in conn.execute(
            "SELECT seq, kind, ref_id, payload, attempts, last_error FROM outbox "
            "WHERE done_at IS NULL AND kind = ? ORDER BY seq LIMIT ?", (kind, limit))
    ]


def has_pending(conn: Connection, kind: str, ref_id: str) -> bool:
    return conn.execute("SELECT 1 FROM outbox WHERE done_at IS NULL AND kind = ? AND ref_id = ? LIMIT 1",
                        (kind, ref_id)).fetchone() is not None


def pending_count(conn: Connection) -> int:
    return conn.execute("SELECT count(*) FROM outbox WHERE done_at IS NULL").fetchone()[0]


def mark_done(conn: Connection, seqs: list[int]) -> None:
    now = utc_now()
    conn.executemany("UPDATE outbox SET done_at = ? WHERE seq = ? AND done_at IS NULL", [(now, s) for s in seqs])


def record_failure(conn: Connection, seqs: list[int], error: str) -> None:
    conn.executemany(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?", [(error, s) for s in seqs]
    )
