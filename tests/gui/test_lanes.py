"""The worker's two lanes, its one error path and its change broadcast, on the demo counter.

A platform that stalls (a real loopback HTTP server that answers only after 3 s) must not delay the database reads
the screens queue behind the network call; a failure nobody handles reaches the window in words; an operation in
one screen refreshes the others that show what it changed; a destroyed widget leaves no listener behind.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import httpx
import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER, OWNER_PIN
from kameng_desk.gui.main_window import MainWindow
from kameng_desk.sync.client import PlatformClient
from kameng_desk.usecases import changes, session
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_platform.server import serve_in_thread
from local_cache import codes, staff
from tests.gui.test_backoffice_day import approve, start, to_backoffice, visible, wait_visible
from tests.gui.test_cashier_keys import set_shop_qr

pytestmark = pytest.mark.gui

STALL_S = 3.0


class _Stalling(BaseHTTPRequestHandler):
    """Every request waits STALL_S, then the platform says it is busy (503)."""

    def _stall(self) -> None:
        self.server.asked.set()
        time.sleep(STALL_S)
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.server.answered.set()

    do_GET = do_POST = do_PUT = _stall

    def log_message(self, *_args) -> None:  # quiet
        pass


@pytest.fixture
def stalling() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stalling)
    server.asked, server.answered = threading.Event(), threading.Event()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def assert_reads_not_delayed(qtbot, worker, stalled: ThreadingHTTPServer, what: str, store_reads: int = 10) -> None:
    """Queue database reads one after another while the stalled call is in flight: each is answered at once."""
    took: list[float] = []
    for _ in range(store_reads):
        took.append(one_read(qtbot, worker))
        qtbot.wait(50)
    report(what, took)
    assert max(took) < 0.5  # behind the network call on one thread, the first read waited about 3 s
    assert not stalled.answered.is_set(), "the reads must have run while the platform was still stalling"


def one_read(qtbot, worker) -> float:
    queued, done = time.monotonic(), []
    worker.run(lambda store: codes.stock_levels(store.conn()), lambda _levels: done.append(time.monotonic()))
    qtbot.waitUntil(lambda: bool(done), timeout=int(STALL_S * 2000))
    return done[0] - queued


def report(what: str, took: list[float]) -> None:
    print(f"\n{what}: database read latency during a {STALL_S:.0f} s platform stall: "
          f"median {statistics.median(took) * 1000:.1f} ms, max {max(took) * 1000:.1f} ms over {len(took)} reads")


def test_a_stalling_platform_during_a_qr_checkout_does_not_delay_database_reads(qtbot, window, stalling,
                                                                                 monkeypatch) -> None:
    win, demo = window
    set_shop_qr(demo)
    client = PlatformClient(stalling.url, "terminal", "secret", timeout=httpx.Timeout(STALL_S * 3))
    asked_on: list[str] = []  # building the port reads the pairing from the store: never on the GUI thread

    def port() -> PlatformClient:
        asked_on.append(QThread.currentThread().objectName())
        return client
    monkeypatch.setattr(demo.engine, "client", port)
    try:
        start(qtbot, win, CASHIER, CASHIER_PIN)
        counter = win.counter
        counter.add_product("qb30", 1)
        counter.checkout_qr()
        assert stalling.asked.wait(2)
        assert_reads_not_delayed(qtbot, win.worker, stalling, "QR checkout")
        # The checkout itself goes on as before: the platform never answered, the shop's QR is offered.
        qtbot.waitUntil(lambda: visible(win, QDialog, "staticQrDialog") is not None, timeout=int(STALL_S * 3000))
        assert asked_on == ["kameng-net"]
    finally:
        client.close()


def test_pairing_with_a_stalling_platform_does_not_delay_database_reads(qtbot, window, stalling) -> None:
    win, _ = window
    start(qtbot, win, OWNER, OWNER_PIN)
    to_backoffice(qtbot, win, win.settings)
    platform = win.settings.platform
    win.settings.setCurrentWidget(platform)
    platform.url.setText(stalling.url)
    platform.code.setText("ABCD-1234")
    platform.pair()
    approve(qtbot, win, OWNER_PIN)
    assert stalling.asked.wait(5)
    assert_reads_not_delayed(qtbot, win.worker, stalling, "pairing")
    qtbot.waitUntil(lambda: platform.result.text() != "", timeout=int(STALL_S * 3000))


def test_a_background_failure_nobody_handles_is_shown_on_the_window(qtbot, window) -> None:
    win, demo = window
    start(qtbot, win, CASHIER, CASHIER_PIN)
    cashier = next(s for s in staff.list_all(demo.store.conn()) if s.name == CASHIER)
    win.worker.run(lambda store: session.login(store, cashier.id, "0000"))  # a wrong PIN, and no on_error
    box = wait_visible(qtbot, win, QMessageBox, "errorBox")
    assert box.text() == "PIN 错误，还可尝试 4 次。"  # gui.messages.describe, in the cashier's words


def stock_shown(tab, product_id: str) -> int | None:
    if tab.data is None:
        return None
    return next(line.available for line in tab.data.lines if line.product_id == product_id)


def test_a_void_in_the_orders_screen_refreshes_the_stock_tab(qtbot, window) -> None:
    win, demo = window
    store = demo.store
    cashier = next(s for s in staff.list_all(store.conn()) if s.name == CASHIER)
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine("qb10", 2)])
    left = codes.available_count(store.conn(), "qb10")
    start(qtbot, win, OWNER, OWNER_PIN)
    page = to_backoffice(qtbot, win, win.backoffice.stock)
    qtbot.waitUntil(lambda: stock_shown(page.stock, "qb10") == left)
    page.tabs.setCurrentWidget(page.orders)  # the stock tab was shown once already in this visit
    qtbot.waitUntil(lambda: page.orders.model.total == 1)
    page.orders.open_detail(0)
    detail = wait_visible(qtbot, win, QDialog, "orderDetailDialog")
    qtbot.waitUntil(detail.void_button.isEnabled)
    qtbot.mouseClick(detail.void_button, Qt.MouseButton.LeftButton)
    approve(qtbot, win, OWNER_PIN)
    wait_visible(qtbot, win, QMessageBox, "actionDone")
    assert codes.available_count(store.conn(), "qb10") == left + 2
    assert sale.order.id == page.orders.model.row_at(0).id
    page.tabs.setCurrentWidget(page.stock)
    qtbot.waitUntil(lambda: stock_shown(page.stock, "qb10") == left + 2)


def test_a_payment_the_sync_round_settles_refreshes_the_stock_tab_on_screen(qtbot, window) -> None:
    """A QR sale whose cancel could not reach the platform; the owner is on the stock tab when the sync round
    settles it (unpaid: its codes back on the shelf)."""
    win, demo = window
    start(qtbot, win, CASHIER, CASHIER_PIN)
    counter = win.counter
    before = codes.available_count(demo.store.conn(), "qb30")
    counter.add_product("qb30", 1)
    counter.checkout_qr()
    qtbot.waitUntil(lambda: visible(win, QDialog, "paymentDialog") is not None)
    port = urlparse(demo.server.base_url).port
    demo.server.stop()
    visible(win, QDialog, "paymentDialog").cancel_payment()
    qtbot.waitUntil(lambda: visible(win, QMessageBox, "paymentOutcome") is not None, timeout=10_000)
    visible(win, QMessageBox, "paymentOutcome").accept()
    page = to_backoffice(qtbot, win, win.backoffice.stock)
    qtbot.waitUntil(lambda: stock_shown(page.stock, "qb30") == before - 1)  # reserved

    demo.server = serve_in_thread(demo.platform_settings, port=port)
    demo.engine.start()
    qtbot.waitUntil(lambda: visible(win, QMessageBox, "paymentSettledBox") is not None, timeout=30_000)
    qtbot.waitUntil(lambda: stock_shown(page.stock, "qb30") == before, timeout=5000)


def test_a_destroyed_widget_leaves_no_listener_behind(qtbot, window) -> None:
    win, demo = window
    heard: list[changes.Changes] = []
    screen = QWidget()
    win.worker.listen_for_changes(screen, heard.append)
    win.worker.broadcast(changes.SALE)
    assert heard == [changes.SALE]
    screen.deleteLater()
    qtbot.waitUntil(lambda: not _alive(screen))
    win.worker.broadcast(changes.SALE)
    assert heard == [changes.SALE]  # gone with its widget

    engine = demo.engine
    listening = len(engine._status_listeners), len(engine._event_listeners)
    second = MainWindow(win.worker, engine=engine)  # as a language change or a test builds another window
    assert (len(engine._status_listeners), len(engine._event_listeners)) == (listening[0] + 1, listening[1] + 1)
    second.deleteLater()
    qtbot.waitUntil(lambda: not _alive(second))
    assert (len(engine._status_listeners), len(engine._event_listeners)) == listening


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)
