"""Payments: idempotent by payment id; a notify changes nothing until its signature, amount and id verify;
a late or repeated notify is harmless; cancel answers "paid" when the customer was first."""

from __future__ import annotations

import logging

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from kameng_platform import clock
from kameng_platform.errors import ApiError, conflict, not_found
from kameng_platform.schema import payments
from kameng_platform.terminals import Terminal

log = logging.getLogger(__name__)
TTL_S = 300


def _view(row) -> dict:
    status = row.status
    if status == "pending" and clock.now() > row.expires_at:
        status = "expired"
    return {"payment_id": row.payment_id, "status": status, "amount_fen": row.amount_fen,
            "qr_content": row.qr_content, "expires_at": row.expires_at, "paid_at": row.paid_at}


def _get(conn: Connection, payment_id: str, terminal: Terminal | None = None, *, lock: bool = False):
    query = select(payments).where(payments.c.payment_id == payment_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None or (terminal is not None and row.terminal_id != terminal.id):
        raise not_found("no such payment of this terminal")
    return row


def create(conn: Connection, terminal: Terminal, *, payment_id: str, order_id: str, amount_fen: int, method: str,
           qr_for) -> dict:
    if method != "sandbox":
        raise ApiError(400, "bad_request", f"payment method {method} is not configured on this platform")
    now = clock.now()
    try:
        with conn.begin_nested():
            conn.execute(insert(payments).values(
                payment_id=payment_id, terminal_id=terminal.id, order_id=order_id, amount_fen=amount_fen,
                method=method, status="pending", qr_content=qr_for(payment_id), expires_at=now + TTL_S,
                created_at=now))
    except IntegrityError:
        row = _get(conn, payment_id, terminal)
        if (row.order_id, row.amount_fen, row.method) != (order_id, amount_fen, method):
            raise conflict("This payment id was used for another payment.") from None
        if row.status == "cancelled" and row.qr_content is None:
            raise ApiError(409, "payment_cancelled", "This payment was cancelled before it was created.") from None
    return _view(_get(conn, payment_id, terminal))


def status(conn: Connection, terminal: Terminal, payment_id: str) -> dict:
    return _view(_get(conn, payment_id, terminal))


def cancel(conn: Connection, terminal: Terminal, payment_id: str) -> dict:
    row = conn.execute(select(payments).where(payments.c.payment_id == payment_id).with_for_update()).first()
    if row is None:
        # Never created (the create was lost): remember the id as cancelled so a late create is refused.
        conn.execute(insert(payments).values(payment_id=payment_id, terminal_id=terminal.id, order_id="",
                                             amount_fen=0, method="sandbox", status="cancelled", qr_content=None,
                                             expires_at=clock.now(), created_at=clock.now()))
        return {"payment_id": payment_id, "status": "cancelled", "amount_fen": 0, "qr_content": None,
                "expires_at": clock.now(), "paid_at": None}
    if row.terminal_id != terminal.id:
        raise not_found("no such payment of this terminal")
    if row.status == "pending":
        conn.execute(update(payments).where(payments.c.payment_id == payment_id).values(status="cancelled"))
    return _view(_get(conn, payment_id, terminal))


def notify_paid(conn: Connection, payment_id: str, amount_fen: int) -> bool:
    """A verified gateway notify. Returns False (and logs) when it does not match our payment."""
    row = conn.execute(select(payments).where(payments.c.payment_id == payment_id).with_for_update()).first()
    if row is None or row.amount_fen != amount_fen or row.qr_content is None:
        log.warning("payment notify refused: unknown payment or amount mismatch")
        return False
    if row.status != "paid":  # money that arrives late still counts; a repeat changes nothing
        conn.execute(update(payments).where(payments.c.payment_id == payment_id)
                     .values(status="paid", paid_at=clock.now()))
    return True
