"""End to end: the desk shows a payment QR, the QR is decoded from a screenshot with a real decoder
(zxing-cpp), the decoded URL is paid on the sandbox page, and the desk shows paid and reveals the codes."""

from __future__ import annotations

import io
import time

import httpx
import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtWidgets import QDialog

from kameng_desk.demo import CASHIER, CASHIER_PIN
from kameng_desk.gui.dialogs import grouped
from tests.gui.conftest import log_in

pytestmark = pytest.mark.gui


def screenshot(widget) -> Image.Image:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data())))


def test_pay_by_qr_from_a_screenshot(qtbot, window) -> None:
    win, session = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    counter = win.counter
    qtbot.waitUntil(lambda: "qb10" in counter.products)
    counter.add_product("qb10", 2)
    counter.checkout_qr()
    qtbot.waitUntil(lambda: win.findChild(QDialog, "paymentDialog") is not None)
    dialog = win.findChild(QDialog, "paymentDialog")
    [barcode] = zxingcpp.read_barcodes(screenshot(dialog))
    url = barcode.text
    assert url.startswith(session.server.public_url + "/pay/")

    started = time.monotonic()
    page = httpx.get(url)
    assert "付款" in page.text
    assert "付款成功" in httpx.post(url).text
    qtbot.waitUntil(lambda: win.findChild(QDialog, "codesDialog") is not None, timeout=5000)
    assert time.monotonic() - started < 5
    codes_dialog = win.findChild(QDialog, "codesDialog")
    codes_dialog.reveal()
    sale = counter.last_sale
    qtbot.waitUntil(lambda: all(row[1].text() == f"卡密 {grouped(c.card_secret)}"
                                for c, row in zip(sale.codes, codes_dialog.rows.values(), strict=True)))
    assert sale.order.payment_method == "qr_dynamic" and len(sale.codes) == 2


def test_cancelled_payment_puts_codes_back(qtbot, window) -> None:
    win, _ = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    counter = win.counter
    qtbot.waitUntil(lambda: "qb30" in counter.products)
    before = counter.stock.get("qb30")
    counter.add_product("qb30", 1)
    counter.checkout_qr()
    qtbot.waitUntil(lambda: win.findChild(QDialog, "paymentDialog") is not None)
    win.findChild(QDialog, "paymentDialog").cancel_payment()
    qtbot.waitUntil(lambda: counter.stock.get("qb30") == before, timeout=5000)
