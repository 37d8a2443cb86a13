"""补单 (issue #18): the queues of items that need a person (stuck top-ups, 掉单 payments, refunds waiting), an
order's and a payment's full history, the actions a person takes on them, reconciliation per reseller per day,
statements, and the CSV/XLSX exports (those and the audit log's).

Every action goes through the platform's own once-only functions (topups.record_outcome / process_one,
refunds.record / send_pending / ask_one), asks for a reason, and writes its console audit entry in the same
transaction as its change: a second click, or two people at once, changes nothing twice, and only the one that
changed something is audited as having done it.
"""

from __future__ import annotations

import secrets
import urllib.parse
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection, select

from kameng_platform import periodic, refunds, topups
from kameng_platform.console import auth, support_queries
from kameng_platform.console.i18n import EN
from kameng_platform.console.queries import reseller_choices
from kameng_platform.console.roles import STAFF, Role
from kameng_platform.console.web import PREFIX, SECURITY_HEADERS, _source, allow, lang_of, render
from kameng_platform.errors import ApiError
from kameng_platform.routes.deps import Services, ServicesDep
from kameng_platform.schema import resellers
from kameng_platform.schema import terminals as terminals_t
from kameng_platform.suppliers import make_supplier
from kameng_platform.suppliers.base import SupplierResult
from kameng_platform.terminals import Terminal

router = APIRouter(prefix=PREFIX, include_in_schema=False)
T = TypeVar("T")

MONEY = (Role.OPERATOR, Role.FINANCE)  # refunds, reconciliation, statements: money
Reason = Annotated[str, Form(max_length=500)]
Id = Annotated[str, Form(max_length=64)]


def _reason_missing(request: Request, reason: str) -> HTMLResponse | None:
    if reason.strip():
        return None
    return render(request, "support_error.html", 400, error="reason")


def _queues_page(request: Request, platform: Services, status: int = 200, notice: str = "",
                 minutes: int = support_queries.STUCK_AFTER_MIN) -> HTMLResponse:
    def read(conn: Connection) -> dict[str, Any]:
        return {"stuck": support_queries.stuck_topups(conn, minutes * 60), "lost": support_queries.lost_orders(conn),
                "waiting": support_queries.waiting_refunds(conn)}
    return render(request, "support.html", status, minutes=minutes, notice=notice, refund_key=secrets.token_hex(8),
                  can_refund=request.state.session.user.role in MONEY, **platform.in_transaction(read))


@router.get("/support", response_class=HTMLResponse)
def queues(request: Request, platform: ServicesDep, _session: Annotated[auth.Session, allow(*STAFF)],
           minutes: int = support_queries.STUCK_AFTER_MIN, notice: str = "") -> HTMLResponse:
    return _queues_page(request, platform, notice=notice, minutes=max(0, min(minutes, 7 * 24 * 60)))


@router.get("/support/order", response_class=HTMLResponse)
def order_page(request: Request, platform: ServicesDep, _session: Annotated[auth.Session, allow(*STAFF)],
               id: str = "", notice: str = "") -> HTMLResponse:
    detail = platform.in_transaction(support_queries.order_detail, id)
    if detail is None:
        return render(request, "support_error.html", 404, error="no_order")
    return render(request, "support_order.html", detail=detail, notice=notice, refund_key=secrets.token_hex(8),
                  can_refund=request.state.session.user.role in MONEY)


@router.get("/support/payment", response_class=HTMLResponse)
def payment_page(request: Request, platform: ServicesDep, _session: Annotated[auth.Session, allow(*STAFF)],
                 id: str = "", notice: str = "") -> HTMLResponse:
    detail = platform.in_transaction(support_queries.payment_detail, id)
    if detail is None:
        return render(request, "support_error.html", 404, error="no_payment")
    return render(request, "support_payment.html", p=detail, notice=notice, refund_key=secrets.token_hex(8),
                  can_refund=request.state.session.user.role in MONEY)


def _done(kind: str, key: str, notice: str) -> RedirectResponse:
    query = urllib.parse.urlencode({"id": key, "notice": notice})
    return RedirectResponse(f"{PREFIX}/support/{kind}?{query}", status_code=303)


def _mark(request: Request, platform: Services, session: auth.Session, order_id: str, result: SupplierResult,
          action: str, reason: str) -> Response:
    """A person's final answer for a stuck top-up, once: recorded and audited together, or neither."""
    def mark(conn: Connection) -> bool:
        if not topups.record_outcome(conn, order_id, result, by_person=True):
            return False
        auth.audit(conn, session.user, action, target=order_id, reason=reason, source=_source(request))
        return True
    if not platform.in_transaction(mark):
        # Final already (another person or the worker was first), or a worker is asking the supplier right now.
        return _queues_page(request, platform, 409, notice="topup_not_open")
    return _done("order", order_id, action)


@router.post("/support/topup/succeeded", response_class=HTMLResponse)
def topup_succeeded(request: Request, platform: ServicesDep, session: Annotated[auth.Session, allow(*STAFF)],
                    order_id: Id = "", reference: Id = "", reason: Reason = "") -> Response:
    """The supplier's own records (its portal, a phone call) say it was executed: the supplier's reference is
    asked for and kept with the reason."""
    if (refused := _reason_missing(request, reason)) is not None:
        return refused
    if not reference.strip():
        return render(request, "support_error.html", 400, error="reference")
    why = f"{reason.strip()} [ref {reference.strip()}]"
    return _mark(request, platform, session, order_id, SupplierResult("succeeded", f"ref {reference.strip()}"),
                 "topup_marked_succeeded", why)


@router.post("/support/topup/failed", response_class=HTMLResponse)
def topup_failed(request: Request, platform: ServicesDep, session: Annotated[auth.Session, allow(*STAFF)],
                 order_id: Id = "", reason: Reason = "") -> Response:
    """Not executed: failed, and the reseller's charge comes back through the ledger's once-only refund."""
    if (refused := _reason_missing(request, reason)) is not None:
        return refused
    return _mark(request, platform, session, order_id, SupplierResult("failed", "console"),
                 "topup_marked_failed", reason.strip())


@router.post("/support/topup/query", response_class=HTMLResponse)
def topup_query(request: Request, platform: ServicesDep, session: Annotated[auth.Session, allow(*STAFF)],
                order_id: Id = "", reason: Reason = "") -> Response:
    """Ask the supplier again now (as the worker's next pass would, under the same lease)."""
    if (refused := _reason_missing(request, reason)) is not None:
        return refused
    supplier = make_supplier(platform.settings, platform.engine)
    if supplier is None:
        return _queues_page(request, platform, 409, notice="no_supplier")
    audited: list[str] = []

    def entry(conn: Connection, outcome: str) -> None:
        auth.audit(conn, session.user, "topup_queried", target=order_id, reason=f"{reason.strip()} → {outcome}",
                   source=_source(request))
        audited.append(outcome)
    try:  # a final answer is audited in the transaction that records it
        state = topups.process_one(platform.engine, platform.sealer, supplier, order_id,
                                   worker=periodic.worker_id() + ":console", also=entry)
    finally:
        supplier.close()
    outcome = state or "no_answer"
    if not audited:  # no change of ours to go with it: the question itself is the entry
        platform.in_transaction(entry, outcome)
    return _done("order", order_id, "queried_" + outcome)


@router.post("/support/payment/refund", response_class=HTMLResponse)
def payment_refund(request: Request, platform: ServicesDep, session: Annotated[auth.Session, allow(*MONEY)],
                   payment_id: Id = "", amount: Annotated[str, Form(max_length=20)] = "",
                   key: Annotated[str, Form(max_length=32)] = "", reason: Reason = "") -> Response:
    """Give a paid payment's money back through its gateway (refunds.py: at most what is left of it). `key`
    comes with the form, so a second click of one form is the same refund (its refund id); two people get two
    ids, and the second finds nothing left to refund."""
    if (refused := _reason_missing(request, reason)) is not None:
        return refused
    if not key.isalnum():
        return render(request, "error.html", 400, error="csrf")

    refund_id = "console-" + key

    def record(conn: Connection) -> str:
        detail = support_queries.payment_detail(conn, payment_id)
        if detail is None:
            raise ApiError(404, "not_found", "no such payment")
        if any(r["refund_id"] == refund_id for r in detail.refunds):
            return ""  # this form was sent before (a second click): that refund is the refund
        amount_fen = support_queries.parse_yuan(amount) if amount.strip() else detail.refundable_fen
        if amount_fen <= 0:  # all of it refunded already (another person was first)
            raise ApiError(409, "refund_exceeds_payment", "nothing of this payment is left to refund")
        terminal = conn.execute(select(terminals_t.c.id, terminals_t.c.reseller_id, terminals_t.c.name,
                                       resellers.c.tier).join(resellers, resellers.c.id == terminals_t.c.reseller_id)
                                .where(terminals_t.c.id == detail.payment["terminal_id"])).first()
        if terminal is None:  # a reseller's recharge (recharges.py): its money is in the balance, not refunded here
            raise ApiError(409, "refund_unsupported", "a recharge of a reseller's balance is not refunded here")
        row, created = refunds.record(conn, Terminal(terminal.id, terminal.reseller_id, terminal.tier, terminal.name),
                                      platform.gateways, payment_id=payment_id, refund_id=refund_id,
                                      amount_fen=amount_fen, reason=reason.strip()[:80])
        if created:
            auth.audit(conn, session.user, "payment_refunded", target=payment_id,
                       reason=f"{reason.strip()} [{support_queries.yuan(amount_fen)}]", source=_source(request))
        return row.refund_id if created else ""
    try:
        created = platform.in_transaction(record)
    except ValueError:  # an amount that is no yuan amount
        return render(request, "support_error.html", 400, error="amount")
    except ApiError as exc:  # not paid, nothing left, no refunds at this gateway: nothing was recorded
        if exc.status == 404:
            return render(request, "support_error.html", 404, error="no_payment")
        return _queues_page(request, platform, 409, notice=exc.code)
    if not created:
        return _done("payment", payment_id, "refund_already")
    refunds.send_pending(platform.engine, platform.gateways, created)
    return _done("payment", payment_id, "payment_refunded")


@router.post("/support/refund/query", response_class=HTMLResponse)
def refund_query(request: Request, platform: ServicesDep, session: Annotated[auth.Session, allow(*STAFF)],
                 refund_id: Id = "", reason: Reason = "") -> Response:
    """Ask the gateway about a pending refund now (the reconciler's question, under its lease)."""
    if (refused := _reason_missing(request, reason)) is not None:
        return refused
    payment_id = refunds.ask_one(platform.engine, platform.gateways, refund_id,
                                 worker=periodic.worker_id() + ":console")
    if payment_id is None:
        return _queues_page(request, platform, 409, notice="refund_not_open")
    platform.in_transaction(auth.audit, session.user, "refund_queried", target=refund_id, reason=reason.strip(),
                            source=_source(request))
    return _done("payment", payment_id, "refund_queried")


# -- reconciliation, statements, exports ------------------------------------------------------------------

FORMATS = {"csv": ("text/csv; charset=utf-8", support_queries.to_csv),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", support_queries.to_xlsx)}


def _translated(request: Request, sheets: list[support_queries.Sheet]) -> list[support_queries.Sheet]:
    """The export's column names in the page's language (the same words the page's table shows)."""
    if lang_of(request) != "en":
        return sheets
    return [support_queries.Sheet(EN.get(s.title, s.title), [EN.get(h, h) for h in s.header], s.rows) for s in sheets]


def _download(request: Request, sheets: list[support_queries.Sheet], name: str, fmt: str) -> Response:
    if fmt not in FORMATS:
        return render(request, "support_error.html", 400, error="format")
    media, write = FORMATS[fmt]
    return Response(write(_translated(request, sheets)), media_type=media, headers={
        **SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _period(request: Request, since: str, until: str):
    try:
        return support_queries.parse_period(since, until), None
    except support_queries.PeriodError as exc:
        return None, render(request, "error.html", 400, error="filter", field=str(exc))


def _in_snapshot(platform: Services, work: Callable[[Connection], T]) -> T:
    """`work` on one snapshot of the database: PostgreSQL's READ COMMITTED would give each of the report's
    statements its own, so a ledger row committed between two of them could make a day look unbalanced (or hide
    one that is). SQLite's transaction is one snapshot already."""
    with platform.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            return work(conn)


def _reconciliation(platform: Services, first, last, reseller_id: str | None):
    def read(conn: Connection):
        return support_queries.reconciliation(conn, first, last, reseller_id), reseller_choices(conn)
    return _in_snapshot(platform, read)


def _unbalanced(request: Request, exc: support_queries.Unbalanced) -> HTMLResponse:
    return render(request, "support_error.html", 409, error="unbalanced", field=str(exc))


@router.get("/reconciliation", response_class=HTMLResponse)
def reconciliation(request: Request, platform: ServicesDep, _session: Annotated[auth.Session, allow(*MONEY)],
                   since: str = "", until: str = "", reseller: str = "") -> HTMLResponse:
    period, refused = _period(request, since, until)
    if refused is not None:
        return refused
    try:
        lines, choices = _reconciliation(platform, *period, reseller or None)
    except support_queries.Unbalanced as exc:
        return _unbalanced(request, exc)
    return render(request, "reconciliation.html", lines=lines, first=period[0], last=period[1], reseller=reseller,
                  resellers=choices)


@router.get("/reconciliation/export")
def reconciliation_export(request: Request, platform: ServicesDep, _session: Annotated[auth.Session, allow(*MONEY)],
                          since: str = "", until: str = "", reseller: str = "", format: str = "xlsx") -> Response:
    period, refused = _period(request, since, until)
    if refused is not None:
        return refused
    try:
        lines, _choices = _reconciliation(platform, *period, reseller or None)
    except support_queries.Unbalanced as exc:
        return _unbalanced(request, exc)
    return _download(request, [support_queries.reconciliation_sheet(lines)],
                     f"reconciliation-{period[0]}-{period[1]}", format)


def _statement(platform: Services, reseller_id: str, first, last):
    def read(conn: Connection):
        if conn.execute(select(resellers.c.id).where(resellers.c.id == reseller_id)).first() is None:
            return None
        return (support_queries.reconciliation(conn, first, last, reseller_id),
                support_queries.ledger_lines(conn, reseller_id, first, last))
    return _in_snapshot(platform, read)


def _statement_asked(request: Request, platform, session: auth.Session, reseller: str, since: str,
                     until: str):
    """The statement a page or an export asks for (a reseller's own whatever it asks), or the page saying why
    not: a bad period, days that do not add up, no such reseller."""
    reseller_id = session.user.reseller_id or reseller
    period, refused = _period(request, since, until)
    if refused is not None:
        return refused
    try:
        found = _statement(platform, reseller_id, *period) if reseller_id else None
    except support_queries.Unbalanced as exc:
        return _unbalanced(request, exc)
    if found is None:
        return render(request, "error.html", 404, error="no_reseller")
    return reseller_id, period, found


@router.get("/statement", response_class=HTMLResponse)
def statement(request: Request, platform: ServicesDep,
              session: Annotated[auth.Session, allow(*MONEY, Role.RESELLER)],
              reseller: str = "", since: str = "", until: str = "") -> HTMLResponse:
    """A reseller's days and its ledger with the balance after each movement; a reseller sees its own."""
    found = _statement_asked(request, platform, session, reseller, since, until)
    if isinstance(found, Response):
        return found
    reseller_id, period, (lines, entries) = found
    return render(request, "statement.html", lines=lines, entries=entries, first=period[0], last=period[1],
                  reseller_id=reseller_id)


@router.get("/statement/export")
def statement_export(request: Request, platform: ServicesDep,
                     session: Annotated[auth.Session, allow(*MONEY, Role.RESELLER)],
                     reseller: str = "", since: str = "", until: str = "", format: str = "xlsx") -> Response:
    found = _statement_asked(request, platform, session, reseller, since, until)
    if isinstance(found, Response):
        return found
    reseller_id, period, (lines, entries) = found
    sheets = [support_queries.reconciliation_sheet(lines), support_queries.ledger_sheet(entries)]
    return _download(request, sheets, f"statement-{reseller_id}-{period[0]}-{period[1]}", format)


@router.get("/audit/export")
def audit_export(request: Request, platform: ServicesDep, _session: Annotated[auth.Session, allow(*MONEY)],
                 username: str = "", action: str = "", format: str = "xlsx") -> Response:
    rows = platform.in_transaction(support_queries.audit_export_rows, username, action)
    return _download(request, [support_queries.audit_sheet(rows)], "audit", format)
