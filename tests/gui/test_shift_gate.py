"""No cash sale outside a shift: the demo counter starts without one, and the first cash sale asks for the float."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from kameng_desk.demo import CASHIER, CASHIER_PIN
from local_cache import shifts
from tests.gui.conftest import log_in

pytestmark = pytest.mark.gui


def _visible(win, name: str) -> QDialog | None:
    return next((d for d in win.findChildren(QDialog) if d.objectName() == name and d.isVisible()), None)


def _scan_qb30_and_pay(qtbot, win) -> None:
    counter = win.counter
    qtbot.waitUntil(lambda: counter.grid.count() > 0)
    counter.search.setFocus()
    qtbot.keyClick(counter.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # replace what is there
    qtbot.keyClicks(counter.search, "qb30")
    qtbot.keyClick(counter.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: counter.table.rowCount() == 1)
    qtbot.keyClick(counter.cash, Qt.Key.Key_Return)  # exact cash


def _orders(session) -> list[tuple[str, str | None]]:
    return session.store.conn().execute("SELECT number, shift_id FROM orders ORDER BY number").fetchall()


def test_first_cash_sale_counts_the_float_then_sells(qtbot, fresh_window) -> None:
    win, session = fresh_window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    assert shifts.current(session.store.conn()) is None  # the demo counts its float like any shop
    _scan_qb30_and_pay(qtbot, win)
    qtbot.waitUntil(lambda: _visible(win, "floatDialog") is not None)
    dialog = _visible(win, "floatDialog")
    assert _orders(session) == []  # nothing sold before the float is in
    qtbot.keyClicks(dialog.amount, "5o0")  # a slip: Enter does not open a shift with a wrong float
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.amount.text() == "5o0" and dialog.hint.text()
    dialog.amount.selectAll()
    qtbot.keyClicks(dialog.amount, "500")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _visible(win, "codesDialog") is not None)
    shift = shifts.current(session.store.conn())
    assert shift is not None and shift.float_fen == 50_000
    assert [s for _, s in _orders(session)] == [shift.id]
    _visible(win, "codesDialog").reject()
    win.activateWindow()  # as a window manager would; the offscreen platform leaves no window active

    # The next cash sale goes straight through: the float is asked for once per shift.
    _scan_qb30_and_pay(qtbot, win)
    qtbot.waitUntil(lambda: len(_orders(session)) == 2)
    assert _visible(win, "floatDialog") is None
    assert {s for _, s in _orders(session)} == {shift.id}


def test_cancelling_the_float_sells_nothing(qtbot, fresh_window) -> None:
    win, session = fresh_window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    _scan_qb30_and_pay(qtbot, win)
    qtbot.waitUntil(lambda: _visible(win, "floatDialog") is not None)
    qtbot.keyClick(_visible(win, "floatDialog").amount, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: _visible(win, "floatDialog") is None)
    assert _orders(session) == [] and shifts.current(session.store.conn()) is None
    assert win.counter.table.rowCount() == 1  # the cart is kept for when the float is counted
    win.activateWindow()
    # Asking again is possible (the gate is not stuck waiting for the cancelled dialog).
    qtbot.keyClick(win.counter.cash, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _visible(win, "floatDialog") is not None)
