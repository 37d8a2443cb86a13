"""Sales reports for a time range (by product, payment method, staff and day, with cost and profit 毛利) and their
CSV / XLSX export."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from local_cache.connection import Connection
from local_cache.ids import format_utc, parse_utc
from local_cache.queries import sales


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
    refunds: tuple[ReportRow, ...] = ()  # refunds paid in the period, by how the money went back

    @property
    def refunded_fen(self) -> int:
        return sum(r.amount_fen for r in self.refunds)

    @property
    def profit_fen(self) -> int:
        return self.total_fen - self.cost_fen

    @property
    def margin(self) -> float | None:
        return self.profit_fen / self.total_fen if self.total_fen else None


def sales_report(conn: Connection, start: str, end: str) -> SalesReport:
    """Standing orders (sales.STANDING: fulfilled, a top-up not failed) made in [start, end)."""
    total, orders, cost = sales.totals(conn, start, end)
    return SalesReport(start, end, total, orders,
                       tuple(ReportRow(*r) for r in sales.by_product(conn, start, end)),
                       tuple(ReportRow(*r) for r in sales.by_payment_method(conn, start, end)),
                       tuple(ReportRow(*r) for r in sales.by_staff(conn, start, end)),
                       cost, _by_day(conn, start, end),
                       tuple(ReportRow(m, m, n, n, fen) for m, n, fen in sales.refunds_by_method(conn, start, end)))


def _by_day(conn: Connection, start: str, end: str) -> tuple[ReportRow, ...]:
    return tuple(ReportRow(day, day, n, n, amount, cost) for day, n, amount, cost in sales.by_day(conn, start, end))


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


@dataclass(frozen=True)
class ExportLabels:
    """The words of an export, in the language of whoever reads it: the GUI passes its translations (tr()), so
    this module stays free of Qt. The defaults are English."""

    headers: tuple[str, ...] = ("Name", "Orders", "Quantity", "Amount", "Cost", "Profit", "Margin")
    date_header: str = "Date"
    sections: dict[str, str] = field(default_factory=lambda: {
        "by_product": "By product", "by_payment_method": "By payment method", "by_staff": "By staff",
        "by_day": "By day"})
    section_header: str = "Section"
    total: str = "Total"
    period: str = "Period"
    payment_names: dict[str, str] = field(default_factory=dict)  # 'cash' -> '现金'


SECTIONS = ("by_product", "by_payment_method", "by_staff", "by_day")
MONEY_FORMAT = "¥#,##0.00"
MARGIN_FORMAT = "0.0%"


def _yuan_number(fen: int) -> Decimal:
    """An amount as a number a spreadsheet adds up (exact: a Decimal, never a binary float of fen / 100)."""
    return Decimal(fen).scaleb(-2)


def _label(section: str, row: ReportRow, labels: ExportLabels) -> object:
    if section == "by_payment_method":
        return labels.payment_names.get(row.key, row.label)
    if section == "by_day":
        return date.fromisoformat(row.key)
    return row.label


def _section_rows(report: SalesReport, section: str, labels: ExportLabels) -> list[list[object]]:
    """One section's rows and its total row: label, orders, quantity, amount, cost, profit, margin (a fraction)."""
    rows: list[ReportRow] = list(getattr(report, section))
    out: list[list[object]] = [[_label(section, r, labels), r.orders, r.quantity, _yuan_number(r.amount_fen),
                                _yuan_number(r.cost_fen), _yuan_number(r.profit_fen), r.margin] for r in rows]
    total = ReportRow("", labels.total, sum(r.orders for r in rows), sum(r.quantity for r in rows),
                      sum(r.amount_fen for r in rows), sum(r.cost_fen for r in rows))
    out.append([labels.total, total.orders, total.quantity, _yuan_number(total.amount_fen),
                _yuan_number(total.cost_fen), _yuan_number(total.profit_fen), total.margin])
    return out


def _period(report: SalesReport) -> tuple[datetime, datetime]:
    """The report's range in the shop's local time (the range is kept in UTC)."""
    return parse_utc(report.start).astimezone().replace(tzinfo=None), \
        parse_utc(report.end).astimezone().replace(tzinfo=None)


def export_csv(report: SalesReport, path: Path, labels: ExportLabels | None = None) -> None:
    """One file, the sections one after another, each with its total row; amounts as plain numbers (12.50)."""
    labels = labels or ExportLabels()
    # UTF-8 with BOM: Excel on a Chinese Windows opens it without garbling the names.
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        for section in SECTIONS:
            header = [labels.date_header, *labels.headers[1:]] if section == "by_day" else list(labels.headers)
            writer.writerow([labels.section_header, *header])
            for row in _section_rows(report, section, labels):
                *head, margin = row
                writer.writerow([labels.sections[section], *(f"{v:.2f}" if isinstance(v, Decimal) else v
                                                             for v in head),
                                 "" if margin is None else f"{margin:.1%}"])
            writer.writerow([])
        first, last = _period(report)
        writer.writerow([labels.period, f"{first:%Y-%m-%d %H:%M}", f"{last:%Y-%m-%d %H:%M}"])


def export_xlsx(report: SalesReport, path: Path, labels: ExportLabels | None = None) -> None:
    """A sheet per section, numbers as numbers (¥ format), dates as dates, a bold total row at the bottom."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    labels = labels or ExportLabels()
    wb = Workbook()
    wb.remove(wb.active)
    first, last = _period(report)
    for section in SECTIONS:
        ws = wb.create_sheet(labels.sections[section][:31])  # Excel's limit on a sheet name
        ws.append([labels.date_header, *labels.headers[1:]] if section == "by_day" else list(labels.headers))
        rows = _section_rows(report, section, labels)
        for row in rows:
            ws.append(row)
        for cells in ws.iter_rows(min_row=2, max_row=ws.max_row):
            for cell in cells[3:6]:
                cell.number_format = MONEY_FORMAT
            cells[6].number_format = MARGIN_FORMAT  # dates get openpyxl's own date format
        for cell in ws[1] + ws[ws.max_row]:
            cell.font = Font(bold=True)
        ws.append([])
        ws.append([labels.period, first, last])
        for cell in ws[ws.max_row][1:]:
            cell.number_format = "yyyy-mm-dd hh:mm"
        ws.column_dimensions["A"].width = 28
        for column in "BCDEFG":
            ws.column_dimensions[column].width = 14
    wb.save(path)
