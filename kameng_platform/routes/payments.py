"""The desk's QR payments: the methods this platform runs, create, status and cancel."""

from __future__ import annotations

from fastapi import APIRouter

from kameng_platform import payments
from kameng_platform.models import PathId, PaymentCreate, PaymentMethods, PaymentOut
from kameng_platform.routes.deps import ERRORS, ServicesDep, SignedTerminal

router = APIRouter()


@router.get("/v1/payment-methods", response_model=PaymentMethods, responses=ERRORS)
def get_payment_methods(terminal: SignedTerminal, platform: ServicesDep) -> dict:
    """The gateways this platform runs, in the operator's order: a desk uses the first."""
    return {"methods": platform.gateways.names}


# Create and cancel take the engine: they call the gateway between transactions of their own (payments.py).
@router.post("/v1/payments", response_model=PaymentOut, responses=ERRORS)
def post_payment(body: PaymentCreate, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    return payments.create(platform.engine, terminal, platform.gateways, payment_id=body.payment_id,
                           order_id=body.order_id, amount_fen=body.amount_fen, method=body.method,
                           description=body.description, public_url=platform.settings.public_url,
                           ttl_s=platform.settings.payment_ttl_s)


@router.get("/v1/payments/{payment_id}", response_model=PaymentOut, responses=ERRORS)
def get_payment(payment_id: PathId, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    return platform.in_transaction(payments.status, terminal, payment_id)


@router.post("/v1/payments/{payment_id}/cancel", response_model=PaymentOut, responses=ERRORS)
def cancel_payment(payment_id: PathId, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    return payments.cancel(platform.engine, terminal, platform.gateways, payment_id)
