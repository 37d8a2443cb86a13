"""No cash sale outside a shift: before a cash checkout with no shift open, the cashier counts the float.

The counter's checkout asks its ``ShiftGate.passed(retry)`` first. The gate looks the open shift up on the database
thread; with one it calls ``retry`` (the checkout again), which then passes once. Without one it asks for the
float in the drawer (counted, entered by the cashier), opens the shift, and then retries the sale.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from kameng_desk.gui.context import DeskContext
from kameng_desk.records.money import parse_yuan
from kameng_desk.usecases import cash_shift, changes
from local_cache import shifts


class FloatDialog(QDialog):
    """Count the drawer and type the float; 确认 stays disabled until the amount is a valid one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("开班"))
        self.amount = QLineEdit()
        self.amount.setObjectName("floatAmount")
        self.amount.setPlaceholderText(self.tr("备用金（元），没有请填 0"))
        self.hint = QLabel()
        self.hint.setObjectName("floatHint")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("开班"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        explain = QLabel(self.tr("还没有开班：请清点钱箱里的备用金，输入金额后开班。\n"
                                 "开班后这笔现金销售才会计入交班。"))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addWidget(self.amount)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.amount.textChanged.connect(self._check)
        self._check()
        self.amount.setFocus()

    def float_fen(self) -> int | None:
        text = self.amount.text().strip()
        if not text:
            return None
        try:
            fen = parse_yuan(text)
        except ValueError:
            return None
        return fen if fen <= cash_shift.MAX_FLOAT_FEN else None

    def _check(self) -> None:
        valid = self.float_fen() is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(valid)
        self.hint.setText("" if valid or not self.amount.text().strip() else self.tr("备用金格式不对"))

    def accept(self) -> None:
        if self.float_fen() is not None:  # Enter in the box with an invalid amount keeps the dialog and the text
            super().accept()


class ShiftGate:
    def __init__(self, context: DeskContext, parent: QWidget, on_error: Callable[[Exception], None],
                 on_cancel: Callable[[], None]) -> None:
        self.context, self.parent, self.on_error, self.on_cancel = context, parent, on_error, on_cancel
        self._cleared = False  # the shift was just found or opened: the retried checkout goes through
        self._pending = False  # a look-up or the float dialog is under way: further presses wait for it

    def passed(self, retry: Callable[[], None]) -> bool:
        if self._cleared:
            self._cleared = False
            return True
        if not self._pending:
            self._pending = True
            self.context.worker.run(lambda store: shifts.current(store.conn()) is not None,
                                    lambda is_open: self._looked_up(is_open, retry), self._failed)
        return False

    def _looked_up(self, is_open: bool, retry: Callable[[], None]) -> None:
        if is_open:
            self._go(retry)
            return
        dialog = FloatDialog(self.parent)
        dialog.setObjectName("floatDialog")
        dialog.accepted.connect(lambda: self._open(dialog.float_fen() or 0, retry))
        dialog.rejected.connect(self._cancelled)
        dialog.open()

    def _open(self, float_fen: int, retry: Callable[[], None]) -> None:
        user = self.context.user
        if user is None:  # locked while the dialog was up
            self._pending = False
            return
        self.context.worker.run(lambda store: cash_shift.open_shift(store, staff_id=user.id, float_fen=float_fen),
                                lambda _: self._go(retry), self._failed, changes=changes.SHIFT)

    def _go(self, retry: Callable[[], None]) -> None:
        self._pending, self._cleared = False, True
        retry()

    def _cancelled(self) -> None:
        self._pending = False
        self.on_cancel()

    def _failed(self, exc: Exception) -> None:
        self._pending = False
        self.on_error(exc)
