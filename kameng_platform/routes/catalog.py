"""GET /v1/catalog: the terminal's tier of the catalog, the shop's retail prices, its balance and the feed head."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import Connection

from kameng_platform import catalog, feed, ledger, retail_prices
from kameng_platform.models import CatalogResponse
from kameng_platform.routes.deps import ERRORS, ServicesDep, SignedTerminal
from kameng_platform.terminals import Terminal

router = APIRouter()


@router.get("/v1/catalog", response_model=CatalogResponse, responses=ERRORS)
def get_catalog(terminal: SignedTerminal, platform: ServicesDep) -> dict:
    return platform.in_transaction(_snapshot, terminal)


def _snapshot(conn: Connection, terminal: Terminal) -> dict:
    """One transaction, so the cursor is the head of the feed these rows are as of."""
    return {"categories": catalog.category_view(conn), "products": catalog.product_view(conn, terminal.tier),
            "retail_prices": retail_prices.of_reseller(conn, terminal.reseller_id),
            "balance_fen": ledger.balance(conn, terminal.reseller_id), "cursor": feed.head(conn)}
