"""POST /v1/orders/batch (the desk's sales and refunds, each idempotent by id) and POST /v1/orders/{id}/void."""

from __future__ import annotations

from fastapi import APIRouter

from kameng_platform import order_push
from kameng_platform.errors import ApiError
from kameng_platform.models import BatchResponse, OrderBatch, PathId, VoidRequest, VoidResponse
from kameng_platform.routes.deps import ERRORS, ServicesDep, SignedTerminal

router = APIRouter()


@router.post("/v1/orders/batch", response_model=BatchResponse, responses=ERRORS)
def post_orders(body: OrderBatch, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    if len(body.orders) > platform.settings.max_batch:
        raise ApiError(413, "batch_too_large", f"At most {platform.settings.max_batch} orders per batch.")
    # A transaction per order: each is accepted, rejected or a duplicate on its own.
    return {"results": [platform.in_transaction(order_push.accept, platform.sealer, terminal, order)
                        for order in body.orders]}


@router.post("/v1/orders/{order_id}/void", response_model=VoidResponse, responses=ERRORS)
def post_void(order_id: PathId, body: VoidRequest, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    returned = platform.in_transaction(order_push.void, terminal, order_id)
    return {"order_id": order_id, "status": "voided", "codes_returned": returned}
