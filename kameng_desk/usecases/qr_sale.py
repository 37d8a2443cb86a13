"""A card sale paid by QR code, and the race that matters: the customer pays just as the cashier cancels
or the network drops. The platform's answer decides; until it comes, the codes stay reserved.

Outcomes: paid -> codes sold, order fulfilled and queued for the platform; cancelled, expired or failed (a
payment code the gateway refused, usecases.code_sale) -> codes back on the shelf; paid after the cashier gave
up -> the order is paid and flagged for refund (or fulfilled if the customer is still there), and the cashier is
told. Never a paid order with no record.

A payment the cashier is still handling (its QR or the static-QR fallback on screen) is theirs; every other
open one (a cancel that could not reach the platform, a session lost to a crash) is settled by the sync
round through :func:`resolve_unsettled`.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from kameng_desk.records.payment_port import PaymentPort, PlatformUnreachableError
from kameng_desk.sync.status import SyncStatus
from kameng_desk.usecases import static_qr
from kameng_desk.usecases.errors import CounterError
from kameng_desk.usecases.recording import new_order, queue_for_platform, sellable
from kameng_desk.usecases.sell import CartLine, Sale
from local_cache import Store, audit, codes, orders, payments
from local_cache.connection import Connection
from local_cache.ids import format_utc, new_id
from local_cache.orders import Order, OrderLine
from local_cache.payments import Payment

# payments.method and orders.payment_method of a sale paid by the customer's payment code (usecases.code_sale):
# the platform, not the desk, picks the gateway from the code.
CODE = "code"

@dataclass(frozen=True)
class QrSession:
    order_id: str
    number: str
    payment_id: str
    amount_fen: int
    method: str
    qr_content: str | None  # None when the platform could not be reached
    expires_at: int | None


@dataclass(frozen=True)
class Settled:
    """How a payment ended, for the cashier."""
    order_id: str
    outcome: str  # fulfilled | released | refund_needed | waiting
    sale: Sale | None = None
    failure: str | None = None  # released because the gateway refused a payment code: its reason code


class _Holds:
    """The payments a cashier is handling on an open store, from reserve until the session ends (settled,
    cancelled, confirmed). The sync round leaves these alone: it must not cancel a QR the customer is scanning.

    In memory, per open Store, on purpose: after a crash or a restart nobody holds anything, so the next round
    settles what the lost session left behind."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the database thread takes and releases, the sync thread asks
        self._by_store: weakref.WeakKeyDictionary[Store, set[str]] = weakref.WeakKeyDictionary()

    def take(self, store: Store, payment_id: str) -> None:
        with self._lock:
            self._by_store.setdefault(store, set()).add(payment_id)

    def release(self, store: Store, payment_id: str) -> None:
        with self._lock:
            self._by_store.get(store, set()).discard(payment_id)

    def held(self, store: Store, payment_id: str) -> bool:
        with self._lock:
            return payment_id in self._by_store.get(store, ())


_holds = _Holds()


def reserve(store: Store, *, staff_id: str, cart: list[CartLine], method: str) -> QrSession:
    """Record the order as awaiting payment with its codes reserved (nothing is sold yet); the cashier holds
    the payment until the session ends."""
    payment_id = new_id()
    _holds.take(store, payment_id)  # before the row exists, so no sync round can see it unheld
    try:
        return _reserve(store, payment_id, staff_id=staff_id, cart=cart, method=method)
    except BaseException:
        _holds.release(store, payment_id)
        raise


def _reserve(store: Store, payment_id: str, *, staff_id: str, cart: list[CartLine], method: str) -> QrSession:
    with store.transaction() as conn:
        lines = []
        for line in cart:
            product = sellable(conn, line.product_id, "card")
            lines.append(OrderLine(product.id, product.name, line.quantity, product.retail_price_fen))
        order = new_order(conn, kind="sale", lines=tuple(lines), staff_id=staff_id,
                          payment_method={"static": "qr_static", CODE: CODE}.get(method, "qr_dynamic"),
                          cash_received_fen=None, state="awaiting_payment")
        for line in lines:
            codes.take(conn, line.product_id, line.quantity, order.id, product_name=line.product_name,
                       reserve=True)
        payment = payments.create(conn, payment_id, order.id, method, order.total_fen)
    return QrSession(order.id, order.number, payment.id, order.total_fen, method, None, None)


def start(store: Store, port: PaymentPort, *, staff_id: str, cart: list[CartLine],
          method: str | None = None) -> QrSession:
    """Reserve, then ask the platform for a QR. Offline: the session has no QR (offer static QR or cash).

    Without a method the platform's default gateway is used; a platform that cannot even say which raises
    PlatformUnreachableError before anything is reserved."""
    method = method or port.payment_methods()[0]
    session = reserve(store, staff_id=staff_id, cart=cart, method=method)
    if method == "static":
        return session
    try:
        created = port.create_payment(payment_id=session.payment_id, order_id=session.order_id,
                                      amount_fen=session.amount_fen, method=method,
                                      description=f"卡盟 {session.number}")
    except PlatformUnreachableError:
        return session
    except BaseException:
        # Refused, or a bug: no session reaches the cashier, so the sync round cancels it and frees the codes.
        _holds.release(store, session.payment_id)
        raise
    with store.transaction() as conn:
        payments.set_qr(conn, session.payment_id, created.qr_content,
                        format_utc(datetime.fromtimestamp(created.expires_at, UTC)))
    return QrSession(session.order_id, session.number, session.payment_id, session.amount_fen, method,
                     created.qr_content, created.expires_at)


def _complete(store: Store, payment: Payment, staff_id: str | None,
              also_record: Callable[[Connection, Order], None] | None = None) -> Settled:
    """The money arrived: sell the reserved codes (or fresh ones if they were released meanwhile).

    ``also_record(conn, order)`` runs in the same transaction, so it is recorded with the sale or not at all."""
    with store.transaction() as conn:
        payments.move(conn, payment.id, "paid")
        order = orders.get(conn, payment.order_id)
        if order.state == "cancelled" or payment.cashier_cancelled:
            # The cashier had given up on this sale: keep the money on record, tell the cashier.
            codes.release_reserved(conn, order.id)
            if order.state == "awaiting_payment":
                orders.set_state(conn, order.id, "cancelled")
            orders.flag_refund_needed(conn, order.id)
            audit.append(conn, "refund_flag", staff_id=staff_id, subject=order.id,
                         detail={"number": order.number, "total_fen": order.total_fen, "why": "paid_after_cancel"})
            return Settled(order.id, "refund_needed")
        orders.set_state(conn, order.id, "paid")
        if also_record is not None:
            also_record(conn, order)
        codes.confirm_reserved(conn, order.id)
        orders.set_state(conn, order.id, "fulfilled")
        order, sold = orders.get(conn, order.id), codes.for_order(conn, order.id)
        queue_for_platform(conn, order, sold, audit_detail={"codes": len(sold), "payment_id": payment.id})
        return Settled(order.id, "fulfilled", Sale(order, tuple(sold)))


def _release(store: Store, payment: Payment, status: str, staff_id: str | None,
             failure: str | None = None) -> Settled:
    """Nothing was taken: the codes go back on the shelf. A failed code payment is stored as cancelled (the
    payment states have no "failed": it ends unpaid the same way); the audit entry keeps the platform's word."""
    with store.transaction() as conn:
        payments.move(conn, payment.id, "cancelled" if status == "failed" else status)
        order = orders.get(conn, payment.order_id)
        if order.state == "awaiting_payment":
            codes.release_reserved(conn, order.id)
            orders.set_state(conn, order.id, "cancelled")
            detail = {"number": order.number, "payment_id": payment.id, "status": status}
            audit.append(conn, "payment_released", staff_id=staff_id, subject=order.id,
                         detail=detail if failure is None else {**detail, "failure": failure})
    return Settled(payment.order_id, "released", failure=failure)


def apply_status(store: Store, payment_id: str, status: str, *, staff_id: str | None,
                 failure: str | None = None) -> Settled:
    """Apply what the platform says about a payment; repeating a status is harmless. ``staff_id`` None: the
    sync round settled it, no cashier. ``failure``: the gateway's reason for a failed code payment.

    A code payment's reversing (the platform is undoing it at the gateway) is still open: "waiting"."""
    settled = _apply_status(store, payment_id, status, staff_id, failure)
    if settled.outcome != "waiting":
        _holds.release(store, payment_id)  # the session is over
    return settled


def _apply_status(store: Store, payment_id: str, status: str, staff_id: str | None,
                  failure: str | None) -> Settled:
    payment = payments.get(store.conn(), payment_id)
    if payment.state == "paid":
        return Settled(payment.order_id, "settled")
    if status == "paid":
        return _complete(store, payment, staff_id)
    if status in ("cancelled", "expired", "failed"):
        if payment.state in ("cancelled", "expired"):
            return Settled(payment.order_id, "settled")
        return _release(store, payment, status, staff_id, failure)
    return Settled(payment.order_id, "waiting")


def poll(store: Store, port: PaymentPort, session: QrSession, *, staff_id: str) -> Settled:
    try:
        status = port.payment_status(session.payment_id)
    except PlatformUnreachableError:
        return Settled(session.order_id, "waiting")
    return apply_status(store, session.payment_id, status, staff_id=staff_id)


def let_go(store: Store, payment_id: str) -> None:
    """The cashier stops waiting for a payment still open (a code payment the platform is still reversing): the
    sync round settles it from now on."""
    _holds.release(store, payment_id)


def known_offline(status: SyncStatus | None) -> bool:
    """The last sync round could not reach the platform, so asking it now would only wait for a timeout. Before
    the first round (not paired yet as far as the status knows) or after an unexpected error it is tried."""
    return status is not None and status.paired and not status.online and status.error_kind is None


def cancel(store: Store, port: PaymentPort | None, session: QrSession, *, staff_id: str) -> Settled:
    """The cashier cancels. A payment whose QR never reached a screen cannot have been paid: its codes go back
    at once, online or not. Otherwise the platform decides whether the customer paid first; if it cannot be
    asked (offline, or no platform: ``port`` None), the cancel is requested here, the session ends anyway and
    the sync round settles the payment once the platform answers (outcome "waiting")."""
    try:
        done = request_cancel(store, session.payment_id, staff_id=staff_id)
        if done is not None:
            return done
        if port is None:
            return Settled(session.order_id, "waiting")
        try:
            status = port.cancel_payment(session.payment_id)
        except PlatformUnreachableError:
            return Settled(session.order_id, "waiting")  # the sync round settles it (resolve_unsettled)
        return settle_cancel(store, session.payment_id, status, staff_id=staff_id)
    finally:
        _holds.release(store, session.payment_id)


def request_cancel(store: Store, payment_id: str, *, staff_id: str) -> Settled | None:
    """The desk's half of a cancel: how it ended when the platform need not be asked, else None with the cancel
    on record (cancel_requested) for :func:`settle_cancel` to apply the platform's answer.

    A code payment is always asked about: its charge may have reached the gateway even when no answer came back,
    and the platform's cancel reverses it there."""
    payment = payments.get(store.conn(), payment_id)
    if payment.state in ("paid", "cancelled", "expired"):
        return Settled(payment.order_id, "settled")  # a poll settled it just before: nothing left to cancel
    if payment.method == "static" or (payment.qr_content is None and payment.method != CODE):
        # No customer ever saw a QR for it; the platform expires a payment it may have created unseen.
        return _release(store, payment, "cancelled", staff_id)
    with store.transaction() as conn:
        payments.move(conn, payment_id, "cancel_requested", cashier_cancelled=True)
        audit.append(conn, "payment_cancel", staff_id=staff_id, subject=payment.order_id,
                     detail={"payment_id": payment_id})
    return None


def settle_cancel(store: Store, payment_id: str, status: str, *, staff_id: str) -> Settled:
    """The platform's answer to a cancel."""
    if status == "paid":
        # The customer was first: the sale goes through, the cashier hands over the goods.
        with store.transaction() as conn:
            payments.clear_cashier_cancelled(conn, payment_id)
        return _complete(store, payments.get(store.conn(), payment_id), staff_id)
    return apply_status(store, payment_id, status, staff_id=staff_id)


def switch(store: Store, port: PaymentPort, session: QrSession, *, staff_id: str, cart: list[CartLine],
           method: str) -> QrSession | Settled:
    """The customer wants to pay with another app: this payment is cancelled and one started on `method`. The
    customer who paid the current QR first wins: that is the sale (Settled "fulfilled"), nothing new starts."""
    settled = cancel(store, port, session, staff_id=staff_id)
    if settled.outcome == "fulfilled":
        return settled
    return start(store, port, staff_id=staff_id, cart=cart, method=method)


class PaymentNotCancellableError(CounterError):
    """The order has no open QR payment to cancel (paid, cancelled, or being handled at a counter)."""

    def __init__(self, reason: str, *, in_progress: bool = False) -> None:
        super().__init__(reason)
        self.in_progress = in_progress


def cancel_abandoned(store: Store, port: PaymentPort | None, order_id: str, *, staff_id: str) -> Settled:
    """Cancel the open QR payment of an order nobody is handling any more (待付款 left by an offline start, a
    closed dialog, a crash), from the order detail. No owner PIN: an unpaid payment loses no money, and if the
    customer did pay meanwhile the platform's word still completes the sale or flags the refund. Same rules as
    :func:`cancel`: released at once when its QR never reached a screen, otherwise requested and settled."""
    payment = payments.open_for_order(store.conn(), order_id)
    if payment is None:
        raise PaymentNotCancellableError("This order has no unpaid QR payment to cancel.")
    if _holds.held(store, payment.id):
        raise PaymentNotCancellableError("This QR payment is open on the counter: cancel it there.",
                                         in_progress=True)
    order = orders.get(store.conn(), order_id)
    session = QrSession(order_id, order.number, payment.id, payment.amount_fen, payment.method,
                        payment.qr_content, None)
    return cancel(store, port, session, staff_id=staff_id)


def confirm_static(store: Store, session: QrSession, *, staff_id: str, approver_id: str | None) -> Settled:
    """The shop's static QR has no notify: the cashier confirms 收到款项 explicitly, and it is audited.

    Also for a dynamic session whose QR never reached the screen (platform unreachable): the money came by
    the shop's own QR, so that is how the order was paid."""
    settled = _complete(store, payments.get(store.conn(), session.payment_id), staff_id,
                        also_record=lambda conn, order: static_qr.record_confirmation(
                            conn, order, staff_id=staff_id, approver_id=approver_id))
    _holds.release(store, session.payment_id)
    return settled


def resolve_unsettled(store: Store, port: PaymentPort, *,
                      notify: Callable[[Settled], None] | None = None) -> list[Settled]:
    """Settle every open payment no cashier holds (a cancel that could not reach the platform, a session lost
    to a crash); run by each sync round. ``notify`` hears each one as it settles, so what was settled before
    a later failure is still announced. Stops at the first payment the platform cannot be asked about.

    A payment whose QR reached a screen is only asked about, never cancelled: its QR may still be on a phone
    (or on a counter of another process), and the platform expires it by itself. A code payment left waiting for
    the customer's password is asked about the same way, until the platform ends it (paid, failed, or reversed
    after its wait); one whose charge got no answer or that the cashier gave up on is cancelled (again: the
    platform's cancel is idempotent) until the platform says how the reverse ended."""
    results = []
    for payment in payments.unsettled(store.conn()):
        if _holds.held(store, payment.id):
            continue
        try:
            if payment.state == "new" or (payment.method == CODE and payment.state == "cancel_requested"):
                # Its QR never reached a screen (it cannot have been paid), or its charge got no answer, or a code
                # payment the cashier gave up on: cancel it. The platform reverses a code payment even once paid
                # (the customer was told so and paid another way), and records the cancel of one it never saw.
                status = port.cancel_payment(payment.id)
            else:
                status = port.payment_status(payment.id)
                if payment.state == "cancel_requested" and status == "pending":
                    status = port.cancel_payment(payment.id)
        except PlatformUnreachableError:
            break
        settled = apply_status(store, payment.id, status, staff_id=None)
        if settled.outcome in ("waiting", "settled"):  # nothing changed here
            continue
        results.append(settled)
        if notify is not None:
            notify(settled)
    return results
