"""Low stock at the counter (a tile badge, a one-time notice when a sale takes a product below its threshold) and the
owner's automatic restock in 后台 → 库存 (keep N codes, a daily budget, both behind the owner's PIN)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox, QPushButton

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER, OWNER_PIN
from kameng_desk.gui.app import STYLE
from kameng_desk.gui.main_window import LOW_STOCK_COLOUR, SOLD_OUT_COLOUR
from kameng_desk.records.money import yuan
from kameng_desk.usecases import restock_policy
from local_cache import audit, staff
from tests.gui.test_backoffice_day import approve, close_boxes, sell, start, to_backoffice, visible

pytestmark = pytest.mark.gui


def leave_on_shelf(store, product_id: str, n: int) -> None:
    """All but `n` of a product's codes out of sale (quarantined), as if sold elsewhere."""
    with store.transaction() as conn:
        ids = conn.execute("SELECT id FROM card_codes WHERE product_id = ? AND state = 'available' ORDER BY id",
                           (product_id,)).fetchall()
        conn.executemany("UPDATE card_codes SET state = 'quarantined' WHERE id = ?", ids[n:])


def tile(win, product_id: str):
    grid = win.counter.grid
    return next(grid.item(i) for i in range(grid.count()) if grid.item(i).data(Qt.ItemDataRole.UserRole) == product_id)


def test_tiles_show_low_and_sold_out(qtbot, window) -> None:
    win, session = window
    start(qtbot, win, CASHIER, CASHIER_PIN)
    leave_on_shelf(session.store, "qb10", 2)  # threshold 5
    leave_on_shelf(session.store, "qb30", 0)
    win.counter.reload()
    qtbot.waitUntil(lambda: "库存低 2" in tile(win, "qb10").text())
    assert tile(win, "qb10").foreground().color().name() == LOW_STOCK_COLOUR
    assert tile(win, "qb30").text().endswith("售罄")
    assert tile(win, "qb30").foreground().color().name() == SOLD_OUT_COLOUR
    normal = tile(win, "qb100")
    assert normal.text().endswith("库存 10") and normal.foreground().style() == Qt.BrushStyle.NoBrush
    # Drawn in its colour under the app's style sheet (a text colour on the tiles' ::item rule would hide it).
    win.setStyleSheet(STYLE)
    grid = win.counter.grid
    qtbot.waitUntil(lambda: orange_pixels(grid.viewport().grab(grid.visualItemRect(tile(win, "qb10"))).toImage()) > 20)
    assert orange_pixels(grid.viewport().grab(grid.visualItemRect(normal)).toImage()) == 0


def orange_pixels(image) -> int:
    want = QColor(LOW_STOCK_COLOUR)
    near = [(c.red(), c.green(), c.blue()) for c in (image.pixelColor(x, y) for x in range(image.width())
                                                      for y in range(image.height()))]
    return sum(1 for r, g, b in near if max(abs(r - want.red()), abs(g - want.green()), abs(b - want.blue())) < 40)


def test_a_sale_below_the_threshold_says_so_once(qtbot, window) -> None:
    win, session = window
    start(qtbot, win, CASHIER, CASHIER_PIN)
    leave_on_shelf(session.store, "qb10", 6)
    win.counter.reload()
    qtbot.waitUntil(lambda: tile(win, "qb10").text().endswith("库存 6"))
    sell(qtbot, win, "qb10", 2, reveal=False)
    banner = win.counter.outcome
    qtbot.waitUntil(lambda: banner.isVisible() and "库存仅剩 4 张" in banner.text())
    assert banner.text() == "Q币 10元 库存仅剩 4 张，请补货" and banner.property("kind") == "warning"
    assert "库存低 4" in tile(win, "qb10").text()
    win.counter.announce("下一位顾客", "info")
    sell(qtbot, win, "qb10", 1, reveal=False)  # already low: not said again
    qtbot.waitUntil(lambda: "库存低 3" in tile(win, "qb10").text())
    assert banner.text() == "下一位顾客"


def test_the_owner_is_told_where_to_restock(qtbot, window) -> None:
    win, session = window
    start(qtbot, win, OWNER, OWNER_PIN)
    leave_on_shelf(session.store, "wy50", 5)
    win.counter.reload()
    qtbot.waitUntil(lambda: tile(win, "wy50").text().endswith("库存 5"))
    sell(qtbot, win, "wy50", 1, reveal=False)
    banner = win.counter.outcome
    qtbot.waitUntil(lambda: "库存仅剩 4 张" in banner.text())
    assert banner.text().endswith("（F10 → 库存 → 补货建议）")


def test_the_owner_sets_automatic_restock_and_the_budget_with_the_pin(qtbot, window) -> None:
    win, session = window
    store = session.store
    start(qtbot, win, CASHIER, CASHIER_PIN)
    tab = win.backoffice.stock
    to_backoffice(qtbot, win, tab)
    qtbot.waitUntil(lambda: tab.data is not None and tab.policy is not None and tab.table.rowCount() > 0)
    row = [line.product_id for line in tab.data.lines].index("qb10")
    tab.table.setCurrentCell(row, 0)
    assert tab.table.item(row, 11).text() == "保持 10 张"  # the demo's owner opted in
    assert tab.keep.value() == 10
    tab.keep.setValue(15)
    qtbot.mouseClick(tab.findChild(QPushButton, "saveAutoRestock"), Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: tab.table.item(row, 11).text() == "保持 15 张")
    assert restock_policy.overview(store.conn()).keep["qb10"] == 15
    owner = next(s for s in staff.list_all(store.conn()) if s.name == OWNER)
    entry = audit.entries(store.conn(), limit=1)[0]
    assert (entry.action, entry.subject, entry.approver_id, entry.detail) == (
        "restock_policy", "qb10", owner.id, {"from": 10, "to": 15})

    tab.keep.setValue(0)  # 关闭: no automatic restock for qb10
    assert tab.keep.text() == "关闭"
    qtbot.mouseClick(tab.findChild(QPushButton, "saveAutoRestock"), Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: tab.table.item(row, 11).text() == "")
    assert "qb10" not in restock_policy.overview(store.conn()).keep

    tab.budget.setText("abc")  # a slip is refused in words, before any PIN
    qtbot.keyClick(tab.budget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: visible(win, QMessageBox, "errorBox") is not None)
    assert "每日预算" in visible(win, QMessageBox, "errorBox").text()
    close_boxes(win)
    tab.budget.setText("0")
    qtbot.keyClick(tab.budget, Qt.Key.Key_Return)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: tab.spent.text() == "自动补货未开启（预算为 0）")
    tab.budget.setText("200")
    qtbot.keyClick(tab.budget, Qt.Key.Key_Return)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: tab.spent.text().endswith("/ 预算 ￥200.00"))
    plan = restock_policy.overview(store.conn())
    assert plan.budget_fen == 200_00 and plan.spent_today_fen > 0  # the demo's first codes came automatically
    assert tab.spent.text() == f"今日自动补货 ￥{yuan(plan.spent_today_fen)} / 预算 ￥200.00"
