"""The real counter widgets driven with pytest-qt, on the embedded demo platform."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER_PIN
from kameng_desk.gui.dialogs import grouped
from local_cache import audit, orders
from tests.gui.conftest import approve_as_owner, log_in

pytestmark = pytest.mark.gui


def sell_two_qb(qtbot, win) -> QDialog:
    counter = win.counter
    qtbot.waitUntil(lambda: counter.grid.count() > 0)
    qtbot.keyClicks(counter.search, "qb")
    qtbot.waitUntil(lambda: counter.grid.count() == 3)
    assert all("Q币" in counter.grid.item(i).text() for i in range(3))
    qtbot.keyClick(counter.search, Qt.Key.Key_Backspace)
    qtbot.keyClicks(counter.search, "b30")  # one hit: Enter adds it, as a barcode scan would
    qtbot.keyClick(counter.search, Qt.Key.Key_Return)
    counter.add_product("qb30")
    assert counter.table.rowCount() == 1 and counter.table.cellWidget(0, 1).value() == 2
    qtbot.keyClicks(counter.cash, "100")
    assert "40.00" in counter.change_label.text()
    qtbot.keyClick(counter.cash, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.findChild(QDialog, "codesDialog") is not None)
    return win.findChild(QDialog, "codesDialog")


def test_wrong_pin_then_login(qtbot, window) -> None:
    win, _ = window
    log_in(qtbot, win, CASHIER, "0000")
    qtbot.waitUntil(lambda: "PIN" in win.login.message.text())
    assert win.stack.currentWidget() is win.login
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)


def test_sell_two_codes_with_cash_reveal_and_lock(qtbot, window) -> None:
    win, session = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    dialog = sell_two_qb(qtbot, win)
    labels = [lb.text() for lb in dialog.findChildren(QLabel)]
    assert any("40.00" in t for t in labels)  # change due
    assert sum(t == dialog.MASK for t in labels) == 4  # hidden until shown to the customer
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: sum(lb.text().startswith("卡密 ") for lb in dialog.findChildren(QLabel)) == 2)
    sale = win.counter.last_sale
    shown = {lb.text() for lb in dialog.findChildren(QLabel)}
    assert {f"卡密 {grouped(c.card_secret)}" for c in sale.codes} <= shown
    assert orders.get(session.store.conn(), sale.order.id).total_fen == 6000
    queued = session.store.conn().execute(
        "SELECT kind, state FROM print_jobs WHERE order_id = ? ORDER BY created_at", (sale.order.id,)).fetchall()
    assert sorted(k for k, _ in queued) == ["card_slip", "card_slip", "sale_receipt"]  # the slips wait to print
    # Lock hides everything: the dialog closes, the cart is empty, the login screen shows.
    win.counter.add_product("qb10")
    win.lock()
    assert win.stack.currentWidget() is win.login and win.counter.table.rowCount() == 0
    assert not dialog.isVisible()


def test_void_needs_the_owners_pin(qtbot, window) -> None:
    win, session = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    sell_two_qb(qtbot, win).reject()
    sale = win.counter.last_sale

    def owner_dialog() -> QDialog:
        win.void_last()
        qtbot.waitUntil(lambda: win.findChild(QDialog, "ownerDialog") is not None
                        and win.findChild(QDialog, "ownerDialog").isVisible())
        return win.findChild(QDialog, "ownerDialog")

    dialog = owner_dialog()
    dialog.pin.setText("0000")
    dialog.accept()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in win.findChildren(QMessageBox, "errorBox")))
    assert orders.get(session.store.conn(), sale.order.id).state == "fulfilled"
    for box in win.findChildren(QMessageBox, "errorBox"):
        box.close()
        box.setObjectName("seen")
    dialog.setObjectName("usedOwnerDialog")
    dialog = owner_dialog()
    dialog.pin.setText(OWNER_PIN)
    dialog.accept()
    qtbot.waitUntil(lambda: orders.get(session.store.conn(), sale.order.id).state == "voided")


def test_drawer_without_a_sale_needs_an_owner_and_is_recorded(qtbot, window) -> None:
    win, session = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    win.counter.drawer_button.click()
    approve_as_owner(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: "钱箱已打开" in win.statusBar().currentMessage())
    entry = audit.entries(session.store.conn(), limit=1)[0]
    assert entry.action == "drawer_open" and entry.approver_id and entry.approver_id != entry.staff_id
    kinds = [k for (k,) in session.store.conn().execute("SELECT kind FROM print_jobs")]
    assert kinds == ["drawer_kick"]


def test_category_tabs_and_quantities_in_the_cart(qtbot, window) -> None:
    win, _ = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    counter = win.counter
    qtbot.waitUntil(lambda: counter.categories.count() == 3)  # 全部, 腾讯 Q币, 游戏点卡 (top-ups have F5)
    assert [counter.categories.tabText(i) for i in range(3)] == ["全部", "腾讯 Q币", "游戏点卡"]
    everything = counter.grid.count()
    counter.categories.setCurrentIndex(1)
    shown = [counter.grid.item(i).data(Qt.ItemDataRole.UserRole) for i in range(counter.grid.count())]
    assert sorted(shown) == ["qb10", "qb100", "qb30"] and everything > 3
    counter.reload()  # a sync reloads the catalog: the chosen category stays
    qtbot.waitUntil(lambda: counter.grid.count() == 3 and counter.categories.currentIndex() == 1)

    counter.add_product("qb30")
    counter.add_product("qb10")
    counter.table.cellWidget(0, 1).setValue(4)
    assert counter.cart.lines == {"qb30": 4, "qb10": 1}
    assert counter.table.item(0, 3).text() == "120.00" and "130.00" in counter.total_label.text()
    counter.table.cellWidget(1, 1).setValue(0)  # 0 takes the line out
    qtbot.waitUntil(lambda: counter.table.rowCount() == 1)
    assert counter.cart.lines == {"qb30": 4} and "120.00" in counter.total_label.text()


def test_void_of_a_sale_whose_codes_were_shown_is_refused_before_the_owners_pin(qtbot, window) -> None:
    """F7 on a sale the customer may hold: the cashier is told at once, no owner is called over for a PIN."""
    win, session = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    dialog = sell_two_qb(qtbot, win)
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    sale = win.counter.last_sale
    qtbot.waitUntil(lambda: orders.codes_handed_over_at(session.store.conn(), sale.order.id) is not None)
    dialog.accept()
    win.void_last()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in win.findChildren(QMessageBox, "errorBox")))
    [box] = [b for b in win.findChildren(QMessageBox, "errorBox") if b.isVisible()]
    assert "不能作废" in box.text() and "已显示或已开始打印" in box.text()
    assert not any(d.isVisible() for d in win.findChildren(QDialog, "ownerDialog"))
    assert orders.get(session.store.conn(), sale.order.id).state == "fulfilled"
