"""The desk's payments: the methods this platform runs, create (QR or a scanned payment code), status, cancel,
and refunds. Thin: the flows live in payments.py and refunds.py."""

from __future__ import annotations

from fastapi import APIRouter

from kameng_platform import payments, refunds
from kameng_platform.models import PathId, PaymentCreate, PaymentMethods, PaymentOut, RefundCreate, RefundOut
from kameng_platform.routes.deps import ERRORS, ServicesDep, SignedTerminal

router = APIRouter()


@router.get("/v1/payment-methods", response_model=PaymentMethods, responses=ERRORS)
def get_payment_methods(terminal: SignedTerminal, platform: ServicesDep) -> dict:
    """The gateways this platform runs, in the operator's order: a desk uses the first; `options` says what
    each can do at the counter (the apps of its QR, the payment codes it charges, refunds)."""
    return {"methods": platform.gateways.names, "options": platform.gateways.options()}


# These take the engine: they call the gateway between transactions of their own (payments.py, refunds.py).
@router.post("/v1/payments", response_model=PaymentOut, responses=ERRORS)
def post_payment(body: PaymentCreate, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    """kind=qr (default): a QR for the customer to scan. kind=code: charge the payment code the cashier scanned
    (`method` left out: the code chooses the gateway); pending while the customer enters the password."""
    settings = platform.settings
    if body.kind == "code":
        return payments.create_code(platform.engine, terminal, platform.gateways, platform.sealer,
                                    payment_id=body.payment_id, order_id=body.order_id, amount_fen=body.amount_fen,
                                    method=body.method, auth_code=body.auth_code, description=body.description,
                                    ttl_s=settings.payment_ttl_s, code_wait_s=settings.code_wait_s)
    return payments.create(platform.engine, terminal, platform.gateways, payment_id=body.payment_id,
                           order_id=body.order_id, amount_fen=body.amount_fen, method=body.method,
                           description=body.description, public_url=settings.public_url,
                           ttl_s=settings.payment_ttl_s)


@router.get("/v1/payments/{payment_id}", response_model=PaymentOut, responses=ERRORS)
def get_payment(payment_id: PathId, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    return payments.status(platform.engine, terminal, platform.gateways, payment_id)


@router.post("/v1/payments/{payment_id}/cancel", response_model=PaymentOut, responses=ERRORS)
def cancel_payment(payment_id: PathId, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    return payments.cancel(platform.engine, terminal, platform.gateways, payment_id)


@router.post("/v1/payments/{payment_id}/refunds", response_model=RefundOut, responses=ERRORS)
def post_refund(payment_id: PathId, body: RefundCreate, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    """Money back to the customer's original payment: at most what is left of it, idempotent by refund_id.
    409 refund_unsupported: this gateway cannot refund (give cash back)."""
    return refunds.create(platform.engine, terminal, platform.gateways, payment_id=payment_id,
                          refund_id=body.refund_id, amount_fen=body.amount_fen, reason=body.reason)
