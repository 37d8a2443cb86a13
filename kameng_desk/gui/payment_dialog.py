"""The payment QR dialog: a crisp QR (whole device pixels per module), the amount in big digits, a
countdown to expiry and the live status. The platform decides the outcome; this dialog only shows it."""

from __future__ import annotations

import time

import qrcode
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kameng_desk.records.money import yuan
from kameng_desk.usecases import changes, qr_sale
from kameng_desk.usecases.qr_sale import QrSession, Settled

QUIET_ZONE = 4


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
        self.status = QLabel(self.tr("等待顾客扫码付款…"))
        self.status.setObjectName("paymentStatus")
        self.countdown = QLabel()
        layout.addWidget(self.status)
        layout.addWidget(self.countdown)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton(self.tr("取消收款 (Esc)"))
        self.cancel_button.clicked.connect(self.cancel_payment)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self._busy = self._cancelling = False
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self._tick()

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
