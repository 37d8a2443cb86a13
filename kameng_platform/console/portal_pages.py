"""The rest of the reseller's portal (issue #18): the price list at its tier (and its export), the low-stock view of
what its counters hold, and its top-ups with their states. Balance and ledger (/portal), counters (/terminals,
with the pairing code's QR), orders and statements are in web.py and support_pages.py.

A reseller sees its own, whatever the query names; the operator and finance name a reseller (`?reseller=`), as on
/portal. Nothing here writes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from kameng_platform.console import auth
from kameng_platform.console import portal_queries as pq
from kameng_platform.console.catalog_queries import int_in
from kameng_platform.console.queries import PAGE, FilterError, next_page, reseller_choices
from kameng_platform.console.roles import Role
from kameng_platform.console.support_pages import _download
from kameng_platform.console.web import PREFIX, allow, render
from kameng_platform.routes.deps import Services, ServicesDep

router = APIRouter(prefix=PREFIX, include_in_schema=False)
VIEWERS = (Role.RESELLER, Role.OPERATOR, Role.FINANCE)  # as /portal
Session = Annotated[auth.Session, allow(*VIEWERS)]


def _scoped(request: Request, platform: Services, session: auth.Session, asked: str,
            read: Callable[[Connection, str, str], Any]) -> tuple[str, tuple[str, str] | None, Any, list] | Response:
    """(reseller id, (name, tier), what `read(conn, reseller id, tier)` found, the staff's reseller choices), read
    in one transaction; or the 404 page for a reseller that does not exist. The reseller is a reseller user's own
    whatever was asked; staff who named none get the choices and nothing read."""
    own = session.user.reseller_id
    reseller_id = own or asked

    def work(conn: Connection):
        choices = [] if own else reseller_choices(conn)
        found = pq.reseller_tier(conn, reseller_id) if reseller_id else None
        return found, (read(conn, reseller_id, found[1]) if found else None), choices
    found, data, choices = platform.in_transaction(work)
    if reseller_id and found is None:
        return render(request, "error.html", 404, error="no_reseller")
    return reseller_id, found, data, choices


@router.get("/portal/prices", response_class=HTMLResponse)
def prices(request: Request, platform: ServicesDep, session: Session, reseller: str = "") -> Response:
    """Every product on sale at the reseller's tier, what it pays (catalog.product_view: the API's price) and the
    suggested and the shop's own retail price."""
    scoped = _scoped(request, platform, session, reseller, pq.price_list)
    if isinstance(scoped, Response):
        return scoped
    reseller_id, found, rows, choices = scoped
    return render(request, "portal_prices.html", reseller_id=reseller_id, found=found, categories=rows or [],
                  resellers=choices)


@router.get("/portal/prices/export")
def prices_export(request: Request, platform: ServicesDep, session: Session, reseller: str = "",
                  format: str = "xlsx") -> Response:
    scoped = _scoped(request, platform, session, reseller, pq.price_list)
    if isinstance(scoped, Response):
        return scoped
    reseller_id, found, rows, _choices = scoped
    if found is None:
        return render(request, "error.html", 404, error="no_reseller")
    return _download(request, [pq.price_sheet(rows)], f"prices-{reseller_id}-{found[1]}", format)


@router.get("/portal/stock", response_class=HTMLResponse)
def stock(request: Request, platform: ServicesDep, session: Session, reseller: str = "",
          threshold: str = "") -> Response:
    """What each counter in use holds, per card product, emptiest first; low below `?threshold=` (the desk's
    default of 5: the platform does not know each desk's own threshold)."""
    low = int_in(threshold, pq.LOW_STOCK, 1, 100_000)
    if low is None:
        return render(request, "error.html", 400, error="filter", field="threshold")
    scoped = _scoped(request, platform, session, reseller,
                     lambda conn, rid, tier: pq.terminal_stock(conn, rid, tier, low))
    if isinstance(scoped, Response):
        return scoped
    reseller_id, found, rows, choices = scoped
    return render(request, "portal_stock.html", reseller_id=reseller_id, found=found, rows=rows or [],
                  resellers=choices, threshold=low, default=pq.LOW_STOCK)


@router.get("/portal/topups", response_class=HTMLResponse)
def topups(request: Request, platform: ServicesDep, session: Session, reseller: str = "", since: str = "",
           until: str = "", state: str = "", before: str = "") -> Response:
    """The reseller's top-ups, newest first, 200 a page, by day and state; each account masked (138****5678)."""
    try:
        where = pq.parse_topup_filter(since, until, state, session.user.reseller_id or reseller, before)
    except FilterError as exc:
        return render(request, "error.html", 400, error="filter", field=str(exc))
    scoped = _scoped(request, platform, session, reseller,
                     lambda conn, _rid, _tier: pq.topup_rows(conn, platform.sealer, where))
    if isinstance(scoped, Response):
        return scoped
    reseller_id, found, rows, choices = scoped
    return render(request, "portal_topups.html", reseller_id=reseller_id, found=found, rows=rows or [],
                  resellers=choices, where=where, states=pq.TOPUP_STATES, page=PAGE,
                  next_page=next_page(rows or []))
