"""Shifts and Z reports, order history filters, sales reports and their CSV/XLSX export."""

from __future__ import annotations

import csv
from datetime import datetime

import openpyxl
import pytest

from kameng_desk.usecases import history, reports
from kameng_desk.usecases.cash_shift import close_shift, counted_total, open_shift, record_drawer_open
from kameng_desk.usecases.handover import void_sale
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, shifts
from local_cache.connection import IntegrityError
from local_cache.errors import ClosedShiftError
from tests.factories import HF50, QB10, WY50, make_staff, seed_catalog


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=20)
    yield s
    s.close()


def test_full_day_z_report_matches_the_orders(store) -> None:
    owner = make_staff(store, "老王", "owner", "2468")
    cashier = make_staff(store, "小李", "cashier", "1357")
    open_shift(store, staff_id=cashier.id, float_fen=20000)
    s1 = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 2)], cash_received_fen=5000)
    s2 = sell_codes(store, staff_id=cashier.id, cart=[CartLine(WY50.id, 1)], payment_method="qr_static")
    voided = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)])
    top = record_topup(store, staff_id=cashier.id, product_id=HF50.id, account="13812345678")
    void_sale(store, order_id=voided.order.id, staff_id=cashier.id, approver_id=owner.id)
    record_drawer_open(store, staff_id=cashier.id, approver_id=owner.id)

    expected = 20000 + s1.order.total_fen + top.total_fen  # the QR sale is not cash; the void is returned
    z = close_shift(store, staff_id=cashier.id, counts={10000: 2, 5000: 1, 1000: 1, 100: 3})
    shift = z.shift
    assert shift.state == "closed"
    assert shift.expected_fen == expected
    assert shift.counted_fen == 20000 + 5000 + 1000 + 300
    assert shift.difference_fen == shift.counted_fen - expected < 0  # a short count
    standing = [s1.order, s2.order, top]
    assert z.sales_fen == sum(o.total_fen for o in standing)
    assert z.by_payment_method == {"cash": s1.order.total_fen + top.total_fen, "qr_static": s2.order.total_fen}
    assert {p.product_id: p.quantity for p in z.sales_by_product} == {QB10.id: 2, WY50.id: 1, HF50.id: 1}
    assert [(v.action, v.approver_id) for v in z.voids] == [("void", owner.id)]
    assert z.drawer_openings == 1 and z.orders == 4 and z.topups_count == 1
    assert z.first_number == s1.order.number and z.last_number == top.number
    assert z.seq == 1

    # A closed shift never changes, even through SQL.
    with pytest.raises(IntegrityError, match="immutable"), store.transaction() as conn:
        conn.execute("UPDATE shifts SET counted_fen = 0 WHERE id = ?", (shift.id,))
    with pytest.raises(ClosedShiftError), store.transaction() as conn:
        shifts.close_shift(conn, shift.id, closed_by=owner.id, counted_fen=1, expected_fen=1, count_detail={})
    assert open_shift(store, staff_id=cashier.id, float_fen=0).seq == 2


def test_bad_counts_refused() -> None:
    with pytest.raises(ValueError):
        counted_total({300: 1})
    with pytest.raises(ValueError):
        counted_total({100: -1})


def test_history_filters_sort_and_page(store) -> None:
    owner = make_staff(store, "老王", "owner", "2468")
    cashier = make_staff(store, "小李", "cashier", "1357")
    for n in range(6):
        who = owner if n % 2 else cashier
        sell_codes(store, staff_id=who.id, cart=[CartLine(QB10.id if n < 4 else WY50.id, 1)])
    conn = store.conn()
    everything = history.OrderFilter()
    assert history.count(conn, everything) == 6
    assert history.count(conn, history.OrderFilter(staff_id=owner.id)) == 3
    assert history.count(conn, history.OrderFilter(product_id=WY50.id)) == 2
    first = history.page(conn, everything, offset=0, limit=4)
    rest = history.page(conn, everything, offset=4, limit=4)
    assert len(first) == 4 and len(rest) == 2
    assert [r.created_at for r in first + rest] == sorted((r.created_at for r in first + rest), reverse=True)
    by_total = history.page(conn, everything, offset=0, limit=1, sort="total_fen")
    assert by_total[0].total_fen == WY50.retail_price_fen
    prefix = first[0].number[:-2]
    assert history.count(conn, history.OrderFilter(number_prefix=prefix)) >= 1


def test_report_export_read_back_by_real_readers(store, tmp_path) -> None:
    owner = make_staff(store)
    a = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 3)])
    b = sell_codes(store, staff_id=owner.id, cart=[CartLine(WY50.id, 1)], payment_method="qr_static")
    conn = store.conn()
    report = reports.sales_report(conn, "2000-01-01T00:00:00.000000Z", "9999-01-01T00:00:00.000000Z")
    assert report.total_fen == a.order.total_fen + b.order.total_fen
    labels = reports.ExportLabels(payment_names={"qr_static": "Shop QR"})

    csv_path, xlsx_path = tmp_path / "r.csv", tmp_path / "r.xlsx"
    reports.export_csv(report, csv_path, labels)
    reports.export_xlsx(report, xlsx_path, labels)
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        lines = [r for r in csv.reader(fh) if r]
    assert lines[0] == ["Section", "Name", "Orders", "Quantity", "Amount", "Cost", "Profit", "Margin"]
    assert ["By product", QB10.name, "1", "3", "30.00", "28.50", "1.50", "5.0%"] in lines
    assert ["By product", "Total", "2", "4", "80.00", "76.50", "3.50", "4.4%"] in lines
    assert any(r[:2] == ["By payment method", "Shop QR"] for r in lines)
    assert any(r[:2] == ["By staff", owner.name] for r in lines)  # a name, not the staff UUID

    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames == ["By product", "By payment method", "By staff", "By day"]
    sheet = book["By product"]
    rows = list(sheet.iter_rows(values_only=False))
    assert [c.value for c in rows[0]] == ["Name", "Orders", "Quantity", "Amount", "Cost", "Profit", "Margin"]
    qb = next(r for r in rows if r[0].value == QB10.name)
    assert all(isinstance(c.value, int | float) and not isinstance(c.value, bool) for c in qb[1:])  # numbers
    assert (qb[3].value, qb[4].value, qb[5].value) == (30.0, 28.5, 1.5)
    assert {c.number_format for c in qb[3:6]} == {"¥#,##0.00"} and qb[6].number_format == "0.0%"
    total = next(r for r in rows if r[0].value == "Total")
    assert total[3].value == report.total_fen / 100 and total[0].font.bold
    assert rows[-1][0].value == "Period" and isinstance(rows[-1][1].value, datetime)
    day = next(book["By day"].iter_rows(min_row=2, max_row=2))
    assert isinstance(day[0].value, datetime) and day[0].is_date  # a date cell, not text
    assert day[0].value.date() == datetime.now().astimezone().date()
    assert book["By staff"]["A2"].value == owner.name


def test_yuan_formats_and_parses_without_floats() -> None:
    from kameng_desk.records.money import parse_yuan, yuan

    assert [yuan(v) for v in (0, 5, 1050, 100000, -250)] == ["0.00", "0.05", "10.50", "1000.00", "-2.50"]
    assert [parse_yuan(t) for t in ("100", "12.5", "0.05", "￥20.00", ".5")] == [10000, 1250, 5, 2000, 50]
    for bad in ("", "1.234", "abc", "-5", "1e3", "1.2.3"):
        with pytest.raises(ValueError):
            parse_yuan(bad)
