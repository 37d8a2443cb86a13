"""The customer's side of the counter: the second-screen window for each state (Chinese and English), fed by the
real counter through a cash sale and a QR paid on the demo platform's sandbox page (the QR decoded from the
customer's screen), the spoken confirmation, the settings page that chooses the screen and the pole display's port
(the pole's bytes read from a pseudo-terminal), and the window on a real second screen (a child process with two
offscreen screens)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import wave
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PySide6.QtWidgets import QApplication, QDialog

from kameng_desk.demo import CASHIER, CASHIER_PIN
from kameng_desk.gui.customer_display import CustomerDisplayWindow, CustomerWindowOut
from kameng_desk.gui.i18n import switch_language
from kameng_desk.pole_display import PoleDisplay
from kameng_desk.records.voice import Event, Voice, join_clips, words
from kameng_desk.usecases import shop_admin
from kameng_desk.usecases.customer_view import Line, Phase, PoleOut, Screen
from kameng_desk.usecases.shop_admin import DisplaySettings
from local_cache import audit
from tests.gui.conftest import approve_as_owner, log_in, open_settings
from tests.gui.test_payment_e2e import screenshot
from tests.printing.test_pole_display import FarEnd

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]
LINES = (Line("Q币10元", 2, 10_00), Line("网易一卡通50元", 1, 50_00))


@pytest.fixture
def customer_window(qtbot):
    window = CustomerDisplayWindow("星星网吧")
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    return window


def shown(window: CustomerDisplayWindow) -> dict[str, str]:
    """The texts on show, by widget."""
    labels = {"headline": window.headline, "amount": window.amount, "change": window.change, "apps": window.apps,
              "footer": window.footer}
    return {name: label.text() for name, label in labels.items() if label.isVisible() and label.text()}


def cart_rows(window: CustomerDisplayWindow) -> list[tuple[str, ...]]:
    cart = window.cart
    return [tuple(cart.item(r, c).text() for c in range(3)) for r in range(cart.rowCount())] if cart.isVisible() \
        else []


def decoded(qtbot, window) -> str:
    """The QR read off the window as a phone would (once Qt has laid the window out)."""
    found: list = []
    qtbot.waitUntil(lambda: bool(found.extend(zxingcpp.read_barcodes(screenshot(window))) or found))
    return found[0].text


def test_each_state_in_big_chinese_text(qtbot, customer_window) -> None:
    window = customer_window
    assert shown(window) == {"headline": "欢迎光临", "footer": "星星网吧"} and cart_rows(window) == []
    window.show_screen(Screen(Phase.CART, LINES, 70_00))
    assert shown(window) == {"headline": "您的商品", "amount": "合计 ￥70.00", "footer": "星星网吧"}
    assert cart_rows(window) == [("Q币10元", "×2", "20.00"), ("网易一卡通50元", "×1", "50.00")]
    assert window.amount.font().pixelSize() >= 60  # read across the counter on a 768-line screen
    window.show_screen(Screen(Phase.QR, LINES, 70_00, "https://pay.example/p/123", ("wechat", "alipay")))
    assert shown(window) == {"headline": "请扫码付款", "amount": "应付 ￥70.00", "apps": "支持 微信 / 支付宝 扫码",
                             "footer": "星星网吧"}
    assert decoded(qtbot, window) == "https://pay.example/p/123"  # a phone reads it off the customer's screen
    window.show_screen(Screen(Phase.PASSWORD, LINES, 70_00, apps=("alipay",)))  # their payment code was charged
    assert shown(window) == {"headline": "请在手机上输入支付密码", "amount": "应付 ￥70.00",
                             "apps": "在支付宝里确认付款", "footer": "星星网吧"}
    assert len(cart_rows(window)) == 2 and not window.qr.isVisible()
    window.show_screen(Screen(Phase.PASSWORD, LINES, 70_00))
    assert shown(window)["apps"] == "在付款的手机上确认付款"
    window.show_screen(Screen(Phase.PAID, total_fen=70_00, paid_by="cash", received_fen=100_00, change_fen=30_00))
    assert shown(window) == {"headline": "付款成功", "amount": "现金收款 ￥70.00",
                             "change": "实收 ￥100.00　找零 ￥30.00", "footer": "谢谢惠顾，欢迎再来"}
    assert cart_rows(window) == []
    assert window._back_to_welcome.isActive()  # and then the welcome, for the next customer
    window.show_screen(Screen(Phase.PAID, total_fen=20_00, paid_by="wechat"))
    assert shown(window)["amount"] == "微信收款 ￥20.00" and "change" not in shown(window)
    window.show_screen(Screen(Phase.REFUND, total_fen=5_00))
    assert shown(window) == {"headline": "退款成功", "amount": "已退款 ￥5.00", "footer": "谢谢惠顾，欢迎再来"}
    window._back_to_welcome.timeout.emit()
    assert shown(window)["headline"] == "欢迎光临"


def test_the_customer_window_in_english(qtbot) -> None:
    window = CustomerDisplayWindow("Star Net Bar")
    qtbot.addWidget(window)
    window.show()
    assert shown(window)["headline"] == "欢迎光临"
    switch_language("en")  # the shop switches while the window is up: it follows at once
    try:
        qtbot.waitUntil(lambda: shown(window)["headline"] == "Welcome")
        assert window.cart.horizontalHeaderItem(0).text() == "Product"
        window.show_screen(Screen(Phase.QR, LINES, 70_00, "x", ("alipay",)))
        assert shown(window) == {"headline": "Please scan to pay", "amount": "To pay ¥70.00",
                                 "apps": "Scan with Alipay", "footer": "Star Net Bar"}
        window.show_screen(Screen(Phase.PAID, total_fen=70_00, paid_by="cash", received_fen=100_00,
                                  change_fen=30_00))
        assert shown(window)["change"] == "Received ¥100.00   Change ¥30.00"
        assert shown(window)["footer"] == "Thank you, please come again"
        window.show_screen(Screen(Phase.PASSWORD, LINES, 70_00, apps=("wechat",)))
        assert shown(window) == {"headline": "Please enter your payment password on your phone",
                                 "amount": "To pay ¥70.00", "apps": "Confirm the payment in WeChat",
                                 "footer": "Star Net Bar"}
    finally:
        switch_language("zh_CN")


def at_the_counter(qtbot, win) -> tuple[CustomerDisplayWindow, list[bytes]]:
    """The customer window attached by hand (the test machine has one screen), a voice that records, logged in."""
    customer = CustomerDisplayWindow("演示网吧")
    qtbot.addWidget(customer)
    customer.resize(1024, 768)
    customer.show()
    heard: list[bytes] = []
    win.context.customer.voice = Voice(heard.append)
    win.context.customer.attach("window under test", CustomerWindowOut(customer))  # not the controller's
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    qtbot.waitUntil(lambda: "qb10" in win.counter.products)
    return customer, heard


def test_a_cash_sale_shows_the_cart_then_the_change(qtbot, window) -> None:
    win, _ = window
    customer, heard = at_the_counter(qtbot, win)
    counter = win.counter
    counter.add_product("qb10", 2)
    name = counter.products["qb10"].name
    assert cart_rows(customer) == [(name, "×2", "20.00")] and shown(customer)["amount"] == "合计 ￥20.00"
    counter.cash.setText("50")
    counter.checkout()
    qtbot.waitUntil(lambda: customer.screen_shown.phase is Phase.PAID)
    assert shown(customer)["change"] == "实收 ￥50.00　找零 ￥30.00" and heard == []  # cash is not spoken
    qtbot.waitUntil(lambda: win.findChild(QDialog, "codesDialog") is not None)
    assert customer.screen_shown.phase is Phase.PAID  # the counter's cleared cart leaves the thank-you up
    counter.add_product("qb10")
    assert customer.screen_shown.phase is Phase.CART  # the next customer


def test_a_qr_is_paid_from_the_customer_screen_and_spoken(qtbot, window) -> None:
    win, session = window
    customer, heard = at_the_counter(qtbot, win)
    counter = win.counter
    counter.add_product("qb10", 2)
    counter.checkout_qr()
    qtbot.waitUntil(lambda: customer.screen_shown.phase is Phase.QR)
    url = decoded(qtbot, customer)  # scanned off the customer's screen, not the cashier's
    assert url.startswith(session.server.public_url + "/pay/")
    assert shown(customer)["amount"] == "应付 ￥20.00"
    assert "付款成功" in httpx.post(url).text
    qtbot.waitUntil(lambda: customer.screen_shown.phase is Phase.PAID, timeout=5000)
    assert shown(customer)["amount"] == "扫码收款 ￥20.00"  # the sandbox takes either app: no app named
    [audio] = heard
    with wave.open(io.BytesIO(audio)) as said, wave.open(io.BytesIO(join_clips(words(Event.PAID, 20_00)))) as clips:
        assert said.getnframes() == clips.getnframes()  # "收款二十元"


def test_a_given_up_qr_brings_the_cart_back(qtbot, window) -> None:
    win, _ = window
    customer, heard = at_the_counter(qtbot, win)
    win.counter.add_product("qb10")
    win.counter.checkout_qr()
    qtbot.waitUntil(lambda: customer.screen_shown.phase is Phase.QR)
    win.findChild(QDialog, "paymentDialog").cancel_payment()
    qtbot.waitUntil(lambda: customer.screen_shown.phase is Phase.CART, timeout=5000)
    assert heard == []


def test_the_owner_chooses_the_pole_port_and_it_shows_the_total(qtbot, window) -> None:
    win, session = window
    pole = FarEnd()
    try:
        page = open_settings(qtbot, win).displays
        win.settings.setCurrentWidget(page)
        qtbot.waitUntil(lambda: page.screen.count() >= 2)
        assert page.screen.itemText(0) == "不使用" and page.screen.itemText(1).startswith("屏幕 1：")
        page.screen.setCurrentIndex(1)  # the counter's own (and only) screen: no window covers the counter
        page.pole_port.setCurrentText(pole.device)
        page.save_button.click()
        approve_as_owner(qtbot, win, "8888")
        qtbot.waitUntil(lambda: page.result.text() == "已保存。")
        saved = shop_admin.load(session.store.conn(), DisplaySettings)
        assert saved.pole_port == pole.device and saved.pole_baud == 9600
        entry = audit.entries(session.store.conn(), limit=1)[0]
        assert entry.action == "settings" and "pole_port" in entry.detail["changed"]
        qtbot.waitUntil(lambda: win.context.customer.attached("pole") is not None)
        assert win.customer_displays.window() is None
        win.back_to_counter()
        win.counter.add_product("qb10", 3)
        price = win.counter.products["qb10"].retail_price_fen * 3
        # Opened blank (lamps off) as the settings were saved, then the total with 总计 lit.
        expected = b"\x1b@\x0c\x1bs0" + b"\x0c\x1bQA" + f"{price // 100}.{price % 100:02d}".encode() + b"\r\x1bs2"
        assert pole.read(len(expected)) == expected
    finally:
        win.context.customer.close()
        pole.close()


def test_quitting_blanks_the_pole_and_ends_its_thread(qtbot, window) -> None:
    """At quit the pole display is left blank with its lamps off (not the last customer's total all night), and
    its thread and port are closed."""
    win, _ = window
    end = FarEnd()
    try:
        pole = PoleDisplay(end.device)
        win.context.customer.attach("pole", PoleOut(pole))
        assert pole.idle()
        win.context.customer.cart(LINES)
        assert pole.idle()
        opened = b"\x1b@\x0c\x1bs0" + b"\x0c\x1bQA70.00\r\x1bs2"  # the welcome's blank, then the total
        assert end.read(len(opened)) == opened
        QApplication.instance().aboutToQuit.emit()
        assert end.read(len(b"\x0c\x1bs0")) == b"\x0c\x1bs0"
        assert win.context.customer.attached("pole") is None
        assert not any(t.name == f"pole-display {end.device}" for t in threading.enumerate())
    finally:
        win.context.customer.close()
        end.close()


def test_a_bad_pole_port_is_refused_in_words(qtbot, window) -> None:
    win, session = window
    page = open_settings(qtbot, win).displays
    win.settings.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.screen.count() >= 2)
    page.pole_port.setCurrentText("C:\\orders.txt")
    page.save_button.click()
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: "COM3" in page.result.text())
    assert shop_admin.load(session.store.conn(), DisplaySettings) == DisplaySettings()


def test_the_window_opens_full_screen_on_the_second_screen_and_leaves_the_focus(tmp_path) -> None:
    screens = tmp_path / "screens.json"
    screens.write_text(json.dumps({"screens": [
        {"name": "COUNTER-1", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "dpr": 1},
        {"name": "HDMI-2", "x": 1366, "y": 0, "width": 1024, "height": 768, "logicalDpi": 96, "dpr": 1}]}))
    child = subprocess.run([sys.executable, "-m", "tests.gui.customer_screen_child", str(tmp_path / "demo")],
                           capture_output=True, text=True, timeout=120, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT),
                                "QT_QPA_PLATFORM": f"offscreen:configfile={screens}"})
    assert child.returncode == 0, child.stderr[-3000:]
    seen = json.loads(child.stdout.splitlines()[-1])
    assert seen["opened"] == {"screen": "HDMI-2", "geometry": [1366, 0, 1024, 768], "full_screen": True,
                              "frameless": True, "takes_focus": False}
    # The scanner's digits land in the counter window, never the customer's: in its scan box, or in the PIN field
    # while nobody is logged in (which of the two depends on how far the login page got; the window is the point).
    assert seen["focus"] in ("search", "pin") and seen["focus_window"] == "MainWindow"
    assert seen["active"] == "MainWindow"
    assert seen["headline"] == "您的商品"
    assert seen["unplugged_choice"] is None  # a screen that is not there: off, the counter goes on
    assert seen["counter_screen_choice"] is None  # the counter's own screen: never covered


def test_the_owner_turns_the_voice_off_next_to_the_cues(qtbot, window) -> None:
    win, session = window
    page = open_settings(qtbot, win).general
    qtbot.waitUntil(lambda: page.shop_name.text() == "演示网吧")
    assert page.spoken.isChecked() and win.context.customer.voice.enabled  # on unless the owner turns it off
    page.spoken.setChecked(False)
    page.save_button.click()
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: not win.context.customer.voice.enabled)
    assert shop_admin.load(session.store.conn()).spoken_confirmation is False
    heard: list[bytes] = []
    win.context.customer.voice.backend = heard.append
    win.context.customer.paid(20_00, "wechat")
    assert heard == []
