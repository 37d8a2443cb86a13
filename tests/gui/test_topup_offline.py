"""A top-up taken while the platform is down: recorded at once, queued, and the cashier sees it succeed later."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from kameng_desk.demo import CASHIER, CASHIER_PIN
from kameng_platform.server import serve_in_thread
from local_cache import orders
from tests.gui.conftest import log_in

pytestmark = pytest.mark.gui


def test_topup_while_the_platform_is_down_then_succeeds_when_it_is_back(qtbot, window) -> None:
    win, session = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter and bool(win.counter.topup_products()))
    port = urlparse(session.server.base_url).port
    session.server.stop()
    session.engine.start()  # the sync thread, as the app runs it

    qtbot.keyClick(win.counter.search, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: win.findChild(QDialog, "topupDialog") is not None)
    dialog = win.findChild(QDialog, "topupDialog")
    qtbot.keyClicks(dialog.account, "13800138000")
    assert "移动" in dialog.carrier.text()
    dialog.accept()
    qtbot.waitUntil(lambda: "排队中" in win.statusBar().currentMessage())
    order_id = session.store.conn().execute("SELECT id FROM orders WHERE kind = 'topup'").fetchone()[0]
    assert orders.get(session.store.conn(), order_id).topup_state == "queued"
    session.engine.wake()
    qtbot.waitUntil(lambda: win.banner.isVisible() and "离线" in win.banner.text(), timeout=15_000)

    session.server = serve_in_thread(session.platform_settings, port=port)
    session.engine.wake()
    qtbot.waitUntil(lambda: orders.get(session.store.conn(), order_id).topup_state == "succeeded", timeout=30_000)
    # Said where the cashier looks (above the cart), not only in the status bar (issue #15).
    number = orders.get(session.store.conn(), order_id).number
    qtbot.waitUntil(lambda: win.counter.outcome.isVisible()
                    and f"订单 {number}：充值成功" in win.counter.outcome.text(), timeout=15_000)
    qtbot.waitUntil(lambda: not win.banner.isVisible(), timeout=15_000)
