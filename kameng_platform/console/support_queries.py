"""What the 补单 pages, the detail pages, the reconciliation and the statements read (nothing here writes: every
change goes through topups.py, refunds.py and ledger.py). Days are China Standard Time, as on the other pages;
money stays integer fen until it is shown or exported (`yuan`, exact Decimal, no float)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, fields
from decimal import Decimal

from sqlalchemy import Connection, case, func, select

from kameng_platform import clock, notices, recharges
from kameng_platform.console.queries import CST, PAGE, day_start
from kameng_platform.console.tables import console_audit
from kameng_platform.schema import feed, ledger, orders, payments, products, refunds, resellers, terminals
from kameng_platform.topups import OPEN

STUCK_STATES = (*OPEN, "unknown")  # a top-up nobody has a final answer for
STUCK_AFTER_MIN = 10  # a top-up without a final answer this long is shown as stuck
MAX_DAYS = 92  # a statement or reconciliation covers at most this many days (one query a day)


YUAN = re.compile(r"(\d{1,9})(?:\.(\d{1,2}))?")


def parse_yuan(text: str) -> int:
    """A yuan amount a person typed ("12", "12.5", "12.50") as fen; ValueError for anything else or zero."""
    match = YUAN.fullmatch(text.strip())
    if match is None or not (fen := int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))):
        raise ValueError(f"not a yuan amount: {text!r}")
    return fen


def yuan(fen: int) -> Decimal:
    """Exact yuan with 2 decimals from integer fen: -150 → -1.50 (a Decimal, never a float)."""
    return Decimal(int(fen)).scaleb(-2)


# -- the queues of items that need a person -----------------------------------------------------------------

def stuck_topups(conn: Connection, older_than_s: int) -> list[dict]:
    """Top-ups still open (queued, submitted or unknown) received more than `older_than_s` ago, oldest first.
    `worker_busy`: a worker holds its lease now (it is asking the supplier), so a person waits for that answer."""
    now = clock.now()
    return [{**r._mapping, "worker_busy": r.lease_until is not None and r.lease_until > now}
            for r in conn.execute(stuck_topups_query(older_than_s, now))]


def stuck_topups_query(older_than_s: int, now: int):
    """stuck_topups' query (PAGE rows; the dashboard counts it)."""
    return (select(orders.c.order_id, orders.c.number, orders.c.reseller_id, resellers.c.name.label("reseller_name"),
                    orders.c.topup_state, orders.c.cost_fen, orders.c.total_fen, orders.c.received_at,
                    products.c.name.label("product_name"), orders.c.lease_until)
             .outerjoin(resellers, resellers.c.id == orders.c.reseller_id)
             .outerjoin(products, products.c.id == orders.c.topup_product_id)
             .where(orders.c.status == "accepted", orders.c.topup_state.in_(STUCK_STATES),
                    orders.c.received_at <= now - older_than_s)
             .order_by(orders.c.received_at, orders.c.order_id).limit(PAGE))


def _refunded_fen(payment_id_column):
    """What refunds not failed took of a payment (pending ones count: their money is on its way back)."""
    return (select(func.coalesce(func.sum(refunds.c.amount_fen), 0))
            .where(refunds.c.payment_id == payment_id_column, refunds.c.status != "failed").scalar_subquery())


def lost_orders(conn: Connection) -> list[dict]:
    """掉单: payments that are paid but whose order never completed on the platform (no order with that id, or
    one rejected or voided) and that still have money left to give back, oldest first."""
    # int(): PostgreSQL sums bigint into numeric (Decimal).
    return [{**r._mapping, "refunded_fen": int(r.refunded_fen)} for r in conn.execute(lost_orders_query())]


def lost_orders_query(*within):
    """lost_orders' query (PAGE rows), narrowed by `within` (the dashboard counts a window of it)."""
    done = orders.alias("done")  # the outer join below shows the order (if any); this asks whether it completed
    completed = (select(done.c.order_id).where(done.c.order_id == payments.c.order_id,
                                               done.c.status == "accepted", done.c.voided.is_(False)).exists())
    refunded = _refunded_fen(payments.c.payment_id)
    query = (select(payments.c.payment_id, payments.c.order_id, payments.c.amount_fen, payments.c.method,
                    payments.c.paid_at, payments.c.terminal_id, terminals.c.reseller_id,
                    resellers.c.name.label("reseller_name"), refunded.label("refunded_fen"),
                    orders.c.status.label("order_status"), orders.c.voided)
             .outerjoin(terminals, terminals.c.id == payments.c.terminal_id)
             .outerjoin(resellers, resellers.c.id == terminals.c.reseller_id)
             .outerjoin(orders, orders.c.order_id == payments.c.order_id)
             .where(payments.c.status == "paid", payments.c.order_id != "", recharges.of_desks(), ~completed,
                    refunded < payments.c.amount_fen, *within)
             .order_by(payments.c.paid_at, payments.c.payment_id).limit(PAGE))
    return query


def waiting_refunds(conn: Connection) -> list[dict]:
    """Refunds the gateway has not finished (pending: sent, or its answer lost), oldest first."""
    return [dict(r._mapping) for r in conn.execute(waiting_refunds_query())]


def waiting_refunds_query():
    """waiting_refunds' query (PAGE rows; the dashboard counts it)."""
    return (select(refunds.c.refund_id, refunds.c.payment_id, refunds.c.method, refunds.c.amount_fen,
                   refunds.c.reason, refunds.c.created_at, payments.c.order_id)
            .join(payments, payments.c.payment_id == refunds.c.payment_id)
            .where(refunds.c.status == "pending").order_by(refunds.c.created_at, refunds.c.refund_id).limit(PAGE))


# -- an order's, a payment's full history -----------------------------------------------------------------

def _feed_about(conn: Connection, type_: str, key: str, value: str) -> list[dict]:
    """The changes-feed rows of one type that name this order or refund: the state changes as they happened."""
    needle = json.dumps({key: value}, ensure_ascii=False)[1:-1]  # "order_id": "…", as feed.append writes it
    rows = conn.execute(select(feed.c.seq, feed.c.created_at, feed.c.data)
                        .where(feed.c.type == type_, feed.c.data.contains(needle, autoescape=True))
                        .order_by(feed.c.seq))
    return [{"seq": r.seq, "at": r.created_at, **json.loads(r.data)} for r in rows]


def _audit_about(conn: Connection, targets: list[str]) -> list[dict]:
    query = select(console_audit).where(console_audit.c.target.in_(targets)).order_by(console_audit.c.id)
    return [dict(r._mapping) for r in conn.execute(query)]


@dataclass(frozen=True)
class OrderDetail:
    order: dict
    reseller_name: str | None
    product_name: str | None
    history: list[dict]  # order_status feed rows, oldest first
    ledger: list[dict]  # the reseller's ledger rows this order made (charge, refund)
    payments: list[dict]  # with their refunds
    audit: list[dict]  # console actions on this order or its payments


def order_detail(conn: Connection, order_id: str, reseller_id: str | None = None) -> OrderDetail | None:
    """None: no such order (or, for a reseller, not its own)."""
    row = conn.execute(select(orders, resellers.c.name.label("reseller_name"), products.c.name.label("product_name"))
                       .outerjoin(resellers, resellers.c.id == orders.c.reseller_id)
                       .outerjoin(products, products.c.id == orders.c.topup_product_id)
                       .where(orders.c.order_id == order_id)).first()
    if row is None or (reseller_id and row.reseller_id != reseller_id):
        return None
    order = {k: v for k, v in row._mapping.items() if k not in ("topup_account_sealed", "payload_hash")}
    ids = conn.execute(select(payments.c.payment_id).where(payments.c.order_id == order_id)
                       .order_by(payments.c.created_at)).scalars()
    paid = [found for p in ids if (found := payment_detail(conn, p)) is not None]
    money = conn.execute(select(ledger).where(ledger.c.reseller_id == row.reseller_id,
                                              ledger.c.reference == order_id).order_by(ledger.c.id))
    history = _feed_about(conn, "order_status", "order_id", order_id)
    return OrderDetail(order, row.reseller_name, row.product_name, history, [dict(r._mapping) for r in money], paid,
                       _audit_about(conn, [order_id, *(p.payment["payment_id"] for p in paid)]))


@dataclass(frozen=True)
class PaymentDetail:
    payment: dict
    reseller_id: str | None
    refunds: list[dict]  # each with its state changes ("history")
    refunded_fen: int  # refunds not failed
    order_completed: bool
    notices: list[dict]  # what the gateway said about it and its refunds, oldest first, repeated notifies too

    @property
    def refundable_fen(self) -> int:
        return self.payment["amount_fen"] - self.refunded_fen if self.payment["status"] == "paid" else 0


def payment_detail(conn: Connection, payment_id: str, reseller_id: str | None = None) -> PaymentDetail | None:
    row = conn.execute(select(payments, terminals.c.reseller_id)
                       .outerjoin(terminals, terminals.c.id == payments.c.terminal_id)
                       .where(payments.c.payment_id == payment_id)).first()
    if row is None or row.order_id == "" or (reseller_id and row.reseller_id != reseller_id):
        return None
    payment = {k: v for k, v in row._mapping.items() if k not in ("auth_hash", "qr_content", "reseller_id")}
    found = [dict(r._mapping) for r in conn.execute(select(refunds).where(refunds.c.payment_id == payment_id)
                                                    .order_by(refunds.c.created_at, refunds.c.refund_id))]
    for refund in found:
        refund["history"] = _feed_about(conn, "refund", "refund_id", refund["refund_id"])
    completed = conn.execute(select(orders.c.order_id).where(
        orders.c.order_id == row.order_id, orders.c.status == "accepted", orders.c.voided.is_(False))).first()
    return PaymentDetail(payment, row.reseller_id, found,
                         sum(r["amount_fen"] for r in found if r["status"] != "failed"), completed is not None,
                         notices.of_payment(conn, payment_id))


# -- reconciliation and statements ------------------------------------------------------------------------

class PeriodError(ValueError):
    """A day range the page cannot use; the message names the field."""


def parse_period(since: str, until: str) -> tuple[dt.date, dt.date]:
    """[since, until], both inclusive; empty means yesterday (the last whole day)."""
    default = dt.datetime.fromtimestamp(clock.now(), CST).date() - dt.timedelta(days=1)

    def day(text: str, name: str) -> dt.date:
        if not text:
            return default
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            raise PeriodError(name) from None
        if not 2000 <= value.year <= 2999:
            raise PeriodError(name)
        return value
    first, last = day(since, "since"), day(until or since, "until")
    if last < first or (last - first).days >= MAX_DAYS:
        raise PeriodError("until")
    return first, last


@dataclass(frozen=True)
class DayLine:
    """One reseller's day: what happened and how its balance moved. closing = opening + movements is checked."""
    day: dt.date
    reseller_id: str
    reseller_name: str
    orders: int  # accepted orders received that day, voided ones left out
    sales_fen: int  # their total
    topups_succeeded: int
    topups_failed: int
    topups_open: int
    payments_paid: int  # the reseller's counters' payments paid that day
    payments_fen: int
    refunds_fen: int  # refunds that succeeded that day
    opening_fen: int
    credits_fen: int  # ledger movements by reason
    topup_charges_fen: int
    restock_charges_fen: int
    ledger_refunds_fen: int
    other_fen: int
    closing_fen: int

    @property
    def movements_fen(self) -> int:
        return (self.credits_fen + self.topup_charges_fen + self.restock_charges_fen + self.ledger_refunds_fen
                + self.other_fen)

    @property
    def balanced(self) -> bool:
        return self.closing_fen == self.opening_fen + self.movements_fen


# The ledger's reasons by the reconciliation's column: a recharge paid by QR is a credit like a bank transfer.
LEDGER_REASONS = {"credit": "credits_fen", "recharge": "credits_fen", "topup": "topup_charges_fen",
                  "restock": "restock_charges_fen", "refund": "ledger_refunds_fen"}


class Unbalanced(RuntimeError):
    """A day whose closing balance is not its opening balance plus its movements: the ledger changed under the
    report, or rows are missing. The report is refused rather than shown wrong."""


def _count_if(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sums(conn: Connection, query, keys) -> dict:
    return {r[0]: tuple(int(v or 0) for v in r[1:]) for r in conn.execute(query.group_by(keys))}


def _day_lines(conn: Connection, day: dt.date, reseller_id: str | None) -> list[DayLine]:
    start, end = day_start(day), day_start(day + dt.timedelta(days=1))
    who = select(resellers.c.id, resellers.c.name).order_by(resellers.c.name, resellers.c.id)
    if reseller_id:
        who = who.where(resellers.c.id == reseller_id)
    people = conn.execute(who).all()
    lg, o, p, r = ledger.c, orders.c, payments.c, refunds.c
    before = _sums(conn, select(lg.reseller_id, func.sum(lg.amount_fen)).where(lg.created_at < start), lg.reseller_id)
    upto = _sums(conn, select(lg.reseller_id, func.sum(lg.amount_fen)).where(lg.created_at < end), lg.reseller_id)
    moves: dict[tuple[str, str], int] = {
        (row.reseller_id, row.reason): int(row.total) for row in conn.execute(
            select(lg.reseller_id, lg.reason, func.sum(lg.amount_fen).label("total"))
            .where(lg.created_at >= start, lg.created_at < end).group_by(lg.reseller_id, lg.reason))}
    sold = _sums(conn, select(o.reseller_id, func.count(), func.coalesce(func.sum(o.total_fen), 0),
                              _count_if(o.topup_state == "succeeded"), _count_if(o.topup_state == "failed"),
                              _count_if(o.topup_state.in_(STUCK_STATES)))
                 .where(o.received_at >= start, o.received_at < end, o.status == "accepted", o.voided.is_(False)),
                 o.reseller_id)
    paid = _sums(conn, select(terminals.c.reseller_id, func.count(), func.sum(p.amount_fen))
                 .join(terminals, terminals.c.id == p.terminal_id)
                 .where(p.status == "paid", p.paid_at >= start, p.paid_at < end), terminals.c.reseller_id)
    back = _sums(conn, select(terminals.c.reseller_id, func.sum(r.amount_fen))
                 .join(terminals, terminals.c.id == r.terminal_id)
                 .where(r.status == "succeeded", r.finished_at >= start, r.finished_at < end), terminals.c.reseller_id)
    lines = []
    for person in people:
        known = dict.fromkeys(LEDGER_REASONS.values(), 0)
        for reason, field in LEDGER_REASONS.items():
            known[field] += moves.get((person.id, reason), 0)
        other = sum(v for (rid, reason), v in moves.items() if rid == person.id and reason not in LEDGER_REASONS)
        counts = sold.get(person.id, (0, 0, 0, 0, 0))
        line = DayLine(day, person.id, person.name, *counts, *paid.get(person.id, (0, 0)),
                       back.get(person.id, (0,))[0], before.get(person.id, (0,))[0], **known, other_fen=other,
                       closing_fen=upto.get(person.id, (0,))[0])
        if not line.balanced:
            raise Unbalanced(f"{person.id} {day}: closing {line.closing_fen} ≠ opening {line.opening_fen} + "
                             f"movements {line.movements_fen} (fen)")
        lines.append(line)
    return lines


def reconciliation(conn: Connection, first: dt.date, last: dt.date, reseller_id: str | None = None) -> list[DayLine]:
    """Per reseller per day, in one transaction (one snapshot of the ledger); Unbalanced if a day does not add up."""
    lines = []
    for offset in range((last - first).days + 1):
        lines += _day_lines(conn, first + dt.timedelta(days=offset), reseller_id)
    return lines


def ledger_lines(conn: Connection, reseller_id: str, first: dt.date, last: dt.date) -> list[dict]:
    """A statement's ledger: each movement of the period with the balance after it, oldest first."""
    start, end = day_start(first), day_start(last + dt.timedelta(days=1))
    balance = int(conn.execute(select(func.coalesce(func.sum(ledger.c.amount_fen), 0)).where(
        ledger.c.reseller_id == reseller_id, ledger.c.created_at < start)).scalar_one())
    lines = []
    for row in conn.execute(select(ledger).where(ledger.c.reseller_id == reseller_id, ledger.c.created_at >= start,
                                                 ledger.c.created_at < end).order_by(ledger.c.created_at, ledger.c.id)):
        balance += row.amount_fen
        lines.append({**row._mapping, "balance_fen": balance})
    return lines


def audit_export_rows(conn: Connection, username: str = "", action: str = "", *, limit: int = 100_000) -> list[dict]:
    """The audit log for an export: every entry matching the filter, oldest first (the page shows the newest)."""
    query = select(console_audit).order_by(console_audit.c.id).limit(limit)
    if username:
        query = query.where(console_audit.c.username == username)
    if action:
        query = query.where(console_audit.c.action == action)
    return [dict(r._mapping) for r in conn.execute(query)]


# -- exports ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    title: str
    header: list[str]
    rows: list[list[object]]  # str, int, Decimal (yuan), dt.date


def when(ts: int | None) -> str:
    return "" if ts is None else dt.datetime.fromtimestamp(ts, CST).strftime("%Y-%m-%d %H:%M:%S")


RECONCILIATION_HEADER = ["日期", "代理编号", "代理", "订单数", "销售额（元）", "充值成功", "充值失败", "充值未完成",
                         "收款笔数", "收款（元）", "退款（元）", "期初余额（元）", "充值入账（元）", "充值扣款（元）",
                         "补货扣款（元）", "退回（元）", "其他（元）", "期末余额（元）"]


def reconciliation_sheet(lines: list[DayLine]) -> Sheet:
    money = {f.name for f in fields(DayLine) if f.name.endswith("_fen")}
    rows = [[line.day.isoformat(), *(yuan(getattr(line, f.name)) if f.name in money else getattr(line, f.name)
                                     for f in fields(DayLine)[1:])] for line in lines]
    return Sheet("对账", RECONCILIATION_HEADER, rows)


LEDGER_HEADER = ["时间", "摘要", "参考号", "金额（元）", "余额（元）"]


def ledger_sheet(lines: list[dict]) -> Sheet:
    return Sheet("流水", LEDGER_HEADER, [[when(r["created_at"]), r["reason"], r["reference"], yuan(r["amount_fen"]),
                                        yuan(r["balance_fen"])] for r in lines])


AUDIT_HEADER = ["时间", "用户名", "操作", "对象", "原因", "来源地址"]


def audit_sheet(rows: list[dict]) -> Sheet:
    return Sheet("操作日志", AUDIT_HEADER, [[when(r["at"]), r["username"], r["action"], r["target"], r["reason"],
                                          r["source"]] for r in rows])


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell_text(value: object) -> object:
    """A cell as exported: text a person typed (a reason, a name) that a spreadsheet would run as a formula is
    quoted (CSV/formula injection); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(sheets: list[Sheet]) -> bytes:
    """UTF-8 with a BOM (Excel on a Chinese Windows reads it right), the sheets one after another."""
    out = io.StringIO()
    writer = csv.writer(out)
    for n, sheet in enumerate(sheets):
        if n:
            writer.writerow([])
        if len(sheets) > 1:
            writer.writerow([sheet.title])
        writer.writerow(sheet.header)
        writer.writerows([[_cell_text(v) for v in row] for row in sheet.rows])
    return ("\ufeff" + out.getvalue()).encode()


def to_xlsx(sheets: list[Sheet]) -> bytes:
    """An XLSX (openpyxl) with a sheet each; yuan are exact decimal numbers shown with 2 decimals."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet.title)
        page.append(sheet.header)
        for row in sheet.rows:
            page.append([_cell_text(v) for v in row])
            for cell, value in zip(page[page.max_row], row, strict=True):
                if isinstance(value, Decimal):
                    cell.number_format = "0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

