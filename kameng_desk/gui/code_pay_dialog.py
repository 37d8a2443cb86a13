"""The customer's payment code (付款码) being charged: the amount, where the charge stands (正在收款… / 等待顾客输入
支付密码 / the platform undoing it), and the outcome. The counter's checkout (usecases.checkout) drives it; this
dialog only shows the state it is told and asks for the cancel (Esc)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kameng_desk.gui.payment_dialog import AppMark, app_name
from kameng_desk.gui.texts import tr
from kameng_desk.records.money import yuan

# The gateways' reasons for refusing a payment code (CodeResult.reason: WeChat Pay's error codes, Alipay's
# sub_codes), grouped by what the cashier tells the customer.
_INVALID = ("AUTH_CODE_INVALID", "AUTH_CODE_ERROR", "AUTHCODEEXPIRE", "ACQ.PAYMENT_AUTH_CODE_INVALID")
_BALANCE = ("NOTENOUGH", "ACQ.BUYER_BALANCE_NOT_ENOUGH", "ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH")
_LIMIT = ("ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR", "ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR",
          "ACQ.PAYMENT_AMOUNT_LIMIT_ERROR")
_CARD = ("NOTSUPORTCARD", "ACQ.CARD_TYPE_ERROR")
_ACCOUNT = ("TRADE_ERROR", "BUYER_MISMATCH", "ACQ.BUYER_ENABLE_STATUS_FORBID", "ACQ.PAYMENT_REQUEST_HAS_RISK",
            "ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT")
_CLOSED = ("ORDERCLOSED", "ORDERREVERSED", "ACQ.TRADE_HAS_CLOSE")


def failure_text(code: str | None) -> str:
    """Why the gateway refused the code, in the cashier's words; an unknown reason is shown as its code."""
    groups = ((_INVALID, tr("付款码无效或已过期：请顾客刷新付款码后重扫。")),
              (_BALANCE, tr("余额不足：请顾客换一张卡或换一种付款方式。")),
              (_LIMIT, tr("超出顾客的付款限额：请顾客换一种付款方式。")),
              (_CARD, tr("顾客选的银行卡不支持这笔付款：请顾客换一张卡。")),
              (_ACCOUNT, tr("顾客的支付账户受限，付款被拒绝：请顾客换一种付款方式。")),
              (_CLOSED, tr("顾客没有及时完成付款，交易已关闭：请重新扫码。")),
              (("BANKERROR",), tr("银行系统繁忙：请稍后重试，或换一种付款方式。")))
    return next((text for codes, text in groups if code in codes),
                tr("付款失败（{code}）：请换一种付款方式。").format(code=code or tr("原因未知")))


class CodePayDialog(QDialog):
    """Esc or 取消收款 while the charge is open asks for the cancel (`cancel_requested`); once it has ended, they
    close the dialog. A code scanned once it has ended (the customer's refreshed code, as a refusal asks) closes it
    and is handed on (`rescanned`), rather than lost with only its Enter closing the dialog."""

    cancel_requested = Signal()
    rescanned = Signal(str)

    def __init__(self, amount_fen: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("付款码收款"))
        layout = QVBoxLayout(self)
        amount = QLabel(self.tr("￥{v}").format(v=yuan(amount_fen)))
        amount.setObjectName("bigAmount")
        amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(amount)
        marks = QHBoxLayout()
        self.mark = AppMark(None)
        self.mark.hide()
        marks.addStretch(1)
        marks.addWidget(self.mark)
        marks.addStretch(1)
        layout.addLayout(marks)
        self.status = QLabel()
        self.status.setObjectName("codePayStatus")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setStyleSheet("font-size: 20px; font-weight: bold;")
        self.status.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("codePayDetail")
        self.detail.setWordWrap(True)
        self.detail.setMinimumWidth(420)
        self.detail.setMaximumWidth(640)  # long reasons wrap: the dialog fits a 1024×768 counter
        layout.addWidget(self.status)
        layout.addWidget(self.detail)
        self.button = QPushButton(self.tr("取消收款 (Esc)"))
        self.button.setObjectName("codePayButton")
        self.button.clicked.connect(self.reject)
        layout.addWidget(self.button)
        self.open_charge = True
        self._typed = ""  # digits typed (scanned) since the charge ended
        self.button.installEventFilter(self)  # the focused button would take the scan's Enter as a click
        self.charging()

    def _show(self, status: str, detail: str = "") -> None:
        self.status.setText(status)
        self.detail.setText(detail)

    def _show_app(self, app: str | None) -> None:
        if app is not None:
            self.mark.set_app(app)
            self.mark.show()

    def charging(self) -> None:
        self._show(self.tr("正在收款…"), self.tr("正在通过平台向顾客的付款码扣款，请稍候。"))

    def waiting(self, app: str | None) -> None:
        self._show_app(app)
        if app is None:
            self._show(self.tr("等待顾客输入支付密码"), self.tr("请顾客在手机上确认付款。Esc 取消收款。"))
        else:
            self._show(self.tr("等待顾客输入支付密码"),
                       self.tr("请顾客在{app}里确认付款。Esc 取消收款。").format(app=app_name(app)))

    def cancelling(self) -> None:
        self.button.setEnabled(False)
        self._show(self.tr("正在取消收款…"), self.tr("正在请平台撤销这笔收款。"))

    def undoing(self, status: str) -> None:
        self.button.setEnabled(True)
        self.button.setText(self.tr("不再等待 (Esc)"))
        if status == "reversing":
            self._show(self.tr("平台正在撤销这笔收款…"),
                       self.tr("如果顾客已付款，钱会原路退回。可以按 Esc 不再等待：联网后自动核对，卡密随后放回库存。"))
        else:
            self._show(self.tr("连不上平台，收款结果未知"),
                       self.tr("已请求撤销这笔收款（顾客若已付款会原路退回）。请改收现金或让顾客扫店铺收款码；"
                               "按 Esc 不再等待，联网后自动核对。"))

    def poll_failed(self) -> None:
        self.detail.setText(self.tr("查询失败，稍后重试…"))

    def ended(self, status: str, detail: str) -> None:
        """The charge is over without a sale: say how; Enter or Esc closes."""
        self.open_charge = False
        self._show(status, detail)
        self.button.setEnabled(True)
        self.button.setText(self.tr("关闭 (Enter)"))
        self.button.setDefault(True)
        self.button.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if self.open_charge or event.type() != QEvent.Type.KeyPress:
            return False
        if event.text().isdigit():
            self._typed += event.text()
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._typed:
            code, self._typed = self._typed, ""
            super().reject()
            self.rescanned.emit(code)
            return True
        self._typed = ""
        return False

    def reject(self) -> None:  # Esc asks for the cancel while the charge is open, rather than hiding it
        if self.open_charge:
            self.cancel_requested.emit()
        else:
            super().reject()
