"""The reseller's recharge page (issue #18): recharge the prepaid balance by payment QR through the platform's own
gateways (kameng_platform/recharges.py), see the QR, its amount and expiry, a status that the page polls (htmx,
every 2 s) until the money is in, and the recent recharges. A reseller recharges its own balance; the operator
and finance look at a reseller's (?reseller=). Nothing takes money unless a gateway is configured: without one the
page says so and shows no form."""

from __future__ import annotations

import urllib.parse
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, select

from kameng_platform import ledger, recharges
from kameng_platform.console import auth, qr
from kameng_platform.console import catalog_queries as cq
from kameng_platform.console.roles import Role
from kameng_platform.console.web import PREFIX, _reseller_scope, _source, allow, render
from kameng_platform.routes.deps import Services, ServicesDep
from kameng_platform.schema import resellers

router = APIRouter(prefix=PREFIX, include_in_schema=False)
Session = auth.Session
VIEWERS = (Role.RESELLER, Role.OPERATOR, Role.FINANCE)
POLL_S = 2  # the page's poll; the gateway itself is asked at most every payments.CODE_ASK_S


def _reseller(conn: Connection, reseller_id: str) -> dict | None:
    row = conn.execute(select(resellers.c.id, resellers.c.name).where(resellers.c.id == reseller_id)).first()
    return None if row is None else {"id": row.id, "name": row.name, "balance_fen": ledger.balance(conn, row.id)}


def _page(request: Request, platform: Services, reseller_id: str, status: int = 200, current: str = "",
          **context: Any) -> HTMLResponse:
    def read(conn):
        who = _reseller(conn, reseller_id) if reseller_id else None
        if who is None:
            return None, [], None
        shown = recharges.get(conn, current) if current else None
        return who, recharges.listing(conn, reseller_id), shown if shown and shown.reseller_id == reseller_id else None
    who, rows, shown = platform.in_transaction(read)
    if who is None:
        return render(request, "error.html", 404, error="no_reseller")
    return render(request, "recharge.html", status, reseller=who, rows=rows, shown=shown,
                  qr=qr.data_uri(shown.qr_content) if shown and shown.qr_content else "",
                  methods=recharges.methods(platform.gateways),
                  can_recharge=request.state.session.user.role is Role.RESELLER, max_yuan=recharges.MAX_FEN // 100,
                  poll_s=POLL_S, balance_fen=who["balance_fen"],
                  reseller_id="" if request.state.session.user.reseller_id else reseller_id,
                  **{"error": "", "amount": "", "method": "", "form_id": recharges.new_id(), **context})


@router.get("/portal/recharge", response_class=HTMLResponse)
def recharge_page(request: Request, platform: ServicesDep, session: Annotated[Session, allow(*VIEWERS)],
                  reseller: str = "", id: str = "") -> HTMLResponse:
    return _page(request, platform, _reseller_scope(session, reseller), current=id)


@router.post("/portal/recharge", response_class=HTMLResponse)
def recharge(request: Request, platform: ServicesDep, session: Annotated[Session, allow(Role.RESELLER)],
             payment_id: Annotated[str, Form(max_length=64)] = "", amount: Annotated[str, Form(max_length=20)] = "",
             method: Annotated[str, Form(max_length=16)] = "") -> Response:
    """Record the recharge (its audit entry in that transaction), ask the gateway for the QR, show it (303 to the
    page with its id: reloading shows the same recharge, never a second one)."""
    reseller_id = session.user.reseller_id or ""
    try:
        amount_fen = cq.fen_of(amount)
    except cq.MoneyError:
        return _page(request, platform, reseller_id, 400, error="amount", amount=amount, method=method)

    def audited(conn: Connection) -> None:
        auth.audit(conn, session.user, "recharge_created", target=payment_id,
                   reason=f"{method} {amount_fen} fen", source=_source(request))
    try:
        made = recharges.create(platform.engine, platform.gateways, payment_id=payment_id, reseller_id=reseller_id,
                                amount_fen=amount_fen, method=method, public_url=platform.settings.public_url,
                                ttl_s=platform.settings.payment_ttl_s, user_id=session.user.id,
                                username=session.user.username, recorded=audited)
    except recharges.RechargeRefused as exc:
        status = {"gateway": 503, "no_reseller": 404, "taken": 409}.get(exc.why, 400)
        # The gateway unreachable: the same form id again, so trying again is this recharge, not a second one.
        again = {"form_id": payment_id} if exc.why == "gateway" else {}
        return _page(request, platform, reseller_id, status, error=exc.why, amount=amount, method=method, **again)
    return RedirectResponse(f"{PREFIX}/portal/recharge?{urllib.parse.urlencode({'id': made.payment_id})}",
                            status_code=303)


@router.get("/portal/recharge/status", response_class=HTMLResponse)
def recharge_status(request: Request, platform: ServicesDep, session: Annotated[Session, allow(*VIEWERS)],
                    id: str = "", reseller: str = "") -> HTMLResponse:
    """The polled fragment: the recharge as it stands (its gateway asked first while it is open); once it is
    paid, expired or cancelled the fragment no longer carries the poll, so htmx stops."""
    reseller_id = _reseller_scope(session, reseller)
    shown = recharges.status(platform.engine, platform.gateways, id, reseller_id) if reseller_id else None
    if shown is None:  # not a recharge of this reseller (the fragment says so, and stops the poll)
        return render(request, "_recharge_status.html", 404, shown=None)
    balance = platform.in_transaction(ledger.balance, reseller_id) if shown.credited_at else None
    return render(request, "_recharge_status.html", shown=shown, balance_fen=balance, poll_s=POLL_S,
                  reseller_id="" if session.user.reseller_id else reseller_id)
