"""The top-up form checks as it is typed and never loses what was typed; the codes dialog shows codes large and
grouped with how to redeem them, and a copied code leaves the clipboard again."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from kameng_desk.gui.backoffice.shifts import ZReportDialog
from kameng_desk.gui.dialogs import CodesDialog, TopupDialog, grouped
from kameng_desk.records.zreport import PassedOn
from local_cache.catalog import Product
from local_cache.codes import CardCode
from tests.gui.keys import HAND_MS, type_by_hand
from tests.printing.conftest import Z

pytestmark = pytest.mark.gui

PHONE = Product(id="cm50", category_id="t", name="移动话费 50元", kind="topup", face_value_fen=5000,
                retail_price_fen=5000, account_rule="phone")
GAME = Product(id="wz", category_id="t", name="王者荣耀 点券", kind="topup", face_value_fen=1000,
               retail_price_fen=1000, account_rule=r"\d{6,12}")
CARD = Product(id="qb30", category_id="c", name="Q币 30元", kind="card", face_value_fen=3000,
               retail_price_fen=3000, redeem_hint="登录 QQ 充值中心，选择“卡密充值”", redeem_url="https://pay.qq.com")


@pytest.fixture
def topup(qtbot):
    dialog = TopupDialog([PHONE, GAME])
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_topup_confirm_waits_for_a_valid_number_and_enter_never_loses_it(qtbot, topup) -> None:
    assert not topup.ok.isEnabled()
    qtbot.keyClicks(topup.account, "1380013")
    assert not topup.ok.isEnabled() and topup.carrier.text() == "还差 4 位"  # still typing: not an error yet
    qtbot.keyClicks(topup.account, "8000")
    assert topup.ok.isEnabled() and topup.carrier.text() == "中国移动"
    topup.account.setText("12012345678")  # 11 digits, no such prefix
    assert not topup.ok.isEnabled() and "120 不是已知的手机号段" in topup.carrier.text()
    assert not re.search(r"[A-Za-z]{2,}", topup.carrier.text())
    qtbot.keyClick(topup.account, Qt.Key.Key_Return)
    assert topup.isVisible() and topup.result() == 0 and topup.account.text() == "12012345678"
    topup.account.setText("13491234567")
    assert "卫星电话" in topup.carrier.text() and not topup.ok.isEnabled()
    topup.product.setCurrentIndex(1)  # a game account: its own rule
    topup.account.setText("abc")
    assert "王者荣耀" in topup.carrier.text() and not topup.ok.isEnabled()
    topup.account.setText("12345678")
    assert topup.ok.isEnabled()


def test_topup_shows_the_change_and_refuses_too_little_cash(qtbot, topup) -> None:
    qtbot.keyClicks(topup.account, "13800138000")
    assert topup.change.text() == "￥0.00"  # empty cash: exactly the price
    qtbot.keyClicks(topup.cash, "100")
    assert topup.change.text() == "￥50.00" and topup.ok.isEnabled() and topup.cash_received() == 10000
    topup.cash.setText("20")
    assert topup.change.text() == "还差 ￥30.00" and not topup.ok.isEnabled()
    topup.cash.setText("2x")
    assert topup.change.text() == "收款金额格式不对" and not topup.ok.isEnabled()
    topup.accept()
    assert topup.isVisible() and topup.cash.text() == "2x"
    topup.cash.setText("50")
    qtbot.keyClick(topup.cash, Qt.Key.Key_Return)
    assert topup.result() == 1 and not topup.isVisible()


def test_topup_cash_refuses_a_scanned_code_and_an_absurd_amount_and_asks_before_a_large_change(qtbot,
                                                                                                 topup) -> None:
    """The counter's cash bound (issue #15) in the top-up's cash field: a product code scanned there with the
    scanner's Enter closed the dialog, losing the number typed, and was then refused; more change than a ¥100 note
    is asked about, a reflex Enter going back."""
    qtbot.keyClicks(topup.account, "13800138000")
    qtbot.keyClicks(topup.cash, "6901234567890")  # a scanner's burst and its Enter
    qtbot.keyClick(topup.cash, Qt.Key.Key_Return)
    assert topup.isVisible() and topup.result() == 0 and not topup.ok.isEnabled()
    assert "商品码" in topup.change.text() and topup.account.text() == "13800138000"
    topup.cash.setText("1051")  # ¥1,001 change on ¥50: more than ten ¥100 notes too many
    assert not topup.ok.isEnabled() and "不合理" in topup.change.text()
    topup.cash.setText("1050")  # exactly ten notes too many: still taken, after asking
    assert topup.ok.isEnabled()

    topup.cash.setText("200")  # ¥150 change
    qtbot.keyClick(topup.cash, Qt.Key.Key_Return)
    box = topup.findChild(QMessageBox, "confirmCash")
    qtbot.waitUntil(lambda: box is not None and box.isVisible())
    assert "150.00" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # a reflex Enter: back, the amount to type again
    qtbot.waitUntil(lambda: not box.isVisible())
    assert topup.isVisible() and topup.result() == 0 and topup.cash.text() == ""
    assert topup.account.text() == "13800138000"

    qtbot.keyClicks(topup.cash, "200")
    qtbot.keyClick(topup.cash, Qt.Key.Key_Return)
    box = next(b for b in topup.findChildren(QMessageBox, "confirmCash") if b.isVisible())
    box.activateWindow()  # as a window manager would: a mnemonic works in the active window
    qtbot.waitUntil(box.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # deliberate
    qtbot.waitUntil(lambda: not topup.isVisible())
    assert topup.result() == 1 and topup.cash_received() == 20000


def test_a_code_scanned_into_the_number_field_does_not_start_the_top_up(qtbot, topup) -> None:
    """An EAN-8 product code is 8 digits, a valid account for a game whose rule is 6 to 12 digits: the scanner's
    Enter after it started a top-up to that "account". It now leaves the dialog open and says why; the cashier's
    own Enter, once they have read the number, confirms it."""
    topup.product.setCurrentIndex(1)
    qtbot.keyClicks(topup.account, "69012345")  # a scanner's burst and its Enter
    qtbot.keyClick(topup.account, Qt.Key.Key_Return)
    assert topup.isVisible() and topup.result() == 0 and topup.account.text() == "69012345"
    assert topup.carrier.text() == "这是扫码枪扫入的：核对号码后再按回车"
    qtbot.wait(HAND_MS)
    qtbot.keyClick(topup.account, Qt.Key.Key_Return)  # a person's Enter
    assert topup.result() == 1 and not topup.isVisible()


def test_a_number_typed_by_hand_is_confirmed_by_its_enter(qtbot, topup) -> None:
    type_by_hand(qtbot, "13800138000", topup.account)
    qtbot.wait(HAND_MS)
    qtbot.keyClick(topup.account, Qt.Key.Key_Return)
    assert topup.result() == 1 and not topup.isVisible()


def test_the_z_report_window_lists_the_orders_its_close_passed_on(qtbot) -> None:
    z = replace(Z, passed_on=(PassedOn("KM-250101-0013", 3000),))
    dialog = ZReportDialog(None, z, {})
    qtbot.addWidget(dialog)
    text = dialog.view.toPlainText()
    assert "未结算，转下一班（待付款）" in text and "KM-250101-0013" in text and "30.00" in text
    assert "转下一班" not in ZReportDialog(None, Z, {}).view.toPlainText()


def codes_dialog(qtbot, clipboard_ms: int) -> CodesDialog:
    code = CardCode(id="k1", product_id="qb30", card_no="1234567890123456", card_secret="ABCD2345EFGH6789",
                    expires_on=None, state="sold", order_id="o1", after_sales=False)
    dialog = CodesDialog("0001", 0, [code], {"qb30": CARD}, lambda show: show([code]), clipboard_ms=clipboard_ms)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reveal()
    return dialog


def test_codes_are_large_grouped_with_the_redeem_hint_and_url(qtbot) -> None:
    dialog = codes_dialog(qtbot, 30_000)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "卡密 ABCD 2345 EFGH 6789" in texts and "卡号 1234 5678 9012 3456" in texts
    secret = dialog.findChild(QLabel, "secret")
    assert "monospace" in secret.styleSheet() and secret.fontInfo().pixelSize() >= 24
    assert any("卡密充值" in t for t in texts) and any("https://pay.qq.com" in t for t in texts)
    assert grouped("ABCDEFGHI") == "ABCD EFGH I"


def test_showing_the_codes_does_not_widen_the_dialog(qtbot) -> None:
    """Placed for its width when it opened, a dialog that grew when the codes appeared ran off a 1024-px screen."""
    code = CardCode(id="k1", product_id="qb30", card_no="1234567890123456", card_secret="ABCD2345EFGH6789WXYZ",
                    expires_on=None, state="sold", order_id="o1", after_sales=False)
    dialog = CodesDialog("0001", 0, [code], {"qb30": CARD}, lambda show: show([code]))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(50)
    masked = dialog.width()
    dialog.reveal()
    qtbot.wait(50)  # the layout settles
    assert dialog.width() == masked and dialog.layout().minimumSize().width() <= masked
    assert masked <= 1024


def test_a_copied_secret_leaves_the_clipboard_after_a_while_and_on_close(qtbot) -> None:
    clipboard = QApplication.clipboard()
    dialog = codes_dialog(qtbot, 200)
    copy_secret = dialog.findChild(QPushButton, "copySecret")
    qtbot.mouseClick(copy_secret, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "ABCD2345EFGH6789"  # the code itself, without the display grouping
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=2000)

    qtbot.mouseClick(copy_secret, Qt.MouseButton.LeftButton)
    clipboard.setText("the cashier copied something else")  # not ours any more: left alone
    qtbot.wait(400)
    assert clipboard.text() == "the cashier copied something else"

    qtbot.mouseClick(copy_secret, Qt.MouseButton.LeftButton)
    dialog.accept()  # closing clears at once
    assert clipboard.text() == ""
