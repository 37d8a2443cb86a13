"""What the back-office tabs share: labels for stored codes, local times, tables, errors, the owner gate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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
from kameng_desk.gui.messages import describe, tr
from local_cache.ids import format_utc, parse_utc
from local_cache.staff import Staff


def state_label(state: str) -> str:
    return {"fulfilled": tr("已完成"), "voided": tr("已作废"), "awaiting_payment": tr("待付款"),
            "paid": tr("已付款"), "cancelled": tr("已取消")}.get(state, state)


def topup_label(state: str | None) -> str:
    return {"queued": tr("排队中"), "submitted": tr("已提交"), "succeeded": tr("充值成功"),
            "failed": tr("充值失败（平台已退款）")}.get(state or "", state or "")


def payment_label(method: str) -> str:
    return {"cash": tr("现金"), "qr_dynamic": tr("扫码（动态码）"), "qr_static": tr("扫码（静态码）"),
            "sandbox": tr("扫码（沙箱）")}.get(method, method)


def kind_label(kind: str) -> str:
    return {"sale": tr("卖卡"), "topup": tr("直充")}.get(kind, kind)


def sync_label(state: str) -> str:
    return {"pending": tr("待上传"), "accepted": tr("已上传"), "rejected": tr("被平台拒绝")}.get(state, state)


def local_time(utc_text: str | None) -> str:
    """Stored in UTC, shown in the shop's local time."""
    return parse_utc(utc_text).astimezone().strftime("%Y-%m-%d %H:%M:%S") if utc_text else ""


def day_start_utc(day: date) -> str:
    """The UTC instant at which a local calendar day starts (for SQL ranges over UTC text)."""
    return format_utc(datetime.combine(day, time.min).astimezone())


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


def show_error(parent: QWidget, exc: Exception | str) -> None:
    text = exc if isinstance(exc, str) else describe(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, tr("未完成"), text, parent=parent)
    box.setObjectName("errorBox")
    box.open()


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
