"""The shop's own collection QR (收款码) when the platform cannot make a payment QR: the customer scans it, the
cashier sees the money arrive on the shop's phone and confirms 收到款项, which is recorded with their name."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout

from kameng_desk.gui.messages import describe
from kameng_desk.gui.payment_dialog import qr_pixmap
from kameng_desk.gui.worker import ChangesOf
from kameng_desk.records.money import yuan
from kameng_desk.usecases.static_qr import StaticQr
from local_cache import Store

QR_SIZE = 300
HOLD_MS = 1000  # 收到款项 is held this long: a reflex Enter or a brushed click confirms nothing
HOLD_TICK_MS = 25


class HoldButton(QPushButton):
    """A button that acts only when held down (mouse, or Space while it has the focus) for ``hold_ms``, its
    progress shown as it fills; letting go earlier does nothing. Never a default button: Enter does not press it."""

    held = Signal()

    def __init__(self, text: str, hold_ms: int = HOLD_MS, parent=None) -> None:
        super().__init__(text, parent)
        self.hold_ms = hold_ms
        self.setAutoDefault(False)
        self.setDefault(False)
        self.progress = QProgressBar(objectName="holdProgress", textVisible=False, maximum=hold_ms, maximumHeight=8)
        self._since = QElapsedTimer()
        self._tick = QTimer(self, interval=HOLD_TICK_MS)
        self._tick.timeout.connect(self._advance)
        self.pressed.connect(self._start)
        self.released.connect(self._stop)

    def _start(self) -> None:
        self._since.start()
        self._tick.start()

    def _advance(self) -> None:
        held = self._since.elapsed()
        self.progress.setValue(min(held, self.hold_ms))
        if held >= self.hold_ms:
            self._tick.stop()
            self.progress.setValue(0)
            self.held.emit()

    def _stop(self) -> None:
        self._tick.stop()
        self.progress.setValue(0)


def static_qr_pixmap(qr: StaticQr, ratio: float) -> QPixmap:
    if qr.kind == "text":
        return qr_pixmap(qr.text, QR_SIZE, ratio)
    pixmap = QPixmap()
    pixmap.loadFromData(qr.image)
    return pixmap.scaled(QR_SIZE, QR_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)


class StaticQrDialog(QDialog):
    """`confirm(store)` records the sale when the cashier presses 收到款项 (the screens hear `changes`); its result
    is emitted."""

    confirmed = Signal(object)

    def __init__(self, qr: StaticQr, total_fen: int, worker, confirm: Callable[[Store], object], reason: str,
                 parent=None, *, changes: ChangesOf) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("店铺收款码"))
        self.worker, self._confirm, self._changes = worker, confirm, changes
        why = QLabel(reason, wordWrap=True, objectName="staticReason")
        image = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, objectName="staticQrImage")
        image.setPixmap(static_qr_pixmap(qr, self.devicePixelRatioF()))
        amount = QLabel(self.tr("￥{v}").format(v=yuan(total_fen)), objectName="bigAmount",
                        alignment=Qt.AlignmentFlag.AlignCenter)
        hint = QLabel(self.tr("请顾客扫码付款。在店铺手机上看到到账 ￥{v} 后，再按住“收到款项”1 秒。").format(
            v=yuan(total_fen)), wordWrap=True)
        self.message = QLabel(objectName="staticMessage", wordWrap=True)
        self.confirm_button = HoldButton(self.tr("按住 1 秒：收到款项"), parent=self)
        self.confirm_button.setObjectName("confirmStatic")
        cancel = QPushButton(self.tr("取消 (Esc)"))
        cancel.setAutoDefault(False)  # no button takes Enter here
        self.confirm_button.held.connect(self.confirm)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        for w in (why, image, amount, hint, self.message):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addWidget(self.confirm_button.progress)
        self.confirm_button.released.connect(self._released)

    def _released(self) -> None:
        if self.confirm_button.isEnabled() and not self.message.text():
            self.message.setText(self.tr("请按住“收到款项”1 秒（鼠标或空格键），进度条满了才确认。"))

    def confirm(self) -> None:
        self.confirm_button.setEnabled(False)

        def done(result) -> None:
            self.accept()
            self.confirmed.emit(result)

        def failed(exc: Exception) -> None:
            self.confirm_button.setEnabled(True)
            self.message.setText(describe(exc))
        self.worker.run(self._confirm, done, failed, changes=self._changes)
