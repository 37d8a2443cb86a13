"""A full day in the back office, driving the real widgets on the demo platform: close the morning shift,
open one with a float, sell, top up, void with the owner's PIN, close with a short count, and check the Z
report against the orders in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QWidget

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER, OWNER_PIN
from kameng_desk.usecases import cash_shift
from kameng_desk.usecases.errors import NoOpenShiftError
from local_cache import orders, staff
from local_cache.connection import IntegrityError
from tests.gui.conftest import log_in

pytestmark = pytest.mark.gui


def visible(win, cls: type[QWidget], name: str):
    found = [w for w in win.findChildren(cls, name) if w.isVisible()]
    return found[-1] if found else None


def wait_visible(qtbot, win, cls: type[QWidget], name: str):
    qtbot.waitUntil(lambda: visible(win, cls, name) is not None)
    return visible(win, cls, name)


def approve(qtbot, win, pin: str) -> None:
    dialog = wait_visible(qtbot, win, QDialog, "ownerDialog")
    dialog.pin.setText(pin)
    dialog.accept()


def close_boxes(win) -> None:
    for box in win.findChildren(QMessageBox):
        box.close()


def start(qtbot, win, name: str, pin: str):
    log_in(qtbot, win, name, pin)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    qtbot.waitUntil(lambda: win.counter.grid.count() > 0)


def to_backoffice(qtbot, win, tab: QWidget | None = None):
    qtbot.mouseClick(win.counter.backoffice_button, Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.backoffice
    if tab is not None:
        win.backoffice.tabs.setCurrentWidget(tab)
    return win.backoffice


def to_counter(qtbot, win) -> None:
    qtbot.mouseClick(win.backoffice.findChild(QPushButton, "backToCounter"), Qt.MouseButton.LeftButton)
    assert win.stack.currentWidget() is win.counter


def sell(qtbot, win, product_id: str, quantity: int, *, reveal: bool):
    before = win.counter.last_sale
    win.counter.add_product(product_id, quantity)
    qtbot.keyClick(win.counter.cash, Qt.Key.Key_Return)  # exact cash
    qtbot.waitUntil(lambda: win.counter.last_sale is not before)
    dialog = wait_visible(qtbot, win, QDialog, "codesDialog")
    if reveal:
        qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(lb.text().startswith("卡密 ") for lb in dialog.findChildren(QLabel)))
    dialog.accept()
    return win.counter.last_sale


def topup(qtbot, win, store, account: str = "13812345678"):
    count = orders.count(store.conn())
    win.counter.start_topup()
    dialog = wait_visible(qtbot, win, QDialog, "topupDialog")
    dialog.product.setCurrentIndex(dialog.product.findData("hf50"))
    qtbot.keyClicks(dialog.account, account)
    dialog.accept()
    qtbot.waitUntil(lambda: orders.count(store.conn()) == count + 1)
    return store.conn().execute("SELECT id FROM orders WHERE kind = 'topup' ORDER BY created_at DESC").fetchone()[0]


def close_with(qtbot, win, tab, counts: dict[int, int]):
    for fen, n in counts.items():
        tab.counts[fen].setValue(n)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    confirm = wait_visible(qtbot, win, QMessageBox, "confirmClose")  # closing asks first
    qtbot.mouseClick(confirm.findChild(QPushButton, "confirmCloseYes"), Qt.MouseButton.LeftButton)
    dialog = wait_visible(qtbot, win, QDialog, "zReportDialog")
    return dialog


def test_full_day(qtbot, window) -> None:
    win, session = window
    store = session.store
    start(qtbot, win, CASHIER, CASHIER_PIN)
    cashier = win.context.user
    owner = next(s for s in staff.list_all(store.conn()) if s.name == OWNER)

    # The demo left shift 1 open with a 500 元 float: count it exactly and close it.
    page = to_backoffice(qtbot, win)
    tab = page.shifts
    qtbot.waitUntil(lambda: tab.current is not None and tab.close_box.isVisible())
    assert tab.current.shift.seq == 1 and tab.current.expected_fen == 50000
    morning = close_with(qtbot, win, tab, {10000: 5})
    assert morning.report.seq == 1 and morning.report.shift.difference_fen == 0
    morning.accept()

    # Open shift 2 with a 200 元 float, typed in 元.
    qtbot.waitUntil(lambda: tab.open_box.isVisible())
    qtbot.keyClicks(tab.float_input, "200")
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.current is not None and tab.current.shift.seq == 2)
    assert tab.current.shift.float_fen == 20000 and "第 2 班" in tab.status.text()

    # Sales and a top-up at the counter.
    to_counter(qtbot, win)
    kept = sell(qtbot, win, "qb30", 2, reveal=True)
    voided = sell(qtbot, win, "qb10", 1, reveal=False)
    top_id = topup(qtbot, win, store)

    # The void, from the order history, with the owner's PIN (a wrong PIN first changes nothing).
    page = to_backoffice(qtbot, win, win.backoffice.orders)
    model = page.orders.model
    qtbot.waitUntil(lambda: model.total == 3 and model.rowCount() == 3)
    assert [r.id for r in model.rows] == [top_id, voided.order.id, kept.order.id]  # newest first
    page.orders.open_detail(0 + [r.id for r in model.rows].index(kept.order.id))
    detail = wait_visible(qtbot, win, QDialog, "orderDetailDialog")
    qtbot.waitUntil(lambda: detail.detail is not None)
    assert not detail.void_button.isEnabled()  # its codes were shown to the customer
    detail.reject()
    page.orders.open_detail([r.id for r in model.rows].index(voided.order.id))
    detail = wait_visible(qtbot, win, QDialog, "orderDetailDialog")
    qtbot.waitUntil(lambda: detail.void_button.isEnabled())
    qtbot.mouseClick(detail.void_button, Qt.MouseButton.LeftButton)
    approve(qtbot, win, "0000")
    qtbot.waitUntil(lambda: visible(win, QMessageBox, "errorBox") is not None)
    assert "PIN" in visible(win, QMessageBox, "errorBox").text()
    assert orders.get(store.conn(), voided.order.id).state == "fulfilled"
    close_boxes(win)
    qtbot.mouseClick(detail.void_button, Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: orders.get(store.conn(), voided.order.id).state == "voided")
    qtbot.waitUntil(lambda: detail.fields["state"].text() == "已作废" and not detail.void_button.isEnabled())
    assert detail.fields["approver"].text() == OWNER
    qtbot.waitUntil(lambda: model.rows and {r.id: r.state for r in model.rows}[voided.order.id] == "voided")
    detail.reject()
    close_boxes(win)

    # Close with a short count: 300 元 in the drawer against 200 + 60 + 50 expected.
    page.tabs.setCurrentWidget(page.shifts)
    page.start()
    expected = 20000 + kept.order.total_fen + 5000  # the voided sale's cash went back to the customer
    qtbot.waitUntil(lambda: tab.current is not None and tab.current.expected_fen == expected)
    assert tab.current.orders == 3 and f"应有现金 ￥{expected // 100}.00" in tab.status.text()
    tab.counts[10000].setValue(3)
    assert tab.difference_label.text() == "短款 ￥10.00"
    dialog = close_with(qtbot, win, tab, {10000: 3})
    z = dialog.report
    assert "Z 报表 第 2 号" in dialog.view.toPlainText() and "-10.00" in dialog.view.toPlainText()

    # The Z report's figures are the sums of that shift's orders, from the database.
    conn = store.conn()
    shift_id = z.shift.id
    rows = conn.execute("SELECT id, kind, state, topup_state, payment_method, total_fen, number FROM orders "
                        "WHERE shift_id = ?", (shift_id,)).fetchall()
    standing = [r for r in rows if r[2] == "fulfilled" and not (r[1] == "topup" and r[3] == "failed")]
    assert z.orders == len(rows) == 3
    assert z.sales_fen == sum(r[5] for r in standing) == kept.order.total_fen + 5000
    assert z.by_payment_method == {"cash": sum(r[5] for r in standing if r[4] == "cash")}
    by_product = dict(conn.execute(
        "SELECT l.product_id, sum(l.quantity * l.unit_price_fen) FROM order_lines l JOIN orders o ON o.id = l.order_id "
        "WHERE o.shift_id = ? AND o.state = 'fulfilled' GROUP BY l.product_id", (shift_id,)))
    assert {p.product_id: p.amount_fen for p in z.sales_by_product} == by_product == {"qb30": 6000, "hf50": 5000}
    assert (z.topups_count, z.topups_fen) == (1, 5000)
    assert [(a.action, a.subject, a.staff_id, a.approver_id) for a in z.voids] == [
        ("void", voided.order.id, cashier.id, owner.id)]
    assert (z.first_number, z.last_number) == (min(r[6] for r in rows), max(r[6] for r in rows))
    assert z.seq == 2 and z.shift.counted_fen == 30000 and z.shift.difference_fen == -1000
    jobs = conn.execute("SELECT count(*) FROM print_jobs WHERE kind = 'z_report'").fetchone()[0]
    assert jobs == 2  # each close queued its printed report
    dialog.accept()

    # A closed shift never changes: no form to edit it, and the database refuses.
    qtbot.waitUntil(lambda: tab.current is None and tab.open_box.isVisible())
    assert not tab.close_box.isVisible()
    assert [tab.history.item(r, 0).text() for r in range(tab.history.rowCount())] == ["2", "1"]
    assert tab.history.item(0, 6).text() == "-10.00"
    with pytest.raises(IntegrityError, match="immutable"), store.transaction() as tx:
        tx.execute("UPDATE shifts SET counted_fen = 31000 WHERE id = ?", (shift_id,))
    with pytest.raises(NoOpenShiftError):
        cash_shift.close_shift(store, staff_id=cashier.id, counts={10000: 1})
    tab.show_z(0)
    again = wait_visible(qtbot, win, QDialog, "zReportDialog")
    assert again.report == z
    again.accept()
