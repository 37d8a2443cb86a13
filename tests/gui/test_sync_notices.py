"""What the sync thread tells the cashier: a QR payment it settled after the cashier's cancel could not reach the
platform, and a round that failed with an unexpected error (then recovered)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from kameng_desk.demo import CASHIER, CASHIER_PIN
from kameng_desk.usecases.syncing import SyncEngine
from kameng_platform.server import serve_in_thread
from local_cache import codes, orders
from tests.gui.conftest import log_in

pytestmark = pytest.mark.gui


def visible_box(win, name: str) -> QMessageBox | None:
    return next((b for b in win.findChildren(QMessageBox) if b.objectName() == name and b.isVisible()), None)


def test_a_cancel_that_could_not_reach_the_platform_is_settled_and_announced(qtbot, window) -> None:
    win, session = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    counter = win.counter
    qtbot.waitUntil(lambda: "qb30" in counter.products)
    before = counter.stock.get("qb30")
    counter.add_product("qb30", 1)
    counter.checkout_qr()
    qtbot.waitUntil(lambda: win.findChild(QDialog, "paymentDialog") is not None)
    port = urlparse(session.server.base_url).port
    session.server.stop()
    win.findChild(QDialog, "paymentDialog").cancel_payment()
    qtbot.waitUntil(lambda: any("联网后自动核对" in b.text() for b in win.findChildren(QMessageBox)
                                if b.isVisible()), timeout=10_000)
    # Still reserved: nobody knows yet whether the customer paid.
    assert codes.available_count(session.store.conn(), "qb30") == before - 1
    order_id, number = session.store.conn().execute(
        "SELECT id, number FROM orders WHERE state = 'awaiting_payment'").fetchone()

    session.server = serve_in_thread(session.platform_settings, port=port)
    session.engine.start()  # the sync thread, as the app runs it
    qtbot.waitUntil(lambda: visible_box(win, "paymentSettledBox") is not None, timeout=30_000)
    text = f"扫码订单 {number} 未付款，已取消：卡密已放回库存。"
    assert visible_box(win, "paymentSettledBox").text() == text
    assert win.statusBar().currentMessage() == text
    qtbot.waitUntil(lambda: counter.stock.get("qb30") == before, timeout=5000)
    assert orders.get(session.store.conn(), order_id).state == "cancelled"


def test_an_unexpected_error_is_shown_and_the_next_round_clears_it(qtbot, window, monkeypatch) -> None:
    win, session = window
    pull = SyncEngine._pull
    bugs = [RuntimeError("a bug")]

    def buggy_pull(self, client) -> None:
        if bugs:
            raise bugs.pop()
        pull(self, client)
    monkeypatch.setattr(SyncEngine, "_pull", buggy_pull)
    session.engine.interval = 0.2
    session.engine.start()
    qtbot.waitUntil(lambda: "同步出错" in win.sync_label.text(), timeout=10_000)
    assert win.banner.isVisible() and "RuntimeError" in win.banner.text() and "a bug" not in win.banner.text()
    qtbot.waitUntil(lambda: win.sync_label.text().startswith("在线"), timeout=30_000)
    assert not win.banner.isVisible()
