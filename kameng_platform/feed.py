"""The changes feed, paged by a server sequence number.

Why a lock: on PostgreSQL a row numbered 7 may commit after a reader already saw row 8 and moved its
cursor past 7. Every feed write therefore takes one transaction-scoped advisory lock first, held to
commit, so feed rows commit in sequence order. SQLite runs one writer at a time already.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, text

from kameng_platform import clock
from kameng_platform.schema import feed

FEED_LOCK = 7_412_001


def append(conn: Connection, type_: str, data: dict[str, Any], *, reseller_id: str | None = None,
           terminal_id: str | None = None) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FEED_LOCK})
    conn.execute(insert(feed).values(reseller_id=reseller_id, terminal_id=terminal_id, type=type_,
                                     data=json.dumps(data, ensure_ascii=False), created_at=clock.now()))


def head(conn: Connection) -> int:
    return conn.execute(select(feed.c.seq).order_by(feed.c.seq.desc()).limit(1)).scalar() or 0


def page(conn: Connection, *, reseller_id: str, terminal_id: str, cursor: int, limit: int) -> list[tuple]:
    visible = and_(
        or_(feed.c.reseller_id.is_(None), feed.c.reseller_id == reseller_id),
        or_(feed.c.terminal_id.is_(None), feed.c.terminal_id == terminal_id),
    )
    rows = conn.execute(
        select(feed.c.seq, feed.c.type, feed.c.data).where(feed.c.seq > cursor, visible)
        .order_by(feed.c.seq).limit(limit)
    ).all()
    return [(seq, type_, json.loads(data)) for seq, type_, data in rows]
