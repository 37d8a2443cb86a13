"""What every payment-gateway adapter offers the platform, and the values they exchange.

An adapter turns our payment into the gateway's order (`create` returns the QR content), checks a notify
before anything changes (`verify_notify` raises GatewayError when it does not verify), asks the gateway
about an order whose notify never came (`query`), stops taking money for an order the cashier cancelled where
the gateway can (`close`), and answers notifies in the gateway's own format.

Counter payments (issue #17): `pay_code` charges the customer's payment code (付款码) the cashier scanned,
`reverse` (撤销) undoes a code payment whose outcome the counter gave up on (closes it unpaid, or returns money
already taken, so no trade stays paid on the gateway and unknown to us), `refund` returns money to the
customer's original payment and `refund_status` asks about it. A gateway without one of these says so through
`code_apps` (empty) or `can_refund` (False) and raises GatewayUnsupported if called anyway.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol, get_args

GatewayName = Literal["sandbox", "wechat", "epay", "alipay"]  # the gateways a platform can run (and the API accepts)
KNOWN: tuple[str, ...] = get_args(GatewayName)

App = Literal["wechat", "alipay"]  # the app on the customer's phone that pays: scans our QR or shows its code

# The published payment-code formats: WeChat 18 digits starting 10-15; Alipay 16-24 digits starting 25-30
# ([0-9], not \d: \d also matches other scripts' digits).
_CODE_RULES: tuple[tuple[App, re.Pattern[str]], ...] = (
    ("wechat", re.compile(r"1[0-5][0-9]{16}")),
    ("alipay", re.compile(r"(2[5-9]|30)[0-9]{14,22}")),
)


class UnknownPaymentCode(ValueError):
    """Not a WeChat or Alipay payment code: never guessed at (a product barcode typed into the cash field)."""


def code_app(auth_code: str) -> App:
    """Which app a scanned payment code belongs to, from the code itself."""
    for app, rule in _CODE_RULES:
        if rule.fullmatch(auth_code):
            return app
    raise UnknownPaymentCode("not a WeChat Pay or Alipay payment code")


def fitted_out_trade_no(payment_id: str, rule: re.Pattern[str]) -> str:
    """Our payment id as a gateway's order number (商户订单号) under its `rule`: as it is when it fits, a UUID
    without its dashes, anything else as 32 hex digits of its SHA-256 (the same id always gives the same number)."""
    if rule.match(payment_id):
        return payment_id
    try:
        return uuid.UUID(payment_id).hex
    except ValueError:
        return hashlib.sha256(payment_id.encode()).hexdigest()[:32]


class GatewayError(Exception):
    """The gateway could not be asked, or answered something we cannot trust: the outcome is unknown.
    Messages never hold keys, signatures or request bodies."""


class GatewayUnreachable(GatewayError):
    """The gateway did not answer (network, timeout, its own 5xx): asking it again right away would wait as long."""


class GatewayUnsupported(GatewayError):
    """This gateway does not offer the call (e.g. 易支付 without a refund API): asking again will not help."""


class GatewayConfigError(Exception):
    """The platform's gateway configuration is incomplete or a key file is unusable."""


@dataclass(frozen=True)
class PaymentRequest:
    payment_id: str
    out_trade_no: str  # our order number as the gateway knows it (see Gateway.out_trade_no)
    amount_fen: int
    description: str
    expires_at: int  # unix seconds; gateways that can refuse late payment are told
    public_url: str  # where this platform is reachable (the sandbox serves its pay page there)


@dataclass(frozen=True)
class CodePaymentRequest:
    """A scanned payment code to charge. `auth_code` is the customer's: never logged, stored or repeated in
    an error (it pays for about a minute)."""
    payment_id: str
    out_trade_no: str
    amount_fen: int
    description: str
    auth_code: str

    def __repr__(self) -> str:
        return f"CodePaymentRequest({self.payment_id!r}, {self.amount_fen} fen)"


class CodeOutcome(StrEnum):
    PAID = "paid"
    PAYING = "paying"  # the customer is entering a password (USERPAYING / 10003), or the answer was unclear
    FAILED = "failed"  # refused for good (bad or used code, not enough balance): nothing was taken


@dataclass(frozen=True)
class CodeResult:
    outcome: CodeOutcome
    trade_no: str = ""  # the gateway's transaction number once paid
    reason: str = ""  # the gateway's error code when FAILED (e.g. AUTH_CODE_INVALID, NOTENOUGH), for the operator


@dataclass(frozen=True)
class GatewayNotice:
    """What a verified notify or a query says about one order."""
    out_trade_no: str
    amount_fen: int
    paid: bool
    trade_no: str = ""  # the gateway's own transaction number, kept for refunds and support
    closed: bool = False  # not paid and never will be (closed, revoked, payment error): stop waiting for it


@dataclass(frozen=True)
class RefundRequest:
    out_refund_no: str  # our refund number as the gateway knows it: the same number is the same refund
    out_trade_no: str
    trade_no: str  # the gateway's transaction number of the payment, where it has one
    amount_fen: int
    total_fen: int  # the payment's whole amount (WeChat requires it)
    reason: str


class RefundState(StrEnum):
    SUCCEEDED = "succeeded"
    PROCESSING = "processing"  # accepted, the money is on its way: ask again, or wait for the refund notify
    FAILED = "failed"  # refused or abandoned by the gateway: no money went back


@dataclass(frozen=True)
class RefundResult:
    """What a refund call, a refund query or a verified refund notify says about one refund."""
    out_refund_no: str
    state: RefundState
    amount_fen: int
    refund_no: str = ""  # the gateway's refund number
    reason: str = ""  # the gateway's error code when FAILED, or why a PROCESSING one waits for the operator


@dataclass(frozen=True)
class NotifyReply:
    status: int
    body: bytes
    media_type: str


class Gateway(Protocol):
    name: str
    apps: tuple[App, ...]  # the apps that can pay this gateway's QR
    code_apps: tuple[App, ...]  # the payment codes it can charge; () when it has no code payment
    can_refund: bool

    def out_trade_no(self, payment_id: str) -> str: ...

    def create(self, request: PaymentRequest) -> str: ...

    def verify_notify(self, method: str, headers: Mapping[str, str], query: str,
                      body: bytes) -> GatewayNotice | RefundResult:
        """A payment notify gives a GatewayNotice, a refund notify (WeChat sends them) a RefundResult."""
        ...

    def query(self, out_trade_no: str) -> GatewayNotice | None: ...

    def close(self, out_trade_no: str) -> None:
        """The cashier cancelled: the gateway should refuse the customer's payment from now on. Best effort (a
        gateway without the call does nothing); the caller queries afterwards, since a payment can land first."""
        ...

    def pay_code(self, request: CodePaymentRequest) -> CodeResult:
        """One charge of a scanned code. PAYING is not an answer: the caller asks `query` until paid, closed or
        its time runs out, and then `reverse`s."""
        ...

    def reverse(self, out_trade_no: str) -> None:
        """Undo a code payment (WeChat reverse, Alipay cancel): closed if unpaid, the money returned if paid.
        Returns only once the gateway confirmed it; raises GatewayError otherwise (the caller retries)."""
        ...

    def refund(self, request: RefundRequest) -> RefundResult: ...

    def refund_status(self, out_refund_no: str, out_trade_no: str) -> RefundResult | None:
        """None when the gateway knows no such refund (it never arrived: the same request may be sent again)."""
        ...

    def ack(self) -> NotifyReply: ...

    def refuse(self, reason: str) -> NotifyReply: ...


class WithoutCounterCalls:
    """For a gateway that lacks some of the counter's calls: each one it does not override says so."""
    code_apps: tuple[App, ...] = ()
    can_refund = False

    def pay_code(self, request: CodePaymentRequest) -> CodeResult:
        raise GatewayUnsupported(f"{self.name} cannot charge a scanned payment code")  # type: ignore[attr-defined]

    def reverse(self, out_trade_no: str) -> None:
        raise GatewayUnsupported(f"{self.name} cannot reverse a code payment")  # type: ignore[attr-defined]

    def refund(self, request: RefundRequest) -> RefundResult:
        raise GatewayUnsupported(f"{self.name} cannot refund")  # type: ignore[attr-defined]

    def refund_status(self, out_refund_no: str, out_trade_no: str) -> RefundResult | None:
        raise GatewayUnsupported(f"{self.name} cannot refund")  # type: ignore[attr-defined]
