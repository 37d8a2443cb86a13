"""Dialogs: codes shown once after a sale, the top-up form, and the owner's PIN approval."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from kameng_desk.counter.errors import InvalidAccountError
from kameng_desk.counter.money import yuan
from kameng_desk.counter.phone import CARRIER_NAMES, parse_phone
from local_cache.catalog import Product
from local_cache.codes import CardCode
from local_cache.staff import Staff


class CodesDialog(QDialog):
    """The sold codes, hidden until the cashier shows them to the customer (that hand-over is recorded,
    and a sale whose codes were never shown can still be voided)."""

    MASK = "••••••••"

    def __init__(self, number: str, change_fen: int | None, codes: list[CardCode], names: dict[str, str],
                 reveal: Callable[[Callable[[list[CardCode]], None]], None], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("卡密 — 订单 {n}").format(n=number))
        self._reveal = reveal
        layout = QVBoxLayout(self)
        if change_fen is not None:
            change = QLabel(self.tr("找零 ￥{v}").format(v=yuan(change_fen)))
            change.setObjectName("bigAmount")
            layout.addWidget(change)
        grid = QGridLayout()
        self.rows: dict[str, tuple[QLabel, QLabel, QPushButton]] = {}
        for row, code in enumerate(codes):
            grid.addWidget(QLabel(names.get(code.product_id, code.product_id)), row, 0)
            card_no, secret = self._selectable(self.MASK), self._selectable(self.MASK)
            copy = QPushButton(self.tr("复制"))
            copy.setEnabled(False)
            grid.addWidget(card_no, row, 1)
            grid.addWidget(secret, row, 2)
            grid.addWidget(copy, row, 3)
            self.rows[code.id] = (card_no, secret, copy)
        layout.addLayout(grid)
        self.show_button = QPushButton(self.tr("显示卡密 (Enter)"))
        self.show_button.setObjectName("revealCodes")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.reveal)
        done = QPushButton(self.tr("完成"))
        done.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(done)
        layout.addLayout(buttons)

    def reveal(self) -> None:
        self.show_button.setEnabled(False)
        self._reveal(self._show)

    def _show(self, codes: list[CardCode]) -> None:
        for code in codes:
            card_no, secret, copy = self.rows[code.id]
            card_no.setText(self.tr("卡号 {v}").format(v=code.card_no))
            secret.setText(self.tr("卡密 {v}").format(v=code.card_secret))
            copy.setEnabled(True)
            copy.clicked.connect(lambda _=False, c=code: QGuiApplication.clipboard().setText(
                f"{c.card_no} {c.card_secret}"))

    @staticmethod
    def _selectable(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setObjectName("code")
        return label


class TopupDialog(QDialog):
    """Phone number (carrier shown as it is typed) or game account, face value, confirm."""

    def __init__(self, products: list[Product], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("话费 / 游戏直充"))
        self.products = products
        form = QFormLayout(self)
        self.setMinimumWidth(420)
        self.product = QComboBox()
        for p in products:
            self.product.addItem(f"{p.name}  ￥{yuan(p.retail_price_fen)}", p.id)
        self.account = QLineEdit()
        self.account.setPlaceholderText(self.tr("手机号或游戏账号"))
        self.carrier = QLabel("")
        self.cash = QLineEdit()
        self.cash.setPlaceholderText(self.tr("收款金额（元），留空为正好"))
        form.addRow(self.tr("面值"), self.product)
        form.addRow(self.tr("号码"), self.account)
        form.addRow("", self.carrier)
        form.addRow(self.tr("收款"), self.cash)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确认充值"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消 (Esc)"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.account.textChanged.connect(self._show_carrier)
        self.product.currentIndexChanged.connect(lambda _: self._show_carrier(self.account.text()))

    def selected(self) -> Product:
        return self.products[self.product.currentIndex()]

    def _show_carrier(self, text: str) -> None:
        if self.selected().account_rule != "phone" or len(text.strip()) < 3:
            self.carrier.setText("")
            return
        try:
            self.carrier.setText(CARRIER_NAMES[parse_phone(text).carrier])
        except InvalidAccountError:
            self.carrier.setText(self.tr("号码无效") if len(text.strip()) >= 11 else "")


class OwnerPinDialog(QDialog):
    """An owner enters their PIN on the spot to approve a cashier's action.

    The PIN box has the focus (the owner types the PIN and Enter; the owner list only matters in a shop with
    several owners), and Enter on an empty PIN says so and keeps the dialog open: it is never sent."""

    def __init__(self, owners: list[Staff], action: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("店长授权"))
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("“{a}”需要店长授权").format(a=action)))
        self.owner = QComboBox()
        for o in owners:
            self.owner.addItem(o.name, o.id)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setObjectName("ownerPin")
        self.hint = QLabel(objectName="ownerPinHint")
        form.addRow(self.tr("店长"), self.owner)
        form.addRow(self.tr("PIN"), self.pin)
        form.addRow("", self.hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.pin.textChanged.connect(lambda _: self.hint.clear())
        self.pin.setFocus()

    def accept(self) -> None:
        if not self.pin.text():
            self.hint.setText(self.tr("请输入 PIN。"))
            self.pin.setFocus()
            return
        super().accept()

    def owner_id(self) -> str:
        return self.owner.currentData()
