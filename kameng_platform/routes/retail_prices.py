"""PUT /v1/retail-prices/{product_id}: the shop owner's retail price, shared by the shop's counters."""

from __future__ import annotations

from fastapi import APIRouter

from kameng_platform import retail_prices
from kameng_platform.models import PathId, RetailPriceIn, RetailPriceOut
from kameng_platform.routes.deps import ERRORS, ServicesDep, SignedTerminal

router = APIRouter()


@router.put("/v1/retail-prices/{product_id}", response_model=RetailPriceOut, responses=ERRORS)
def put_retail_price(product_id: PathId, body: RetailPriceIn, terminal: SignedTerminal, platform: ServicesDep) -> dict:
    """The shop owner's price, for every counter of the shop: the latest changed_at wins."""
    return platform.in_transaction(retail_prices.put, terminal, product_id, body)
