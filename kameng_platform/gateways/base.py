"""What every payment-gateway adapter offers the platform, and the values they exchange.

An adapter turns our payment into the gateway's order (`create` returns the QR content), checks a notify
before anything changes (`verify_notify` raises GatewayError when it does not verify), asks the gateway
about an order whose notify never came (`query`), stops taking money for an order the cashier cancelled where
the gateway can (`close`), and answers notifies in the gateway's own format.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol, get_args

GatewayName = Literal["sandbox", "wechat", "epay", "alipay"]  # the gateways a platform can run (and the API accepts)
KNOWN: tuple[str, ...] = get_args(GatewayName)


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
class GatewayNotice:
    """What a verified notify or a query says about one order."""
    out_trade_no: str
    amount_fen: int
    paid: bool
    trade_no: str = ""  # the gateway's own transaction number, kept for refunds and support


@dataclass(frozen=True)
class NotifyReply:
    status: int
    body: bytes
    media_type: str


class Gateway(Protocol):
    name: str

    def out_trade_no(self, payment_id: str) -> str: ...

    def create(self, request: PaymentRequest) -> str: ...

    def verify_notify(self, method: str, headers: Mapping[str, str], query: str, body: bytes) -> GatewayNotice: ...

    def query(self, out_trade_no: str) -> GatewayNotice | None: ...

    def close(self, out_trade_no: str) -> None:
        """The cashier cancelled: the gateway should refuse the customer's payment from now on. Best effort (a
        gateway without the call does nothing); the caller queries afterwards, since a payment can land first."""
        ...

    def ack(self) -> NotifyReply: ...

    def refuse(self, reason: str) -> NotifyReply: ...
