"""Order history: a lazily paged table model over counter.history (filters, sorting and paging in SQL)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kameng_desk.gui.backoffice.common import DateRange
from kameng_desk.gui.backoffice.order_detail import OrderDetailDialog
from kameng_desk.gui.context import DeskContext, refresh_on_changes
from kameng_desk.gui.messages import show_error
from kameng_desk.gui.texts import kind_label, local_time, order_state_label, payment_label, state_label, sync_label, tr
from kameng_desk.gui.worker import DbWorker
from kameng_desk.records.labels import PAYMENT_METHODS
from kameng_desk.records.money import yuan
from kameng_desk.usecases import history
from kameng_desk.usecases.history import OrderFilter, OrderRow

PAGE = 200
NUMBER_PAUSE_MS = 250
# The history sort key of each column (None: not sortable in SQL, so not sortable at all).
SORT_KEYS = ("number", "created_at", None, "state", "payment_method", "total_fen", "staff", None)


def headers() -> tuple[str, ...]:
    return (tr("单号"), tr("时间"), tr("类型"), tr("状态"), tr("支付方式"), tr("金额"), tr("收银员"), tr("同步"))


class OrdersModel(QAbstractTableModel):
    """Holds the pages fetched so far; the view asks for more (fetchMore) as it scrolls.

    Every query runs on the database thread. The first page is asked for before the count, so rows show
    as soon as SQL finds a page of them; counting every match of a broad filter comes second. A new
    filter or sort bumps `generation`, so an answer that arrives for an old query is dropped."""

    loaded = Signal()  # the first page of a new query is in the model
    counted = Signal(int)  # ...and then the number of orders matching it
    failed = Signal(object)

    def __init__(self, worker: DbWorker, page_size: int = PAGE) -> None:
        super().__init__()
        self.worker, self.page_size = worker, page_size
        self.filter = OrderFilter()
        self.sort_key, self.descending = "created_at", True
        self.rows: list[OrderRow] = []
        self.texts: list[tuple[str, ...]] = []  # each row's cells, formatted once when its page arrives
        self.total: int | None = None  # not counted yet
        self.generation = 0
        self._fetching = False
        self._exhausted = True  # the last page came back short: nothing more to fetch

    # -- queries --------------------------------------------------------------------------------------

    def set_filter(self, f: OrderFilter) -> None:
        self.filter = f
        self.reload()

    def reload(self) -> None:
        self.generation += 1
        generation, f, sort, desc, size = self.generation, self.filter, self.sort_key, self.descending, self.page_size
        self._fetching = True
        self.worker.run(lambda store: history.page(store.conn(), f, offset=0, limit=size, sort=sort,
                                                   descending=desc),
                        lambda rows: self._first_page(generation, rows), self._failed)
        self.worker.run(lambda store: history.count(store.conn(), f), lambda n: self._counted(generation, n),
                        self._failed)

    def _first_page(self, generation: int, rows: list[OrderRow]) -> None:
        if generation != self.generation:
            return
        self.beginResetModel()
        self.rows, self.texts, self.total, self._fetching = rows, self._format(rows), None, False
        self._exhausted = len(rows) < self.page_size
        self.endResetModel()
        self.loaded.emit()

    def _counted(self, generation: int, total: int) -> None:
        if generation == self.generation:
            self.total = total
            self.counted.emit(total)

    def _failed(self, exc: Exception) -> None:
        self._fetching = False
        self.failed.emit(exc)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not (parent.isValid() or self._fetching or self._exhausted)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, f, sort, desc = self.generation, self.filter, self.sort_key, self.descending
        offset, size = len(self.rows), self.page_size
        self.worker.run(lambda store: history.page(store.conn(), f, offset=offset, limit=size, sort=sort,
                                                   descending=desc),
                        lambda rows: self._more(generation, rows), self._failed)

    def _more(self, generation: int, rows: list[OrderRow]) -> None:
        if generation != self.generation:
            return
        self._fetching = False
        self._exhausted = len(rows) < self.page_size
        if rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
            self.rows.extend(rows)
            self.texts.extend(self._format(rows))
            self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS[column]
        if key is None:
            return
        self.sort_key, self.descending = key, order == Qt.SortOrder.DescendingOrder
        if self.generation:  # the view sets its first sort when built, before anything was asked for
            self.reload()

    # -- model ----------------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SORT_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return headers()[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()].id
        return None

    @staticmethod
    def _format(rows: list[OrderRow]) -> list[tuple[str, ...]]:
        # The view asks for each cell many times while painting: format a page once, not on every paint.
        return [(row.number, local_time(row.created_at), kind_label(row.kind),
                 order_state_label(row.state, row.kind, row.topup_state) + (
                     tr("（已退 ￥{v}）").format(v=yuan(row.refunded_fen)) if row.refunded_fen else ""),
                 payment_label(row.payment_method), yuan(row.total_fen), row.staff_name or "",
                 sync_label(row.sync_state)) for row in rows]

    def row_at(self, index: int) -> OrderRow | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None


class OrdersTab(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.model = OrdersModel(context.worker)
        self.model.loaded.connect(self._loaded)
        self.model.counted.connect(lambda n: self.count_label.setText(self.tr("共 {n} 单").format(n=n)))
        self.model.failed.connect(lambda exc: show_error(self, exc))

        self.dates = DateRange(["today", "7", "30", "all", "custom"], name="orderRange", default="all")
        self.dates.changed.connect(self.apply)
        self.state = QComboBox()
        self.state.setObjectName("stateFilter")
        self.state.addItem(self.tr("全部状态"), None)
        for state in ("fulfilled", "voided", "awaiting_payment", "cancelled"):
            self.state.addItem(state_label(state), state)
        self.staff = QComboBox()
        self.staff.setObjectName("staffFilter")
        self.product = QComboBox()
        self.product.setObjectName("productFilter")
        self.payment = QComboBox()
        self.payment.setObjectName("paymentFilter")
        self.payment.addItem(self.tr("全部支付方式"), None)
        for method in PAYMENT_METHODS:
            self.payment.addItem(payment_label(method), method)
        self.number = QLineEdit()
        self.number.setObjectName("numberFilter")
        self.number.setPlaceholderText(self.tr("单号开头"))
        self.number.setClearButtonEnabled(True)
        self._fill_choices({"staff": [], "product": []})
        for box in (self.state, self.staff, self.product, self.payment):
            box.currentIndexChanged.connect(lambda _: self.apply())
        # A number being typed is looked up once the typing pauses, not once per keystroke.
        self._number_typed = QTimer(self, singleShot=True, interval=NUMBER_PAUSE_MS)
        self._number_typed.timeout.connect(self.apply)
        self.number.textChanged.connect(lambda _: self._number_typed.start())

        self.table = QTableView()
        self.table.setObjectName("ordersTable")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda index: self.open_detail(index.row()))
        self.count_label = QLabel()
        self.count_label.setObjectName("orderCount")
        detail = QPushButton(self.tr("订单详情 (Enter)"))
        detail.setObjectName("orderDetail")
        detail.clicked.connect(lambda: self.open_detail(self.table.currentIndex().row()))

        filters = QHBoxLayout()
        filters.addWidget(self.dates)
        for w in (self.state, self.staff, self.product, self.payment):
            filters.addWidget(w)
        filters.addWidget(self.number, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(detail)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self._applying = False
        self._sized = False
        refresh_on_changes(context, self, "orders")

    def refresh(self) -> None:
        self.context.worker.run(lambda store: history.choices(store.conn()), self._choices_loaded,
                                lambda exc: show_error(self, exc))

    def _choices_loaded(self, options: dict[str, list[tuple[str, str]]]) -> None:
        self._fill_choices(options)
        self.apply()

    def _fill_choices(self, options: dict[str, list[tuple[str, str]]]) -> None:
        self._applying = True  # refilling the boxes must not start one query per item
        for box, everything, key in ((self.staff, self.tr("全部员工"), "staff"),
                                     (self.product, self.tr("全部商品"), "product")):
            keep = box.currentData()
            box.clear()
            box.addItem(everything, None)
            for value, label in options[key]:
                box.addItem(label, value)
            box.setCurrentIndex(max(0, box.findData(keep)))
        self._applying = False

    def current_filter(self) -> OrderFilter:
        start, end = self.dates.utc_bounds(open_ended=True)
        return OrderFilter(start=start, end=end, state=self.state.currentData(), staff_id=self.staff.currentData(),
                           product_id=self.product.currentData(), payment_method=self.payment.currentData(),
                           number_prefix=self.number.text().strip() or None)

    def apply(self) -> None:
        if self._applying:
            return
        self._number_typed.stop()  # the filter below reads the number as it is now
        self.count_label.setText(self.tr("查询中…"))
        self.model.set_filter(self.current_filter())

    def _loaded(self) -> None:
        if self.model.rows and not self._sized:  # widths from the first page, once: measuring every page would cost
            self.table.resizeColumnsToContents()
            self._sized = True

    def open_detail(self, row: int) -> None:
        order = self.model.row_at(row)
        if order is None:
            return
        dialog = OrderDetailDialog(self.context, order.id, self)
        dialog.setObjectName("orderDetailDialog")
        dialog.open()

