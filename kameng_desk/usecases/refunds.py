"""Refunds at the desk, to the original payment, with the owner's PIN.

What can be refunded (:func:`plan`):

* a card sale whose codes never reached the customer: the whole sale, through the void (handover.void_in: its codes
  go back on the shelf, its unprinted slips are cancelled, the platform is told); a code handed over never comes back;
* a card sale voided, or given up (paid after the cashier cancelled), whose money came through the platform
  (orders.refund_needed): back to that payment, in full or in part;
* a top-up the platform reported failed: the cash hand-back (owner-approved, audited), or, when it was paid by QR or
  payment code, back to that payment: the sync round starts that one by itself (:func:`start_automatic`).

The money goes back the way it came: cash from the drawer (the shift's expected cash is net of it); a QR or code
payment through the platform (``PaymentPort.refund_payment``). The refund's id is made and stored before the platform
is asked, so a retry, or the sync round after a crash, repeats the same refund and the platform executes it once.
A gateway that cannot refund (RefundUnsupportedError) leaves the refund failed; the owner may then pay it in cash
instead (``cash_instead``, audited as such). Never more than what is left of the order.

Every refund is in the audit log ("refund_request" when approved, "refund" when the money is back, with its amount
and method; "refund_failed"), on a printed refund slip, in the Z report and in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kameng_desk.printing.slips import refund_slip
from kameng_desk.records.payment_port import PaymentPort, PlatformUnreachableError, RefundUnsupportedError
from kameng_desk.sync.errors import PlatformRefusedError
from kameng_desk.usecases import handover
from kameng_desk.usecases.errors import CounterError
from kameng_desk.usecases.print_queue import enqueue_slip, shop
from kameng_desk.usecases.session import require_owner
from local_cache import Store, audit, orders, refunds, staff
from local_cache.connection import Connection
from local_cache.ids import new_id
from local_cache.orders import Order
from local_cache.refunds import Refund

# The reason travels to the platform (one line of 1 to 80 characters) and stays with the refund.
REASON_MAX = 80
DEFAULT_REASON = "顾客退款"

RefusalWhy = Literal["not_failed", "refunded", "handed_over", "state", "amount", "over_amount",
                     "no_payment", "pending"]


class NotRefundableError(CounterError):
    """`why` for the screens: a top-up not reported failed, already refunded, codes handed over, an order in a
    state with nothing to give back, a bad or too large amount, a cash-instead refund of an order not paid through
    the platform, or a refund of it still waiting for the platform. ``left_fen``: what may still be refunded."""

    def __init__(self, reason: str, why: RefusalWhy, *, left_fen: int = 0) -> None:
        super().__init__(reason)
        self.why, self.left_fen = why, left_fen


class GatewayOfflineError(CounterError):
    """A refund to the customer's payment needs the platform, which cannot be reached now. Nothing was recorded:
    try again when it is back, or give the money back in cash instead."""

    def __init__(self) -> None:
        super().__init__("The platform cannot be reached: a refund to the customer's payment needs it. "
                         "Try again later, or give the money back in cash.")


@dataclass(frozen=True)
class RefundPlan:
    """What a refund of this order would do, for the dialog (asked before the owner's PIN)."""
    order: Order
    left_fen: int  # what may still be refunded
    to: Literal["cash", "gateway"]  # the original payment: the drawer, or the platform payment
    payment_id: str | None
    payment_method: str | None  # the platform gateway (wechat, alipay, epay, sandbox...)
    voids: bool  # a card sale whose codes never left: the refund voids it first (its codes back on the shelf)

    @property
    def whole_only(self) -> bool:
        """A sale the refund voids goes back whole: the platform voids whole orders, so its codes return together."""
        return self.voids


# pending: the platform has it and the gateway is working; unreached: sent, but no answer came (the platform may
# have it). Either way the sync round hears the end, and no cash may be given for it meanwhile.
Outcome = Literal["succeeded", "pending", "unreached", "failed", "unsupported"]


@dataclass(frozen=True)
class RefundResult:
    refund: Refund
    outcome: Outcome


def refunded_at(conn: Connection, order_id: str) -> str | None:
    """When the order's money first went back (None: never)."""
    done = [r.finished_at for r in refunds.for_order(conn, order_id) if r.status == "succeeded" and r.finished_at]
    return min(done) if done else None


def plan(conn: Connection, order_id: str) -> RefundPlan:
    """What refunding the order would do, or the NotRefundableError that applies."""
    order = orders.get(conn, order_id)
    payment = refunds.gateway_payment(conn, order_id)
    left = order.total_fen - refunds.committed_fen(conn, order_id)
    to: Literal["cash", "gateway"] = "gateway" if payment is not None else "cash"
    voids = False
    if order.kind == "topup":
        if order.topup_state != "failed":
            raise NotRefundableError("The platform has not reported this top-up as failed; nothing to refund yet.",
                                     "not_failed")
    elif order.state == "fulfilled":
        handed = orders.codes_handed_over_at(conn, order_id)
        if handed is not None:
            raise NotRefundableError("The codes of this sale were shown or sent to the printer: the customer may "
                                     "have them, so the sale cannot be refunded.", "handed_over")
        voids = True
    elif order.state in ("voided", "cancelled"):
        # Voided in cash: the void gave the money back. Given up or voided after a platform payment: it is owed.
        if payment is None:
            raise NotRefundableError(f"This sale is {order.state}; no payment of it is owed back.",
                                     "refunded" if order.state == "voided" else "state")
    else:
        raise NotRefundableError(f"This sale is {order.state}, not paid: nothing to refund.", "state")
    if any(r.status == "pending" for r in refunds.for_order(conn, order_id)):
        raise NotRefundableError("A refund of this order is still waiting for the platform's answer.", "pending")
    if left <= 0:
        raise NotRefundableError("This order was already refunded in full.", "refunded")
    return RefundPlan(order, left, to, payment.payment_id if payment else None, payment.method if payment else None,
                      voids=voids)


def refund_reason(text: str) -> str:
    """One printable line of at most REASON_MAX characters; the default when nothing is left."""
    line = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return line[:REASON_MAX] or DEFAULT_REASON


def _check_amount(p: RefundPlan, amount_fen: int) -> None:
    if amount_fen <= 0:
        raise NotRefundableError("A refund is more than 0.", "amount", left_fen=p.left_fen)
    if amount_fen > p.left_fen:
        raise NotRefundableError("The refund is more than what is left of the order.", "over_amount",
                                 left_fen=p.left_fen)
    if p.whole_only and amount_fen != p.left_fen:
        raise NotRefundableError("A card sale is refunded whole: its codes go back on the shelf together.",
                                 "amount", left_fen=p.left_fen)


def refund_order(store: Store, port: PaymentPort | None, *, order_id: str, staff_id: str, approver_id: str,
                 amount_fen: int | None = None, reason: str = "", cash_instead: bool = False) -> RefundResult:
    """Refund the order (all that is left when ``amount_fen`` is None) to its original payment; ``cash_instead``
    pays a platform-paid order from the drawer (the gateway cannot refund, or the platform is unreachable).

    ``port`` None or unreachable for a gateway refund: GatewayOfflineError before anything is recorded."""
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        p = plan(conn, order_id)
    amount, reason = p.left_fen if amount_fen is None else amount_fen, refund_reason(reason)
    _check_amount(p, amount)
    if cash_instead and p.to != "gateway":
        raise NotRefundableError("Only an order paid through the platform is refunded in cash instead.",
                                 "no_payment")
    gateway = p.to == "gateway" and not cash_instead
    if gateway:
        if port is None:
            raise GatewayOfflineError()
        try:  # asked before anything is stored: offline, nothing happened and cash back is safe
            port.refunds(p.payment_id or "")
        except PlatformUnreachableError:
            raise GatewayOfflineError() from None
    method: refunds.Method = "gateway" if gateway else ("cash_instead" if cash_instead else "cash")
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        p = plan(conn, order_id)  # again, inside the transaction that records it: another counter may have been first
        _check_amount(p, amount)
        if p.voids:
            handover.void_in(conn, order_id, staff_id=staff_id, approver_id=approver_id)
        refund = refunds.create(conn, refund_id=new_id(), order_id=order_id,
                                payment_id=p.payment_id if gateway else None, amount_fen=amount, method=method,
                                reason=reason, staff_id=staff_id, approver_id=approver_id)
        audit.append(conn, "refund_request", staff_id=staff_id, approver_id=approver_id, subject=order_id,
                     detail=_detail(p.order, refund))
        if not gateway:  # the drawer pays it now
            _finish(conn, refund.refund_id, "succeeded")
            return RefundResult(refunds.get(conn, refund.refund_id), "succeeded")
    assert port is not None
    return send(store, port, refund.refund_id)


def send(store: Store, port: PaymentPort, refund_id: str) -> RefundResult:
    """Ask the platform to execute a stored gateway refund (again: the same id is the same refund) and record its
    answer. Unreachable: the refund stays pending, the sync round asks again."""
    refund = refunds.get(store.conn(), refund_id)
    if refund.status != "pending":
        return RefundResult(refund, "succeeded" if refund.status == "succeeded" else "failed")
    try:
        answer = port.refund_payment(payment_id=refund.payment_id or "", refund_id=refund.refund_id,
                                     amount_fen=refund.amount_fen, reason=refund.reason)
    except PlatformUnreachableError:
        return RefundResult(refund, "unreached")
    except RefundUnsupportedError:
        return RefundResult(apply(store, refund_id, "failed", "refund_unsupported"), "unsupported")
    except PlatformRefusedError as exc:  # refund_exceeds_payment, payment_not_paid: it never will be
        return RefundResult(apply(store, refund_id, "failed", exc.code), "failed")
    finished = apply(store, refund_id, answer.status, answer.failure)
    return RefundResult(finished, "pending" if finished.status == "pending" else
                        "succeeded" if finished.status == "succeeded" else "failed")


def apply(store: Store, refund_id: str, status: str, failure: str | None = None) -> Refund:
    """Record the platform's word on a refund (a repeated or late one changes nothing)."""
    with store.transaction() as conn:
        apply_in(conn, refund_id, status, failure)
        return refunds.get(conn, refund_id)


def apply_in(conn: Connection, refund_id: str, status: str, failure: str | None = None) -> bool:
    """The same inside the caller's transaction (the sync round's feed); False when nothing changed."""
    refund = refunds.find(conn, refund_id)
    if refund is None or refund.status != "pending" or status not in ("succeeded", "failed"):
        return False  # another terminal's, old news, or still pending
    _finish(conn, refund_id, status, failure)
    return True


def _finish(conn: Connection, refund_id: str, status: str, failure: str | None = None) -> None:
    refunds.finish(conn, refund_id, status, failure=failure)
    refund = refunds.get(conn, refund_id)
    order = orders.get(conn, refund.order_id)
    if status == "failed":
        audit.append(conn, "refund_failed", staff_id=refund.staff_id, approver_id=refund.approver_id,
                     subject=order.id, detail={**_detail(order, refund), "failure": failure})
        return
    audit.append(conn, "refund", staff_id=refund.staff_id, approver_id=refund.approver_id, subject=order.id,
                 detail=_detail(order, refund))
    approver = staff.name_of(conn, refund.approver_id) if refund.approver_id else None
    enqueue_slip(conn, refund_slip(order, refund, shop=shop(conn), approver=approver or "",
                                   payment_app=_payment_method(conn, refund)), order_id=order.id)


def _payment_method(conn: Connection, refund: Refund) -> str | None:
    payment = refunds.gateway_payment(conn, refund.order_id) if refund.method == "gateway" else None
    return payment.method if payment else None


def _detail(order: Order, refund: Refund) -> dict[str, object]:
    return {"number": order.number, "refund_id": refund.refund_id, "amount_fen": refund.amount_fen,
            "method": refund.method, "total_fen": order.total_fen, "payment_method": order.payment_method,
            "reason": refund.reason}


def start_automatic(conn: Connection, order_id: str) -> Refund | None:
    """A top-up the platform reports failed, paid by QR or payment code: its money goes back to that payment with
    no one asked (the platform already refunded the reseller's balance). In the caller's transaction; the sync
    round sends it. Paid in cash: None, the owner-approved hand-back stays."""
    order = orders.get(conn, order_id)
    payment = refunds.gateway_payment(conn, order_id)
    if order.kind != "topup" or order.topup_state != "failed" or payment is None:
        return None
    left = order.total_fen - refunds.committed_fen(conn, order_id)
    if left <= 0:
        return None
    refund = refunds.create(conn, refund_id=new_id(), order_id=order_id, payment_id=payment.payment_id,
                            amount_fen=left, method="gateway", reason="topup_failed", staff_id=None, approver_id=None)
    audit.append(conn, "refund_request", staff_id=None, subject=order_id, detail=_detail(order, refund))
    return refund


def resume_pending(store: Store, port: PaymentPort) -> list[RefundResult]:
    """The sync round: every stored gateway refund without an answer yet (a lost answer, a crash before the
    platform was asked, an automatic top-up refund) is sent again, by its id; the ones that ended are returned.
    Stops at the first the platform cannot be asked about."""
    ended = []
    for refund in refunds.pending(store.conn()):
        result = send(store, port, refund.refund_id)
        if result.outcome == "unreached":
            break
        if result.outcome != "pending":
            ended.append(result)
    return ended


def last_sale_plan(conn: Connection) -> RefundPlan:
    """The counter's 退上一单: what refunding the last order recorded here would do."""
    order_id = refunds.latest_order_id(conn)
    if order_id is None:
        raise NotRefundableError("No sale has been recorded here yet.", "state")
    return plan(conn, order_id)
