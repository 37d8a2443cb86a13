"""Dialogs: codes shown once after a sale, the top-up form, the check of a large change, and the owner's PIN
approval."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
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
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kameng_desk.gui.messages import describe
from kameng_desk.gui.scan_box import ScannerEnterGuard
from kameng_desk.records.money import MAX_OVERPAY_FEN, is_suspicious_change, looks_like_code, parse_yuan, yuan
from kameng_desk.usecases.errors import InvalidAccountError
from kameng_desk.usecases.phone import CARRIER_NAMES, normalise, parse_phone
from kameng_desk.usecases.topup import validate_account
from local_cache.catalog import Product
from local_cache.codes import CardCode
from local_cache.staff import Staff

CLIPBOARD_MS = 30_000  # a copied card number or secret leaves the clipboard after this (and when the dialog closes)
SECRET_STYLE = "font-family: monospace; font-size: 26px; font-weight: bold; letter-spacing: 1px;"


def grouped(code: str, size: int = 4) -> str:
    """'ABCD1234EFGH' -> 'ABCD 1234 EFGH': read aloud and typed over without losing one's place."""
    return " ".join(code[i:i + size] for i in range(0, len(code), size))


class CodesDialog(QDialog):
    """The sold codes, hidden until the cashier shows them to the customer (that hand-over is recorded,
    and a sale whose codes were never shown can still be voided). Large, grouped, with each product's redeem
    hint and address; a copy stays on the clipboard for `clipboard_ms` only."""

    MASK = "••••••••"

    def __init__(self, number: str, change_fen: int | None, codes: list[CardCode], products: dict[str, Product],
                 reveal: Callable[[Callable[[list[CardCode]], None]], None], parent=None, *,
                 clipboard_ms: int = CLIPBOARD_MS) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("卡密 — 订单 {n}").format(n=number))
        self._reveal = reveal
        self._copied: str | None = None  # what we put on the clipboard, cleared only if it is still there
        self._clear_timer = QTimer(self, singleShot=True, interval=clipboard_ms)
        self._clear_timer.timeout.connect(self.clear_clipboard)
        layout = QVBoxLayout(self)
        if change_fen is not None:
            change = QLabel(self.tr("找零 ￥{v}").format(v=yuan(change_fen)))
            change.setObjectName("bigAmount")
            layout.addWidget(change)
        grid = QGridLayout()
        self.rows: dict[str, tuple[QLabel, QLabel, QPushButton, QPushButton]] = {}
        for row, code in enumerate(codes):
            product = products.get(code.product_id)
            grid.addWidget(QLabel(product.name if product else code.product_id), 2 * row, 0, 1, 3)
            card_no, secret = self._selectable(self.MASK), self._selectable(self.MASK)
            secret.setStyleSheet(SECRET_STYLE)
            secret.setObjectName("secret")
            # Room for the shown codes from the start: a dialog that grows when they appear runs off the right
            # edge of a 1024-px screen (it was placed for its masked width). Only the lengths are used here.
            for label, text in ((card_no, self.tr("卡号 {v}")), (secret, self.tr("卡密 {v}"))):
                value = code.card_no if label is card_no else code.card_secret
                label.ensurePolished()
                label.setMinimumWidth(label.fontMetrics().horizontalAdvance(text.format(v=grouped("W" * len(value)))))
            copy_no, copy_secret = QPushButton(self.tr("复制卡号")), QPushButton(self.tr("复制卡密"))
            copy_no.setObjectName("copyCardNo")
            copy_secret.setObjectName("copySecret")
            for button in (copy_no, copy_secret):
                button.setEnabled(False)
                button.setAutoDefault(False)  # Enter shows the codes, never copies one
            grid.addWidget(card_no, 2 * row + 1, 0)
            grid.addWidget(secret, 2 * row + 1, 1)
            copy_buttons = QHBoxLayout()
            copy_buttons.addWidget(copy_no)
            copy_buttons.addWidget(copy_secret)
            grid.addLayout(copy_buttons, 2 * row + 1, 2)
            self.rows[code.id] = (card_no, secret, copy_no, copy_secret)
        layout.addLayout(grid)
        shown = {code.product_id: products[code.product_id] for code in codes if code.product_id in products}
        for product in shown.values():
            if not (product.redeem_hint or product.redeem_url):
                continue
            how = QLabel(self.tr("{name} 使用方法：{hint}").format(name=product.name, hint=product.redeem_hint)
                         if product.redeem_hint else product.name)
            how.setObjectName("redeemHint")
            how.setWordWrap(True)
            layout.addWidget(how)
            if product.redeem_url:
                url = self._selectable(self.tr("兑换网址：{url}").format(url=product.redeem_url))
                url.setObjectName("redeemUrl")
                layout.addWidget(url)
        self.copy_note = QLabel(self.tr("复制的卡号、卡密 {n} 秒后从剪贴板清除。").format(n=clipboard_ms // 1000))
        self.copy_note.setObjectName("copyNote")
        layout.addWidget(self.copy_note)
        self.show_button = QPushButton(self.tr("显示卡密 (Enter)"))
        self.show_button.setObjectName("revealCodes")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.reveal)
        done = QPushButton(self.tr("完成"))
        done.setAutoDefault(False)
        done.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(done)
        layout.addLayout(buttons)
        # The next customer's item or payment code scanned while this is up: its Enter is the scanner's, not the
        # cashier's, and must not show these codes (shown, the sale can no longer be refunded or voided).
        self._scanner = ScannerEnterGuard((self, self.show_button, done))

    def reveal(self) -> None:
        self.show_button.setEnabled(False)
        self._reveal(self._show)

    def _show(self, codes: list[CardCode]) -> None:
        for code in codes:
            card_no, secret, copy_no, copy_secret = self.rows[code.id]
            card_no.setText(self.tr("卡号 {v}").format(v=grouped(code.card_no)))
            secret.setText(self.tr("卡密 {v}").format(v=grouped(code.card_secret)))
            for button, value in ((copy_no, code.card_no), (copy_secret, code.card_secret)):
                button.setEnabled(True)
                button.clicked.connect(lambda _=False, v=value: self.copy(v))

    def copy(self, value: str) -> None:
        """On the clipboard for a short while: the next program that pastes must not find a customer's code."""
        QGuiApplication.clipboard().setText(value)
        self._copied = value
        self._clear_timer.start()

    def clear_clipboard(self) -> None:
        """Clear what we copied, if the clipboard still holds it (something copied since is left alone)."""
        self._clear_timer.stop()
        clipboard = QGuiApplication.clipboard()
        if self._copied is not None and clipboard.text() == self._copied:
            clipboard.clear()
        self._copied = None

    def done(self, result: int) -> None:
        self.clear_clipboard()
        super().done(result)

    @staticmethod
    def _selectable(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setObjectName("code")
        return label


class CashConfirmation(QMessageBox):
    """More change than a ¥100 note (records.money.is_suspicious_change), asked before a sale or a top-up commits:
    Enter and Esc both go back, only 确认收款 (Alt+Y) takes the cash. Opened window-modal; `confirmed()` tells the
    answer once it is finished."""

    def __init__(self, total_fen: int, cash_fen: int, parent: QWidget) -> None:
        super().__init__(QMessageBox.Icon.Question, "", "", parent=parent)
        self.setWindowTitle(self.tr("核对收款"))
        self.setText(self.tr(
            "收款 ￥{r}，应收 ￥{t}，要找零 ￥{c}：比一张 ￥100 还多。\n确实收到这么多现金吗？").format(
            r=yuan(cash_fen), t=yuan(total_fen), c=yuan(cash_fen - total_fen)))
        self.setObjectName("confirmCash")
        self.yes = self.addButton(self.tr("确认收款 (&Y)"), QMessageBox.ButtonRole.AcceptRole)
        back = self.addButton(self.tr("返回修改 (Esc)"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(back)
        self.setEscapeButton(back)

    def confirmed(self) -> bool:
        return self.clickedButton() is self.yes


class TopupDialog(QDialog):
    """Phone number (carrier shown as it is typed) or game account, face value, cash and change, confirm.

    确认 stays disabled until the account is valid and the cash covers the price; nothing closes the dialog
    with a bad number, and what was typed stays."""

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
        self.account.setObjectName("topupAccount")
        self.account.setPlaceholderText(self.tr("手机号或游戏账号"))
        self.carrier = QLabel("")
        self.carrier.setObjectName("accountCheck")
        self.carrier.setWordWrap(True)
        self.cash = QLineEdit()
        self.cash.setObjectName("topupCash")
        self.cash.setPlaceholderText(self.tr("收款金额（元），留空为正好"))
        self.change = QLabel("")
        self.change.setObjectName("changeAmount")
        form.addRow(self.tr("面值"), self.product)
        form.addRow(self.tr("号码"), self.account)
        form.addRow("", self.carrier)
        form.addRow(self.tr("收款"), self.cash)
        form.addRow(self.tr("找零"), self.change)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("确认充值"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消 (Esc)"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.account.textChanged.connect(self._check)
        self.cash.textChanged.connect(self._check)
        self.product.currentIndexChanged.connect(lambda _: self._check())
        # A barcode scanned into the number field may pass a game's account rule (an EAN-8 is 8 digits): its
        # Enter must not start a top-up the cashier never read; a person's Enter still confirms.
        self._scanner = ScannerEnterGuard((self.account,), self._account_scanned)
        self._check()
        self.account.setFocus()  # the cashier types the number first; the face value is chosen after

    def selected(self) -> Product:
        return self.products[self.product.currentIndex()]

    def cash_received(self) -> int | None:
        """Fen received, None for exactly the price; raises ValueError for text that is not an amount."""
        return parse_yuan(self.cash.text()) if self.cash.text().strip() else None

    def _account_ok(self) -> bool:
        product, text = self.selected(), self.account.text()
        try:
            number = validate_account(product, text)
        except InvalidAccountError as exc:
            digits = normalise(text)
            typing = product.account_rule == "phone" and len(digits) < 11 and digits.isdigit() \
                and exc.problem == "length"
            # A number still being typed is not an error yet: say how many digits are left.
            self.carrier.setText(self.tr("还差 {n} 位").format(n=11 - len(digits)) if typing and digits
                                 else "" if not text.strip() else describe(exc))
            return False
        self.carrier.setText(CARRIER_NAMES[parse_phone(number).carrier] if product.account_rule == "phone"
                             else self.tr("账号格式正确"))
        return True

    def _account_scanned(self) -> None:
        if self.ok.isEnabled():  # else the line already says what is wrong with it
            self.carrier.setText(self.tr("这是扫码枪扫入的：核对号码后再按回车"))

    def _cash_ok(self) -> bool:
        """The counter's bounds (issue #15): a scanned code is not cash, nor more than MAX_OVERPAY_FEN over."""
        price = self.selected().retail_price_fen
        if looks_like_code(self.cash.text()):
            self.change.setText(self.tr("这是商品码，不是金额"))
            return False
        try:
            received = self.cash_received()
        except ValueError:
            self.change.setText(self.tr("收款金额格式不对"))
            return False
        change = (price if received is None else received) - price
        if change > MAX_OVERPAY_FEN:
            self.change.setText(self.tr("找零 ￥{v} 不合理：收款最多比应收多 ￥{m}").format(
                v=yuan(change), m=yuan(MAX_OVERPAY_FEN)))
            return False
        self.change.setText(self.tr("￥{v}").format(v=yuan(change)) if change >= 0
                            else self.tr("还差 ￥{v}").format(v=yuan(-change)))
        return change >= 0

    def _check(self, _text: str = "") -> bool:
        ok = self._account_ok() & self._cash_ok()  # both, so both lines are up to date
        self.ok.setEnabled(ok)
        return ok

    def accept(self) -> None:
        """Enter on an invalid form does nothing: the dialog stays open with what was typed. More change than a
        ¥100 note is asked about first; going back clears only the cash."""
        if not self._check():
            return
        price, received = self.selected().retail_price_fen, self.cash_received()
        if received is None or not is_suspicious_change(price, received):
            super().accept()
            return
        box = CashConfirmation(price, received, self)

        def answered() -> None:
            if box.confirmed():
                super(TopupDialog, self).accept()
            else:
                self.cash.clear()
                self.cash.setFocus()
        box.finished.connect(answered)
        box.open()


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
