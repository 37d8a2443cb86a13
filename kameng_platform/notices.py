"""The record of what gateways told the platform (schema.gateway_notices): each notify and each answer, with what
applying it did. Written in the transaction that applied it, so the record and the change agree."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Connection, insert, select

from kameng_platform import clock
from kameng_platform.schema import gateway_notices

# "notify": the gateway called us; "answer": it answered our call or query.
Source = Literal["notify", "answer"]
NO_NEWS = ("not_paid", "processing")


def record(conn: Connection, method: str, kind: str, number: str, *, source: Source, outcome: str, amount_fen: int,
           payment_id: str | None = None, refund_id: str | None = None) -> None:
    """Every notify is kept; an answer to our own query only when it says something (paid, a refund's end, a
    refusal): the reconciler asks about each open payment every interval, and "not yet" each time is no news."""
    if source == "answer" and outcome in NO_NEWS:
        return
    conn.execute(insert(gateway_notices).values(
        method=method, kind=kind, number=number[:64], payment_id=payment_id, refund_id=refund_id, source=source,
        outcome=outcome, amount_fen=amount_fen, received_at=clock.now()))


def of_payment(conn: Connection, payment_id: str) -> list[dict]:
    """A payment's notices and its refunds' (by payment id), oldest first."""
    rows = conn.execute(select(gateway_notices).where(gateway_notices.c.payment_id == payment_id)
                        .order_by(gateway_notices.c.id))
    return [dict(r._mapping) for r in rows]
