"""A card sale paid by the customer's payment code (付款码): the cashier scans the code on the customer's phone
and the platform charges it at once, through the gateway it picks from the code's digits.

The codes are reserved as for a QR sale (usecases.qr_sale: the same order, holds and outcomes) before anything is
charged, so money never arrives for an order the desk has no record of. The platform's answer decides:

- paid -> codes sold, the order fulfilled and queued for the platform;
- pending -> the customer is entering their password: ask again (:func:`poll`) until it ends;
- failed -> nothing was taken: the codes go back on the shelf, the cashier is told the gateway's reason;
- reversing, or no answer at all (the charge may have reached the gateway) -> still open: the platform undoes
  it at the gateway, and the sync round settles it (qr_sale.resolve_unsettled) if the cashier stops waiting.

The cashier's cancel asks the platform, which reverses the charge (:func:`cancel`). Offline the counter does not
try (usecases.checkout): a code can only be charged through the platform.

The auth code pays for about a minute: it is handed to the port and forgotten, never stored, logged or put in an
exception.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kameng_desk.records.payment_port import (
    App,
    CodePayment,
    PaymentPort,
    PlatformUnreachableError,
    UnknownPaymentCodeError,
)
from kameng_desk.sync.errors import PlatformRefusedError
from kameng_desk.usecases import qr_sale
from kameng_desk.usecases.qr_sale import CODE, Settled
from kameng_desk.usecases.sell import CartLine
from local_cache import Store, payments

# What the desk takes for a payment code: 16-24 ASCII digits (WeChat's are 18, Alipay's 16-24). Which app it
# belongs to, and whether it is one at all, the platform decides; a product's barcode is looked up first.
PAYMENT_CODE = re.compile(r"[0-9]{16,24}")


def looks_like_payment_code(text: str) -> bool:
    return PAYMENT_CODE.fullmatch(text.strip()) is not None


@dataclass(frozen=True)
class CodeSession:
    """A code payment the cashier is handling (its codes reserved)."""
    order_id: str
    number: str
    payment_id: str
    amount_fen: int


@dataclass(frozen=True)
class CodeCharge:
    """Where a code payment stands after the platform's latest word.

    ``status`` is the platform's (pending | paid | failed | cancelled | reversing), or "unanswered" when the
    platform could not be asked. ``settled`` is how it ended here, None while it is open."""
    session: CodeSession
    status: str
    app: App | None = None
    settled: Settled | None = None

    @property
    def open(self) -> bool:
        return self.settled is None


def start(store: Store, port: PaymentPort, *, staff_id: str, cart: list[CartLine], auth_code: str) -> CodeCharge:
    """Reserve the cart's codes, then ask the platform to charge the payment code.

    A scan the platform reads as no payment code (UnknownPaymentCodeError), or a charge it refuses outright
    (PlatformRefusedError: nothing reached a gateway), puts the codes back at once and raises. No answer at all:
    the charge may have reached the gateway, so the cancel is requested at once (the platform reverses it)."""
    reserved = qr_sale.reserve(store, staff_id=staff_id, cart=cart, method=CODE)
    session = CodeSession(reserved.order_id, reserved.number, reserved.payment_id, reserved.amount_fen)
    try:
        answer = port.pay_code(payment_id=session.payment_id, order_id=session.order_id,
                               amount_fen=session.amount_fen, auth_code=auth_code,
                               description=f"卡盟 {session.number}")
    except PlatformUnreachableError:
        return cancel(store, port, session, staff_id=staff_id)
    except (UnknownPaymentCodeError, PlatformRefusedError):
        qr_sale.apply_status(store, session.payment_id, "cancelled", staff_id=staff_id)
        raise
    except BaseException:
        # A bug: no session reaches the cashier, so the sync round cancels it (reversing what may have been taken).
        qr_sale.let_go(store, session.payment_id)
        raise
    return _applied(store, session, answer, staff_id)


def poll(store: Store, port: PaymentPort, session: CodeSession, *, staff_id: str) -> CodeCharge:
    """Ask how the payment stands (the customer entering the password, or the platform reversing it)."""
    try:
        answer = port.code_payment(session.payment_id)
    except PlatformUnreachableError:
        return CodeCharge(session, "unanswered")
    return _applied(store, session, answer, staff_id)


def cancel(store: Store, port: PaymentPort, session: CodeSession, *, staff_id: str) -> CodeCharge:
    """The cashier gives up, and the platform reverses the charge: "paid" when the customer was first (the sale
    goes through), "reversing" until the gateway confirms (still open: :func:`poll` again, or :func:`leave`).
    Unanswered, the cancel is on record and the sync round asks again."""
    done = qr_sale.request_cancel(store, session.payment_id, staff_id=staff_id)
    if done is not None:
        return CodeCharge(session, "settled", settled=done)
    try:
        status = port.cancel_payment(session.payment_id)
    except PlatformUnreachableError:
        return CodeCharge(session, "unanswered")
    settled = qr_sale.settle_cancel(store, session.payment_id, status, staff_id=staff_id)
    return CodeCharge(session, status, settled=None if settled.outcome == "waiting" else settled)


def leave(store: Store, session: CodeSession) -> None:
    """The cashier stops waiting for a payment still open (reversing, or the platform not answering): from now
    on the sync round settles it, and announces how it ended."""
    qr_sale.let_go(store, session.payment_id)


def _applied(store: Store, session: CodeSession, answer: CodePayment, staff_id: str) -> CodeCharge:
    if answer.status == "pending":
        with store.transaction() as conn:  # the platform has it: no longer a charge that may never have left
            if payments.get(conn, session.payment_id).state == "new":
                payments.move(conn, session.payment_id, "pending")
    settled = qr_sale.apply_status(store, session.payment_id, answer.status, staff_id=staff_id,
                                   failure=answer.failure)
    return CodeCharge(session, answer.status, answer.app, None if settled.outcome == "waiting" else settled)
