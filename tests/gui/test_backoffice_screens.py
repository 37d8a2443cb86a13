"""Back-office screens one by one: order history (lazy pages, SQL filters and sort, refund, reprint), reports
(owner lock, chart, CSV/XLSX read back), the audit viewer (verify, tamper), stock (threshold, restock, offline)."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER, OWNER_PIN
from kameng_desk.gui.backoffice.common import DateRange, day_start_utc
from kameng_desk.printing.config import ConnectionSettings, PrinterConfig
from kameng_desk.printing.service import PrintService
from kameng_desk.records.money import yuan
from kameng_desk.usecases import history, printer_settings, reports
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import codes, orders, staff, sync_state
from tests.gui.test_backoffice_day import approve, close_boxes, start, to_backoffice, visible, wait_visible
from tests.printing.fake_printer import FakePrinter

pytestmark = pytest.mark.gui


def people(store) -> tuple[staff.Staff, staff.Staff]:
    everyone = {s.name: s for s in staff.list_all(store.conn())}
    return everyone[OWNER], everyone[CASHIER]


def seed_orders(store) -> list[str]:
    owner, cashier = people(store)
    ids = []
    for n in range(12):
        who = owner if n % 3 == 0 else cashier
        product = ("qb10", "qb30", "wy50")[n % 3]
        method = "qr_static" if n % 4 == 0 else "cash"
        ids.append(sell_codes(store, staff_id=who.id, cart=[CartLine(product, 1 + n % 2)],
                              payment_method=method).order.id)
    return ids


def choose(box, value) -> None:
    box.setCurrentIndex(box.findData(value))


def test_order_history_pages_filters_and_sorts_in_sql(qtbot, window) -> None:
    win, session = window
    store = session.store
    seed_orders(store)
    _, cashier = people(store)
    tab = win.backoffice.orders
    tab.model.page_size = 5
    start(qtbot, win, OWNER, OWNER_PIN)
    to_backoffice(qtbot, win, tab)
    model, conn = tab.model, store.conn()
    qtbot.waitUntil(lambda: model.total == 12 and model.rowCount() >= 5)
    assert tab.count_label.text() == "共 12 单" and model.rowCount() % 5 == 0  # whole pages, not everything
    # The view asks for more as it needs rows (and so does this loop); the model fetches a page at a time.
    qtbot.waitUntil(lambda: (model.fetchMore() if model.canFetchMore() else None) or model.rowCount() == 12)
    assert not model.canFetchMore()
    assert [r.id for r in model.rows] == [r.id for r in history.page(conn, history.OrderFilter(), offset=0, limit=99)]

    def shows(f: history.OrderFilter) -> None:
        want = history.count(conn, f)
        qtbot.waitUntil(lambda: model.filter == f and model.total == want and tab.count_label.text() == f"共 {want} 单")
        shown = [r.id for r in model.rows]  # the first page, or more if the view already asked for them
        assert shown == [r.id for r in history.page(conn, f, offset=0, limit=len(shown))]

    choose(tab.staff, cashier.id)
    shows(history.OrderFilter(staff_id=cashier.id))
    choose(tab.product, "wy50")
    shows(history.OrderFilter(staff_id=cashier.id, product_id="wy50"))
    choose(tab.staff, None)
    choose(tab.product, None)
    choose(tab.payment, "qr_static")
    shows(history.OrderFilter(payment_method="qr_static"))
    assert model.total == 3
    choose(tab.payment, None)
    tab.dates.choose("today")
    today = tab.current_filter()
    assert today.start is not None
    shows(today)
    assert model.total == 12
    tab.dates.choose("all")
    first = model.rows[0].number
    qtbot.keyClicks(tab.number, first)
    shows(history.OrderFilter(number_prefix=first))
    assert model.total == 1
    tab.number.clear()
    choose(tab.state, "voided")
    shows(history.OrderFilter(state="voided"))
    assert model.total == 0
    choose(tab.state, None)

    # Sorting by a header click runs the query again with ORDER BY in SQL.
    header = tab.table.horizontalHeader()
    qtbot.waitUntil(lambda: model.total == 12)
    def sorted_by_amount(descending: bool) -> bool:
        shown = [r.id for r in model.rows]
        return model.sort_key == "total_fen" and model.descending == descending and shown == [
            r.id for r in history.page(conn, history.OrderFilter(), offset=0, limit=max(1, len(shown)),
                                       sort="total_fen", descending=descending)]

    header.setSortIndicator(5, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: sorted_by_amount(False))
    assert model.rows[0].total_fen == min(r[0] for r in conn.execute("SELECT total_fen FROM orders"))
    header.setSortIndicator(5, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: sorted_by_amount(True))
    assert model.rows[0].total_fen == max(r[0] for r in conn.execute("SELECT total_fen FROM orders"))


def test_refund_of_a_failed_topup_and_reprint(qtbot, window) -> None:
    win, session = window
    store = session.store
    owner, cashier = people(store)
    top = record_topup(store, staff_id=cashier.id, product_id="hf50", account="13812345678")
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine("qb10", 1)])
    with store.transaction() as conn:  # what the sync engine applies from the platform's changes feed
        orders.set_topup_state(conn, top.id, "failed", "运营商维护")
    start(qtbot, win, CASHIER, CASHIER_PIN)
    tab = win.backoffice.orders
    to_backoffice(qtbot, win, tab)
    qtbot.waitUntil(lambda: tab.model.total == 2)
    ids = [r.id for r in tab.model.rows]
    assert "充值失败" in tab.model.data(tab.model.index(ids.index(top.id), 3))

    tab.open_detail(ids.index(top.id))
    detail = wait_visible(qtbot, win, QDialog, "orderDetailDialog")
    qtbot.waitUntil(lambda: detail.refund_button.isEnabled())
    assert "运营商维护" in detail.fields["note"].text() and not detail.void_button.isEnabled()
    qtbot.mouseClick(detail.refund_button, Qt.MouseButton.LeftButton)
    dialog = wait_visible(qtbot, win, QDialog, "refundDialog")  # cash, the whole top-up: nothing to pick
    assert dialog.amount.text() == "50.00" and "现金" in dialog.where()
    dialog.accept()
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: "已退款 ￥50.00（现金）" in detail.fields["note"].text()
                    and not detail.refund_button.isEnabled())
    row = store.conn().execute("SELECT staff_id, approver_id FROM audit_log WHERE action = 'refund' AND subject = ?",
                               (top.id,)).fetchall()
    assert row == [(cashier.id, owner.id)]
    close_boxes(win)
    detail.reject()

    tab.open_detail(ids.index(sale.order.id))
    detail = wait_visible(qtbot, win, QDialog, "orderDetailDialog")
    qtbot.waitUntil(lambda: detail.reprint_button.isEnabled())
    qtbot.mouseClick(detail.reprint_button, Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: store.conn().execute(
        "SELECT count(*) FROM print_jobs WHERE order_id = ? AND is_copy = 1", (sale.order.id,)).fetchone()[0] == 2)
    assert store.conn().execute("SELECT approver_id FROM audit_log WHERE action = 'reprint'").fetchone() == (owner.id,)


def test_reports_owner_lock_chart_and_exports_read_back(qtbot, window, tmp_path) -> None:
    win, session = window
    store = session.store
    seed_orders(store)
    start(qtbot, win, CASHIER, CASHIER_PIN)
    tab = win.backoffice.reports
    to_backoffice(qtbot, win, tab)
    assert tab.gate.currentIndex() == 0 and tab.report is None  # a cashier sees the lock, not the figures
    qtbot.mouseClick(tab.gate.unlock_button, Qt.MouseButton.LeftButton)
    approve(qtbot, win, "0000")
    qtbot.waitUntil(lambda: visible(win, QMessageBox, "errorBox") is not None)
    assert tab.gate.currentIndex() == 0
    close_boxes(win)
    qtbot.mouseClick(tab.gate.unlock_button, Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: tab.report is not None)
    assert tab.gate.currentWidget() is tab.gate.content

    conn = store.conn()
    report = tab.report
    assert report == reports.sales_report(conn, report.start, report.end)
    assert report.total_fen == conn.execute("SELECT sum(total_fen) FROM orders").fetchone()[0]
    cost = conn.execute("SELECT sum(cost_fen) FROM order_lines").fetchone()[0]
    assert report.cost_fen == cost > 0
    profit = report.total_fen - cost
    assert tab.totals.text() == (f"销售额 ￥{report.total_fen // 100}.00 · 12 单 · 成本 ￥{yuan(cost)} · "
                                 f"毛利 ￥{yuan(profit)}（{profit / report.total_fen:.1%}）")
    assert len(tab.daily.days) == 30 and tab.daily.days[-1].amount_fen == report.total_fen
    assert tab.by_product.item(0, 5).text() == yuan(report.by_product[0].profit_fen)  # 毛利 per product
    assert [amount for _, amount in tab.chart.bars] == [r.amount_fen for r in report.by_product]
    tab.sections.setCurrentIndex(2)
    assert {label for label, _ in tab.chart.bars} == {OWNER, CASHIER}
    assert tab.by_staff.rowCount() == 2

    # The export reads as the screen does: Chinese headers, product, staff and payment names, numbers as numbers.
    db_products = dict(conn.execute("SELECT product_name, sum(quantity * unit_price_fen) FROM order_lines "
                                    "GROUP BY 1"))
    for name in ("sales.csv", "sales.xlsx"):
        path = tmp_path / name
        tab.export(path)
        qtbot.waitUntil(lambda p=path: visible(win, QMessageBox, "exportDone") is not None and p.exists())
        close_boxes(win)
        if path.suffix == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as fh:
                lines = [r for r in csv.reader(fh) if r]
            assert lines[0] == ["分类", "名称", "订单", "数量", "金额", "成本", "毛利", "毛利率"]
            products = {r[1]: Decimal(r[4]) for r in lines if r[0] == "按商品" and r[1] not in ("名称", "合计")}
            staff_names = {r[1] for r in lines if r[0] == "按员工"} - {"名称", "合计"}
            methods = {r[1] for r in lines if r[0] == "按支付方式"} - {"名称", "合计"}
        else:
            book = openpyxl.load_workbook(path)
            assert book.sheetnames == ["按商品", "按支付方式", "按员工", "按日"]
            sheet = book["按商品"]
            assert [c.value for c in sheet[1]] == ["名称", "订单", "数量", "金额", "成本", "毛利", "毛利率"]
            rows = list(sheet.iter_rows(min_row=2))
            body = rows[:next(i for i, r in enumerate(rows) if r[0].value == "合计") + 1]
            assert rows[-1][0].value == "时间范围" and isinstance(rows[-1][1].value, datetime)
            assert body[-1][0].value == "合计" and body[-1][3].value == report.total_fen / 100
            assert all(isinstance(r[3].value, int | float) and r[3].number_format == "¥#,##0.00" for r in body)
            products = {r[0].value: Decimal(str(r[3].value)) for r in body[:-1]}
            staff_names = {r[0].value for r in book["按员工"].iter_rows(min_row=2) if r[1].value} - {"合计", "时间范围"}
            methods = {r[0].value for r in book["按支付方式"].iter_rows(min_row=2) if r[1].value} - {"合计", "时间范围"}
        assert {k: int(v * 100) for k, v in products.items()} == db_products
        assert staff_names == {OWNER, CASHIER} and methods == {"现金", "扫码（静态码）"}

    tab.export(tmp_path / "no-such-folder" / "sales.csv")  # bad path: a clear message, nothing written
    qtbot.waitUntil(lambda: visible(win, QMessageBox, "errorBox") is not None)
    assert "无法写入" in visible(win, QMessageBox, "errorBox").text()
    close_boxes(win)

    win.lock()  # the unlock was for that login only
    start(qtbot, win, CASHIER, CASHIER_PIN)
    to_backoffice(qtbot, win, tab)
    assert tab.gate.currentIndex() == 0


def test_audit_viewer_verifies_and_finds_tampering(qtbot, window) -> None:
    win, session = window
    store = session.store
    seed_orders(store)
    start(qtbot, win, OWNER, OWNER_PIN)
    tab = win.backoffice.audit
    to_backoffice(qtbot, win, tab)
    total = store.conn().execute("SELECT count(*) FROM audit_log").fetchone()[0]
    qtbot.waitUntil(lambda: tab.table.rowCount() == total)
    assert tab.table.item(0, 0).text() == str(total) and tab.table.item(0, 2).text() == "登录"
    assert tab.table.item(1, 2).text() == "卖卡" and "total=￥" in tab.table.item(1, 5).text()
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.result.text().startswith("完整"))
    assert f"{total} 条" in tab.result.text()

    with store.transaction() as conn:  # someone edits the file behind the app's back
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("UPDATE audit_log SET detail = '{}' WHERE seq = 3")
    qtbot.mouseClick(tab.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.result.text().startswith("发现问题"))
    assert "第 3 条" in tab.result.text()


def test_stock_threshold_restock_with_progress_and_offline(qtbot, window) -> None:
    win, session = window
    store = session.store
    owner, _ = people(store)
    start(qtbot, win, CASHIER, CASHIER_PIN)
    tab = win.backoffice.stock
    to_backoffice(qtbot, win, tab)
    qtbot.waitUntil(lambda: tab.data is not None and tab.table.rowCount() == 8)
    row = [line.product_id for line in tab.data.lines].index("qb10")
    tab.table.setCurrentCell(row, 0)
    available = codes.available_count(store.conn(), "qb10")
    tab.threshold.setValue(available + 5)
    qtbot.mouseClick(tab.findChild(QPushButton, "saveThreshold"), Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: "Q币 10元" in tab.alert.text())
    assert store.conn().execute("SELECT low_stock_threshold FROM products WHERE id = 'qb10'").fetchone()[0] == \
        available + 5
    assert tab.table.item(row, 7).text() == "库存不足"
    entry = store.conn().execute("SELECT staff_id FROM audit_log WHERE action = 'stock_threshold'").fetchone()
    assert entry == (owner.id,)

    tab.open_restock()
    dialog = wait_visible(qtbot, win, QDialog, "restockDialog")
    assert dialog.product.currentData() == "qb10"
    dialog.quantity.setValue(15)
    # Before anything is charged: the cost and the balance after.
    unit = store.conn().execute("SELECT cost_price_fen FROM products WHERE id = 'qb10'").fetchone()[0]
    balance = int(sync_state.get(store.conn(), "balance_fen"))
    qtbot.waitUntil(lambda: f"= ￥{yuan(15 * unit)}" in dialog.quote.text())
    assert f"补货后 ￥{yuan(balance - 15 * unit)}" in dialog.quote.text()
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)  # a cashier's restock spends the owner's balance: the owner's PIN
    qtbot.waitUntil(lambda: "补货完成" in dialog.message.text(), timeout=20000)
    assert store.conn().execute("SELECT staff_id, approver_id FROM audit_log WHERE action = 'restock'").fetchone() \
        == (win.context.user.id, owner.id)
    assert dialog.progress.value() == dialog.progress.maximum() == 15 and dialog.received == 15
    assert codes.available_count(store.conn(), "qb10") == available + 15
    qtbot.waitUntil(lambda: "Q币 10元" not in tab.alert.text())  # the table reloaded: no longer low

    session.server.stop()  # the platform goes away
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: "无法连接平台" in dialog.message.text(), timeout=30000)
    assert codes.available_count(store.conn(), "qb10") == available + 15
    assert dialog.start_button.isEnabled()
    dialog.reject()

    with store.transaction() as conn:  # a revocation from the platform: quarantined, listed with its tail only
        code = conn.execute("SELECT id, card_no FROM card_codes WHERE product_id = 'qb30' AND state = 'available' "
                            "LIMIT 1").fetchone()
        codes.revoke(conn, code[0])
    tab.refresh()
    qtbot.waitUntil(lambda: tab.quarantined.rowCount() == 1)
    assert tab.quarantined.item(0, 1).text() == "…" + code[1][-4:]


def test_the_back_office_loads_the_tab_shown_and_the_others_when_opened(qtbot, window, monkeypatch) -> None:
    win, _ = window
    page = win.backoffice
    loaded: list[str] = []
    for tab in (page.shifts, page.orders, page.stock, page.reports, page.audit):
        real = tab.refresh
        monkeypatch.setattr(tab, "refresh", lambda tab=tab, real=real: (loaded.append(type(tab).__name__), real()))
    start(qtbot, win, OWNER, OWNER_PIN)
    to_backoffice(qtbot, win)
    assert loaded == ["ShiftsTab"]  # only the tab on screen
    page.tabs.setCurrentWidget(page.stock)
    page.tabs.setCurrentWidget(page.shifts)
    assert loaded == ["ShiftsTab", "StockTab"]  # opened once, loaded once
    page.start()  # F10 again: the shown tab now, every other one when next opened
    page.tabs.setCurrentWidget(page.stock)
    page.tabs.setCurrentWidget(page.reports)
    assert loaded == ["ShiftsTab", "StockTab", "ShiftsTab", "StockTab", "ReportsTab"]


def test_an_order_number_is_looked_up_once_the_typing_pauses(qtbot, window, monkeypatch) -> None:
    win, session = window
    seed_orders(session.store)
    tab = win.backoffice.orders
    start(qtbot, win, OWNER, OWNER_PIN)
    to_backoffice(qtbot, win, tab)
    qtbot.waitUntil(lambda: tab.model.total == 12)
    filters: list[history.OrderFilter] = []
    real = tab.model.set_filter
    monkeypatch.setattr(tab.model, "set_filter", lambda f: (filters.append(f), real(f)))
    number = tab.model.rows[0].number
    qtbot.keyClicks(tab.number, number)
    qtbot.waitUntil(lambda: tab.model.total == 1)
    assert filters == [history.OrderFilter(number_prefix=number)]  # one query for the whole number


def test_a_date_range_gives_local_days_for_each_preset_and_a_custom_range(qtbot) -> None:
    dates = DateRange(["today", "yesterday", "7", "30", "month", "all", "custom"], name="range", default="all")
    qtbot.addWidget(dates)
    today = date.today()
    expected = {"today": (today, today), "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
                "7": (today - timedelta(days=6), today), "30": (today - timedelta(days=29), today),
                "month": (today.replace(day=1), today), "all": None}
    for key, days in expected.items():
        with qtbot.waitSignal(dates.changed, timeout=1000):
            dates.choose(key)
        assert dates.days() == days, key
        assert not dates.first.isEnabled() and not dates.last.isEnabled()
    assert dates.utc_bounds() == (None, None)
    dates.choose("7")
    assert dates.utc_bounds(open_ended=True) == (day_start_utc(today - timedelta(days=6)), None)
    assert dates.utc_bounds() == (day_start_utc(today - timedelta(days=6)), day_start_utc(today + timedelta(days=1)))
    dates.choose("custom")
    assert dates.first.isEnabled() and dates.last.isEnabled()
    with qtbot.waitSignal(dates.changed, timeout=1000):
        dates.first.setDate(QDate(2026, 11, 1))
    dates.last.setDate(QDate(2026, 11, 3))
    assert dates.days() == (date(2026, 11, 1), date(2026, 11, 3))
    assert dates.utc_bounds(open_ended=True) == (day_start_utc(date(2026, 11, 1)), day_start_utc(date(2026, 11, 4)))


def test_void_in_the_order_detail_is_refused_before_the_pin_once_a_slip_went_to_the_printer(qtbot, window) -> None:
    """The dialog was opened while the sale could still be voided; its card slip was sent to the printer since."""
    win, session = window
    store = session.store
    _, cashier = people(store)
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine("qb10", 1)])
    start(qtbot, win, CASHIER, CASHIER_PIN)
    tab = win.backoffice.orders
    to_backoffice(qtbot, win, tab)
    qtbot.waitUntil(lambda: tab.model.total == 1)
    tab.open_detail(0)
    detail = wait_visible(qtbot, win, QDialog, "orderDetailDialog")
    qtbot.waitUntil(lambda: detail.void_button.isEnabled())
    printer = FakePrinter()  # the printer is set up and its queue runs while the dialog is open
    owner, _ = people(store)
    printer_settings.save(store, PrinterConfig(ConnectionSettings("network", host="127.0.0.1", port=printer.port)),
                staff_id=owner.id, approver_id=owner.id)
    service = PrintService(store, poll_seconds=0.05)
    service.start()
    try:
        qtbot.waitUntil(lambda: len(printer.jobs) == 2, timeout=10000)
    finally:
        service.stop()
        printer.close()
    qtbot.mouseClick(detail.void_button, Qt.MouseButton.LeftButton)
    box = wait_visible(qtbot, win, QMessageBox, "errorBox")
    assert "已显示或已开始打印" in box.text()
    assert visible(win, QDialog, "ownerDialog") is None
    qtbot.waitUntil(lambda: not detail.void_button.isEnabled())  # the dialog reloaded
    assert orders.get(store.conn(), sale.order.id).state == "fulfilled"
