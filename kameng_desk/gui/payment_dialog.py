"""The payment QR dialog: a crisp QR (whole device pixels per module), the amount in big digits, the apps that can
pay it (WeChat / Alipay marks), a countdown to expiry and the live status. The platform decides the outcome; this
dialog only shows it. Where the platform runs more than one gateway, F6 switches the QR to the next one (the
counter cancels this payment and starts one there: usecases.checkout SwitchingQr)."""

from __future__ import annotations

import time

import qrcode
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kameng_desk.gui.scan_box import ScannerEnterGuard
from kameng_desk.gui.texts import tr
from kameng_desk.records.money import yuan
from kameng_desk.records.payment_port import PaymentOption
from kameng_desk.usecases import changes, qr_sale
from kameng_desk.usecases.qr_sale import QrSession, Settled

QUIET_ZONE = 4
SWITCH_KEY = "F6"  # the counter's F2-F5 and F7-F12 are taken; Tab moves the focus between the buttons
# The apps' own colours, on a badge Qt draws (no trademark image files).
APP_COLOURS = {"wechat": "#07c160", "alipay": "#1677ff"}


def app_name(app: str) -> str:
    return {"wechat": tr("微信"), "alipay": tr("支付宝")}.get(app, app)


class AppMark(QLabel):
    """An app's mark: its name on a rounded badge in its colour."""

    def __init__(self, app: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if app is not None:
            self.set_app(app)

    def set_app(self, app: str) -> None:
        self.setObjectName(f"appMark_{app}")
        self.setText(app_name(app))
        self.setStyleSheet(f"background: {APP_COLOURS.get(app, '#607d8b')}; color: white; border-radius: 8px;"
                           " padding: 4px 12px; font-size: 16px; font-weight: bold;")


def next_method(options: list[PaymentOption], method: str) -> PaymentOption | None:
    """The gateway F6 switches to from `method`: the next one in the platform's order; None with only one."""
    methods = [o.method for o in options]
    if len(methods) < 2 or method not in methods:
        return None
    return options[(methods.index(method) + 1) % len(methods)]


def qr_pixmap(text: str, target_px: int, device_ratio: float) -> QPixmap:
    """Each module is a whole number of device pixels, so a phone camera sees sharp edges at any scale."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix) + 2 * QUIET_ZONE
    scale = max(1, int(target_px * device_ratio) // modules)
    image = QImage(modules * scale, modules * scale, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect((x + QUIET_ZONE) * scale, (y + QUIET_ZONE) * scale, scale, scale, QColor("black"))
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(device_ratio)
    return pixmap


class PaymentDialog(QDialog):
    settled = Signal(object)  # Settled
    switch_requested = Signal(str)  # the method to switch to (F6)

    def __init__(self, session: QrSession, worker, port, staff_id: str, parent=None) -> None:
        super().__init__(parent)
        self.session, self.worker, self.port, self.staff_id = session, worker, port, staff_id
        self.setWindowTitle(self.tr("扫码付款 — 订单 {n}").format(n=session.number))
        layout = QVBoxLayout(self)
        amount = QLabel(self.tr("￥{v}").format(v=yuan(session.amount_fen)))
        amount.setObjectName("bigAmount")
        amount.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(amount)
        self.qr = QLabel()
        self.qr.setObjectName("paymentQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if session.qr_content:
            self.qr.setPixmap(qr_pixmap(session.qr_content, 320, self.devicePixelRatioF()))
        else:
            self.qr.setText(self.tr("无法连接平台，不能生成收款码。\n请收现金，或使用店铺收款码并确认到账。"))
        layout.addWidget(self.qr)
        self.marks = QHBoxLayout()
        self.marks.addStretch(1)
        self.marks_end = self.marks.count()
        self.marks.addStretch(1)
        layout.addLayout(self.marks)
        self.switch_hint = QLabel()
        self.switch_hint.setObjectName("switchHint")
        self.switch_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.switch_hint.hide()
        layout.addWidget(self.switch_hint)
        self._switch_to: PaymentOption | None = None
        QShortcut(QKeySequence(SWITCH_KEY), self, activated=self.switch_method)
        self.status = QLabel(self.tr("等待顾客扫码付款…"))
        self.status.setObjectName("paymentStatus")
        self.status.setWordWrap(True)  # the scanned-code hint is long: wrapped, the dialog keeps the QR's width
        self.countdown = QLabel()
        layout.addWidget(self.status)
        layout.addWidget(self.countdown)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton(self.tr("取消收款 (Esc)"))
        self.cancel_button.clicked.connect(self.cancel_payment)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        # The customer holds out their payment code instead and the cashier scans it: the scanner's Enter must not
        # cancel this QR (the code would be lost with it); the cashier is told how to take the code.
        self._scanner = ScannerEnterGuard((self, self.cancel_button), lambda: self.status.setText(self.tr(
            "收款码还在等顾客扫码。顾客要出示付款码的话，请先按 Esc 取消收款码，再扫付款码。")))
        self._busy = self._cancelling = self._switch_wanted = False
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self._tick()
        if session.qr_content:  # asked once per client, then known: the marks show as the QR does
            self.worker.run_network(lambda store: port.payment_options(), self._show_options, lambda _exc: None)

    def _show_options(self, options: list[PaymentOption]) -> None:
        """The marks of the apps that can pay this QR, and the F6 hint where another gateway could show one."""
        mine = next((o for o in options if o.method == self.session.method), None)
        for app in mine.apps if mine is not None else ():
            self.marks.insertWidget(self.marks_end, AppMark(app))
            self.marks_end += 1
        self._switch_to = next_method(options, self.session.method)
        if self._switch_to is not None:
            apps = "、".join(app_name(a) for a in self._switch_to.apps) or self._switch_to.method
            self.switch_hint.setText(self.tr("顾客要用别的 App 付款？按 {key} 换成{apps}收款码").format(
                key=SWITCH_KEY, apps=apps))
            self.switch_hint.show()

    def switch_method(self) -> None:
        """F6: this payment is cancelled and one started on the next gateway (by the counter). Not while a status
        question is under way: its answer (the customer may have just paid) must be heard first."""
        if self._switch_to is None or self._cancelling or not self.timer.isActive():
            return
        if self._busy:
            self._switch_wanted = True  # done once the answer is in (_polled)
            return
        self.timer.stop()
        self._cancelling = True
        self.switch_requested.emit(self._switch_to.method)
        self.accept()

    def _tick(self) -> None:
        if self.session.expires_at:
            left = max(0, int(self.session.expires_at - time.time()))
            self.countdown.setText(self.tr("剩余 {m}:{s:02d}").format(m=left // 60, s=left % 60))
        if self._busy or not self.session.qr_content:
            return
        self._busy = True
        session, port, staff_id = self.session, self.port, self.staff_id
        self.worker.run_network(lambda store: qr_sale.poll(store, port, session, staff_id=staff_id), self._polled,
                                self._failed, changes=changes.of_settled)

    def _polled(self, result: Settled) -> None:
        self._busy = False
        if result.outcome == "waiting" and not self._cancelling:
            if self._switch_wanted:
                self.switch_method()
            return
        self.timer.stop()
        if result.outcome == "fulfilled":
            self.status.setText(self.tr("已付款"))
        self.settled.emit(result)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self.status.setText(self.tr("查询失败，稍后重试…"))

    def cancel_payment(self) -> None:
        self._cancelling = True
        self.timer.stop()
        self.cancel_button.setEnabled(False)
        session, port, staff_id = self.session, self.port, self.staff_id
        self.worker.run_network(lambda store: qr_sale.cancel(store, port, session, staff_id=staff_id), self._polled,
                                self._failed, changes=changes.of_settled)

    def reject(self) -> None:  # Esc cancels the payment rather than just hiding it
        if self.timer.isActive():
            self.cancel_payment()
        else:
            super().reject()
