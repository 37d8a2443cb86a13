"""The counter at the screen sizes shops really have (1024×768 and up): everything the cashier needs is on screen,
outcomes show above the cart, and the counter says who is logged in."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QDialog, QWidget

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER_PIN
from kameng_desk.gui import main_window
from kameng_desk.gui.app import STYLE
from local_cache import orders
from tests.gui.conftest import approve_as_owner, log_in
from tests.gui.keys import type_by_hand

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def app_style(qapp):
    """The app's own style (prepare_app sets it; the test session runs without): its 15 px text is what sizes
    the buttons and columns a cashier sees."""
    before = qapp.styleSheet()
    qapp.setStyleSheet(STYLE)
    yield
    qapp.setStyleSheet(before)


def inside(win: QWidget, widget: QWidget) -> bool:
    """Shown, wholly within the window's client area, and not squeezed below the size its content needs."""
    if not widget.isVisible():
        return False
    rect = QRect(widget.mapTo(win, widget.rect().topLeft()), widget.size())
    hint = widget.minimumSizeHint()
    return win.rect().contains(rect) and widget.width() >= hint.width() and widget.height() >= hint.height()


def logged_in_with_cart(qtbot, win) -> None:
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter and win.counter.grid.count() > 0)
    for pid in ("qb30", "wy100", "sd30"):
        win.counter.add_product(pid)


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)])
def test_every_button_the_cart_columns_and_the_outcome_fit(qtbot, window, size) -> None:
    win, _ = window
    win.resize(*size)
    logged_in_with_cart(qtbot, win)
    counter = win.counter
    counter.announce("订单 0001 已作废", "ok")
    qtbot.waitUntil(lambda: win.size().width() == size[0] and win.size().height() == size[1])
    named = {"search": counter.search, "grid": counter.grid, "cart": counter.table, "total": counter.total_label,
             "cash": counter.cash, "change": counter.change_label, "checkout F12": counter.checkout_button,
             "QR F11": counter.qr_button, "top-up F5": counter.topup_button, "void F7": counter.void_button,
             "clear Esc": counter.clear_button, "drawer": counter.drawer_button,
             "back office F10": counter.backoffice_button, "lock F9": counter.lock_button,
             "outcome": counter.outcome, "who": counter.who, "sync status": win.sync_label,
             "status bar": win.statusBar()}
    cut = [name for name, widget in named.items() if not inside(win, widget)]
    assert not cut, f"cut off at {size}: {cut}"
    header, viewport = counter.table.horizontalHeader(), counter.table.viewport()
    for column in range(counter.table.columnCount()):
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert header.sectionViewportPosition(column) >= 0 and right <= viewport.width(), f"column {column}"
    assert header.sectionSize(0) >= 120  # the product name is readable, not squeezed by the number columns


def test_the_window_fits_the_screen_it_opens_on(qtbot, window) -> None:
    win, _ = window
    available = win.screen().availableGeometry().size()  # the test screen is 800×800: smaller than any counter's
    hint = win.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768  # nothing forces a 1024×768 counter to grow
    assert win.size() == main_window.PREFERRED_SIZE.boundedTo(available).expandedTo(hint)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_no_page_makes_the_window_wider_than_a_1024_screen(qtbot, window, language) -> None:
    """The window is as wide as its widest page, loaded: the English stock tab once made it 1,297 px wide."""
    win, _ = window
    try:
        win.change_language(language)
        log_in(qtbot, win, CASHIER, CASHIER_PIN)
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
        win.open_backoffice()
        tabs = win.backoffice.tabs
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            qtbot.wait(100)  # each tab loads its rows when shown
        hint = win.minimumSizeHint()
        assert hint.width() <= 1024 and hint.height() <= 768, {
            tabs.tabText(i): tabs.widget(i).minimumSizeHint().width() for i in range(tabs.count())}
    finally:
        win.change_language("zh_CN")


def test_the_counter_shows_who_is_logged_in(qtbot, window) -> None:
    win, _ = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    assert win.counter.who.text() == f"收银员：{CASHIER}" and win.counter.who.isVisible()


def test_outcomes_show_above_the_cart_and_go_after_a_while(qtbot, window) -> None:
    win, session = window
    win.resize(1024, 768)
    logged_in_with_cart(qtbot, win)
    counter = win.counter

    # A top-up: queued, said where the cashier looks.
    qtbot.keyClick(counter.search, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: win.findChild(QDialog, "topupDialog") is not None)
    dialog = win.findChild(QDialog, "topupDialog")
    type_by_hand(qtbot, "13800138000", dialog.account)  # a scanner's Enter would not confirm it
    qtbot.keyClick(dialog.account, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counter.outcome.isVisible() and "排队中" in counter.outcome.text())
    assert inside(win, counter.outcome)
    top = counter.outcome.mapTo(win, QPoint(0, 0)).y()
    assert top + counter.outcome.height() <= counter.table.mapTo(win, QPoint(0, 0)).y()  # above the cart

    # Offline: said once when it happens, and once when the platform is back.
    online = session.engine.status()
    win.show_status(replace(online, paired=True, online=False))
    assert "离线" in counter.outcome.text()
    counter.outcome.hide()
    win.show_status(replace(online, paired=True, online=False))
    assert not counter.outcome.isVisible()  # the same state again is not news
    win.show_status(replace(online, paired=True, online=True))
    assert "恢复联网" in counter.outcome.text()

    # A void: done, above the cart.
    counter.clear_cart()
    counter.add_product("qb10")
    qtbot.keyClick(counter.cash, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.findChild(QDialog, "codesDialog") is not None)
    win.findChild(QDialog, "codesDialog").reject()
    sale = counter.last_sale
    qtbot.mouseClick(counter.void_button, Qt.MouseButton.LeftButton)
    approve_as_owner(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: orders.get(session.store.conn(), sale.order.id).state == "voided")
    qtbot.waitUntil(lambda: f"订单 {sale.order.number} 已作废" in counter.outcome.text())
    assert counter.outcome.property("kind") == "ok"

    counter.announce("短暂消息", "info", ms=50)
    qtbot.waitUntil(lambda: not counter.outcome.isVisible(), timeout=2000)
