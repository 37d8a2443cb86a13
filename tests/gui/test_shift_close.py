"""Closing a shift: a blind count option (the owner's, audited), a confirmation, voids listed in the Z report."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER, OWNER_PIN
from kameng_desk.usecases import cash_shift
from kameng_desk.usecases.handover import void_sale
from local_cache import shifts, staff
from tests.gui.test_backoffice_day import approve, sell, start, to_backoffice, wait_visible

pytestmark = pytest.mark.gui


def test_blind_count_confirmation_and_voids_in_the_z_report(qtbot, window) -> None:
    win, session = window
    store = session.store
    start(qtbot, win, CASHIER, CASHIER_PIN)
    owner = next(s for s in staff.list_all(store.conn()) if s.name == OWNER)
    kept = sell(qtbot, win, "qb30", 1, reveal=False)
    voided = sell(qtbot, win, "qb10", 1, reveal=False)
    void_sale(store, order_id=voided.order.id, staff_id=win.context.user.id, approver_id=owner.id)

    page = to_backoffice(qtbot, win)
    tab = page.shifts
    page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.current is not None and tab.close_box.isVisible())
    expected = 50_000 + kept.order.total_fen
    assert tab.current.expected_fen == expected and "应有现金" in tab.status.text()

    # The owner turns the blind count on (a cashier's click asks for the owner's PIN).
    qtbot.mouseClick(tab.blind_box, Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: tab.blind and tab.blind_box.isChecked())
    assert cash_shift.blind_count(store.conn())
    assert store.conn().execute("SELECT approver_id FROM audit_log WHERE action = 'settings' "
                                "AND subject = 'shift_blind_count'").fetchone() == (owner.id,)
    qtbot.waitUntil(lambda: tab.current is not None and tab.current.expected_fen is None)
    shown = tab.status.text() + tab.expected_label.text() + tab.difference_label.text()
    assert f"{expected // 100}.00" not in shown and "交班后显示" in shown  # the cashier counts blind

    # Closing asks first; 取消 (the default, so a reflex Enter) keeps the shift open.
    tab.counts[10000].setValue(5)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    confirm = wait_visible(qtbot, win, QMessageBox, "confirmClose")
    assert "500.00" in confirm.text() and confirm.defaultButton() is not confirm.findChild(
        QPushButton, "confirmCloseYes")
    qtbot.keyClick(confirm, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not confirm.isVisible())
    assert shifts.current(store.conn()) is not None
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    confirm = wait_visible(qtbot, win, QMessageBox, "confirmClose")
    qtbot.mouseClick(confirm.findChild(QPushButton, "confirmCloseYes"), Qt.MouseButton.LeftButton)
    dialog = wait_visible(qtbot, win, QDialog, "zReportDialog")
    text = dialog.view.toPlainText()
    # After the close the Z report shows what was expected and the difference, and the void with its number.
    assert dialog.report.shift.expected_fen == expected and f"{expected // 100}.00" in text
    assert f"-{kept.order.total_fen // 100}.00" in text  # 500 counted against 500 + the sale
    assert voided.order.number in text and f"{voided.order.total_fen // 100}.00" in text
    assert "毛利" in text
