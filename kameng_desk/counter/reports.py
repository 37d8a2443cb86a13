"""Sales reports for a time range (by product, payment method and staff) and their CSV / XLSX export."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from kameng_desk.counter.money import yuan
from local_cache.connection import Connection

# Orders that count as sales: fulfilled, and for top-ups not failed (a failed top-up is refunded).
STANDING = "o.state = 'fulfilled' AND (o.kind = 'sale' OR coalesce(o.topup_state, '') != 'failed')"


@dataclass(frozen=True)
class ReportRow:
    key: str
    label: str
    orders: int
    quantity: int
    amount_fen: int


@dataclass(frozen=True)
class SalesReport:
    start: str
    end: str
    total_fen: int
    orders: int
    by_product: tuple[ReportRow, ...]
    by_payment_method: tuple[ReportRow, ...]
    by_staff: tuple[ReportRow, ...]


def sales_report(conn: Connection, start: str, end: str) -> SalesReport:
    rng = (start, end)
    total, orders = conn.execute(
        f"SELECT coalesce(sum(o.total_fen), 0), count(*) FROM orders o "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING}", rng).fetchone()
    by_product = tuple(ReportRow(*r) for r in conn.execute(
        "SELECT l.product_id, l.product_name, count(DISTINCT o.id), sum(l.quantity), "
        "sum(l.quantity * l.unit_price_fen) FROM orders o JOIN order_lines l ON l.order_id = o.id "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} "
        "GROUP BY l.product_id, l.product_name ORDER BY 5 DESC", rng))
    by_method = tuple(ReportRow(*r) for r in conn.execute(
        "SELECT o.payment_method, o.payment_method, count(*), count(*), sum(o.total_fen) FROM orders o "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} GROUP BY o.payment_method ORDER BY 5 DESC",
        rng))
    by_staff = tuple(ReportRow(*r) for r in conn.execute(
        "SELECT o.staff_id, coalesce(s.name, o.staff_id), count(*), count(*), sum(o.total_fen) FROM orders o "
        f"LEFT JOIN staff s ON s.id = o.staff_id WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} "
        "GROUP BY o.staff_id ORDER BY 5 DESC", rng))
    return SalesReport(start, end, total, orders, by_product, by_method, by_staff)


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
