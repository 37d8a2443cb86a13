"""后台 → 库存 for the owner: the retail price (PIN asked; the counter sells at it at once) and the one-step
restock suggestion for a low product."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER_PIN
from kameng_desk.usecases import stock
from local_cache import catalog, codes
from tests.gui.test_backoffice_day import (
    approve,
    close_boxes,
    sell,
    start,
    to_backoffice,
    to_counter,
    visible,
    wait_visible,
)

pytestmark = pytest.mark.gui


def test_owner_price_shows_and_sells_at_the_counter(qtbot, window) -> None:
    win, session = window
    store = session.store
    start(qtbot, win, CASHIER, CASHIER_PIN)
    suggested = catalog.get(store.conn(), "qb30").retail_price_fen
    tab = win.backoffice.stock
    to_backoffice(qtbot, win, tab)
    qtbot.waitUntil(lambda: tab.data is not None and tab.table.rowCount() > 0)
    row = [line.product_id for line in tab.data.lines].index("qb30")
    tab.table.setCurrentCell(row, 0)
    assert tab.price.text() == f"{suggested // 100}.00"
    tab.price.selectAll()
    qtbot.keyClicks(tab.price, "abc")  # a slip is refused in words, nothing asked or changed
    qtbot.keyClick(tab.price, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: visible(win, QMessageBox, "errorBox") is not None)
    assert "售价" in visible(win, QMessageBox, "errorBox").text()
    close_boxes(win)
    tab.price.selectAll()
    qtbot.keyClicks(tab.price, "32.50")
    qtbot.keyClick(tab.price, Qt.Key.Key_Return)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: tab.table.item(row, 8) is not None and tab.table.item(row, 8).text() == "32.50")
    assert tab.table.item(row, 9).text() == f"{suggested // 100}.00"  # the suggested price stays in view

    to_counter(qtbot, win)
    qtbot.waitUntil(lambda: any("32.50" in win.counter.grid.item(i).text() for i in range(win.counter.grid.count())))
    sale = sell(qtbot, win, "qb30", 2, reveal=False)
    assert sale.order.total_fen == 6500


def test_low_stock_one_step_restock_suggestion(qtbot, window) -> None:
    win, session = window
    store = session.store
    start(qtbot, win, CASHIER, CASHIER_PIN)
    with store.transaction() as conn:  # qb10 runs low: 2 left against a threshold of 8
        conn.execute("UPDATE products SET low_stock_threshold = 8 WHERE id = 'qb10'")
        left = conn.execute("SELECT id FROM card_codes WHERE product_id = 'qb10' AND state = 'available' "
                            "ORDER BY id").fetchall()
        conn.executemany("UPDATE card_codes SET state = 'quarantined' WHERE id = ?", left[2:])
    tab = win.backoffice.stock
    to_backoffice(qtbot, win, tab)
    suggest = tab.findChild(QPushButton, "suggestRestock")
    qtbot.waitUntil(lambda: suggest.isVisible())
    assert "14" in suggest.text()  # back to twice the threshold: 16 - 2
    qtbot.mouseClick(suggest, Qt.MouseButton.LeftButton)
    dialog = wait_visible(qtbot, win, QDialog, "restockDialog")
    assert (dialog.product.currentData(), dialog.quantity.value()) == ("qb10", 14)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: "补货完成" in dialog.message.text(), timeout=20000)
    assert codes.available_count(store.conn(), "qb10") == 16
    qtbot.waitUntil(lambda: not suggest.isVisible())
    assert stock.suggested_quantity(next(x for x in tab.data.lines if x.product_id == "qb10")) == 0


def test_a_restock_the_balance_cannot_pay_cannot_start(qtbot, window) -> None:
    win, _ = window
    start(qtbot, win, CASHIER, CASHIER_PIN)
    tab = win.backoffice.stock
    to_backoffice(qtbot, win, tab)
    qtbot.waitUntil(lambda: tab.data is not None and tab.data.balance_fen is not None)
    line = next(x for x in tab.data.lines if x.cost_fen)
    too_many = min(stock.MAX_RESTOCK, tab.data.balance_fen // line.cost_fen + 1)
    tab.open_restock(line.product_id, too_many)
    dialog = wait_visible(qtbot, win, QDialog, "restockDialog")
    qtbot.waitUntil(lambda: "余额不足" in dialog.quote.text())
    assert f"= ￥{too_many * line.cost_fen // 100}." in dialog.quote.text() and not dialog.start_button.isEnabled()
    dialog.quantity.setValue(1)  # within the balance: the quote says so and the start is possible again
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled() and "余额不足" not in dialog.quote.text())
