"""Sales reports for a time range (by product, payment method, staff and day, with cost and profit 毛利) and their
CSV / XLSX export."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from kameng_desk.counter.money import yuan
from local_cache.connection import Connection
from local_cache.ids import format_utc

# Orders that count as sales: fulfilled, and for top-ups not failed (a failed top-up is refunded).
STANDING = "o.state = 'fulfilled' AND (o.kind = 'sale' OR coalesce(o.topup_state, '') != 'failed')"


# What an order cost the shop: the sum of its lines' costs (codes at their restock price, top-ups at the tier price).
ORDER_COST = "(SELECT coalesce(sum(l.cost_fen), 0) FROM order_lines l WHERE l.order_id = o.id)"
# The shop's calendar day of an order (created_at is UTC).
LOCAL_DAY = "date(o.created_at, 'localtime')"


def margin_text(margin: float | None) -> str:
    """毛利率 as people read it: 12.5%, or a dash without revenue."""
    return "-" if margin is None else f"{margin:.1%}"


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    orders: int
    quantity: int
    amount_fen: int
    cost_fen: int = 0

    @property
    def profit_fen(self) -> int:
        """毛利: revenue less what the codes and top-ups cost the shop."""
        return self.amount_fen - self.cost_fen

    @property
    def margin(self) -> float | None:
        """毛利率, a fraction of revenue (None without revenue)."""
        return self.profit_fen / self.amount_fen if self.amount_fen else None


@dataclass(frozen=True)
class SalesReport:
    start: str
    end: str
    total_fen: int
    orders: int
    by_product: tuple[ReportRow, ...]
    by_payment_method: tuple[ReportRow, ...]
    by_staff: tuple[ReportRow, ...]
    cost_fen: int = 0
    by_day: tuple[ReportRow, ...] = ()

    @property
    def profit_fen(self) -> int:
        return self.total_fen - self.cost_fen

    @property
    def margin(self) -> float | None:
        return self.profit_fen / self.total_fen if self.total_fen else None


def sales_report(conn: Connection, start: str, end: str) -> SalesReport:
    rng = (start, end)
    total, orders, cost = conn.execute(
        f"SELECT coalesce(sum(o.total_fen), 0), count(*), coalesce(sum({ORDER_COST}), 0) FROM orders o "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING}", rng).fetchone()
    by_product = tuple(ReportRow(*r) for r in conn.execute(
        "SELECT l.product_id, l.product_name, count(DISTINCT o.id), sum(l.quantity), "
        "sum(l.quantity * l.unit_price_fen), coalesce(sum(l.cost_fen), 0) "
        "FROM orders o JOIN order_lines l ON l.order_id = o.id "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} "
        "GROUP BY l.product_id, l.product_name ORDER BY 5 DESC", rng))
    by_method = tuple(ReportRow(*r) for r in conn.execute(
        "SELECT o.payment_method, o.payment_method, count(*), count(*), sum(o.total_fen), "
        f"sum({ORDER_COST}) FROM orders o "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} GROUP BY o.payment_method ORDER BY 5 DESC",
        rng))
    by_staff = tuple(ReportRow(*r) for r in conn.execute(
        "SELECT o.staff_id, coalesce(s.name, o.staff_id), count(*), count(*), sum(o.total_fen), "
        f"sum({ORDER_COST}) FROM orders o "
        f"LEFT JOIN staff s ON s.id = o.staff_id WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} "
        "GROUP BY o.staff_id ORDER BY 5 DESC", rng))
    return SalesReport(start, end, total, orders, by_product, by_method, by_staff, cost,
                       _by_day(conn, start, end))


def _by_day(conn: Connection, start: str, end: str) -> tuple[ReportRow, ...]:
    return tuple(ReportRow(day, day, n, n, amount, cost) for day, n, amount, cost in conn.execute(
        f"SELECT {LOCAL_DAY}, count(*), sum(o.total_fen), sum({ORDER_COST}) FROM orders o "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} GROUP BY 1 ORDER BY 1", (start, end)))


def last_days(conn: Connection, days: int = 30, today: date | None = None) -> tuple[ReportRow, ...]:
    """Revenue, cost and profit of each of the shop's last ``days`` days up to today, days without sales as
    zeros (the 30-day chart)."""
    today = today or datetime.now().astimezone().date()
    first = today - timedelta(days=days - 1)
    start = format_utc(datetime.combine(first, time()).astimezone())
    end = format_utc(datetime.combine(today + timedelta(days=1), time()).astimezone())
    sold = {r.key: r for r in _by_day(conn, start, end)}
    return tuple(sold.get(d, ReportRow(d, d, 0, 0, 0, 0))
                 for d in ((first + timedelta(days=n)).isoformat() for n in range(days)))


SECTIONS = (("by_product", "product"), ("by_payment_method", "payment_method"), ("by_staff", "staff"))
HEADER = ["section", "key", "label", "orders", "quantity", "amount_yuan", "amount_fen"]


def _rows(report: SalesReport) -> list[list[object]]:
    rows: list[list[object]] = []
    for attr, section in SECTIONS:
        for r in getattr(report, attr):
            rows.append([section, r.key, r.label, r.orders, r.quantity, yuan(r.amount_fen), r.amount_fen])
    rows.append(["total", "", "", report.orders, "", yuan(report.total_fen), report.total_fen])
    return rows


def export_csv(report: SalesReport, path: Path) -> None:
    # UTF-8 with BOM: Excel on a Chinese Windows opens it without garbling the names.
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(_rows(report))


def export_xlsx(report: SalesReport, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "sales"
    ws.append(HEADER)
    for row in _rows(report):
        ws.append(row)
    ws.append([])
    ws.append(["range (UTC)", report.start, report.end])
    wb.save(path)
