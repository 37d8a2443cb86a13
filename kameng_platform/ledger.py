"""Reseller balance as a ledger: every change is a row with a reason and a reference, made once."""

from __future__ import annotations

from sqlalchemy import Connection, func, insert, select

from kameng_platform import clock, feed
from kameng_platform.schema import ledger, resellers


def balance(conn: Connection, reseller_id: str) -> int:
    # int(): PostgreSQL sums bigint into numeric, which would arrive as Decimal.
    return int(conn.execute(
        select(func.coalesce(func.sum(ledger.c.amount_fen), 0)).where(ledger.c.reseller_id == reseller_id)
    ).scalar_one())


def lock_reseller(conn: Connection, reseller_id: str) -> bool:
    """Serialise balance checks of one reseller (PostgreSQL row lock; SQLite writers are serial anyway).
    True when the reseller is frozen (admin.freeze): a charge must then be refused. Read under the same lock, so
    a freeze committed before the charge is always seen."""
    frozen_at = conn.execute(select(resellers.c.frozen_at).where(resellers.c.id == reseller_id)
                             .with_for_update()).scalar()
    return frozen_at is not None


def post(conn: Connection, reseller_id: str, amount_fen: int, reason: str, reference: str) -> int:
    conn.execute(insert(ledger).values(reseller_id=reseller_id, amount_fen=amount_fen, reason=reason,
                                       reference=reference, created_at=clock.now()))
    new_balance = balance(conn, reseller_id)
    feed.append(conn, "balance", {"balance_fen": new_balance}, reseller_id=reseller_id)
    return new_balance
