"""GET /v1/changes: the feed since a cursor, as this terminal may see it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import Connection

from kameng_platform import catalog, feed
from kameng_platform.models import ChangesResponse
from kameng_platform.routes.deps import ERRORS, ServicesDep, SignedTerminal
from kameng_platform.terminals import Terminal

router = APIRouter()


@router.get("/v1/changes", response_model=ChangesResponse, responses=ERRORS)
def get_changes(terminal: SignedTerminal, platform: ServicesDep, cursor: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
                limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    return platform.in_transaction(_page, terminal, cursor, limit)


def _page(conn: Connection, terminal: Terminal, cursor: int, limit: int) -> dict:
    """A product change carries the product as the terminal's tier sees it now (none: the change is left out)."""
    rows = feed.page(conn, reseller_id=terminal.reseller_id, terminal_id=terminal.id, cursor=cursor,
                     limit=limit + 1)
    changes = []
    for seq, type_, data in rows[:limit]:
        if type_ == "product":
            view = catalog.product_view(conn, terminal.tier, data["product_id"])
            if not view:
                continue
            data = view[0]
        changes.append({"seq": seq, "type": type_, "data": data})
    next_cursor = rows[:limit][-1][0] if rows else cursor
    return {"changes": changes, "next_cursor": next_cursor, "has_more": len(rows) > limit}
