"""What the QR flow needs from the platform. The sync client implements it over the v1 wire contract:

    GET  /v1/payment-methods -> {"methods": [...]}   # the platform's gateways; the first is the default
    POST /v1/payments {"payment_id", "order_id", "amount_fen", "method", "description"}
        -> {"payment_id", "status": "pending", "qr_content", "expires_at": unix seconds}
    GET  /v1/payments/{payment_id}        -> {"payment_id", "status", "amount_fen", "paid_at"}
    POST /v1/payments/{payment_id}/cancel -> {"payment_id", "status"}   # "paid" when the customer was first

status is one of pending | paid | expired | cancelled. Idempotent by payment_id. Cancelling an id the
platform never saw answers "cancelled" and records it, so a delayed create with that id is refused; a
payment that is paid after it expired or was cancelled still reports "paid" (the money arrived).

Counter payments (issue #17) extend it:

    GET  /v1/payment-methods -> also {"options": [{"method", "apps": ["wechat", "alipay"], "code_apps": [...],
                                                   "can_refund": bool}]}
    POST /v1/payments {..., "kind": "code", "auth_code": "134567890123456789"}   # "method" omitted: the
        platform chooses the gateway from the code (WeChat 18 digits 10-15, Alipay 16-24 digits 25-30); an
        unknown code is 400 "unknown_payment_code", a code no gateway here charges 400 "code_not_supported"
        -> {"payment_id", "status", "kind": "code", "method", "app", "failure": str | null, ...}
    GET  /v1/payments/{payment_id} -> also {"kind", "method", "app", "failure", "refunded_fen",
                                            "refunds": [refund, ...]}
    POST /v1/payments/{payment_id}/cancel -> a code payment: "paid" (the customer was first), "cancelled"
        (reversed), or "reversing" (the gateway could not confirm the reverse yet: the platform finishes it)
    POST /v1/payments/{payment_id}/refunds {"refund_id", "amount_fen", "reason"}
        -> refund {"refund_id", "payment_id", "amount_fen", "status", "reason", "failure", "created_at",
                   "finished_at"}
        409 "refund_unsupported" (the gateway cannot refund: give cash back), 409 "refund_exceeds_payment",
        409 "payment_not_paid", 409 "too_many_refunds" (WeChat: 50 per payment); idempotent by refund_id (the
        same body answers the same refund)
    changes feed: {"type": "refund", "data": refund} to the terminal that asked for it

A code payment's status adds failed (the gateway refused: nothing was taken; `failure` says why) and reversing
(the counter gave up and the platform is undoing it at the gateway: still open, not yet "not paid"); pending
on a code payment means the customer is entering their password. A cancelled code payment's `failure` says why:
"timeout" (no password within the platform's code_wait_s), "cancelled" (the desk cancelled) or "TRADE_CLOSED"
(the gateway closed it, reversed first); a reversing one with "reverse_unsupported" waits for the operator.
refunded_fen counts succeeded refunds. A refund's status is pending | succeeded | failed; a pending refund's
`failure` "ABNORMAL" (WeChat holds the money for the operator) means: wait, never give cash on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True)
class CreatedPayment:
    qr_content: str
    expires_at: int  # unix seconds


App = Literal["wechat", "alipay"]


@dataclass(frozen=True)
class PaymentOption:
    """One gateway the platform runs, and what it can do at the counter."""
    method: str
    apps: tuple[App, ...]  # the apps that can pay its QR (the marks the QR dialog shows)
    code_apps: tuple[App, ...]  # the payment codes it charges
    can_refund: bool


@dataclass(frozen=True)
class CodePayment:
    """The platform's answer to a scanned payment code (and to asking about it later)."""
    status: str  # pending (customer entering the password) | paid | failed | cancelled | reversing
    method: str
    app: App
    failure: str | None = None  # the gateway's reason when failed


@dataclass(frozen=True)
class Refund:
    refund_id: str
    payment_id: str
    amount_fen: int
    status: str  # pending | succeeded | failed
    failure: str | None = None


class UnknownPaymentCodeError(Exception):
    """The platform read the scan as no WeChat or Alipay payment code (or one no gateway here charges)."""


class RefundUnsupportedError(Exception):
    """The payment's gateway cannot refund: the money goes back in cash, with an audit entry."""


class PlatformUnreachableError(Exception):
    """The platform could not be asked (offline, timeout): the outcome is unknown, not negative."""


class PaymentPort(Protocol):
    def payment_methods(self) -> list[str]: ...

    def create_payment(self, *, payment_id: str, order_id: str, amount_fen: int, method: str,
                       description: str) -> CreatedPayment: ...

    def payment_status(self, payment_id: str) -> str: ...

    def cancel_payment(self, payment_id: str) -> str: ...

    def payment_options(self) -> list[PaymentOption]: ...

    def pay_code(self, *, payment_id: str, order_id: str, amount_fen: int, auth_code: str,
                 description: str) -> CodePayment: ...

    def code_payment(self, payment_id: str) -> CodePayment: ...

    def refund_payment(self, *, payment_id: str, refund_id: str, amount_fen: int, reason: str) -> Refund: ...

    def refunds(self, payment_id: str) -> list[Refund]: ...
