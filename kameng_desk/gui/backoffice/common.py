"""What the back-office tabs share: date ranges, tables, the info box, the owner gate (the names of stored codes,
local times and the error box are every screen's: gui/texts.py and gui/messages.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.messages import show_error
from kameng_desk.gui.texts import tr
from local_cache.ids import format_utc
from local_cache.staff import Staff


def day_start_utc(day: date) -> str:
    """The UTC instant at which a local calendar day starts (for SQL ranges over UTC text)."""
    return format_utc(datetime.combine(day, time.min).astimezone())


def _range_labels() -> dict[str, str]:
    return {"today": tr("今天"), "yesterday": tr("昨天"), "7": tr("近 7 天"), "30": tr("近 30 天"),
            "month": tr("本月"), "all": tr("全部日期"), "custom": tr("自定义")}


class DateRange(QWidget):
    """Which local days a tab shows: a preset (今天, 近 7 天, 本月, ...) or 自定义 first and last days, whose edits
    are enabled only for 自定义."""

    changed = Signal()

    def __init__(self, presets: Sequence[str], *, name: str, default: str) -> None:
        super().__init__()
        labels = _range_labels()
        self.preset = QComboBox()
        self.preset.setObjectName(name)
        for key in presets:
            self.preset.addItem(labels[key], key)
        self.preset.setCurrentIndex(self.preset.findData(default))
        self.first, self.last = QDateEdit(QDate.currentDate().addDays(-6)), QDateEdit(QDate.currentDate())
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(lambda _: self.changed.emit())
        self.preset.currentIndexChanged.connect(lambda _: (self._enable_days(), self.changed.emit()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.preset, self.first, QLabel("–"), self.last):
            layout.addWidget(widget)
        self._enable_days()

    def _enable_days(self) -> None:
        custom = self.preset.currentData() == "custom"
        self.first.setEnabled(custom)
        self.last.setEnabled(custom)

    def choose(self, key: str) -> None:
        self.preset.setCurrentIndex(self.preset.findData(key))

    def days(self) -> tuple[date, date] | None:
        """The first and last local day, inclusive; None for every date."""
        today, key = date.today(), self.preset.currentData()
        if key == "all":
            return None
        if key == "custom":
            return self.first.date().toPython(), self.last.date().toPython()
        first = {"yesterday": today - timedelta(days=1), "7": today - timedelta(days=6),
                 "30": today - timedelta(days=29), "month": today.replace(day=1)}.get(key, today)
        return first, (today - timedelta(days=1) if key == "yesterday" else today)

    def utc_bounds(self, *, open_ended: bool = False) -> tuple[str | None, str | None]:
        """The range as UTC instants for SQL: from the first day's start to the day after the last. open_ended:
        a range that ends today has no end, so a list left open past midnight, or an order stamped by a PC
        clock that runs ahead, still shows on a reload."""
        days = self.days()
        if days is None:
            return None, None
        end = None if open_ended and days[1] >= date.today() else day_start_utc(days[1] + timedelta(days=1))
        return day_start_utc(days[0]), end


def fill_table(table: QTableWidget, rows: Sequence[Sequence[object]], *, right_align: Sequence[int] = ()) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if c in right_align:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def make_table(headers: Sequence[str], *, stretch: int = 0, name: str = "") -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def show_info(parent: QWidget, text: str, name: str = "infoBox") -> None:
    box = QMessageBox(QMessageBox.Icon.Information, tr("后台"), text, parent=parent)
    box.setObjectName(name)
    box.open()


class OwnerGate(QStackedWidget):
    """Shows `content` to an owner; a cashier sees a lock until an owner enters a PIN (for this login only)."""

    def __init__(self, context: DeskContext, content: QWidget, action: str, on_open: Callable[[], None]) -> None:
        super().__init__()
        self.context, self.content, self.action, self.on_open = context, content, action, on_open
        self._unlocked_for: Staff | None = None  # the login (not just the person) it was opened for
        locked = QWidget()
        layout = QVBoxLayout(locked)
        layout.addStretch(1)
        text = QLabel(tr("此页面仅店长可查看。"))
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton(tr("店长授权查看"))
        self.unlock_button.setObjectName("ownerUnlock")
        self.unlock_button.clicked.connect(self.ask)
        layout.addWidget(text)
        layout.addWidget(self.unlock_button, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.addWidget(locked)
        self.addWidget(content)

    def refresh(self) -> None:
        user = self.context.user
        if user is not None and (user.is_owner or self._unlocked_for is user):
            self.setCurrentWidget(self.content)
            self.on_open()
        else:
            self.setCurrentIndex(0)

    def ask(self) -> None:
        self.context.with_owner_approval(self, self.action, lambda store, approver: approver, self.unlock,
                                         lambda exc: show_error(self, exc))

    def unlock(self, approver: Staff) -> None:
        """After an owner's PIN: open for whoever is logged in now, until the next login."""
        if approver.is_owner and self.context.user is not None:
            self._unlocked_for = self.context.user
            self.refresh()
