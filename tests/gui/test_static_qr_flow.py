"""Offline payment by the shop's own QR: set up by the owner in settings, offered when the platform cannot
make a payment QR, recorded as qr_static with the cashier's audited 收到款项."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from kameng_desk.usecases import static_qr
from local_cache import audit, orders
from tests.gui.conftest import approve_as_owner, open_settings

pytestmark = pytest.mark.gui


def _visible(win, name: str) -> QDialog | None:
    return next((d for d in win.findChildren(QDialog) if d.objectName() == name and d.isVisible()), None)


def test_shop_qr_when_the_platform_is_down(qtbot, window) -> None:
    win, session = window
    settings = open_settings(qtbot, win)
    page = settings.static_qr
    settings.setCurrentWidget(page)
    page.text.setText("wxp://f2f0-shop-collection-code")
    page.save_text()
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: page.result.text() == "收款码已保存。")
    assert static_qr.load(session.store.conn()).text == "wxp://f2f0-shop-collection-code"

    win.backoffice.tabs.setFocus()
    qtbot.keyClick(win.backoffice.tabs, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    session.server.stop()
    counter = win.counter
    qtbot.waitUntil(lambda: counter.grid.count() > 0)
    counter.add_product("qb10")
    qtbot.keyClick(counter.search, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: _visible(win, "staticQrDialog") is not None, timeout=15_000)
    dialog = _visible(win, "staticQrDialog")
    assert "连不上平台" in dialog.findChild(type(dialog.message), "staticReason").text()
    assert not dialog.findChild(type(dialog.message), "staticQrImage").pixmap().isNull()
    dialog.confirm_button.click()  # a click is not the deliberate act: held for HOLD_MS it is
    assert dialog.isVisible()
    qtbot.mousePress(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.findChild(QDialog, "codesDialog") is not None, timeout=10_000)
    qtbot.mouseRelease(dialog.confirm_button, Qt.MouseButton.LeftButton)
    sale = counter.last_sale
    order = orders.get(session.store.conn(), sale.order.id)
    assert (order.state, order.payment_method, len(sale.codes)) == ("fulfilled", "qr_static", 1)
    confirmations = [e for e in audit.entries(session.store.conn(), limit=20) if e.action == "static_qr_confirm"]
    assert confirmations and confirmations[0].subject == order.id
