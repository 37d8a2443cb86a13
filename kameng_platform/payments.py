"""Payments: idempotent by payment id; a notify changes nothing until its signature, amount and id verify;
a late or repeated notify is harmless; cancel answers "paid" when the customer was first.

The gateway is never called inside a database transaction (a slow gateway must not hold locks): create
first records the payment, then asks the gateway, then stores the QR; a retry with the same payment id
asks the gateway again with the same order number, which gateways answer idempotently.

Code payments (kind "code", issue #17): the cashier scanned the customer's payment code (付款码). The code picks
the app and the app the gateway (the first configured one that charges it); the code itself is never stored or
logged, only a keyed hash of it that tells a retry of the same payment from another one. The charge (`pay_code`)
is made outside any transaction and sent again, with the same order number, on a retry: gateways take it as the
same trade, so a lost answer never charges twice. A payment the customer is still entering the password for stays
pending; the platform asks the gateway about it (`advance_code`: when the desk asks, and the reconciler when the
desk went away) until it is paid, closed, or `code_wait_s` runs out, and then reverses it: reversing until the
gateway confirms, then cancelled. A paid notify for a payment being reversed does not make it paid: the reverse
returns that money.

    code payment:  pending --PAID--> paid          pending --FAILED--> failed
                   pending --closed / wait over / cancel (query not paid)--> reversing --reverse confirmed--> cancelled
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy import ColumnElement, Connection, Engine, delete, select, update

from kameng_platform import clock, notices, periodic, recharges, refunds
from kameng_platform.crypto import Sealer
from kameng_platform.db import insert_once
from kameng_platform.errors import ApiError, bad_request, conflict, not_found
from kameng_platform.gateways.base import (
    CodeOutcome,
    CodePaymentRequest,
    Gateway,
    GatewayError,
    GatewayNotice,
    GatewayUnreachable,
    GatewayUnsupported,
    PaymentRequest,
    UnknownPaymentCode,
    code_app,
)
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.schema import payments
from kameng_platform.terminals import Terminal

log = logging.getLogger(__name__)

CODE_OPEN = ("pending", "reversing")  # a code payment the platform still has to finish at the gateway
CODE_ASK_S = 2  # a code payment is asked about at most once per this many seconds (the desk polls faster)
REVERSE_UNSUPPORTED = "reverse_unsupported"  # the failure of a code payment its gateway cannot reverse
# The desk waits 20 s for an answer (kameng_desk/sync/client.py TIMEOUT), but a code payment's cancel or poll can
# ask the gateway several times (a query, then Alipay's cancel up to 3 times 2 s apart, each up to the adapter's
# 10 s timeout). Past this the desk is answered with the payment as it stands; the gateway calls carry on.
ANSWER_WITHIN_S = 8.0
APP_NAMES = {"wechat": "WeChat Pay", "alipay": "Alipay"}


def _view(conn: Connection, row) -> dict:
    status = row.status
    if status == "pending" and row.kind == "qr" and clock.now() > row.expires_at:
        status = "expired"
    listed = refunds.listing(conn, row.payment_id)
    return {"payment_id": row.payment_id, "status": status, "amount_fen": row.amount_fen,
            "qr_content": row.qr_content, "expires_at": row.expires_at, "paid_at": row.paid_at,
            "kind": row.kind, "method": row.method, "app": row.app, "failure": row.failure,
            "refunded_fen": sum(r["amount_fen"] for r in listed if r["status"] == "succeeded"), "refunds": listed}


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
            out_trade_no: str, ttl_s: int, kind: str = "qr", app: str | None = None, auth_hash: str | None = None,
            code_deadline: int | None = None):
    """The payment's row, inserted once (db.insert_once: a concurrent create or cancel of the same id waits
    for, or reads, the other's row instead of failing)."""
    now = clock.now()
    values = dict(payment_id=payment_id, terminal_id=terminal.id, order_id=order_id, amount_fen=amount_fen,
                  method=method, status="pending", qr_content=None, out_trade_no=out_trade_no,
                  expires_at=now + ttl_s, created_at=now, kind=kind, app=app, auth_hash=auth_hash,
                  code_deadline=code_deadline)
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
    if _is_tombstone(row) or (row.kind == "qr" and row.status == "cancelled" and row.qr_content is None):
        raise _cancelled_before_create()  # and the gateway is not asked for a QR no one will show
    # The same payment again (a retry) must be the same in every field, the code too (by its keyed hash).
    if (row.order_id, row.amount_fen, row.method, row.kind, row.auth_hash) != (order_id, amount_fen, method, kind,
                                                                               auth_hash):
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
            return _view(conn, row)
    return show_qr(engine, gateway, row, description, public_url, terminal)


def show_qr(engine: Engine, gateway: Gateway, row, description: str, public_url: str,
            terminal: Terminal | None = None) -> dict:
    """Ask the gateway for the QR of a recorded payment (outside any transaction) and keep it: a desk's payment
    (`terminal`) or a reseller's recharge (recharges.py, no terminal)."""
    if clock.now() > row.expires_at:
        raise ApiError(409, "payment_expired", "This payment expired before the gateway could be asked.")
    try:
        qr = gateway.create(PaymentRequest(row.payment_id, row.out_trade_no, row.amount_fen, description,
                                           row.expires_at, public_url))
    except GatewayError as exc:
        log.warning("%s could not create payment %s: %s", row.method, row.payment_id, exc)
        raise ApiError(503, "gateway_unavailable",
                       "The payment gateway cannot be reached now; try again, or take cash or the shop's QR code."
                       ) from None
    with engine.begin() as conn:
        conn.execute(update(payments).where(payments.c.payment_id == row.payment_id,
                                            payments.c.qr_content.is_(None),
                                            payments.c.status != "cancelled").values(qr_content=qr))
        row = _get(conn, row.payment_id, terminal)
        if row.qr_content is None:  # the desk cancelled while the gateway was being asked
            raise _cancelled_before_create()
        return _view(conn, row)


def code_gateway(gateways: GatewayRegistry, auth_code: str, method: str | None) -> tuple[str, str]:
    """(app, gateway name) for a scanned payment code; ApiError 400 when it is no payment code, no gateway here
    charges it, or the desk named another gateway."""
    try:
        app = code_app(auth_code)
    except UnknownPaymentCode:
        raise ApiError(400, "unknown_payment_code",
                       "This is not a WeChat Pay or Alipay payment code; scan the customer's payment code again, "
                       "or take cash.") from None
    chosen = gateways.for_code(app)
    if chosen is None:
        raise ApiError(400, "code_not_supported",
                       f"{APP_NAMES[app]} payment codes are not enabled on this platform; show the QR code or take "
                       "cash.")
    if method is not None and method != chosen:
        raise bad_request(f"this is a {APP_NAMES[app]} payment code, which this platform charges through {chosen}, "
                          f"not {method}")
    return app, chosen


def create_code(engine: Engine, terminal: Terminal, gateways: GatewayRegistry, sealer: Sealer, *,
                payment_id: str, order_id: str, amount_fen: int, method: str | None, auth_code: str,
                description: str, ttl_s: int, code_wait_s: int) -> dict:
    """Charge a scanned payment code. A retry with the same body charges again with the same order number
    (the gateway answers with the same trade); once the payment is settled, or its wait is over, a retry only
    reports it."""
    app, method = code_gateway(gateways, auth_code, method)
    gateway = gateways.get(method)
    # Keyed, and bound to the payment id: the same code in two payments does not give the same hash.
    auth_hash = sealer.index(f"payment-code:{payment_id}:{auth_code}")
    with engine.begin() as conn:
        row = _record(conn, terminal, payment_id=payment_id, order_id=order_id, amount_fen=amount_fen,
                      method=method, out_trade_no=gateway.out_trade_no(payment_id), ttl_s=ttl_s, kind="code",
                      app=app, auth_hash=auth_hash, code_deadline=clock.now() + code_wait_s)
    if row.status == "pending" and clock.now() < row.code_deadline:
        _charge(engine, gateway, row, CodePaymentRequest(payment_id, row.out_trade_no, amount_fen, description,
                                                         auth_code))
    elif row.status in CODE_OPEN:  # a retry after the wait ran out: no new charge, the payment is finished
        _within(ANSWER_WITHIN_S, lambda: advance_code(engine, gateways, payment_id, worker=periodic.worker_id()))
    with engine.connect() as conn:
        return _view(conn, _get(conn, payment_id, terminal))


def _charge(engine: Engine, gateway: Gateway, row, request: CodePaymentRequest) -> None:
    try:
        result = gateway.pay_code(request)
    except GatewayUnsupported as exc:
        log.warning("%s cannot charge code payment %s: %s", row.method, row.payment_id, exc)
        _move(engine, row.payment_id, "pending", "failed", failure="unsupported")
        return
    except GatewayError as exc:  # the outcome is unknown: asked about (and reversed in the end) like PAYING
        log.warning("%s code payment %s: no clear answer (%s); asking the gateway next", row.method,
                    row.payment_id, exc)
        return
    if result.outcome is CodeOutcome.PAID:
        apply_notice(engine, row.method, GatewayNotice(row.out_trade_no, row.amount_fen, True, result.trade_no))
    elif result.outcome is CodeOutcome.FAILED:
        if _move(engine, row.payment_id, "pending", "failed", failure=result.reason[:64] or "failed"):
            log.info("%s refused code payment %s: %s", row.method, row.payment_id, result.reason)
    else:
        log.info("%s code payment %s: the customer is entering the password", row.method, row.payment_id)


def _move(engine: Engine, payment_id: str, old: str, new: str, **values: object) -> bool:
    """One status step, only from `old` (another request or process may have moved it first)."""
    with engine.begin() as conn:
        return conn.execute(update(payments).where(payments.c.payment_id == payment_id, payments.c.status == old)
                            .values(status=new, **values)).rowcount == 1


def advance_code(engine: Engine, gateways: GatewayRegistry, payment_id: str, *, worker: str,
                 lease_s: float = CODE_ASK_S) -> None:
    """Ask the gateway about an open code payment and take the next step: paid, or (closed, or past its wait)
    reversing and then cancelled once the gateway confirms the reverse. Leased (periodic.claim), so the
    desk's polls and every process's reconciler ask the gateway at most once per lease between them."""
    with engine.begin() as conn:
        if not periodic.claim(conn, payments, payment_id, *_code_open(), worker=worker, lease_s=lease_s):
            return
        row = _get(conn, payment_id)
    gateway = gateways.get(row.method)
    if gateway is None:
        return  # a gateway the operator has since switched off
    if row.status == "pending":
        try:
            notice = gateway.query(row.out_trade_no)
        except GatewayError as exc:
            log.warning("%s query for code payment %s failed: %s", row.method, payment_id, exc)
            notice = None
        if notice is not None and notice.out_trade_no == row.out_trade_no:
            if notice.paid:
                apply_notice(engine, row.method, notice)
                return
            if notice.closed:
                # Never paid, but WeChat asks for a reverse after PAYERROR (the bank may have taken the money):
                # reversed like a wait that ran out (harmless for a trade closed or revoked).
                if _move(engine, payment_id, "pending", "reversing", failure="TRADE_CLOSED"):
                    _reverse(engine, gateway, row)
                return
        if clock.now() < row.code_deadline:
            return
        if not _move(engine, payment_id, "pending", "reversing", failure="timeout"):
            return
        log.info("code payment %s: no password within the wait; reversing it at %s", payment_id, row.method)
    _reverse(engine, gateway, row)


def _within(seconds: float, work: Callable[[], None]) -> bool:
    """Run `work` (gateway calls, each step its own transaction) for at most `seconds` of the caller's time; a
    slow gateway's work finishes in its own thread (or, if the process dies, by the reconciler). Whether it
    finished in time."""
    thread = threading.Thread(target=work, name="code-payment", daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive()


def _code_open() -> tuple[ColumnElement[bool], ...]:
    return payments.c.kind == "code", payments.c.status.in_(CODE_OPEN)


def _reverse(engine: Engine, gateway: Gateway, row) -> None:
    """Undo the trade at the gateway; the payment is cancelled only once the gateway confirmed it (else it
    stays reversing, and the reconciler tries again). A gateway that cannot reverse at all leaves it reversing
    for the operator: marked REVERSE_UNSUPPORTED (shown to the desk, skipped by the reconciler), logged once."""
    try:
        gateway.reverse(row.out_trade_no)
    except GatewayUnsupported as exc:
        with engine.begin() as conn:
            marked = conn.execute(update(payments).where(
                payments.c.payment_id == row.payment_id, payments.c.status == "reversing",
                payments.c.failure.is_distinct_from(REVERSE_UNSUPPORTED)).values(failure=REVERSE_UNSUPPORTED))
        if marked.rowcount:
            log.error("%s cannot reverse code payment %s (%s): it stays reversing; check the trade in the %s "
                      "merchant platform and refund it there if it was paid", row.method, row.payment_id, exc,
                      row.method)
        return
    except GatewayError as exc:
        log.warning("%s reverse of code payment %s failed: %s; trying again later", row.method, row.payment_id, exc)
        return
    if _move(engine, row.payment_id, "reversing", "cancelled"):
        log.info("code payment %s reversed at %s", row.payment_id, row.method)


def status(engine: Engine, terminal: Terminal, gateways: GatewayRegistry, payment_id: str) -> dict:
    """An open code payment is asked about first (at most every CODE_ASK_S, outside any transaction): the desk
    polling it is what moves it along while the customer enters the password."""
    with engine.connect() as conn:
        row = _get(conn, payment_id, terminal)
    if row.kind == "code" and row.status in CODE_OPEN:
        _within(ANSWER_WITHIN_S, lambda: advance_code(engine, gateways, payment_id, worker=periodic.worker_id()))
    with engine.connect() as conn:
        return _view(conn, _get(conn, payment_id, terminal))


def cancel(engine: Engine, terminal: Terminal, gateways: GatewayRegistry, payment_id: str) -> dict:
    """Before cancelling a payment whose QR was shown, close the gateway's order (the customer can no longer
    pay it, where the gateway can close orders), then ask the gateway: a customer who paid first wins even when
    the notify is late. Unreachable gateway: cancel at once, without the second call; the reconciler still
    asks about cancelled payments and catches late money. A code payment is asked about, and reversed unless
    it was paid (cancel_code)."""
    with engine.connect() as conn:
        row = conn.execute(select(payments).where(payments.c.payment_id == payment_id)).first()
    if row is not None and row.terminal_id == terminal.id and row.kind == "code":
        return _cancel_code(engine, terminal, gateways, row)
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


def _cancel_code(engine: Engine, terminal: Terminal, gateways: GatewayRegistry, row) -> dict:
    """The cashier gave up on a code payment: the gateway is asked first (a customer who paid wins), else the
    trade is reversed; "reversing" until the gateway confirms, then "cancelled". A gateway too slow to answer
    within ANSWER_WITHIN_S does not hold the desk: the cancel stands (reversing: money that lands meanwhile is
    returned by the reverse) and the gateway calls carry on."""
    gateway = gateways.get(row.method)
    if gateway is not None and row.status in CODE_OPEN \
            and not _within(ANSWER_WITHIN_S, lambda: _give_up_code(engine, gateway, row)):
        _move(engine, row.payment_id, "pending", "reversing", failure="cancelled")
    with engine.connect() as conn:
        return _view(conn, _get(conn, row.payment_id, terminal))


def _give_up_code(engine: Engine, gateway: Gateway, row) -> None:
    if row.status == "pending":
        try:
            notice = gateway.query(row.out_trade_no)
        except GatewayError as exc:
            log.warning("%s query before cancelling code payment %s failed: %s", row.method, row.payment_id, exc)
            notice = None
        if notice is not None and notice.paid and notice.out_trade_no == row.out_trade_no:
            apply_notice(engine, row.method, notice)
        else:
            _move(engine, row.payment_id, "pending", "reversing", failure="cancelled")
    with engine.connect() as conn:
        row = _get(conn, row.payment_id)
    if row.status == "reversing":
        _reverse(engine, gateway, row)


def _cancel(conn: Connection, terminal: Terminal, payment_id: str) -> dict:
    row = _locked(conn, payment_id)
    if row is None:
        # Never created (the create was lost or is on its way): a tombstone refuses this terminal's late create.
        # A create inserting the id right now wins instead (insert_once waits for it) and is cancelled below.
        insert_once(conn, payments, payment_id=payment_id, terminal_id=terminal.id, order_id=TOMBSTONE_ORDER,
                    amount_fen=0, method="sandbox", status="cancelled", qr_content=None, expires_at=clock.now(),
                    created_at=clock.now(), kind="qr")
        row = _locked(conn, payment_id)
    if row is None or row.terminal_id != terminal.id:
        raise not_found("no such payment of this terminal")
    if row.status == "pending":
        conn.execute(update(payments).where(payments.c.payment_id == payment_id).values(status="cancelled"))
    return _view(conn, _get(conn, payment_id, terminal))


def ask_about(engine: Engine, gateway: Gateway, method: str, payment_id: str, out_trade_no: str, *,
              still_open: ColumnElement[bool], worker: str, lease_s: float) -> bool:
    """Ask the gateway whether a QR payment was paid, if this worker wins its lease (periodic.claim, not released
    after: the lease spaces the questions `lease_s` apart across every process); a paid answer goes through
    apply_notice like a notify. True when it was found paid."""
    with engine.begin() as conn:
        if not periodic.claim(conn, payments, payment_id, still_open, worker=worker, lease_s=lease_s):
            return False  # another process is asking, or has just asked
    try:
        notice = gateway.query(out_trade_no)
    except GatewayError as exc:
        log.warning("%s query for payment %s failed: %s", method, payment_id, exc)
        return False
    if notice is None or not notice.paid or notice.out_trade_no != out_trade_no:
        return False
    if not apply_notice(engine, method, notice):
        return False
    log.info("payment %s found paid by asking %s (its notify never came)", payment_id, method)
    return True


def apply_notice(engine: Engine, method: str, notice: GatewayNotice, *, source: notices.Source = "answer") -> bool:
    """What a verified notify (source "notify") or the gateway's answer to the platform's call or query says.
    Returns False (and logs) when it names no payment of that gateway or another amount; a notice that is not
    "paid" changes nothing, and neither does "paid" for a code payment being reversed or reversed (the reverse
    hands that money back). Each is kept in gateway_notices in the same transaction, a repeat as "repeat". This is
    the one place a payment becomes paid: a reseller's recharge (recharges.py) is credited here, in that transaction."""
    with engine.begin() as conn:
        row = conn.execute(select(payments).where(payments.c.method == method,
                                                  payments.c.out_trade_no == notice.out_trade_no)
                           .with_for_update()).first()

        def kept(outcome: str) -> None:
            notices.record(conn, method, "payment", notice.out_trade_no, source=source, outcome=outcome,
                           amount_fen=notice.amount_fen, payment_id=row.payment_id if row is not None else None)
        if row is None:
            log.warning("%s notify refused: no payment with that order number", method)
            kept("refused")
            return False
        if not notice.paid:
            kept("not_paid")
            return True
        if row.amount_fen != notice.amount_fen:
            log.warning("%s notify refused: payment %s is %d fen, the gateway says %d", method, row.payment_id,
                        row.amount_fen, notice.amount_fen)
            kept("refused")
            return False
        if row.kind == "code" and row.status in ("reversing", "cancelled"):
            log.warning("%s says code payment %s is paid, but it is %s: its reverse returns the money, so it is "
                        "not marked paid", method, row.payment_id, "reversed" if row.status == "cancelled"
                        else "being reversed")
            kept("refused")
            return True
        if row.status != "paid":  # money that arrives late still counts; a repeat changes nothing
            conn.execute(update(payments).where(payments.c.payment_id == row.payment_id)
                         .values(status="paid", paid_at=clock.now(), gateway_trade_no=notice.trade_no or None))
            log.info("%s payment %s paid", method, row.payment_id)
            recharges.credit(conn, row.payment_id, row.amount_fen)  # a reseller's recharge: credited here, once
            kept("applied")
        else:
            kept("repeat")
        return True
