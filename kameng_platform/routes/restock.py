"""POST /v1/restock: charge the reseller and assign codes to the terminal, once per request id."""

from __future__ import annotations

from fastapi import APIRouter

from kameng_platform import restock
from kameng_platform.models import RestockRequest, RestockResponse
from kameng_platform.routes.deps import ERRORS, ServicesDep, SignedTerminal

router = APIRouter()


@router.post("/v1/restock", response_model=RestockResponse, responses=ERRORS)
def post_restock(body: RestockRequest, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    args = (platform.sealer, terminal, body.request_id, body.product_id, body.quantity)
    try:
        return platform.in_transaction(restock.restock, *args)
    except restock.ReplayedRequest:  # that transaction is rolled back; a new one reads what the first stored
        return platform.in_transaction(restock.replay, *args)
