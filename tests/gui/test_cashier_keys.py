"""The counter driven only by keys, as a cashier does (issue #15): see tests/gui/keys.py for how keys, scanner
bursts and the key counter work."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER_PIN
from kameng_desk.sync.client import PlatformClient
from kameng_desk.sync.errors import OfflineError
from kameng_desk.sync.pairing import client_for
from kameng_desk.usecases import qr_sale, static_qr
from kameng_desk.usecases.sell import CartLine
from local_cache import Store, codes, orders, staff
from tests.gui.conftest import log_in
from tests.gui.keys import counted_keys, focused, press, scan, type_by_hand, visible, wait_closed, wait_visible

pytestmark = pytest.mark.gui

QB30_CODE = "6901234567890"  # the product code of Q币 30元, as the scanner reads it


@pytest.fixture
def counting():
    with counted_keys() as counter:
        yield counter


def at_counter(qtbot, window, *, barcode: bool = True):
    win, session = window
    if barcode:
        with session.store.transaction() as conn:
            conn.execute("UPDATE products SET barcode = ? WHERE id = 'qb30'", (QB30_CODE,))
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.waitUntil(lambda: win.counter.index.by_barcode(QB30_CODE) is not None or not barcode)
    return win, session, win.counter


def order_count(session) -> int:
    return session.store.conn().execute("SELECT count(*) FROM orders").fetchone()[0]


def assert_back_at_scan(qtbot, counter) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is counter.search)
    assert counter.search.text() == ""


def test_a_scan_into_the_cash_field_adds_the_product_instead_of_tendering(qtbot, window) -> None:
    win, session, counter = at_counter(qtbot, window)
    scan(qtbot, QB30_CODE)
    assert counter.cart.lines == {"qb30": 1}
    press(qtbot, Qt.Key.Key_Return)  # empty scan box, cart filled: on to the cash field
    assert focused(qtbot) is counter.cash
    scan(qtbot, QB30_CODE)  # the scanner fires while the focus is in the cash field
    assert counter.cart.lines == {"qb30": 2} and counter.cash.text() == ""
    assert focused(qtbot) is counter.search
    press(qtbot, Qt.Key.Key_Return)
    type_by_hand(qtbot, QB30_CODE)  # even typed by hand, 13 digits are not a cash amount
    assert counter.change_label.text() == "这是商品码，不是金额：按 Enter 加入购物车"
    press(qtbot, Qt.Key.Key_Return)
    assert counter.cart.lines == {"qb30": 3} and counter.cash.text() == ""
    assert order_count(session) == 0 and visible(win, "codesDialog") is None


def test_cash_beyond_the_bound_is_refused_and_a_suspicious_amount_asks_first(qtbot, window) -> None:
    win, session, counter = at_counter(qtbot, window)
    scan(qtbot, QB30_CODE)  # ¥30
    press(qtbot, Qt.Key.Key_Return)
    type_by_hand(qtbot, "1100")  # ¥1,070 change: more than ten ¥100 notes too many
    press(qtbot, Qt.Key.Key_Return)
    box = wait_visible(qtbot, win, "errorBox")
    assert "不合理" in box.text() and "未记录任何销售" in box.text()
    press(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, win, "errorBox")
    assert order_count(session) == 0

    for confirm in (False, True):
        counter.cash.clear()
        counter.cash.setFocus()
        type_by_hand(qtbot, "200")  # ¥170 change: more than a ¥100 note
        press(qtbot, Qt.Key.Key_Return)
        box = wait_visible(qtbot, win, "confirmCash")
        assert "170.00" in box.text()
        if confirm:
            press(qtbot, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # the deliberate answer
        else:
            press(qtbot, Qt.Key.Key_Return)  # a reflex Enter goes back: the default is not to confirm
            wait_closed(qtbot, win, "confirmCash")
            qtbot.wait(200)
            assert order_count(session) == 0 and counter.cash.text() == ""
    dialog = wait_visible(qtbot, win, "codesDialog")
    sale = counter.last_sale
    assert (sale.order.cash_received_fen, sale.order.change_fen) == (20000, 17000)
    assert "170.00" in " ".join(lb.text() for lb in dialog.findChildren(type(counter.total_label)))


def test_focus_returns_to_the_cleared_scan_box_after_a_sale_a_cancel_and_every_dialog(qtbot, window) -> None:
    win, _, counter = at_counter(qtbot, window)

    # After a sale: the codes dialog closes, the next customer's scan goes to the scan box.
    scan(qtbot, QB30_CODE)
    press(qtbot, Qt.Key.Key_Return)
    assert focused(qtbot) is counter.cash
    press(qtbot, Qt.Key.Key_F12)
    wait_visible(qtbot, win, "codesDialog")
    press(qtbot, Qt.Key.Key_Escape)
    wait_closed(qtbot, win, "codesDialog")
    assert_back_at_scan(qtbot, counter)

    # After a cancel (Esc) from the cash field.
    scan(qtbot, QB30_CODE)
    press(qtbot, Qt.Key.Key_Return)
    type_by_hand(qtbot, "50")
    press(qtbot, Qt.Key.Key_Escape)
    assert counter.cart.lines == {} and counter.cash.text() == ""
    assert_back_at_scan(qtbot, counter)

    # After an error box (too little cash), typed in the scan box half-way.
    scan(qtbot, QB30_CODE)
    press(qtbot, Qt.Key.Key_Return)
    type_by_hand(qtbot, "10")
    press(qtbot, Qt.Key.Key_Return)
    wait_visible(qtbot, win, "errorBox")
    press(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, win, "errorBox")
    assert_back_at_scan(qtbot, counter)

    # After the top-up dialog (F5) and the owner's PIN dialog (F7), both cancelled, with text in the scan box.
    for key, name in ((Qt.Key.Key_F5, "topupDialog"), (Qt.Key.Key_F7, "ownerDialog")):
        counter.cash.setFocus()
        qtbot.keyClicks(counter.search, "wy")
        press(qtbot, key)
        wait_visible(qtbot, win, name)
        press(qtbot, Qt.Key.Key_Escape)
        wait_closed(qtbot, win, name)
        assert_back_at_scan(qtbot, counter)


def test_owner_pin_dialog_starts_in_the_pin_box_and_an_empty_pin_is_not_sent(qtbot, window) -> None:
    win, session, counter = at_counter(qtbot, window)
    scan(qtbot, QB30_CODE)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F12)
    wait_visible(qtbot, win, "codesDialog")
    press(qtbot, Qt.Key.Key_Escape)  # codes not shown: the sale can still be voided
    wait_closed(qtbot, win, "codesDialog")
    sale = counter.last_sale
    press(qtbot, Qt.Key.Key_F7)
    dialog = wait_visible(qtbot, win, "ownerDialog")
    assert focused(qtbot) is dialog.pin
    press(qtbot, Qt.Key.Key_Return)  # a reflex Enter before typing
    qtbot.wait(200)
    assert dialog.isVisible() and dialog.hint.text() == "请输入 PIN。"
    owner = next(s for s in staff.list_all(session.store.conn()) if s.is_owner)
    assert session.store.conn().execute("SELECT failed_attempts FROM staff WHERE id = ?",
                                        (owner.id,)).fetchone()[0] == 0
    type_by_hand(qtbot, OWNER_PIN)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: orders.get(session.store.conn(), sale.order.id).state == "voided")


def test_void_of_shown_codes_is_refused_before_the_pin_by_keys_only(qtbot, window) -> None:
    win, session, counter = at_counter(qtbot, window)
    scan(qtbot, QB30_CODE)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F12)
    wait_visible(qtbot, win, "codesDialog")
    press(qtbot, Qt.Key.Key_Return)  # 显示卡密 (Enter): the customer has the codes now
    sale = counter.last_sale
    qtbot.waitUntil(lambda: orders.codes_handed_over_at(session.store.conn(), sale.order.id) is not None)
    press(qtbot, Qt.Key.Key_Escape)
    wait_closed(qtbot, win, "codesDialog")
    press(qtbot, Qt.Key.Key_F7)
    box = wait_visible(qtbot, win, "errorBox")
    assert "不能作废" in box.text()
    assert visible(win, "ownerDialog") is None
    assert orders.get(session.store.conn(), sale.order.id).state == "fulfilled"


def test_a_scanned_card_sold_for_exact_cash_in_three_keys_and_its_codes_in_one_more(qtbot, window,
                                                                                    counting) -> None:
    win, _, counter = at_counter(qtbot, window)
    counting.keys = 0
    scan(qtbot, QB30_CODE, counting)
    press(qtbot, Qt.Key.Key_Return)  # to the cash field, as a cashier does out of habit
    press(qtbot, Qt.Key.Key_F2)  # 正好
    dialog = wait_visible(qtbot, win, "codesDialog")
    sold = counting.keys
    press(qtbot, Qt.Key.Key_Return)  # 显示卡密
    sale = counter.last_sale
    qtbot.waitUntil(lambda: all(row[1].text().startswith("卡密 ") for row in dialog.rows.values()))
    assert (sold, counting.keys) == (3, 4)  # goal: <= 4 to sell, <= 5 with the codes shown
    assert (sale.order.total_fen, sale.order.cash_received_fen, sale.order.change_fen) == (3000, 3000, 0)
    assert len(sale.codes) == 1


@pytest.mark.parametrize(("key", "received"), [(Qt.Key.Key_F3, 5000), (Qt.Key.Key_F4, 10000)])
def test_note_keys_tender_fifty_and_a_hundred(qtbot, window, key, received) -> None:
    win, _, counter = at_counter(qtbot, window)
    assert [b.text() for b in counter.tender_buttons] == ["正好 (F2)", "收 ￥50 (F3)", "收 ￥100 (F4)"]
    scan(qtbot, QB30_CODE)
    press(qtbot, key)
    wait_visible(qtbot, win, "codesDialog")
    order = counter.last_sale.order
    assert (order.cash_received_fen, order.change_fen) == (received, received - 3000)


def set_shop_qr(session) -> None:
    owner = next(s for s in staff.list_all(session.store.conn()) if s.is_owner)
    static_qr.save(session.store, static_qr.text_qr("wxp://f2f0-shop-collection-code"), staff_id=owner.id,
                   approver_id=owner.id)


def shop_qr_offline(qtbot, window):
    """The shop QR is set up, the platform is stopped and a sync round has found it unreachable."""
    win, session = window
    set_shop_qr(session)
    win, session, counter = at_counter(qtbot, window)
    session.server.stop()
    with pytest.raises(OfflineError):  # a sync round (the tests run no sync thread) finds the platform gone
        session.engine.sync_once()
    assert qr_sale.known_offline(session.engine.status())
    return win, session, counter


def test_f11_while_offline_opens_the_shop_qr_at_once_and_only_a_hold_confirms(qtbot, window) -> None:
    win, session, counter = shop_qr_offline(qtbot, window)
    scan(qtbot, QB30_CODE)
    started = time.monotonic()
    press(qtbot, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: visible(win, "staticQrDialog") is not None, timeout=300)
    elapsed = time.monotonic() - started
    print(f"F11 -> shop QR dialog while offline: {elapsed * 1000:.0f} ms")
    assert elapsed < 0.3
    dialog = wait_visible(qtbot, win, "staticQrDialog")
    assert "平台离线" in dialog.findChild(type(dialog.message), "staticReason").text()
    before = order_count(session)

    press(qtbot, Qt.Key.Key_Return)  # a reflex Enter
    qtbot.wait(1200)
    assert dialog.isVisible() and order_count(session) == before

    button = dialog.confirm_button
    button.setFocus()
    qtbot.keyPress(button, Qt.Key.Key_Space)  # let go too early: nothing
    qtbot.wait(400)
    qtbot.keyRelease(button, Qt.Key.Key_Space)
    qtbot.wait(800)
    assert dialog.isVisible() and order_count(session) == before and "按住" in dialog.message.text()

    qtbot.keyPress(button, Qt.Key.Key_Space)  # held for the whole second, the progress bar fills
    qtbot.waitUntil(lambda: button.progress.value() > 0, timeout=500)
    qtbot.waitUntil(lambda: visible(win, "codesDialog") is not None, timeout=3000)
    qtbot.keyRelease(button, Qt.Key.Key_Space)
    sale = counter.last_sale
    assert orders.get(session.store.conn(), sale.order.id).payment_method == "qr_static"
    assert order_count(session) == before + 1


def latest_order(session) -> orders.Order:
    (order_id,) = session.store.conn().execute("SELECT id FROM orders ORDER BY created_at DESC LIMIT 1").fetchone()
    return orders.get(session.store.conn(), order_id)


def test_a_qr_payment_started_offline_is_cancelled_at_the_counter_and_its_codes_come_back(qtbot, window) -> None:
    """The platform went away unnoticed (no round since): the codes are reserved, no QR can be made, the shop QR
    is offered; Esc cancels and, as no customer ever saw a payment QR, the codes are back at once, offline."""
    win, session = window
    set_shop_qr(session)
    session.engine.client().payment_methods()  # asked once per client, while the platform was there
    win, session, counter = at_counter(qtbot, window)
    stock = codes.available_count(session.store.conn(), "qb30")
    session.server.stop()
    scan(qtbot, QB30_CODE)
    press(qtbot, Qt.Key.Key_F11)
    dialog = wait_visible(qtbot, win, "staticQrDialog")
    assert "连不上平台" in dialog.findChild(type(dialog.message), "staticReason").text()
    reserved = latest_order(session)
    assert reserved.state == "awaiting_payment"
    assert codes.available_count(session.store.conn(), "qb30") == stock - 1
    press(qtbot, Qt.Key.Key_Escape)
    box = wait_visible(qtbot, win, "paymentOutcome")
    assert box.text() == "收款已取消，卡密已放回库存。"
    assert orders.get(session.store.conn(), reserved.id).state == "cancelled"
    assert codes.available_count(session.store.conn(), "qb30") == stock
    press(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, win, "paymentOutcome")
    assert_back_at_scan(qtbot, counter)


def test_an_abandoned_unpaid_payment_is_cancelled_from_the_order_detail_without_a_pin(qtbot, window,
                                                                                      tmp_path) -> None:
    """A desk started a QR sale while the platform was away and was closed with it open (the 待付款 of the
    review): the order detail cancels it, offline, no owner PIN, and its code is back on the shelf."""
    win, session = window
    before = Store.open(tmp_path / "demo" / "desk")  # the desk's earlier run
    client = client_for(before)
    client.payment_methods()
    session.server.stop()
    cashier = next(s for s in staff.list_all(before.conn()) if not s.is_owner)
    left = qr_sale.start(before, client, staff_id=cashier.id, cart=[CartLine("qb30", 1)])
    assert left.qr_content is None
    client.close()
    before.close()
    stock = codes.available_count(session.store.conn(), "qb30")
    with pytest.raises(OfflineError):
        session.engine.sync_once()  # this run knows the platform is away: the cancel does not wait for it

    win, session, _ = at_counter(qtbot, window, barcode=False)
    press(qtbot, Qt.Key.Key_F10)
    tab = win.backoffice.orders
    win.backoffice.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.model.total == 1)
    tab.table.setFocus()
    tab.table.selectRow(0)
    press(qtbot, Qt.Key.Key_Return)
    detail = wait_visible(qtbot, win, "orderDetailDialog")
    qtbot.waitUntil(lambda: detail.cancel_payment_button.isEnabled())
    assert detail.fields["state"].text() == "待付款"
    detail.cancel_payment_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    box = wait_visible(qtbot, win, "paymentCancelled")
    assert box.text() == f"订单 {left.number} 的扫码收款已取消，卡密已放回库存。"
    assert visible(win, "ownerDialog") is None
    assert orders.get(session.store.conn(), left.order_id).state == "cancelled"
    assert codes.available_count(session.store.conn(), "qb30") == stock + 1
    qtbot.waitUntil(lambda: detail.fields["state"].text() == "已取消" and not detail.cancel_payment_button.isEnabled())


def test_a_slow_platform_shows_the_busy_indicator_after_300_ms(qtbot, window, monkeypatch) -> None:
    """A platform that takes the connection and never answers (status still online: it is tried)."""
    set_shop_qr(window[1])
    win, _, counter = at_counter(qtbot, window)
    hung = socket.create_server(("127.0.0.1", 0))  # listens; the kernel completes the handshake, nobody answers
    client = PlatformClient(f"http://127.0.0.1:{hung.getsockname()[1]}", "terminal", "secret",
                            timeout=httpx.Timeout(1.5))
    monkeypatch.setattr(window[1].engine, "client", lambda: client)  # the counter's port comes from the engine
    try:
        scan(qtbot, QB30_CODE)
        started = time.monotonic()
        press(qtbot, Qt.Key.Key_F11)
        qtbot.wait(150)
        assert not counter.busy_indicator.isVisible()  # a short wait shows nothing
        qtbot.waitUntil(counter.busy_indicator.isVisible, timeout=1000)
        shown = time.monotonic() - started
        assert "正在连接平台" in counter.busy_text.text()
        wait_visible(qtbot, win, "staticQrDialog", timeout=5000)
        print(f"busy indicator after {shown * 1000:.0f} ms, shop QR after {(time.monotonic() - started):.1f} s")
        # Shown once the wait passes BUSY_AFTER_MS (1 ms of timer slack), promptly on a loaded machine.
        assert 0.299 <= shown < 0.8 and not counter.busy_indicator.isVisible()
    finally:
        client.close()
        hung.close()
