"""The counter's search box as a scanner and a keyboard use it: key timing (a scanner's burst), arrow keys that move
the highlight in the results, and the dialog in which the owner scans a product's new barcode."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from kameng_desk.usecases.barcodes import ScanTracker

# A scanner set to send no Enter after the code: the burst is over when no key came for this long.
BURST_END_MS = 100


class ScanBoxKeys(QObject):
    """Watches the search box's keys: times the printable ones, hands Up/Down to `move`, and calls `burst_ended`
    when a scanner's burst stopped without an Enter."""

    def __init__(self, box: QLineEdit, move: Callable[[int], None], burst_ended: Callable[[], None]) -> None:
        super().__init__(box)
        self.tracker = ScanTracker()
        self.move = move
        self.idle = QTimer(self, singleShot=True, interval=BURST_END_MS)
        self.idle.timeout.connect(lambda: burst_ended() if self.tracker.is_scan() else None)
        box.installEventFilter(self)
        box.textChanged.connect(lambda text: None if text else self.tracker.reset())

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.move(1 if key == Qt.Key.Key_Down else -1)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.idle.stop()
        elif event.text() and event.text().isprintable():
            self.tracker.key(time.monotonic())
            self.idle.start()
        else:  # an edit (Backspace, a cursor move): the keys timed so far no longer line up with the text
            self.tracker.reset()
        return False

    def scanned_code(self, text: str) -> str | None:
        """The code a scanner typed at the end of `text` (after anything a person typed first), or None."""
        n = self.tracker.burst_length() if self.tracker.is_scan() else 0
        return text[-n:].strip() if n else None


class ScannerEnterGuard(QObject):
    """Keeps a scanner's Enter from pressing a dialog's button: installed on the dialog and its buttons, it times
    the printable keys, swallows an Enter that ends a scanner's burst and calls `scanned()`; a person's Enter
    passes."""

    def __init__(self, widgets: tuple[QWidget, ...], scanned: Callable[[], None] = lambda: None) -> None:
        super().__init__(widgets[0])
        self.tracker = ScanTracker()
        self.scanned = scanned
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            burst = self.tracker.is_scan()
            self.tracker.reset()
            if burst:
                self.scanned()
            return burst
        if event.text() and event.text().isprintable():
            self.tracker.key(time.monotonic())
        else:
            self.tracker.reset()
        return False


class BarcodeScanDialog(QDialog):
    """The owner scans the product's barcode once; the owner's PIN is asked after it."""

    def __init__(self, product_name: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("绑定条码"))
        self.code = QLineEdit(objectName="barcodeInput")
        self.code.setPlaceholderText(self.tr("用扫码枪扫商品上的条码"))
        self.code.setMaxLength(32)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept_scanned)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("扫描“{name}”的条码，以后扫这个条码就加入此商品。").format(name=product_name)))
        layout.addWidget(self.code)
        layout.addWidget(buttons)
        self.code.setFocus()

    def _accept_scanned(self) -> None:
        if self.code.text().strip():  # the scanner's Enter on an empty box is no code
            self.accept()
