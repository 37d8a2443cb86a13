"""Supplier settlement (issue #18): what the platform owes each supplier per Beijing day, the payouts (打款)
finance records against it with the bank reference, and the running balance owed; CSV/XLSX exports.

A supplier sees its own settlement only, whatever the query names. Every write goes through
kameng_platform.supplier_settlement (as the CLI's commands do) and is an audit entry written in the same
transaction, with the reason the person gave."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, select

from kameng_platform import supplier_settlement as settlement
from kameng_platform.console import auth, support_queries
from kameng_platform.console.catalog_queries import MoneyError, fen_of
from kameng_platform.console.roles import Role
from kameng_platform.console.support_pages import _download, _in_snapshot
from kameng_platform.console.web import PREFIX, _source, allow, render
from kameng_platform.errors import ApiError
from kameng_platform.routes.deps import Services, ServicesDep
from kameng_platform.schema import products

router = APIRouter(prefix=PREFIX, include_in_schema=False)
Session = auth.Session
MONEY = (Role.OPERATOR, Role.FINANCE)
DAYS = 30  # the statement's default period: the last 30 days, today included
Text = Annotated[str, Form(max_length=500)]
Id = Annotated[str, Form(max_length=64)]


def _supplier_of(session: Session, asked: str) -> str:
    """A supplier's own id, whatever was asked; staff name one."""
    return session.user.supplier_id if session.user.role is Role.SUPPLIER else asked.strip()


def _period(since: str, until: str) -> tuple[dt.date, dt.date]:
    today = settlement.today()
    return support_queries.parse_period(since or (today - dt.timedelta(days=DAYS - 1)).isoformat(),
                                        until or today.isoformat())


def _statement_asked(request: Request, platform: Services, session: Session, supplier: str, since: str,
                     until: str) -> settlement.Statement | Response:
    supplier_id = _supplier_of(session, supplier)
    try:
        first, last = _period(since, until)
    except support_queries.PeriodError as exc:
        return render(request, "error.html", 400, error="filter", field=str(exc))

    own = session.user.role is Role.SUPPLIER  # a supplier with nothing sold yet sees its empty statement

    def read(conn: Connection) -> settlement.Statement | None:
        if not own and supplier_id not in settlement.known_suppliers(conn):
            return None
        return settlement.statement(conn, supplier_id, first, last)
    found = _in_snapshot(platform, read) if supplier_id else None  # the days and their balance from one snapshot
    if found is None:
        return render(request, "error.html", 404, error="no_supplier")
    return found


@router.get("/supplier/settlement", response_class=HTMLResponse)
def settlement_page(request: Request, platform: ServicesDep,
                    session: Annotated[Session, allow(Role.SUPPLIER, *MONEY)],
                    supplier: str = "", since: str = "", until: str = "") -> Response:
    found = _statement_asked(request, platform, session, supplier, since, until)
    if isinstance(found, Response):
        return found
    return render(request, "payout_statement.html", statement=found)


DAY_HEADER = ["日期", "应付张数", "应付（元）", "未定价张数", "打款（元）", "应付余额（元）"]
PAYOUT_HEADER = ["打款日期", "金额（元）", "银行参考号", "预付", "记录人"]


def _sheets(found: settlement.Statement) -> list[support_queries.Sheet]:
    yuan = support_queries.yuan
    days = [[d.day.isoformat(), d.codes, yuan(d.owed_fen), d.unpriced, yuan(d.paid_fen), yuan(d.balance_fen)]
            for d in found.days]
    paid = [[p.paid_on, yuan(p.amount_fen), p.reference, 1 if p.advance else 0, p.recorded_by]
            for p in found.payouts]
    return [support_queries.Sheet("应付结算", DAY_HEADER, days), support_queries.Sheet("打款记录", PAYOUT_HEADER, paid)]


@router.get("/supplier/settlement/export")
def settlement_export(request: Request, platform: ServicesDep,
                      session: Annotated[Session, allow(Role.SUPPLIER, *MONEY)],
                      supplier: str = "", since: str = "", until: str = "", format: str = "xlsx") -> Response:
    found = _statement_asked(request, platform, session, supplier, since, until)
    if isinstance(found, Response):
        return found
    return _download(request, _sheets(found), f"settlement-{found.supplier_id}-{found.first}-{found.last}", format)


# --- finance: payouts and supply prices ----------------------------------------------------------------------

def _payouts_page(request: Request, platform: Services, status: int = 200, **context: Any) -> HTMLResponse:
    def read(conn: Connection):
        cards = conn.execute(select(products.c.id, products.c.name, products.c.supplier_id,
                                    products.c.supply_price_fen)
                             .where(products.c.kind == "card", products.c.supplier_id.is_not(None))
                             .order_by(products.c.supplier_id, products.c.name)).all()
        return settlement.balances(conn), cards
    rows, cards = platform.in_transaction(read)
    return render(request, "payouts.html", status, rows=rows, cards=cards, today=settlement.today().isoformat(),
                  **{"error": "", "detail": "", "recorded": "", **context})


@router.get("/suppliers/payouts", response_class=HTMLResponse)
def payouts_page(request: Request, platform: ServicesDep, _s: Annotated[Session, allow(*MONEY)],
                 recorded: str = "") -> HTMLResponse:
    return _payouts_page(request, platform, recorded=recorded)


@router.post("/suppliers/payouts", response_class=HTMLResponse)
def record_payout(request: Request, platform: ServicesDep, session: Annotated[Session, allow(*MONEY)],
                  supplier: Id = "", amount: Annotated[str, Form(max_length=20)] = "",
                  reference: Annotated[str, Form(max_length=200)] = "",
                  paid_on: Annotated[str, Form(max_length=20)] = "", reason: Text = "",
                  advance: Annotated[str, Form(max_length=2)] = "") -> Response:
    """Money paid to a supplier (bank transfer), with the bank's reference and date; once per reference."""
    try:
        fen = fen_of(amount)
        day = dt.date.fromisoformat(paid_on.strip())
    except (MoneyError, ValueError):
        return _payouts_page(request, platform, 400, error="fields")
    if not (supplier.strip() and reference.strip() and reason.strip()):
        return _payouts_page(request, platform, 400, error="fields")

    def record(conn: Connection) -> settlement.Recorded:
        done = settlement.record_payout(conn, supplier.strip(), fen, reference, day, session.user.username,
                                        advance=advance == "on")
        if done.created:  # the same payout typed again is not a second entry either
            kind = "advance" if done.payout.advance else "payout"
            auth.audit(conn, session.user, f"supplier_{kind}", target=supplier.strip(),
                       reason=f"{reason.strip()} ({fen} fen, {reference.strip()}, {day.isoformat()})",
                       source=_source(request))
        return done
    try:
        platform.in_transaction(record)
    except ApiError as exc:
        return _payouts_page(request, platform, exc.status, error=exc.code, detail=exc.message)
    return RedirectResponse(f"{PREFIX}/suppliers/payouts?recorded={supplier.strip()}", status_code=303)


@router.post("/suppliers/supply-price", response_class=HTMLResponse)
def supply_price(request: Request, platform: ServicesDep, session: Annotated[Session, allow(Role.OPERATOR)],
                 product: Id = "", price: Annotated[str, Form(max_length=20)] = "", reason: Text = "",
                 backfill: Annotated[str, Form(max_length=2)] = "") -> Response:
    """The supply price of a supplier's product (empty: not agreed); a contract term, so the operator's."""
    try:
        fen = fen_of(price) if price.strip() else None
    except MoneyError:
        return _payouts_page(request, platform, 400, error="fields")
    if not reason.strip():
        return _payouts_page(request, platform, 400, error="fields")

    def save(conn: Connection) -> None:
        priced = settlement.set_supply_price(conn, product, fen, backfill=backfill == "on")
        auth.audit(conn, session.user, "supply_price", target=product,
                   reason=f"{reason.strip()} (→ {'-' if fen is None else fen} fen, {priced} earlier restocks priced)",
                   source=_source(request))
    try:
        platform.in_transaction(save)
    except ApiError as exc:
        return _payouts_page(request, platform, exc.status, error=exc.code, detail=exc.message)
    return RedirectResponse(PREFIX + "/suppliers/payouts", status_code=303)
