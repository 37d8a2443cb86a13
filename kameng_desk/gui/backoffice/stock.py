"""Stock: codes held per product, low-stock thresholds and alerts, restock with progress, the owner's automatic
restock (keep N codes, a daily budget), flagged codes."""

from __future__ import annotations

import threading

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kameng_desk.gui.backoffice.common import fill_table, make_table
from kameng_desk.gui.context import DeskContext, refresh_on_changes
from kameng_desk.gui.messages import Notice, describe, show_error
from kameng_desk.gui.texts import local_time, tr
from kameng_desk.records.money import parse_yuan, yuan
from kameng_desk.sync.errors import OfflineError, SyncError
from kameng_desk.usecases import changes, restock_policy, stock
from kameng_desk.usecases.restock_policy import PolicyOverview
from kameng_desk.usecases.stock import StockLine, StockOverview


def restock_error(exc: Exception) -> str:
    if isinstance(exc, OfflineError):
        return tr("无法连接平台，补货未完成。已收到的卡密已保存，联网后可再补。")
    if isinstance(exc, SyncError) and exc.code == "not_paired":
        return tr("未配对平台，不能补货。")
    return tr("补货未完成：{reason}").format(reason=describe(exc))


class RestockDialog(QDialog):
    """Asks the platform for codes in steps on the network lane (never the GUI or the database thread), with a
    progress bar; Cancel stops after the step in flight (each step is crash-safe in the sync engine). A run that
    ends (done, stopped or failed) tells the screens the stock changed."""

    def __init__(self, context: DeskContext, lines: list[StockLine], selected: str | None,
                 parent: QWidget | None = None, *, quantity: int = 20) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(self.tr("补货"))
        self.product = QComboBox()
        self.product.setObjectName("restockProduct")
        for line in lines:
            self.product.addItem(line.name, line.product_id)
        self.product.setCurrentIndex(max(0, self.product.findData(selected)))
        self.quantity = QSpinBox()
        self.quantity.setObjectName("restockQuantity")
        self.quantity.setRange(1, stock.MAX_RESTOCK)
        self.quantity.setValue(quantity)
        self.quote = QLabel()
        self.quote.setObjectName("restockQuote")
        self.product.currentIndexChanged.connect(lambda _: self.update_quote())
        self.quantity.valueChanged.connect(lambda _: self.update_quote())
        self.progress = QProgressBar()
        self.progress.setObjectName("restockProgress")
        self.progress.setValue(0)
        self.message = QLabel()
        self.message.setObjectName("restockMessage")
        self.message.setWordWrap(True)
        self.start_button = QPushButton(self.tr("开始补货"))
        self.start_button.setObjectName("startRestock")
        self.start_button.clicked.connect(self.start)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setObjectName("closeRestock")
        self.close_button.clicked.connect(self.stop_or_close)
        form = QFormLayout(self)
        form.addRow(self.tr("商品"), self.product)
        form.addRow(self.tr("数量（张）"), self.quantity)
        form.addRow(self.quote)
        form.addRow(self.progress)
        form.addRow(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.close_button)
        form.addRow(buttons)
        self.setMinimumWidth(420)
        self.running = False
        self._cancel = threading.Event()
        self.received = 0
        self.current_quote: stock.RestockQuote | None = None
        self.update_quote()

    def update_quote(self) -> None:
        """The cost and the balance after, before anything is charged (the tier price as last synced)."""
        product_id, quantity = self.product.currentData(), self.quantity.value()
        if product_id is None:
            return
        self.context.worker.run(lambda store: stock.restock_quote(store.conn(), product_id, quantity),
                                self._show_quote, lambda exc: self.quote.setText(describe(exc)))

    def _show_quote(self, quote: stock.RestockQuote) -> None:
        if (quote.product_id, quote.quantity) != (self.product.currentData(), self.quantity.value()):
            return  # an older answer: the newer one is on its way
        self.current_quote = quote
        text = self.tr("进价 ￥{u} × {n} 张 = ￥{t}").format(u=yuan(quote.unit_cost_fen), n=quote.quantity,
                                                         t=yuan(quote.total_fen))
        if quote.balance_fen is None:
            text += "\n" + self.tr("平台余额未知（联网同步后显示）")
        else:
            text += "\n" + self.tr("平台余额 ￥{b}，补货后 ￥{a}").format(b=yuan(quote.balance_fen),
                                                                  a=yuan(quote.balance_after_fen))
        if not quote.affordable:
            text += "\n" + self.tr("余额不足，请先充值。")
        self.quote.setText(text)
        self.adjustSize()  # the quote's lines arrive after the dialog was laid out
        self.quote.setStyleSheet("" if quote.affordable else "color: #b71c1c; font-weight: bold;")
        self.start_button.setEnabled(quote.affordable and not self.running)

    def start(self) -> None:
        """An owner restocks alone; a cashier's restock asks for the owner's PIN first (it spends the balance)."""
        user = self.context.user
        if self.context.engine is None:
            self.message.setText(self.tr("未配对平台，不能补货。"))
            return
        if user is None or self.running:
            return
        product_id, quantity = self.product.currentData(), self.quantity.value()

        def approve(store, approver_id):
            return stock.approve_restock(store, product_id=product_id, quantity=quantity, staff_id=user.id,
                                         approver_id=approver_id)
        if user.is_owner:
            self.context.worker.run(lambda store: approve(store, None), self._run, self._refused)
        else:
            self.context.with_owner_approval(
                self, self.tr("补货 {n} 张（￥{t}）").format(
                    n=quantity, t=yuan(self.current_quote.total_fen) if self.current_quote else "?"),
                lambda store, approver: approve(store, approver.id), self._run, self._refused)

    def _refused(self, exc: Exception) -> None:
        self.message.setText(describe(exc))

    def _run(self, quote: stock.RestockQuote) -> None:
        engine = self.context.engine
        product_id, quantity = quote.product_id, quote.quantity
        self.running, self.received = True, 0
        self._cancel.clear()
        self.start_button.setEnabled(False)
        self.close_button.setText(self.tr("停止"))
        self.progress.setRange(0, quantity)
        self.progress.setValue(0)
        self.message.setText(self.tr("正在向平台请求卡密…"))
        progress = self.context.worker.to_gui(self._progress)
        self.context.worker.run_network(
            lambda _store: stock.restock(engine.restock, product_id=product_id, quantity=quantity,
                                         progress=lambda asked, _total: progress(asked),
                                         cancelled=self._cancel.is_set),
            self._done, self._failed, changes=changes.RESTOCK)

    def _progress(self, asked: int) -> None:
        self.progress.setValue(asked)
        self.message.setText(self.tr("已请求 {n} / {t} 张").format(n=asked, t=self.progress.maximum()))

    def _finish(self, text: str) -> None:
        self.running = False
        self.start_button.setEnabled(True)
        self.close_button.setText(self.tr("关闭"))
        self.message.setText(text)
        self.update_quote()  # the balance changed

    def _done(self, received: int) -> None:
        self.received = received
        stopped = self._cancel.is_set()
        self._finish(self.tr("已停止：收到 {n} 张卡密。").format(n=received) if stopped
                     else self.tr("补货完成：收到 {n} 张卡密。").format(n=received))

    def _failed(self, exc: Exception) -> None:
        self._finish(restock_error(exc))
        self.context.worker.broadcast(changes.RESTOCK)  # the steps before the failure are kept

    def stop_or_close(self) -> None:
        if self.running:
            self._cancel.set()
            self.message.setText(self.tr("正在停止（等待当前请求完成）…"))
        else:
            self.accept()

    def reject(self) -> None:
        """Esc, or the counter locking: stop after the request in flight (its codes are kept) and hide."""
        self._cancel.set()
        super().reject()


class StockTab(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.data: StockOverview | None = None
        self.policy: PolicyOverview | None = None
        self.balance = QLabel()
        self.balance.setObjectName("balance")
        self.alert = QLabel()
        self.alert.setObjectName("lowStockAlert")
        self.alert.setWordWrap(True)
        self.alert.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.table = make_table([self.tr("商品"), self.tr("可售"), self.tr("预留"), self.tr("已售"), self.tr("隔离"),
                                 self.tr("售后"), self.tr("预警值"), self.tr("状态"), self.tr("售价"),
                                 self.tr("建议价"), self.tr("进价"), self.tr("自动补货")], name="stockTable")
        self.table.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.threshold = QSpinBox()
        self.threshold.setObjectName("thresholdInput")
        self.threshold.setRange(0, stock.MAX_THRESHOLD)
        save = QPushButton(self.tr("保存预警值 (店长)"))
        save.setObjectName("saveThreshold")
        save.clicked.connect(self.save_threshold)
        self.price = QLineEdit()
        self.price.setObjectName("retailPrice")
        self.price.setPlaceholderText(self.tr("售价（元）"))
        self.price.setMaximumWidth(120)
        self.price.returnPressed.connect(self.save_price)
        save_price = QPushButton(self.tr("保存售价 (店长)"))
        save_price.setObjectName("saveRetailPrice")
        save_price.clicked.connect(self.save_price)
        reset_price = QPushButton(self.tr("恢复建议价"))
        reset_price.setObjectName("resetRetailPrice")
        reset_price.clicked.connect(lambda: self.save_price(suggested=True))
        restock = QPushButton(self.tr("补货…"))
        restock.setObjectName("openRestock")
        restock.clicked.connect(lambda: self.open_restock())
        self.suggest = QPushButton()
        self.suggest.setObjectName("suggestRestock")
        self.suggest.clicked.connect(self.open_suggested)
        self.suggest.hide()

        # Automatic restock, the owner's opt-in: keep N codes of the selected product (0: off), within a daily budget.
        self.keep = QSpinBox()
        self.keep.setObjectName("autoRestockKeep")
        self.keep.setRange(0, restock_policy.MAX_KEEP)
        self.keep.setSpecialValueText(self.tr("关闭"))
        save_keep = QPushButton(self.tr("保存自动补货 (店长)"))
        save_keep.setObjectName("saveAutoRestock")
        save_keep.clicked.connect(self.save_keep)
        self.budget = QLineEdit()
        self.budget.setObjectName("autoRestockBudget")
        self.budget.setPlaceholderText(self.tr("元，0 为不自动补货"))
        self.budget.setMaximumWidth(120)
        self.budget.returnPressed.connect(self.save_budget)
        save_budget = QPushButton(self.tr("保存预算 (店长)"))
        save_budget.setObjectName("saveAutoRestockBudget")
        save_budget.clicked.connect(self.save_budget)
        self.spent = QLabel()
        self.spent.setObjectName("autoRestockSpent")
        self.spent.setWordWrap(True)

        self.quarantined = make_table([self.tr("商品"), self.tr("卡号尾号"), self.tr("编号")], name="quarantined")
        self.after_sales = make_table([self.tr("商品"), self.tr("卡号尾号"), self.tr("订单"), self.tr("售出时间")],
                                      name="afterSales")
        self.flags = QTabWidget()
        self.flags.addTab(self.quarantined, self.tr("隔离的卡密"))
        self.flags.addTab(self.after_sales, self.tr("售后标记"))

        top = QHBoxLayout()
        top.addWidget(self.alert, 1)
        top.addWidget(self.suggest)
        top.addWidget(self.balance)
        # The selected product's settings, one short row each: side by side they made the English tab 1,275 px
        # wide, and the window (as wide as its widest page) overflowed a 1024×768 counter.
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("所选商品的预警值")))
        actions.addWidget(self.threshold)
        actions.addWidget(save)
        actions.addStretch(1)
        actions.addWidget(restock)
        pricing = QHBoxLayout()
        pricing.addWidget(QLabel(self.tr("售价")))
        pricing.addWidget(self.price)
        pricing.addWidget(save_price)
        pricing.addWidget(reset_price)
        pricing.addStretch(1)
        auto = QHBoxLayout()
        auto.addWidget(QLabel(self.tr("自动补货：保持")))
        auto.addWidget(self.keep)
        auto.addWidget(QLabel(self.tr("张")))
        auto.addWidget(save_keep)
        auto.addStretch(1)
        budget = QHBoxLayout()
        budget.addWidget(QLabel(self.tr("每日预算 ￥")))
        budget.addWidget(self.budget)
        budget.addWidget(save_budget)
        budget.addSpacing(16)
        budget.addWidget(self.spent, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        for row in (actions, pricing, auto, budget):
            layout.addLayout(row)
        layout.addWidget(self.flags, 2)
        refresh_on_changes(context, self, "stock", "prices")

    def refresh(self) -> None:
        self.context.worker.run(lambda store: (stock.overview(store.conn()), restock_policy.overview(store.conn())),
                                self._loaded, lambda exc: show_error(self, exc))

    def _loaded(self, loaded: tuple[StockOverview, PolicyOverview]) -> None:
        keep = self.selected()  # from the list still shown, before it is replaced
        self.data, self.policy = data, policy = loaded
        self.budget.setText(yuan(policy.budget_fen))
        self.spent.setText(self.tr("今日自动补货 ￥{s} / 预算 ￥{b}").format(s=yuan(policy.spent_today_fen),
                                                                    b=yuan(policy.budget_fen))
                           if policy.budget_fen else self.tr("自动补货未开启（预算为 0）"))
        self.balance.setText(self.tr("平台余额 ￥{v}").format(v=yuan(data.balance_fen))
                             if data.balance_fen is not None else self.tr("平台余额未知"))
        low = data.low
        alert = self.tr("{n} 个商品库存不足：{names}")
        self.alert.setText(alert.format(n=len(low), names="、".join(x.name for x in low)) if low else "")
        if low:  # the one-step suggestion: the first low product, back to twice its threshold
            self.suggest.setText(self.tr("补货建议：{name} 补 {n} 张").format(
                name=low[0].name, n=stock.suggested_quantity(low[0])))
        self.suggest.setVisible(bool(low))
        fill_table(self.table, [(x.name, x.available, x.reserved, x.sold, x.quarantined, x.after_sales, x.threshold,
                                 self.tr("库存不足") if x.low else self.tr("正常"), yuan(x.retail_fen),
                                 yuan(x.suggested_fen) if x.suggested_fen is not None else "",
                                 yuan(x.cost_fen) if x.cost_fen is not None else "",
                                 self.tr("保持 {n} 张").format(n=policy.keep[x.product_id])
                                 if x.product_id in policy.keep else "") for x in data.lines],
                   right_align=(1, 2, 3, 4, 5, 6, 8, 9, 10))
        for row, line in enumerate(data.lines):
            if line.low:
                for col in (1, 7):
                    self.table.item(row, col).setForeground(QColor("#b71c1c"))
        fill_table(self.quarantined, [(c.product_name, c.card_no_tail, c.code_id) for c in data.quarantined])
        fill_table(self.after_sales, [(c.product_name, c.card_no_tail, c.order_number or "", local_time(c.sold_at))
                                      for c in data.after_sales])
        self.flags.setTabText(0, self.tr("隔离的卡密 ({n})").format(n=len(data.quarantined)))
        self.flags.setTabText(1, self.tr("售后标记 ({n})").format(n=len(data.after_sales)))
        ids = [x.product_id for x in data.lines]
        self.table.setCurrentCell(ids.index(keep) if keep in ids else 0, 0)

    def selected(self) -> str | None:
        row = self.table.currentRow()
        if self.data is None or not 0 <= row < len(self.data.lines):
            return None
        return self.data.lines[row].product_id

    def _select(self, row: int) -> None:
        if self.data is not None and 0 <= row < len(self.data.lines):
            self.threshold.setValue(self.data.lines[row].threshold)
            self.price.setText(yuan(self.data.lines[row].retail_fen))
            self.keep.setValue(self.policy.keep.get(self.data.lines[row].product_id, 0) if self.policy else 0)

    def save_threshold(self) -> None:
        product_id, value, user = self.selected(), self.threshold.value(), self.context.user
        if product_id is None or user is None:
            return
        name = self.data.lines[self.table.currentRow()].name
        self.context.with_owner_approval(
            self, self.tr("修改 {name} 的预警值为 {n}").format(name=name, n=value),
            lambda store, approver: stock.set_threshold(store, product_id=product_id, threshold=value,
                                                        staff_id=approver.id),
            None, lambda exc: show_error(self, exc), changes=changes.CATALOG)

    def save_price(self, *, suggested: bool = False) -> None:
        """The owner's retail price for the selected product, or back to the platform's suggested price."""
        product_id, user = self.selected(), self.context.user
        if product_id is None or user is None:
            return
        price: int | None = None
        if not suggested:
            try:
                price = parse_yuan(self.price.text())
            except ValueError:
                price = 0
            if not 0 < price <= stock.MAX_RETAIL_FEN:
                show_error(self, Notice(self.tr("售价须在 0.01 到 {m} 元之间").format(m=stock.MAX_RETAIL_FEN // 100)))
                return
        name = self.data.lines[self.table.currentRow()].name
        action = (self.tr("{name} 恢复平台建议价").format(name=name) if price is None
                  else self.tr("修改 {name} 的售价为 ￥{v}").format(name=name, v=yuan(price)))
        self.context.with_owner_approval(
            self, action,
            lambda store, approver: stock.set_retail_price(store, product_id=product_id, price_fen=price,
                                                           staff_id=user.id, approver_id=approver.id),
            None, lambda exc: show_error(self, exc), changes=changes.CATALOG)

    def save_keep(self) -> None:
        """The selected product keeps this many codes by itself (0: never restocked automatically)."""
        product_id, value, user = self.selected(), self.keep.value(), self.context.user
        if product_id is None or user is None:
            return
        name = self.data.lines[self.table.currentRow()].name
        action = (self.tr("{name} 自动补货：保持 {n} 张").format(name=name, n=value) if value
                  else self.tr("关闭 {name} 的自动补货").format(name=name))
        self.context.with_owner_approval(
            self, action,
            lambda store, approver: restock_policy.set_policy(store, product_id=product_id, keep=value or None,
                                                              staff_id=user.id, approver_id=approver.id),
            None, lambda exc: show_error(self, exc), changes=changes.CATALOG)

    def save_budget(self) -> None:
        """What automatic restocks may spend in a day, all products together (0: none at all)."""
        user = self.context.user
        if user is None:
            return
        try:
            budget = parse_yuan(self.budget.text())
        except ValueError:
            budget = -1
        if not 0 <= budget <= restock_policy.MAX_BUDGET_FEN:
            show_error(self, Notice(self.tr("每日预算须在 0 到 {m} 元之间").format(
                m=restock_policy.MAX_BUDGET_FEN // 100)))
            return
        self.context.with_owner_approval(
            self, self.tr("自动补货每日预算改为 ￥{v}").format(v=yuan(budget)),
            lambda store, approver: restock_policy.set_budget(store, budget_fen=budget, staff_id=user.id,
                                                              approver_id=approver.id),
            None, lambda exc: show_error(self, exc), changes=changes.CATALOG)

    def open_suggested(self) -> None:
        if self.data is None or not self.data.low:
            return
        first = self.data.low[0]
        self.open_restock(first.product_id, stock.suggested_quantity(first))

    def open_restock(self, product_id: str | None = None, quantity: int = 20) -> None:
        if self.data is None:
            return
        dialog = RestockDialog(self.context, list(self.data.lines), product_id or self.selected(), self,
                               quantity=quantity)
        dialog.setObjectName("restockDialog")
        dialog.open()
