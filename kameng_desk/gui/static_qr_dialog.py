"""The shop's own collection QR (收款码) when the platform cannot make a payment QR: the customer scans it, the
cashier sees the money arrive on the shop's phone and confirms 收到款项, which is recorded with their name."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kameng_desk.counter.money import yuan
from kameng_desk.gui.messages import describe
from kameng_desk.gui.payment_dialog import qr_pixmap
from kameng_desk.payments.static_qr import StaticQr
from local_cache import Store

QR_SIZE = 300


def static_qr_pixmap(qr: StaticQr, ratio: float) -> QPixmap:
    if qr.kind == "text":
        return qr_pixmap(qr.text, QR_SIZE, ratio)
    pixmap = QPixmap()
    pixmap.loadFromData(qr.image)
    return pixmap.scaled(QR_SIZE, QR_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)


class StaticQrDialog(QDialog):
    """`confirm(store)` records the sale when the cashier presses 收到款项; its result is emitted."""

    confirmed = Signal(object)

    def __init__(self, qr: StaticQr, total_fen: int, worker, confirm: Callable[[Store], object], reason: str,
                 parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("店铺收款码"))
        self.worker, self._confirm = worker, confirm
        why = QLabel(reason, wordWrap=True, objectName="staticReason")
        image = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, objectName="staticQrImage")
        image.setPixmap(static_qr_pixmap(qr, self.devicePixelRatioF()))
        amount = QLabel(self.tr("￥{v}").format(v=yuan(total_fen)), objectName="bigAmount",
                        alignment=Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(self.tr("请顾客扫码付款。在店铺手机上看到到账 ￥{v} 后，再点“收到款项”。").format(
            v=yuan(total_fen)), wordWrap=True)
        self.message = QLabel(objectName="staticMessage", wordWrap=True)
        self.confirm_button = QPushButton(self.tr("收到款项"), objectName="confirmStatic")
        cancel = QPushButton(self.tr("取消 (Esc)"))
        self.confirm_button.clicked.connect(self.confirm)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        for w in (why, image, amount, hint, self.message):
            layout.addWidget(w)
        layout.addLayout(buttons)

    def confirm(self) -> None:
        self.confirm_button.setEnabled(False)

        def done(result) -> None:
            self.accept()
            self.confirmed.emit(result)

        def failed(exc: Exception) -> None:
            self.confirm_button.setEnabled(True)
            self.message.setText(describe(exc))
        self.worker.run(self._confirm, done, failed)
