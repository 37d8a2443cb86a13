"""What the QR flow needs from the platform. The sync client implements it over the v1 wire contract:

    GET  /v1/payment-methods -> {"methods": [...]}   # the platform's gateways; the first is the default
    POST /v1/payments {"payment_id", "order_id", "amount_fen", "method", "description"}
        -> {"payment_id", "status": "pending", "qr_content", "expires_at": unix seconds}
    GET  /v1/payments/{payment_id}        -> {"payment_id", "status", "amount_fen", "paid_at"}
    POST /v1/payments/{payment_id}/cancel -> {"payment_id", "status"}   # "paid" when the customer was first

status is one of pending | paid | expired | cancelled. Idempotent by payment_id. Cancelling an id the
platform never saw answers "cancelled" and records it, so a delayed create with that id is refused; a
payment that is paid after it expired or was cancelled still reports "paid" (the money arrived).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class CreatedPayment:
    qr_content: str
    expires_at: int  # unix seconds


class PlatformUnreachableError(Exception):
    """The platform could not be asked (offline, timeout): the outcome is unknown, not negative."""


class PaymentPort(Protocol):
    def payment_methods(self) -> list[str]: ...

    def create_payment(self, *, payment_id: str, order_id: str, amount_fen: int, method: str,
                       description: str) -> CreatedPayment: ...

    def payment_status(self, payment_id: str) -> str: ...

    def cancel_payment(self, payment_id: str) -> str: ...
