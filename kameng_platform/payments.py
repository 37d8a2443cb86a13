"""Payments: idempotent by payment id; a notify changes nothing until its signature, amount and id verify;
a late or repeated notify is harmless; cancel answers "paid" when the customer was first.

The gateway is never called inside a database transaction (a slow gateway must not hold locks): create
first records the payment, then asks the gateway, then stores the QR; a retry with the same payment id
asks the gateway again with the same order number, which gateways answer idempotently.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, delete, select, update

from kameng_platform import clock
from kameng_platform.db import insert_once
from kameng_platform.errors import ApiError, conflict, not_found
from kameng_platform.gateways.base import GatewayError, GatewayNotice, GatewayUnreachable, PaymentRequest
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.schema import payments
from kameng_platform.terminals import Terminal

log = logging.getLogger(__name__)


def _view(row) -> dict:
    status = row.status
    if status == "pending" and clock.now() > row.expires_at:
        status = "expired"
    return {"payment_id": row.payment_id, "status": status, "amount_fen": row.amount_fen,
            "qr_content": row.qr_content, "expires_at": row.expires_at, "paid_at": row.paid_at}


# A cancel that arrives before its payment's create (the create was lost, or is still on its way) leaves a
# tombstone: a cancelled row with no order, owned by the cancelling terminal, which refuses that terminal's late
# create. A payment id belongs to the terminal that creates it, so a tombstone never blocks another terminal.
TOMBSTONE_ORDER = ""


def _is_tombstone(row) -> bool:
    return row.order_id == TOMBSTONE_ORDER


def _locked(conn: Connection, payment_id: str):
    return conn.execute(select(payments).where(payments.c.payment_id == payment_id).with_for_update()).first()


def _get(conn: Connection, payment_id: str, terminal: Terminal | None = None):
    row = conn.execute(select(payments).where(payments.c.payment_id == payment_id)).first()
    if row is None or (terminal is not None and row.terminal_id != terminal.id):
        raise not_found("no such payment of this terminal")
    return row


def get_for_page(conn: Connection, payment_id: str):
    """The sandbox pay page shows any payment by id (the id is in the QR the customer scanned)."""
    row = _get(conn, payment_id)
    if _is_tombstone(row):
        raise not_found("no such payment")
    return row


def _cancelled_before_create() -> ApiError:
    return ApiError(409, "payment_cancelled", "This payment was cancelled before it was created.")


def _record(conn: Connection, terminal: Terminal, *, payment_id: str, order_id: str, amount_fen: int, method: str,
            out_trade_no: str, ttl_s: int):
    """The payment's row, inserted once (db.insert_once: a concurrent create or cancel of the same id waits
    for, or reads, the other's row instead of failing)."""
    now = clock.now()
    values = dict(payment_id=payment_id, terminal_id=terminal.id, order_id=order_id, amount_fen=amount_fen,
                  method=method, status="pending", qr_content=None, out_trade_no=out_trade_no,
                  expires_at=now + ttl_s, created_at=now)
    if insert_once(conn, payments, **values):
        return _get(conn, payment_id, terminal)
    row = _locked(conn, payment_id)
    if row is not None and row.terminal_id != terminal.id and _is_tombstone(row):
        # Another terminal cancelled this id before it existed: that gives it no claim on the id.
        conn.execute(delete(payments).where(payments.c.payment_id == payment_id))
        if insert_once(conn, payments, **values):
            return _get(conn, payment_id, terminal)
        row = _locked(conn, payment_id)
    if row is None:  # the unique key taken is the gateway's order number, which another payment id maps to
        raise conflict("This payment id's gateway order number is another payment's; use a new payment id.")
    if row.terminal_id != terminal.id:
        raise not_found("no such payment of this terminal")
    if _is_tombstone(row) or (row.status == "cancelled" and row.qr_content is None):
        raise _cancelled_before_create()  # and the gateway is not asked for a QR no one will show
    if (row.order_id, row.amount_fen, row.method) != (order_id, amount_fen, method):
        raise conflict("This payment id was used for another payment.")
    return row


def create(engine: Engine, terminal: Terminal, gateways: GatewayRegistry, *, payment_id: str, order_id: str,
           amount_fen: int, method: str, description: str, public_url: str, ttl_s: int) -> dict:
    gateway = gateways.get(method)
    if gateway is None:
        raise ApiError(400, "bad_request", f"payment method {method} is not configured on this platform")
    with engine.begin() as conn:
        row = _record(conn, terminal, payment_id=payment_id, order_id=order_id, amount_fen=amount_fen,
                      method=method, out_trade_no=gateway.out_trade_no(payment_id), ttl_s=ttl_s)
    if row.qr_content is not None:
        return _view(row)
    if clock.now() > row.expires_at:
        raise ApiError(409, "payment_expired", "This payment expired before the gateway could be asked.")
    try:
        qr = gateway.create(PaymentRequest(payment_id, row.out_trade_no, amount_fen, description, row.expires_at,
                                           public_url))
    except GatewayError as exc:
        log.warning("%s could not create payment %s: %s", method, payment_id, exc)
        raise ApiError(503, "gateway_unavailable",
                       "The payment gateway cannot be reached now; try again, or take cash or the shop's QR code."
                       ) from None
    with engine.begin() as conn:
        conn.execute(update(payments).where(payments.c.payment_id == payment_id, payments.c.qr_content.is_(None),
                                            payments.c.status != "cancelled").values(qr_content=qr))
        row = _get(conn, payment_id, terminal)
    if row.qr_content is None:  # the desk cancelled while the gateway was being asked
        raise _cancelled_before_create()
    return _view(row)


def status(conn: Connection, terminal: Terminal, payment_id: str) -> dict:
    return _view(_get(conn, payment_id, terminal))


def cancel(engine: Engine, terminal: Terminal, gateways: GatewayRegistry, payment_id: str) -> dict:
    """Before cancelling a payment whose QR was shown, close the gateway's order (the customer can no longer
    pay it, where the gateway can close orders), then ask the gateway: a customer who paid first wins even when
    the notify is late. Unreachable gateway: cancel at once, without the second call; the reconciler still
    asks about cancelled payments and catches late money."""
    with engine.connect() as conn:
        row = conn.execute(select(payments).where(payments.c.payment_id == payment_id)).first()
    if row is not None and row.terminal_id == terminal.id and row.status == "pending" and row.qr_content:
        gateway = gateways.get(row.method)
        if gateway is not None:
            notice, reachable = None, True
            try:
                gateway.close(row.out_trade_no)
            except GatewayError as exc:  # e.g. already paid: the query says so
                log.warning("%s close before cancelling %s failed: %s", row.method, payment_id, exc)
                # Unreachable: asking next would wait out a second timeout while the desk waits for this answer.
                reachable = not isinstance(exc, GatewayUnreachable)
            if reachable:
                try:
                    notice = gateway.query(row.out_trade_no)
                except GatewayError as exc:
                    log.warning("%s query before cancelling %s failed: %s", row.method, payment_id, exc)
            if notice is not None and notice.paid:
                apply_notice(engine, row.method, notice)
    with engine.begin() as conn:
        return _cancel(conn, terminal, payment_id)


def _cancel(conn: Connection, terminal: Terminal, payment_id: str) -> dict:
    row = _locked(conn, payment_id)
    if row is None:
        # Never created (the create was lost or is on its way): a tombstone refuses this terminal's late create.
        # A create inserting the id right now wins instead (insert_once waits for it) and is cancelled below.
        insert_once(conn, payments, payment_id=payment_id, terminal_id=terminal.id, order_id=TOMBSTONE_ORDER,
                    amount_fen=0, method="sandbox", status="cancelled", qr_content=None, expires_at=clock.now(),
                    created_at=clock.now())
        row = _locked(conn, payment_id)
    if row is None or row.terminal_id != terminal.id:
        raise not_found("no such payment of this terminal")
    if row.status == "pending":
        conn.execute(update(payments).where(payments.c.payment_id == payment_id).values(status="cancelled"))
    return _view(_get(conn, payment_id, terminal))


def apply_notice(engine: Engine, method: str, notice: GatewayNotice) -> bool:
    """What a verified notify (or the reconciler's query) says. Returns False (and logs) when it names no
    payment of that gateway or another amount; a notice that is not "paid" changes nothing."""
    with engine.begin() as conn:
        row = conn.execute(select(payments).where(payments.c.method == method,
                                                  payments.c.out_trade_no == notice.out_trade_no)
                           .with_for_update()).first()
        if row is None:
            log.warning("%s notify refused: no payment with that order number", method)
            return False
        if not notice.paid:
            return True
        if row.amount_fen != notice.amount_fen:
            log.warning("%s notify refused: payment %s is %d fen, the gateway says %d", method, row.payment_id,
                        row.amount_fen, notice.amount_fen)
            return False
        if row.status != "paid":  # money that arrives late still counts; a repeat changes nothing
            conn.execute(update(payments).where(payments.c.payment_id == row.payment_id)
                         .values(status="paid", paid_at=clock.now(), gateway_trade_no=notice.trade_no or None))
            log.info("%s payment %s paid", method, row.payment_id)
        return True
