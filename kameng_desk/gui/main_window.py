"""The counter window: login, the sell screen with cart and cash, top-ups, lock, and the sync status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Literal

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTabBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kameng_desk.gui.backoffice import BackOfficePage
from kameng_desk.gui.code_pay_dialog import CodePayDialog, failure_text
from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.customer_display import CustomerDisplays
from kameng_desk.gui.dialogs import CashConfirmation, CodesDialog, TopupDialog
from kameng_desk.gui.i18n import switch_language
from kameng_desk.gui.messages import Notice, describe, rejection_words, show_error
from kameng_desk.gui.payment_dialog import PaymentDialog
from kameng_desk.gui.printing.queue_panel import PrintQueuePanel
from kameng_desk.gui.printing.settings_page import PrinterSettingsPage
from kameng_desk.gui.refund_dialog import RefundFlow
from kameng_desk.gui.scan_box import BarcodeScanDialog, ScanBoxKeys
from kameng_desk.gui.settings import SettingsTab
from kameng_desk.gui.shift_gate import ShiftGate
from kameng_desk.gui.static_qr_dialog import StaticQrDialog
from kameng_desk.gui.texts import local_time, topup_label
from kameng_desk.gui.worker import ChangesOf, DbWorker, listen_while_alive
from kameng_desk.records.money import (
    LARGEST_NOTE_FEN,
    MAX_OVERPAY_FEN,
    is_suspicious_change,
    looks_like_code,
    parse_yuan,
    yuan,
)
from kameng_desk.records.payment_port import App, PaymentPort, UnknownPaymentCodeError
from kameng_desk.records.sounds import SETTING as SOUNDS_SETTING
from kameng_desk.records.sounds import Cue, Sounds
from kameng_desk.records.voice import Voice
from kameng_desk.sync.status import (
    CodeRevoked,
    OrderRejected,
    PaymentSettled,
    RefundSettled,
    SyncEvent,
    SyncStatus,
    TopupStateChanged,
)
from kameng_desk.usecases import changes, code_sale, handover, qr_sale, refunds, session, static_qr
from kameng_desk.usecases.barcodes import attach_barcode
from kameng_desk.usecases.cash_shift import record_drawer_open
from kameng_desk.usecases.changes import Changes
from kameng_desk.usecases.checkout import (
    Basket,
    CancellingCode,
    CancellingQr,
    ChargingCode,
    Checkout,
    CodeNeedsPlatform,
    CodeStarted,
    Fallback,
    Idle,
    LeavingCode,
    LoadingShopQr,
    NoShopQr,
    SellingForCash,
    ShowingQr,
    ShowingShopQr,
    StartingQr,
    SwitchingQr,
    UndoingCode,
    WaitingForPassword,
)
from kameng_desk.usecases.checkout import State as CheckoutState
from kameng_desk.usecases.code_sale import CodeCharge
from kameng_desk.usecases.customer_view import QR_APPS, Line, PaidBy
from kameng_desk.usecases.qr_sale import QrSession
from kameng_desk.usecases.search import ProductIndex
from kameng_desk.usecases.sell import CartLine, Sale, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, catalog, codes, settings, staff
from local_cache.catalog import Category, Product
from local_cache.staff import Staff

DEFAULT_IDLE_LOCK_MS = 5 * 60 * 1000
MAX_QUANTITY = 500  # the platform's limit per order line
BUSY_AFTER_MS = 300  # a wait longer than this shows the busy indicator
CODE_POLL_MS = 1000  # while the customer enters the password (or the platform reverses), asked this often
# A code the gateway pays at once shows its sale within this: only a longer charge opens the 正在收款 dialog (no
# flash of a dialog before the codes, and nothing built on the GUI thread while the charge is under way).
CODE_DIALOG_AFTER_MS = 200
# Quick tender keys: 正好 and the two notes customers hand over most; F5, F7-F12 and Esc are taken.
TENDER_KEYS = (("F2", None), ("F3", 50_00), ("F4", LARGEST_NOTE_FEN))


class _DialogsReturnFocus(QObject):
    """Every dialog of the counter (its own, and the window's: owner PIN, payment notices) hands the focus back
    to the scan box, cleared, when it closes, so the next scan never lands in the cash field."""

    def __init__(self, counter: CounterPage) -> None:
        super().__init__(counter)
        self.counter = counter

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.ChildPolished:
            child = event.child()
            if isinstance(child, QDialog) and not child.property("returnsFocus"):
                child.setProperty("returnsFocus", True)
                child.finished.connect(self.counter.dialog_closed)  # gone with the counter (rebuilt pages)
        return False
ANNOUNCE_MS = 8000  # how long an outcome stays above the cart: read at a glance, gone before the next customer
# Bigger screens get this much (a window the size of a 4K screen only spreads the tiles); smaller ones get all of
# theirs: the counter works down to 1024×768.
PREFERRED_SIZE = QSize(1366, 860)
# A tile's low-stock badge (its text colour; the style sheet leaves tiles' text colour to the item for it).
LOW_STOCK_COLOUR, SOLD_OUT_COLOUR = "#e65100", "#c62828"
OutcomeKind = Literal["ok", "info", "warning"]
OUTCOME_STYLE = """
QLabel#outcomeBanner { padding: 6px 10px; font-size: 18px; font-weight: bold; border-radius: 4px; }
QLabel#outcomeBanner[kind="ok"] { background: #e8f5e9; color: #1b5e20; }
QLabel#outcomeBanner[kind="info"] { background: #e3f2fd; color: #0d47a1; }
QLabel#outcomeBanner[kind="warning"] { background: #fff3cd; color: #7a4b00; }
"""


@dataclass
class Cart:
    lines: dict[str, int] = field(default_factory=dict)

    def add(self, product_id: str, quantity: int = 1) -> None:
        self.set(product_id, self.lines.get(product_id, 0) + quantity)

    def set(self, product_id: str, quantity: int) -> None:
        """A quantity of 0 takes the line out of the cart."""
        if quantity > 0:
            self.lines[product_id] = quantity
        else:
            self.lines.pop(product_id, None)

    def total(self, products: dict[str, Product]) -> int:
        return sum(products[pid].retail_price_fen * q for pid, q in self.lines.items())


class LoginPage(QWidget):
    logged_in = Signal(object)

    def __init__(self, worker: DbWorker, hint: str = "") -> None:
        super().__init__()
        self.worker = worker
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel(self.tr("卡盟收银台"))
        title.setObjectName("title")
        layout.addWidget(title, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.staff_list = QListWidget()
        self.staff_list.setObjectName("staffList")
        self.staff_list.setFixedSize(360, 220)
        self.pin = QLineEdit()
        self.pin.setObjectName("pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("输入 PIN 后按 Enter"))
        self.pin.setFixedWidth(360)
        self.pin.returnPressed.connect(self.try_login)
        self.message = QLabel(hint)
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setFixedWidth(360)
        for w in (QLabel(self.tr("选择员工")), self.staff_list, self.pin, self.message):
            layout.addWidget(w, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def refresh(self) -> None:
        self.pin.clear()
        self.worker.run(lambda store: staff.list_all(store.conn()), self._show_staff)

    def _show_staff(self, people: list[Staff]) -> None:
        self.staff_list.clear()
        for person in people:
            role = self.tr("店长") if person.is_owner else self.tr("收银员")
            item = QListWidgetItem(f"{person.name}（{role}）")
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            self.staff_list.addItem(item)
        if people:
            self.staff_list.setCurrentRow(len(people) - 1)
        self.pin.setFocus()

    def try_login(self) -> None:
        item = self.staff_list.currentItem()
        if item is None:
            return
        staff_id, pin = item.data(Qt.ItemDataRole.UserRole), self.pin.text()
        self.pin.clear()
        self.worker.run(lambda store: session.login(store, staff_id, pin), self._succeeded,
                        lambda exc: self.message.setText(describe(exc)))

    def _succeeded(self, done: session.Login) -> None:
        self.logged_in.emit(done.staff)
        if done.alerts is not None:
            # Opened after the counter page shows, on the window: the owner reads it before anything else.
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("PIN 错误提醒"), self.tr(
                "自您上次登录以来，PIN 输错 {n} 次，账号因此被锁定 {m} 次（含授权时输错的店长 PIN）。"
                "如不是店员手误，可能有人在猜 PIN：请查看“后台 → 审计日志”，必要时更换 PIN。").format(
                n=done.alerts.failed_attempts, m=done.alerts.lockouts), parent=self.window())
            box.setObjectName("pinAlerts")
            box.open()


class CounterPage(QWidget):
    sale_done = Signal(object)  # a Sale, or the Order of a top-up

    def __init__(self, context: DeskContext, payment_port: Callable[[], PaymentPort | None]) -> None:
        """`payment_port()` gives the platform's payment port, or None when the counter is not paired."""
        super().__init__()
        self.context, self.worker = context, context.worker
        self.shift_gate = ShiftGate(context, self, self._error, lambda: self.search.setFocus())
        self._payment_port = payment_port
        self.till = Checkout(self._show_checkout)
        self.products: dict[str, Product] = {}
        self.stock: dict[str, int] = {}
        self.code_dialog: CodePayDialog | None = None  # the payment code being charged, once shown
        self.code_amount_fen: int | None = None  # the payment code's amount while one is under way
        self.index = ProductIndex([])
        self.cart = Cart()

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("搜索商品：名称、拼音首字母（如 qb）或扫码"))
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._search_enter)
        self.scan_keys = ScanBoxKeys(self.search, self._move_highlight, self._search_enter)
        self.highlight_by_keys = False  # a tile chosen with the arrow keys: Enter adds it
        self.scan_message = QLabel()
        self.scan_message.setObjectName("scanMessage")
        self.scan_message.setWordWrap(True)
        # Its line is kept when empty: tiles that jumped down as a message appeared would take the wrong click.
        self.scan_message.setMinimumHeight(self.scan_message.fontMetrics().height() + 14)
        self.search.textEdited.connect(lambda text: self._say("", error=False) if len(text) == 1 else None)
        self.categories = QTabBar()
        self.categories.setObjectName("categoryBar")
        self.categories.setExpanding(False)
        self.categories.currentChanged.connect(lambda _: self._filter(self.search.text()))
        self.grid = QListWidget()
        self.grid.setObjectName("productGrid")
        self.grid.setViewMode(QListWidget.ViewMode.IconMode)
        self.grid.setGridSize(QSize(200, 84))
        self.grid.setUniformItemSizes(True)
        self.grid.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.grid.setSpacing(8)
        self.grid.itemActivated.connect(self._tile_chosen)
        self.grid.itemClicked.connect(self._tile_chosen)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._tile_menu)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("cart")
        self.table.setHorizontalHeaderLabels([self.tr("商品"), self.tr("数量"), self.tr("单价"), self.tr("小计")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.total_label = QLabel()
        self.total_label.setObjectName("bigAmount")
        self.cash = QLineEdit()
        self.cash.setObjectName("cash")
        self.cash.setPlaceholderText(self.tr("收款（元），留空为正好"))
        self.cash.textChanged.connect(self._update_totals)
        self.cash.returnPressed.connect(self._cash_enter)
        # A scanner firing into the cash field is timed as in the scan box (a burst without Enter ends after
        # BURST_END_MS there too); the arrows do nothing here.
        self.cash_keys = ScanBoxKeys(self.cash, lambda _step: None, self._cash_enter)
        self.tender_buttons: list[QPushButton] = []
        for key, amount in TENDER_KEYS:
            label = self.tr("正好") if amount is None else self.tr("收 ￥{v}").format(v=amount // 100)
            button = QPushButton(f"{label} ({key})")
            button.setObjectName(f"tender_{key}")
            button.clicked.connect(lambda _=False, a=amount: self.tender(a))
            self.tender_buttons.append(button)
        self.busy_indicator = QWidget()
        self.busy_indicator.setObjectName("busyIndicator")
        busy_row = QHBoxLayout(self.busy_indicator)
        busy_row.setContentsMargins(0, 0, 0, 0)
        self.busy_text = QLabel()
        busy_bar = QProgressBar(maximum=0, textVisible=False)  # no maximum: a moving busy bar
        busy_row.addWidget(self.busy_text)
        busy_row.addWidget(busy_bar, 1)
        self.busy_indicator.hide()
        # Precise: a coarse timer may fire 5 % early, showing the indicator for a wait that ends at 300 ms.
        self._busy_timer = QTimer(self, singleShot=True, interval=BUSY_AFTER_MS, timerType=Qt.TimerType.PreciseTimer)
        self._busy_timer.timeout.connect(self.busy_indicator.show)
        self.change_label = QLabel()
        self.change_label.setObjectName("changeAmount")
        self.checkout_button = QPushButton(self.tr("收款结账 (F12)"))
        self.checkout_button.setObjectName("checkout")
        self.checkout_button.clicked.connect(self.checkout)
        self.clear_button = QPushButton(self.tr("清空 (Esc)"))
        self.clear_button.clicked.connect(self.cancel_sale)
        self.topup_button = QPushButton(self.tr("话费/直充 (F5)"))
        self.void_button = QPushButton(self.tr("作废上一单 (F7)"))
        self.lock_button = QPushButton(self.tr("锁屏 (F9)"))
        self.drawer_button = QPushButton(self.tr("开钱箱"))
        self.drawer_button.setObjectName("openDrawer")
        self.backoffice_button = QPushButton(self.tr("后台 (F10)"))
        self.backoffice_button.setObjectName("openBackOffice")
        self.qr_button = QPushButton(self.tr("扫码收款 (F11)"))
        self.qr_button.setObjectName("payByQr")
        self.qr_button.clicked.connect(self.checkout_qr)

        # Who sells, and the outcome of what just happened (void, top-up, offline...), above the cart: where the
        # cashier looks, not down in the status bar.
        self.who = QLabel()
        self.who.setObjectName("loggedIn")
        self.outcome = QLabel()
        self.outcome.setObjectName("outcomeBanner")
        self.outcome.setWordWrap(True)
        self.outcome.setStyleSheet(OUTCOME_STYLE)
        self.outcome.hide()
        self._outcome_timer = QTimer(self, singleShot=True)
        self._outcome_timer.timeout.connect(self.outcome.hide)

        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.scan_message)
        left.addWidget(self.categories)
        left.addWidget(self.grid, 1)
        right = QVBoxLayout()
        right.addWidget(self.who)
        right.addWidget(self.outcome)
        right.addWidget(self.table, 1)
        right.addWidget(self.total_label)
        right.addWidget(self.cash)
        tender_row = QHBoxLayout()
        for b in self.tender_buttons:
            tender_row.addWidget(b)
        right.addLayout(tender_row)
        right.addWidget(self.change_label)
        right.addWidget(self.busy_indicator)
        buttons = QGridLayout()
        for n, b in enumerate((self.checkout_button, self.qr_button, self.topup_button, self.void_button,
                               self.clear_button, self.drawer_button, self.backoffice_button, self.lock_button)):
            b.setMinimumHeight(48)
            buttons.addWidget(b, n // 2, n % 2)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        tender_slots = tuple((key, lambda a=amount: self.tender(a)) for key, amount in TENDER_KEYS)
        # F6 退上一单: the last sale, back to its payment (owner PIN; the dialog says what it does first).
        self.refund_flow = RefundFlow(context, self, self._refund_port, lambda text: self.announce(text, "ok"))
        for key, slot in (("F12", self.checkout), ("F11", self.checkout_qr), ("Esc", self.cancel_sale),
                          ("F6", lambda: self.refund_flow.start(refunds.last_sale_plan)), *tender_slots):
            # Only while the counter has the focus: the back office has its own Esc.
            QShortcut(QKeySequence(key), self, activated=slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._focus_back = _DialogsReturnFocus(self)
        self.installEventFilter(self._focus_back)
        self.last_sale: Sale | None = None
        self._update_totals()
        context.worker.listen_for_changes(self, self._data_changed)

    @property
    def user(self) -> Staff | None:
        """Whoever is logged in at the window (None while locked)."""
        return self.context.user

    def start(self) -> None:
        self.window().installEventFilter(self._focus_back)  # the window's dialogs too (once: Qt keeps one)
        self.clear_cart()
        self.reload()
        self.show_user()
        self.search.setFocus()

    def back_to_scan(self) -> None:
        """The scan box, cleared, has the focus: where the next scan or search goes."""
        self.search.clear()
        self.search.setFocus()

    def dialog_closed(self, _result: int = 0) -> None:
        """After a dialog closed (once its own slots have run): back to scanning, unless the counter is hidden
        (locked, back office) or another dialog is still open."""
        def back() -> None:
            if self.isVisible() and not any(d.isVisible() for d in self.window().findChildren(QDialog)):
                self.back_to_scan()
        QTimer.singleShot(0, self, back)

    def _refund_port(self) -> PaymentPort | None:
        """The platform for a refund to the customer's payment; None when the last round could not reach it (the
        refund then says at once that it needs the platform, and offers cash)."""
        engine = self.context.engine
        return None if engine is not None and qr_sale.known_offline(engine.status()) else self._payment_port()

    def cancel_sale(self) -> None:
        """Esc / 清空: the cart goes, the next customer is scanned. While a payment code is being charged (its
        dialog not shown yet), Esc cancels the charge instead."""
        if isinstance(self.till.state, ChargingCode):
            self.till.cancel_code()
            return
        self.clear_cart()
        self.back_to_scan()
    def show_user(self) -> None:
        user = self.user
        role = self.tr("店长") if user is not None and user.is_owner else self.tr("收银员")
        self.who.setText(self.tr("{role}：{name}").format(role=role, name=user.name) if user is not None else "")

    def announce(self, text: str, kind: OutcomeKind = "info", ms: int = ANNOUNCE_MS) -> None:
        """Show an outcome (void done, top-up queued or succeeded, offline, a sync notice) above the cart for
        `ms`; a newer outcome replaces the one shown."""
        self.outcome.setProperty("kind", kind)
        self.outcome.style().unpolish(self.outcome)  # the style sheet picks the colour by the kind property
        self.outcome.style().polish(self.outcome)
        self.outcome.setText(text)
        self.outcome.show()
        self._outcome_timer.start(ms)

    def reload(self) -> None:
        def load(store):
            conn = store.conn()
            return catalog.categories(conn), catalog.products(conn), codes.stock_levels(conn)
        self.worker.run(load, self._loaded, self._error)
        self.worker.run(lambda store: settings.get(store.conn(), SOUNDS_SETTING, True), self._switch_sounds)

    def _data_changed(self, changes: Changes) -> None:
        """Tiles follow what an operation changed while the counter is on screen; hidden (locked, back office), it
        reloads everything when it is shown again."""
        if not self.isVisible():
            return
        if changes.prices:
            self.reload()
        elif changes.stock:
            self.reload_stock()

    def _switch_sounds(self, on: bool) -> None:
        self.context.sounds.enabled = on

    def reload_stock(self) -> None:
        """After a sale only stock changed: the catalog (thousands of products) stays as loaded."""
        def shown(stock: dict[str, int]) -> None:
            before, self.stock = self.stock, stock
            self._filter(self.search.text())
            self._warn_low(before)
        self.worker.run(lambda store: codes.stock_levels(store.conn()), shown, self._error)

    def _loaded(self, data: tuple[list[Category], list[Product], dict[str, int]]) -> None:
        categories, products, self.stock = data
        self.products = {p.id: p for p in products}
        self.index = ProductIndex([p for p in products if p.kind == "card"],
                                  category_order=[c.id for c in categories])
        self._show_categories([c for c in categories if c.kind == "card"])
        self._filter(self.search.text())

    def _show_categories(self, categories: list[Category]) -> None:
        """全部 first, then the card categories in the platform's order; the chosen one survives a reload."""
        chosen = self.categories.tabData(self.categories.currentIndex())
        tabs = [(None, self.tr("全部")), *((c.id, c.name) for c in categories)]
        self.categories.blockSignals(True)
        while self.categories.count():
            self.categories.removeTab(0)
        for category_id, name in tabs:
            self.categories.setTabData(self.categories.addTab(name), category_id)
        ids = [category_id for category_id, _ in tabs]
        self.categories.setCurrentIndex(ids.index(chosen) if chosen in ids else 0)
        self.categories.blockSignals(False)

    def _warn_low(self, before: dict[str, int]) -> None:
        """A product that just went below its low-stock threshold is said once, where the cashier looks; an owner is
        told where the one-step restock is."""
        crossed = [p for p in self.products.values() if p.kind == "card"
                   and before.get(p.id, 0) >= p.low_stock_threshold > self.stock.get(p.id, 0)]
        if not crossed:
            return
        text = "；".join(self.tr("{name} 库存仅剩 {n} 张").format(name=p.name, n=self.stock.get(p.id, 0))
                        for p in crossed) + self.tr("，请补货")
        if self.user is not None and self.user.is_owner:
            text += self.tr("（F10 → 库存 → 补货建议）")
        self.announce(text, "warning")

    def topup_products(self) -> list[Product]:
        # Phone top-ups first: they are most of a counter's top-ups.
        return sorted((p for p in self.products.values() if p.kind == "topup"),
                      key=lambda p: (p.account_rule != "phone", p.face_value_fen))

    def _filter(self, text: str) -> None:
        self.grid.clear()
        self.highlight_by_keys = False
        for p in self.index.search(text, category_id=self.categories.tabData(self.categories.currentIndex())):
            left = self.stock.get(p.id, 0)
            count = (self.tr("售罄") if left == 0 else self.tr("库存低 {n}") if left < p.low_stock_threshold
                     else self.tr("库存 {n}")).format(n=left)
            item = QListWidgetItem(self.tr("{name}\n￥{price}  {count}").format(
                name=p.name, price=yuan(p.retail_price_fen), count=count))
            if left < p.low_stock_threshold:  # the badge: orange while low, red when none is left
                item.setForeground(QColor(SOLD_OUT_COLOUR if left == 0 else LOW_STOCK_COLOUR))
            item.setData(Qt.ItemDataRole.UserRole, p.id)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            item.setSizeHint(QSize(188, 72))
            self.grid.addItem(item)

    def _search_enter(self) -> None:
        """Enter in the search box (or the end of a scanner's burst without one).

        A tile chosen with the arrow keys is added; else what the text names: a scan only by an exact barcode,
        product id or name, typing also by the one best match. Several matches: the first is highlighted for the
        arrows. Nothing: said at once, with the error sound, and the box is cleared for the next scan."""
        text = self.search.text()
        item = self.grid.currentItem()
        if self.highlight_by_keys and item is not None:
            self._added_from_search(item.data(Qt.ItemDataRole.UserRole))
            return
        if not text.strip():
            if self.cart.lines:
                self.cash.setFocus()
            return
        code = self.scan_keys.scanned_code(text)
        product = self.index.pick(code or text, scanned=code is not None)
        if product is not None:
            self._added_from_search(product.id)
        elif code_sale.looks_like_payment_code(code or text):  # no product's barcode: the customer's code
            self._payment_code_scanned((code or text).strip())
        elif code is None and self.grid.count() > 1:
            self._move_highlight(1)
            self._say(self.tr("有 {n} 个商品符合：用 ↑ ↓ 选择，按 Enter 加入。").format(n=self.grid.count()),
                      error=False)
        elif code is None and self.grid.count() == 1:  # the only tile of this category
            self._added_from_search(self.grid.item(0).data(Qt.ItemDataRole.UserRole))
        else:
            self._say(self.tr("没有找到商品“{code}”：请重扫，或按名称、拼音首字母搜索。").format(
                code=code or text.strip()), error=True)
            self.context.sounds.play(Cue.ERROR)
            self.search.clear()

    def _added_from_search(self, product_id: str) -> None:
        self.add_product(product_id)
        self.context.sounds.play(Cue.SUCCESS)
        self._say("", error=False)
        self.search.clear()
        self.search.setFocus()

    def _tile_chosen(self, item: QListWidgetItem) -> None:
        """A tile clicked (or activated in the grid): added, and the scan box ready for the next scan. No
        highlight is left behind: a highlighted tile is the one Enter would add."""
        self.add_product(item.data(Qt.ItemDataRole.UserRole))
        self.grid.setCurrentRow(-1)
        self.grid.clearSelection()
        self.highlight_by_keys = False
        self.search.setFocus()

    def _move_highlight(self, step: int) -> None:
        """Up/Down in the search box: the highlight walks the results in their order (Enter adds it)."""
        if self.grid.count() == 0:
            return
        row = self.grid.currentRow() if self.highlight_by_keys else -1
        row = 0 if row < 0 else max(0, min(self.grid.count() - 1, row + step))
        self.grid.setCurrentRow(row)
        self.grid.scrollToItem(self.grid.item(row))
        self.highlight_by_keys = True

    def _say(self, text: str, *, error: bool) -> None:
        """Next to the search box, where the cashier is looking ("" clears it)."""
        self.scan_message.setText(text)
        self.scan_message.setStyleSheet("" if not text else
                                        "background: #ffebee; color: #b71c1c; font-weight: bold; padding: 6px;"
                                        if error else "background: #e3f2fd; color: #0d47a1; padding: 6px;")

    def _tile_menu(self, pos) -> None:
        """A tile's context menu (right click, or the menu key on the highlighted tile)."""
        item = self.grid.itemAt(pos) or self.grid.currentItem()
        if item is None or self.user is None:
            return
        product = self.products[item.data(Qt.ItemDataRole.UserRole)]
        menu = QMenu(self)
        menu.setObjectName("tileMenu")
        action = menu.addAction(self.tr("绑定条码（需店长 PIN）…"))
        action.setObjectName("attachBarcode")
        action.triggered.connect(lambda: self.ask_barcode(product))
        menu.popup(self.grid.viewport().mapToGlobal(pos))

    def ask_barcode(self, product: Product) -> None:
        """The owner scans the product's barcode once, then approves with the PIN: from then on a scan adds it."""
        dialog = BarcodeScanDialog(product.name, self)
        dialog.setObjectName("barcodeDialog")
        user = self.user

        def attach() -> None:
            code = dialog.code.text()
            self.context.with_owner_approval(
                self, self.tr("绑定条码：{name}").format(name=product.name),
                lambda store, approver: attach_barcode(store, staff_id=user.id, approver_id=approver.id,
                                                       product_id=product.id, code=code),
                self._barcode_attached, self._error, changes=changes.CATALOG)
        dialog.accepted.connect(attach)
        dialog.open()

    def _barcode_attached(self, product: Product) -> None:
        self.context.sounds.play(Cue.SUCCESS)
        self._say(self.tr("已绑定：扫条码 {code} 即加入“{name}”。").format(code=product.scan_code, name=product.name),
                  error=False)
        self.search.setFocus()

    def add_product(self, product_id: str, quantity: int = 1) -> None:
        self.cart.add(product_id, quantity)
        self._render_cart()

    def clear_cart(self) -> None:
        self.cart = Cart()
        self.cash.clear()
        self._render_cart()

    def _render_cart(self) -> None:
        self.table.setRowCount(len(self.cart.lines))
        for row, (pid, qty) in enumerate(self.cart.lines.items()):
            p = self.products[pid]
            for col, text in ((0, p.name), (2, yuan(p.retail_price_fen)), (3, yuan(p.retail_price_fen * qty))):
                self.table.setItem(row, col, QTableWidgetItem(text))
            quantity = QSpinBox(minimum=0, maximum=MAX_QUANTITY, value=qty)
            quantity.setObjectName(f"quantity_{pid}")
            quantity.valueChanged.connect(lambda value, pid=pid: self.set_quantity(pid, value))
            self.table.setCellWidget(row, 1, quantity)
        self._update_totals()

    def set_quantity(self, product_id: str, quantity: int) -> None:
        """From the cart's spin box: 0 takes the line out (after the box's own signal has finished)."""
        self.cart.set(product_id, quantity)
        if quantity == 0:
            QTimer.singleShot(0, self._render_cart)
            return
        row = list(self.cart.lines).index(product_id)
        self.table.setItem(row, 3, QTableWidgetItem(yuan(self.products[product_id].retail_price_fen * quantity)))
        self._update_totals()

    def _update_totals(self) -> None:
        total = self.cart.total(self.products)
        if not self.till.busy:  # a QR on show stays until its checkout ends
            self._show_customer_cart()
        self.total_label.setText(self.tr("应收 ￥{v}").format(v=yuan(total)))
        if code_sale.looks_like_payment_code(self.cash.text()):  # never shown as change: Enter charges it
            self.change_label.setText(self.tr("这是付款码：按 Enter 向顾客收款"))
            return
        if looks_like_code(self.cash.text()):  # never shown as change: Enter adds the product
            self.change_label.setText(self.tr("这是商品码，不是金额：按 Enter 加入购物车"))
            return
        try:
            received = parse_yuan(self.cash.text()) if self.cash.text().strip() else total
        except ValueError:
            self.change_label.setText(self.tr("收款金额格式不对"))
            return
        change = received - total
        self.change_label.setText(self.tr("找零 ￥{v}").format(v=yuan(change)) if change >= 0
                                  else self.tr("还差 ￥{v}").format(v=yuan(-change)))

    def _customer_lines(self) -> tuple[Line, ...]:
        return tuple(Line(self.products[pid].name, q, self.products[pid].retail_price_fen)
                     for pid, q in self.cart.lines.items())

    def _show_customer_cart(self) -> None:
        self.context.customer.cart(self._customer_lines())

    def _cash_enter(self) -> None:
        """Enter in the cash field: a scanned code (a scanner burst, or longer than any cash amount) goes to the
        scan box and adds its product; only an amount is tendered."""
        text = self.cash.text()
        code = self.cash_keys.scanned_code(text)
        if code:
            self._route_scan(text[:text.rfind(code)], code)
        elif looks_like_code(text):
            self._route_scan("", text)
        else:
            self.checkout()

    def _route_scan(self, cash_left: str, code: str) -> None:
        """As if scanned into the scan box: added by an exact match, or said unknown (with the error sound)."""
        self.cash.setText(cash_left)
        self.search.setFocus()
        product = self.index.pick(code.strip(), scanned=True)
        if product is not None:
            self._added_from_search(product.id)
        elif code_sale.looks_like_payment_code(code):  # no product's barcode: the customer's code
            self._payment_code_scanned(code.strip())
        else:
            self.search.setText(code.strip())
            self._search_enter()

    def _payment_code_scanned(self, auth_code: str) -> None:
        """The customer's payment code, scanned into the search box or the cash field: with a cart it is charged at
        once. It leaves no trace on screen (it pays for about a minute): setText, unlike clear(), also empties the
        box's undo history, so Ctrl+Z cannot bring it back."""
        self.search.setText("")
        if self.user is None or self.till.busy:
            return
        if not self.cart.lines:
            self._say(self.tr("这是顾客的付款码：请先把商品加入购物车，再扫付款码收款。"), error=True)
            self.context.sounds.play(Cue.ERROR)
            return
        self._say("", error=False)
        engine = self.context.engine
        self.till.pay_by_code(self._basket(), auth_code, engine.status() if engine is not None else None)

    def tender(self, amount_fen: int | None) -> None:
        """A quick tender key: 正好 (None) or a note; the sale is recorded with that cash at once."""
        if self.till.busy or self.user is None or not self.cart.lines:
            return
        self.cash.setText("" if amount_fen is None else yuan(amount_fen))
        self.checkout()

    def checkout(self) -> None:
        if self.till.busy or self.user is None:
            return
        # No cash sale outside a shift. An empty cart passes: the checkout says so, nobody counts a float for nothing.
        if self.cart.lines and not self.shift_gate.passed(retry=self.checkout):
            return
        try:
            cash = parse_yuan(self.cash.text()) if self.cash.text().strip() else None
        except ValueError:
            self._error(Notice(self.tr("收款金额格式不对")))
            return
        total = self.cart.total(self.products)
        # Above the hard bound the use case refuses (and says so); between, the cashier confirms.
        if cash is not None and is_suspicious_change(total, cash) and cash - total <= MAX_OVERPAY_FEN:
            self._confirm_cash(total, cash)
            return
        self.till.pay_cash(self._basket(), cash)

    def _confirm_cash(self, total: int, cash: int) -> None:
        """More change than a ¥100 note: asked before it commits; Enter and Esc both go back (not confirm)."""
        box = CashConfirmation(total, cash, self)

        def answered() -> None:
            if box.confirmed():
                self.till.pay_cash(self._basket(), cash)
            else:
                self.cash.clear()  # not taken: typed again if it was right
        box.finished.connect(answered)
        box.open()

    def _basket(self) -> Basket:
        return Basket(self.user.id, tuple(CartLine(pid, q) for pid, q in self.cart.lines.items()),
                      self.cart.total(self.products))

    def _wait_shown(self, text: str) -> None:
        self.busy_text.setText(text)
        self._busy_timer.start()

    def _wait_over(self) -> None:
        self._busy_timer.stop()
        self.busy_indicator.hide()

    def checkout_qr(self) -> None:
        """A walk-in customer pays by scanning: codes are reserved until the platform says paid.

        Without the platform the shop's own collection QR is offered instead (or cash): usecases.checkout decides."""
        if self.till.busy or self.user is None or not self.cart.lines:
            return
        engine = self.context.engine
        self.till.pay_by_qr(self._basket(), engine.status() if engine is not None else None)

    def _show_checkout(self, state: CheckoutState) -> None:
        """Show the checkout's new state, and start the work it waits for (whose answer is the next event)."""
        if not shiboken6.isValid(self):  # an answer for a counter rebuilt meanwhile (a language change)
            return
        if not isinstance(state, StartingQr):
            self._wait_over()
        till = self.till
        match state:
            case SellingForCash(basket=basket, cash_fen=cash):
                self.worker.run(lambda store: sell_codes(store, staff_id=basket.staff_id, cart=list(basket.lines),
                                                         cash_received_fen=cash),
                                till.sold, till.failed, changes=changes.SALE)
            case StartingQr(basket=basket):
                self._wait_shown(self.tr("正在连接平台，生成收款码…"))
                self.worker.run_network(lambda store: self._start_qr(store, basket), till.qr_started, till.failed,
                                        changes=changes.PAYMENT)
            case ShowingQr():
                self._open_payment_dialog(state)
            case SwitchingQr(basket=basket, port=port, session=session, method=method):
                self._wait_shown(self.tr("正在换一种收款码…"))
                self.worker.run_network(lambda store: qr_sale.switch(store, port, session, staff_id=basket.staff_id,
                                                                     cart=list(basket.lines), method=method),
                                        till.qr_switched, till.failed, changes=changes.PAYMENT)
            case ChargingCode(basket=basket, auth_code=auth_code, cancel_wanted=False):
                self.code_amount_fen = basket.total_fen
                QTimer.singleShot(CODE_DIALOG_AFTER_MS, self,
                                  lambda: self._code_dialog_shows(CodePayDialog.charging) if self.till.state is state
                                  else None)
                self.worker.run_network(lambda store: self._start_code(store, basket, auth_code), till.code_started,
                                        till.failed, changes=lambda started: _charge_changes(started[1]))
            case ChargingCode():  # Esc while the charge is under way: cancelled once the platform answers
                self._code_dialog_shows(CodePayDialog.cancelling)
            case CancellingCode(port=port, charge=charge, basket=basket):
                self._code_dialog_shows(CodePayDialog.cancelling)
                self.worker.run_network(
                    lambda store: code_sale.cancel(store, port, charge.session, staff_id=basket.staff_id),
                    till.code_cancelled, till.failed, changes=_charge_changes)
            case WaitingForPassword(charge=charge, basket=basket):
                self._code_dialog_shows(lambda dialog: dialog.waiting(charge.app))
                self.context.customer.waiting_password(self._customer_lines(), basket.total_fen, charge.app)
                self._poll_code_later(state)
            case UndoingCode(charge=charge):
                self._code_dialog_shows(lambda dialog: dialog.undoing(charge.status))
                self._poll_code_later(state)
            case LeavingCode(charge=charge):
                self.worker.run(lambda store: code_sale.leave(store, charge.session), lambda _: till.code_left(),
                                till.failed)
            case LoadingShopQr(why=why):
                if why is Fallback.OFFLINE:  # and a round now says whether it is back, for the next customer
                    self.context.engine.wake()
                self.worker.run(lambda store: static_qr.load(store.conn()), till.shop_qr_loaded, till.failed)
            case ShowingShopQr():
                self._open_shop_qr_dialog(state)
            case CancellingQr(port=port, session=session, staff_id=staff_id):
                self.worker.run_network(lambda store: qr_sale.cancel(store, port, session, staff_id=staff_id),
                                        till.settled, till.failed, changes=changes.PAYMENT)
            case Idle():
                self._checkout_over(state)

    def _start_code(self, store: Store, basket: Basket, auth_code: str) -> CodeStarted:
        """On the network lane: the payment port, then the reserved codes and the platform's charge."""
        port = self._payment_port()
        if port is None:
            return None, None
        return port, code_sale.start(store, port, staff_id=basket.staff_id, cart=list(basket.lines),
                                     auth_code=auth_code)

    def _code_dialog_shows(self, show: Callable[[CodePayDialog], None]) -> None:
        """Show a step of the code payment in its dialog, opened now if it is not yet."""
        if self.code_dialog is None and self.code_amount_fen is not None:
            self._open_code_dialog(self.code_amount_fen)
        if self.code_dialog is not None:
            show(self.code_dialog)

    def _open_code_dialog(self, amount_fen: int) -> None:
        dialog = CodePayDialog(amount_fen, self)
        dialog.setObjectName("codePayDialog")
        dialog.cancel_requested.connect(self.till.cancel_code)
        dialog.rescanned.connect(lambda code: self._route_scan(self.cash.text(), code))
        dialog.finished.connect(lambda _r: setattr(self, "code_dialog", None) if self.code_dialog is dialog else None)
        self.code_dialog = dialog
        dialog.open()

    def _poll_code_later(self, state: WaitingForPassword | UndoingCode) -> None:
        """Ask again in a moment, if the checkout is still where it was (no cancel, no end meanwhile)."""
        def poll() -> None:
            if self.till.state is not state:
                return
            port, session, staff_id = state.port, state.charge.session, state.basket.staff_id
            self.worker.run_network(lambda store: code_sale.poll(store, port, session, staff_id=staff_id),
                                    self.till.code_polled, self._code_poll_failed, changes=_charge_changes)
        QTimer.singleShot(CODE_POLL_MS, self, poll)

    def _code_poll_failed(self, exc: Exception) -> None:
        if self.code_dialog is not None:
            self.code_dialog.poll_failed()
        self.till.failed(exc)

    def _code_ended(self, state: Idle) -> bool:
        """How a code payment ended, in its dialog; False when there is nothing to say there (a sale: the codes
        dialog shows it; a problem: said in a box)."""
        settled, dialog = state.settled, self.code_dialog
        if settled is None or settled.outcome in ("waiting", "settled"):  # settled: an answer already shown
            if dialog is not None:
                dialog.accept()
            if settled is not None and settled.outcome == "waiting":  # left to the sync round
                self.announce(self.tr("付款码收款结果未知：联网后自动核对；未付款则卡密自动放回库存，"
                                      "顾客若已付款，平台会原路退回。"), "warning", 30000)
            return settled is not None  # said, or nothing to say: not the QR flow's outcome box
        if dialog is None:
            self._open_code_dialog(self.code_amount_fen or 0)
            dialog = self.code_dialog
        if settled.outcome == "released" and settled.failure is not None:
            # One message, not two glued together: English needs a space between the sentences, Chinese none.
            dialog.ended(self.tr("付款失败，未扣款"),
                         self.tr("{why}卡密已放回库存。").format(why=failure_text(settled.failure)))
        elif settled.outcome == "released":
            dialog.ended(self.tr("收款已取消"), self.tr("未扣款，卡密已放回库存。"))
        else:
            dialog.ended(self.tr("顾客已付款，但订单已取消"), self.tr("已标记退款，请处理。"))
        return True

    def _code_problem_text(self, problem: CodeNeedsPlatform | UnknownPaymentCodeError) -> str:
        if isinstance(problem, UnknownPaymentCodeError):
            return self.tr("这不是微信或支付宝的付款码：请顾客打开付款码重扫，或换一种付款方式。")
        why = {Fallback.OFFLINE: self.tr("平台离线"), Fallback.NOT_PAIRED: self.tr("未配对平台"),
               Fallback.UNREACHABLE: self.tr("连不上平台")}[problem.why]
        return self.tr("付款码收款需要连接平台（{why}）：请让顾客扫店铺收款码（F11），或收现金。").format(why=why)

    def _start_qr(self, store: Store, basket: Basket) -> tuple[PaymentPort | None, QrSession | None]:
        """On the network lane: the payment port (building it reads the pairing: never on the GUI thread), then
        the reserved codes and the platform's QR."""
        port = self._payment_port()
        if port is None:
            return None, None
        return port, qr_sale.start(store, port, staff_id=basket.staff_id, cart=list(basket.lines))

    def _fallback_text(self, why: Fallback) -> str:
        return {Fallback.OFFLINE: self.tr("平台离线，不能生成动态收款码。"),
                Fallback.NOT_PAIRED: self.tr("未配对平台，不能生成动态收款码。"),
                Fallback.UNREACHABLE: self.tr("连不上平台，不能生成动态收款码。")}[why]

    def _open_payment_dialog(self, state: ShowingQr) -> None:
        session = state.session
        self.context.customer.waiting_qr(self._customer_lines(), session.amount_fen, session.qr_content or "",
                                         QR_APPS.get(session.method, ()))
        dialog = PaymentDialog(state.session, self.worker, state.port, state.basket.staff_id, self)
        dialog.setObjectName("paymentDialog")
        dialog.settled.connect(self.till.settled)
        dialog.switch_requested.connect(self.till.switch_qr)
        dialog.rejected.connect(self.till.dismissed)
        dialog.open()

    def _open_shop_qr_dialog(self, state: ShowingShopQr) -> None:
        """The shop's static QR and the cashier's audited 收到款项. A started payment keeps its reserved codes
        (confirmed, or cancelled through the platform when the cashier gives up); otherwise the cart is sold."""
        basket = state.basket
        if state.session is None:
            confirm = partial(static_qr.confirm_static_payment, staff_id=basket.staff_id, cart=list(basket.lines))
            changed: ChangesOf = changes.SALE
        else:
            confirm = partial(qr_sale.confirm_static, session=state.session, staff_id=basket.staff_id,
                              approver_id=None)
            changed = changes.of_settled
        dialog = StaticQrDialog(state.qr, basket.total_fen, self.worker, confirm,
                                self._fallback_text(state.why) + self.tr("可以用店铺收款码收款，或收现金。"), self,
                                changes=changed)
        dialog.setObjectName("staticQrDialog")
        dialog.confirmed.connect(self.till.sold if state.session is None else self.till.settled)
        dialog.rejected.connect(self.till.dismissed)
        dialog.open()

    def _checkout_over(self, state: Idle) -> None:
        if self.code_amount_fen is not None:  # a code payment ended
            said = self._code_ended(state)
            self.code_dialog = self.code_amount_fen = None
            if said:
                if state.sold is None:  # no password asked any more: the customer sees their cart again
                    self._show_customer_cart()
                return
        if isinstance(state.problem, CodeNeedsPlatform | UnknownPaymentCodeError):
            if isinstance(state.problem, CodeNeedsPlatform) and state.problem.why is Fallback.OFFLINE \
                    and self.context.engine is not None:
                self.context.engine.wake()  # a round now says whether it is back, for the next customer
            self._error(Notice(self._code_problem_text(state.problem)))
            return
        if state.sold is not None:
            self._sold(state.sold, state.app)
        else:  # a QR given up or failed: the customer sees the cart again
            self._show_customer_cart()
        if state.settled is not None:
            texts = {"released": self.tr("收款已取消，卡密已放回库存。"),
                     "refund_needed": self.tr("顾客已付款但订单已取消：已标记退款，请处理。"),
                     "waiting": self.tr("已请求取消。收款码显示过，顾客可能已付款：联网后自动核对，未付款则卡密"
                                        "自动放回库存，已付款会提示退款。")}
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("扫码收款"), texts.get(state.settled.outcome, ""),
                              parent=self)
            box.setObjectName("paymentOutcome")
            box.open()
        if isinstance(state.problem, NoShopQr):
            self._error(Notice(self._fallback_text(state.problem.why) + self.tr("店铺收款码也未设置：请收现金。")))
        elif state.problem is not None:
            self._error(state.problem)

    def _sold(self, sale: Sale, app: App | None = None) -> None:
        order = sale.order
        paid_by: PaidBy = {"cash": "cash", "qr_static": "shop_qr"}.get(order.payment_method, app or "qr")
        self.context.customer.paid(order.total_fen, paid_by, received_fen=order.cash_received_fen,
                                   change_fen=order.change_fen)
        self.last_sale = sale
        self.clear_cart()
        self.sale_done.emit(sale)
        staff_id = self.user.id

        def reveal(show) -> None:
            self.worker.run(lambda store: handover.reveal_codes(store, order_id=sale.order.id, staff_id=staff_id),
                            show, self._error)
        dialog = CodesDialog(sale.order.number, sale.order.change_fen, list(sale.codes), self.products, reveal, self)
        dialog.setObjectName("codesDialog")
        # Gone once closed: a day's hidden dialogs would otherwise pile up under the counter and slow every later
        # sale (each closing dialog looks through them all: dialog_closed).
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _error(self, exc: Exception) -> None:
        self.context.sounds.play(Cue.ERROR)
        show_error(self, exc)

    def start_topup(self) -> None:
        products = self.topup_products()
        if not products:
            self._error(Notice(self.tr("还没有充值商品：请联网同步商品目录。")))
            return
        dialog = TopupDialog(products, self)
        dialog.setObjectName("topupDialog")
        dialog.accepted.connect(lambda: self._record_topup(dialog))
        dialog.open()

    def _record_topup(self, dialog: TopupDialog) -> None:
        product, account, cash = dialog.selected(), dialog.account.text(), dialog.cash_received()  # checked there
        staff_id = self.user.id
        self.worker.run(lambda store: record_topup(store, staff_id=staff_id, product_id=product.id,
                                                   account=account, cash_received_fen=cash),
                        lambda order: self.sale_done.emit(order), self._error, changes=changes.TOPUP)


def _charge_changes(charge: CodeCharge | None) -> Changes:
    """What a code payment's step changed: a sale, released codes, or the codes it reserved."""
    if charge is None:
        return changes.NOTHING
    return changes.PAYMENT if charge.settled is None else changes.of_settled(charge.settled)


class _IdleFilter(QObject):
    """Any key or mouse press restarts the auto-lock timer."""

    def __init__(self, timer: QTimer, parent: QObject) -> None:
        super().__init__(parent)  # dies with the window, and Qt then drops the filter
        self.timer = timer

    def eventFilter(self, obj, event) -> bool:
        if self.timer.isActive() and event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            self.timer.start()
        return False


class MainWindow(QMainWindow):
    def __init__(self, worker: DbWorker, *, engine=None, printing=None, login_hint: str | Callable[[], str] = "",
                 idle_lock_ms: int | None = None, sounds: Sounds | None = None, voice: Voice | None = None) -> None:
        """`login_hint` is a text, or a function giving it in the current language (the pages are rebuilt
        when the language changes)."""
        super().__init__()
        self.worker, self.engine = worker, engine
        self.context = DeskContext(worker, engine, printing=printing, sounds=sounds or Sounds())
        self.context.customer.voice = voice or Voice()
        self.customer_displays = CustomerDisplays(self.context, self)
        self.login_hint = login_hint
        self.last_status: SyncStatus | None = None
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncStatus")
        self.statusBar().addPermanentWidget(self.sync_label)
        self.statusBar().addWidget(self.banner, 1)
        self._build_pages()
        # Lambdas, not bound methods: the pages are rebuilt when the language changes.
        for key, slot in (("F9", self.lock), ("F5", lambda: self.counter.start_topup()), ("F7", self.void_last),
                          ("F10", self.open_backoffice),
                          ("F8", lambda: self.engine.wake() if self.engine else None)):
            QShortcut(QKeySequence(key), self, activated=slot)
        self.idle = QTimer(self, singleShot=True, interval=idle_lock_ms or DEFAULT_IDLE_LOCK_MS)
        self.idle.timeout.connect(self.lock)
        QApplication.instance().installEventFilter(_IdleFilter(self.idle, self))
        if idle_lock_ms is None:
            worker.run(lambda store: settings.get(store.conn(), "auto_lock_minutes", 5), self.set_auto_lock)
        worker.set_error_handler(self.show_error)
        if engine is not None:
            listen_while_alive(self, engine.add_status_listener, engine.remove_status_listener,
                               worker.to_gui(self.show_status))
            listen_while_alive(self, engine.add_event_listener, engine.remove_event_listener,
                               worker.to_gui(self.show_event))
        self.resize(self.fitting_size())
        self.lock()
        self.customer_displays.apply()

    def fitting_size(self) -> QSize:
        """The preferred size, or the whole available screen where that is smaller (a 1024×768 counter)."""
        return PREFERRED_SIZE.boundedTo(self.screen().availableGeometry().size())

    def tell(self, text: str, kind: OutcomeKind = "info", ms: int = ANNOUNCE_MS) -> None:
        """An outcome the cashier must see: above the cart, and in the status bar's history line."""
        self.counter.announce(text, kind, ms)
        self.statusBar().showMessage(text, ms)

    def _build_pages(self) -> None:
        """Build (or rebuild, in a new language) the login, counter and back-office pages."""
        while self.stack.count():
            old = self.stack.widget(0)
            self.stack.removeWidget(old)
            old.deleteLater()
        self.setWindowTitle(self.tr("卡盟收银台"))
        self.login = LoginPage(self.worker, self.login_hint() if callable(self.login_hint) else self.login_hint)
        self.counter = CounterPage(self.context, self._payment_port)
        self.backoffice = BackOfficePage(self.context)
        self.backoffice.add_tab(PrintQueuePanel(self.context), self.tr("打印队列"))
        self.settings = SettingsTab(self.context)
        self.settings.add_page(PrinterSettingsPage(self.context), self.tr("打印机"))
        self.backoffice.add_tab(self.settings, self.tr("设置"))
        for page in (self.login, self.counter, self.backoffice):
            self.stack.addWidget(page)
        self.login.logged_in.connect(self._logged_in)
        self.counter.lock_button.clicked.connect(self.lock)
        self.counter.topup_button.clicked.connect(self.counter.start_topup)
        self.counter.void_button.clicked.connect(self.void_last)
        self.counter.backoffice_button.clicked.connect(self.open_backoffice)
        self.counter.drawer_button.clicked.connect(self.open_drawer)
        self.backoffice.back.connect(self.back_to_counter)
        self.counter.sale_done.connect(self._recorded)
        self.settings.language_changed.connect(self.change_language)
        self.settings.auto_lock_changed.connect(self.set_auto_lock)
        self.settings.restored.connect(self._restored)
        self.settings.displays_changed.connect(self.customer_displays.apply)
        self.show_status(self.last_status)

    def open_drawer(self) -> None:
        """The drawer without a sale (change for a note, a miscount): an owner's PIN, and it is recorded."""
        user = self.context.user
        if user is None:
            return

        def opened(_) -> None:
            self.tell(self.tr("钱箱已打开（已记录）"), "ok")
            if self.context.printing is not None:
                self.context.printing.wake()
        self.context.with_owner_approval(
            self, self.tr("开钱箱（无销售）"),
            lambda store, approver: record_drawer_open(store, staff_id=user.id, approver_id=approver.id),
            opened, self.show_error, changes=changes.DRAWER)

    def show_error(self, exc: Exception) -> None:
        """A background failure in the cashier's words, on the window: every one nobody else handles ends here."""
        self.context.sounds.play(Cue.ERROR)
        show_error(self, exc)

    def _recorded(self, done) -> None:
        if getattr(done, "kind", None) == "topup":
            self.tell(self.tr("充值单 {n} 已记录：排队中，会自动提交平台。").format(n=done.number), "ok", 15000)
        for service in (self.engine, self.context.printing):
            if service is not None:
                service.wake()

    def change_language(self, language: str) -> None:
        """Everyone logs in again on pages built in the new language."""
        switch_language(language)
        self.context.user = None
        for dialog in self.findChildren(QDialog):
            dialog.reject()
        self._build_pages()
        self.lock()

    def set_auto_lock(self, minutes: int) -> None:
        self.idle.setInterval(minutes * 60_000)

    def _restored(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("从备份恢复"),
                          self.tr("数据已从备份恢复。收银台将关闭，请重新打开。"), parent=self)
        box.finished.connect(QApplication.instance().quit)
        box.open()

    def _payment_port(self):
        from kameng_desk.sync.errors import SyncError

        if self.engine is None:
            return None
        try:
            return self.engine.client()
        except SyncError:
            return None

    def _logged_in(self, user: Staff) -> None:
        self.context.user = user
        self.stack.setCurrentWidget(self.counter)
        self.counter.start()
        self.idle.start()

    def open_backoffice(self) -> None:
        if self.context.user is None or self.stack.currentWidget() is not self.counter:
            return
        self.stack.setCurrentWidget(self.backoffice)
        self.backoffice.tabs.setFocus()  # page shortcuts (Esc) follow the focus
        self.backoffice.start()

    def back_to_counter(self) -> None:
        if self.context.user is not None:
            self.stack.setCurrentWidget(self.counter)
            self.counter.reload()
            self.counter.search.setFocus()

    def lock(self) -> None:
        """Back to the login screen: no code, cart or amount stays visible."""
        self.counter.clear_cart()
        self.context.user = None
        for dialog in self.findChildren(QDialog):
            dialog.reject()
        self.stack.setCurrentWidget(self.login)
        self.login.refresh()
        self.idle.stop()

    def show_status(self, status: SyncStatus | None) -> None:
        def offline(s: SyncStatus | None) -> bool:
            return s is not None and s.paired and not s.online
        went_offline, came_back = offline(status) and not offline(self.last_status), \
            offline(self.last_status) and status is not None and status.online
        self.last_status = status
        if went_offline or came_back:
            # The change, not every round: the banner above the cart says it once, the status bar keeps it.
            self.counter.announce(self.tr("已恢复联网，排队的订单正在上传。") if status.online
                                  else self.tr("离线：订单保存在本机，联网后自动上传。"),
                                  "ok" if status.online else "warning")
        if status is None:
            self.sync_label.setText(self.tr("未连接平台"))
            return
        if status.error_kind:
            text = self.tr("同步出错 · 待上传 {n} 单").format(n=status.orders_waiting)
        elif not status.paired:
            text = self.tr("未配对平台")
        elif status.online:
            text = self.tr("在线 · 待上传 {n} 单 · 上次同步 {t}").format(
                n=status.orders_waiting, t=local_time(status.last_sync_at, with_date=False))
        else:
            text = self.tr("离线 · 待上传 {n} 单").format(n=status.orders_waiting)
        self.sync_label.setText(text)
        problems = []
        if status.error_kind:  # a bug or a library's error: the type only, the details are in the log
            problems.append(self.tr("同步出错（{kind}），已记录到日志，稍后自动重试；订单保存在本机。").format(
                kind=status.error_kind))
        elif status.paired and not status.online:
            problems.append(self.tr("离线：订单保存在本机，联网后自动上传。"))
        if status.rejected_orders:
            problems.append(self.tr("平台拒绝了 {n} 个订单，请在订单记录中查看原因。").format(n=status.rejected_orders))
        self.banner.setText(" ".join(problems))
        self.banner.setVisible(bool(problems))

    def _payment_settled_later(self, event: PaymentSettled) -> None:
        """A QR payment nobody was waiting for any more, settled by the sync round: the cashier may have to act."""
        texts = {"fulfilled": self.tr("扫码订单 {n} 已到账，销售完成：卡密小票已加入打印队列。"),
                 "released": self.tr("扫码订单 {n} 未付款，已取消：卡密已放回库存。"),
                 "refund_needed": self.tr("扫码订单 {n}：顾客已付款但订单已取消，已标记退款，请处理。")}
        text = texts[event.outcome].format(n=event.number)
        self.tell(text, "ok" if event.outcome == "fulfilled" else "warning", 60000)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("扫码收款"), text, parent=self)
        box.setObjectName("paymentSettledBox")
        box.open()
        if event.outcome == "fulfilled" and self.context.printing is not None:
            self.context.printing.wake()

    def show_event(self, event: SyncEvent) -> None:
        if isinstance(event, TopupStateChanged):
            self.tell(self.tr("订单 {n}：{s}").format(n=event.number, s=topup_label(event.state)),
                      "warning" if event.state == "failed" else "ok", 15000)
        elif isinstance(event, CodeRevoked):
            text = (self.tr("平台作废了一张已售出的卡密，已标记售后处理。") if event.outcome == "after_sales"
                    else self.tr("平台作废了一张库存卡密，已隔离，不会售出。"))
            self.tell(text, "warning", 30000)
        elif isinstance(event, OrderRejected):
            # The platform's reason is English operator text: it stays in the order record, for the operator;
            # the reasons the owner can act on alone are said in their words.
            words = rejection_words(event.reason)
            text = (self.tr("订单 {n} 被平台拒绝：{why}").format(n=event.number, why=words) if words
                    else self.tr("订单 {n} 被平台拒绝：请在“后台 → 订单”中查看原因，并告诉运营方。").format(
                        n=event.number))
            self.tell(text, "warning", 30000)
        elif isinstance(event, PaymentSettled):
            self._payment_settled_later(event)
        elif isinstance(event, RefundSettled):
            if event.status == "succeeded":
                self.context.customer.refunded(event.amount_fen)
            text = (self.tr("订单 {n}：￥{v} 已原路退回顾客，退款凭证已加入打印队列。") if event.status == "succeeded"
                    else self.tr("订单 {n}：原路退款 ￥{v} 未成功，钱没有退出。请在“后台 → 订单”中重试或改退现金。"))
            self.tell(text.format(n=event.number, v=yuan(event.amount_fen)),
                      "ok" if event.status == "succeeded" else "warning", 30000)
        self.worker.broadcast(changes.of_sync_event(event))

    def void_last(self) -> None:
        sale = self.counter.last_sale
        if sale is None or self.context.user is None:
            return
        user = self.context.user

        def done(order) -> None:
            self.tell(self.tr("订单 {n} 已作废").format(n=order.number), "ok", 10000)

        def ask_owner(_order) -> None:
            self.context.with_owner_approval(
                self, self.tr("作废订单 {n}").format(n=sale.order.number),
                lambda store, approver: handover.void_sale(store, order_id=sale.order.id, staff_id=user.id,
                                                           approver_id=approver.id),
                done, self.show_error, changes=changes.VOID)
        # Codes shown or printed meanwhile: say so before the owner comes over to type a PIN for nothing.
        self.worker.run(lambda store: handover.check_voidable(store.conn(), sale.order.id), ask_owner,
                        self.show_error)
