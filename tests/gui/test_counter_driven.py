"""What driving the real counter under a window manager broke (issue #17: payment codes and refunds at the counter),
each pinned by keys on the demo counter. The platform's code payments are played by tests/code_platform.py, as in
tests/gui/test_code_payments_gui.py."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from kameng_desk.demo import CASHIER, CASHIER_PIN
from tests.code_platform import CodePlatform
from tests.gui.conftest import log_in
from tests.gui.keys import scan, visible, wait_closed, wait_visible

pytestmark = pytest.mark.gui

WECHAT_CODE = "134567890123456789"
REFUSED_CODE = "134567890123450000"  # the gateway's AUTH_CODE_INVALID


@pytest.mark.parametrize(("language", "paid_by"), [("zh_CN", "（付款码）"), ("en", "(payment code)")])
def test_f6_after_a_refused_code_refunds_the_sale_before_it(qtbot, window, language, paid_by) -> None:
    """A customer paid by code; the next customer's code was refused (nothing taken); the first comes back: F6
    (退上一单) offers the first sale, not "nothing to refund" for the refused one, and says in the window's
    language that the money goes back to the customer's payment code (not the raw method "code")."""
    win, _ = window
    win.change_language(language)
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter and "qb10" in win.counter.products)
    c = win.counter
    c._payment_port = lambda: CodePlatform()
    c.add_product("qb10", 1)
    scan(qtbot, WECHAT_CODE)
    codes = wait_visible(qtbot, win, "codesDialog")
    paid = c.last_sale.order
    codes.reject()  # the codes never shown: the sale can still be refunded whole
    wait_closed(qtbot, win, "codesDialog")
    c.add_product("qb30", 1)
    scan(qtbot, REFUSED_CODE)
    refused = wait_visible(qtbot, win, "codePayDialog")
    qtbot.waitUntil(lambda: not c.till.busy)
    qtbot.keyClick(refused, Qt.Key.Key_Escape)  # the charge is over: Esc closes
    wait_closed(qtbot, win, "codePayDialog")
    qtbot.keyClick(c.search, Qt.Key.Key_F6)
    dialog = wait_visible(qtbot, win, "refundDialog")
    assert dialog.plan.order.id == paid.id and dialog.plan.to == "gateway"
    assert dialog.amount_fen() == paid.total_fen and dialog.where().endswith(paid_by), dialog.where()
    dialog.reject()
    assert visible(win, "refundDialog") is None
    win.change_language("zh_CN")


def test_a_refused_code_reads_as_two_sentences_in_english(qtbot, window) -> None:
    """The refusal's reason and "the codes are back in stock" were glued as two translations: "scan again.The
    codes..." in English."""
    win, _ = window
    try:
        win.change_language("en")
        log_in(qtbot, win, CASHIER, CASHIER_PIN)
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter and "qb10" in win.counter.products)
        c = win.counter
        c._payment_port = lambda: CodePlatform()
        c.add_product("qb10", 1)
        scan(qtbot, REFUSED_CODE)
        dialog = wait_visible(qtbot, win, "codePayDialog")
        qtbot.waitUntil(lambda: not c.till.busy)
        detail = dialog.detail.text()
        assert "invalid" in detail and "back in stock" in detail
        assert re.search(r"[.:;!?][A-Za-z]", detail) is None, detail
    finally:
        win.change_language("zh_CN")


def test_the_platform_stopped_then_a_scan_leaves_nothing_charged_or_sold(qtbot, window) -> None:
    """The real embedded platform stopped between two sync rounds (the counter still thinks it is online): the
    scan is tried, goes unanswered, the cashier stops waiting, and the codes stay held for the sync round,
    neither sold nor back on the shelf until the platform says."""
    win, session = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter and "qb10" in win.counter.products)
    c = win.counter
    before = c.stock["qb10"]
    session.engine.stop()
    session.server.stop()
    c.add_product("qb10", 1)
    scan(qtbot, WECHAT_CODE)
    dialog = wait_visible(qtbot, win, "codePayDialog", timeout=30000)
    qtbot.waitUntil(lambda: "连不上平台" in dialog.status.text(), timeout=30000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # 不再等待
    qtbot.waitUntil(lambda: visible(win, "codePayDialog") is None and not c.till.busy, timeout=30000)
    assert "付款码收款结果未知" in c.outcome.text() and c.last_sale is None
    assert c.cart.lines == {"qb10": 1}  # the cart stays: cash or the shop's QR next
    c.reload_stock()
    qtbot.waitUntil(lambda: c.stock["qb10"] == before - 1)  # held for the unknown payment, not sold


def test_the_customers_refreshed_code_scanned_after_a_refusal_is_charged(qtbot, window) -> None:
    """The refusal says 请顾客刷新付款码后重扫: the rescan, into the dialog still showing the refusal, is charged
    (it was lost: its digits went nowhere and its Enter only closed the dialog, so the cashier scanned a third
    time)."""
    win, _ = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter and "qb10" in win.counter.products)
    c = win.counter
    platform = CodePlatform()
    c._payment_port = lambda: platform
    c.add_product("qb10", 1)
    scan(qtbot, REFUSED_CODE)
    wait_visible(qtbot, win, "codePayDialog")
    qtbot.waitUntil(lambda: not c.till.busy)
    scan(qtbot, WECHAT_CODE)  # into the focused widget: the refusal's dialog
    wait_visible(qtbot, win, "codesDialog")
    assert platform.codes_seen == [REFUSED_CODE, WECHAT_CODE]
    assert c.last_sale.order.payment_method == "code" and c.cart.lines == {}
    assert visible(win, "codePayDialog") is None and WECHAT_CODE not in c.search.text()


def test_a_scan_while_the_codes_wait_does_not_show_them(qtbot, window) -> None:
    """The next customer's barcode scanned while the last sale's codes wait hidden: the scanner's Enter showed
    them (handed over: that sale could no longer be refunded). The cashier's own Enter still shows them."""
    win, _ = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter and "qb10" in win.counter.products)
    c = win.counter
    c._payment_port = lambda: CodePlatform()
    c.add_product("qb10", 1)
    scan(qtbot, WECHAT_CODE)
    codes = wait_visible(qtbot, win, "codesDialog")
    secret = codes.findChild(QLabel, "secret")
    scan(qtbot, "6901234567892")  # a burst and Enter, into the focused widget of the codes dialog
    qtbot.wait(300)
    assert secret.text() == codes.MASK and codes.show_button.isEnabled() and codes.isVisible()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # the cashier's Enter
    qtbot.waitUntil(lambda: secret.text() != codes.MASK)


def test_a_payment_code_scanned_at_the_qr_dialog_does_not_cancel_the_qr(qtbot, window) -> None:
    """The customer holds out their payment code while the demo platform's QR waits: the scanner's Enter pressed
    取消收款 (the QR payment cancelled, the code lost). Now the QR stays and the cashier is told how to take the
    code; Esc still cancels."""
    win, _ = window
    log_in(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter and "qb10" in win.counter.products)
    c = win.counter
    c.add_product("qb10", 1)
    qtbot.keyClick(c.search, Qt.Key.Key_F11)
    dialog = wait_visible(qtbot, win, "paymentDialog", timeout=10000)
    scan(qtbot, WECHAT_CODE)  # into the focused widget of the QR dialog (its 取消收款 button)
    qtbot.wait(300)
    assert dialog.isVisible() and dialog.timer.isActive() and dialog.cancel_button.isEnabled()
    assert "请先按 Esc 取消收款码" in dialog.status.text()
    assert dialog.sizeHint().width() <= 640  # wrapped: the QR dialog does not spread across the counter
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    wait_closed(qtbot, win, "paymentDialog")
    qtbot.waitUntil(lambda: not c.till.busy)
