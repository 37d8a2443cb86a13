"""Staff: add a cashier or owner, disable or enable, reset a forgotten PIN (owner's PIN each time)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.settings.common import ResultLine
from kameng_desk.usecases import shop_admin
from local_cache import staff
from local_cache.staff import Staff


class StaffDialog(QDialog):
    """Name, role and PIN for a new person, or only a new PIN."""

    def __init__(self, parent: QWidget, *, pin_only: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("重置 PIN") if pin_only else self.tr("添加员工"))
        form = QFormLayout(self)
        self.name = QLineEdit(objectName="staffName")
        self.role = QComboBox(objectName="staffRole")
        self.role.addItem(self.tr("收银员"), "cashier")
        self.role.addItem(self.tr("店长"), "owner")
        self.pin = QLineEdit(objectName="staffPin", echoMode=QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("4 到 8 位数字"))
        if not pin_only:
            form.addRow(self.tr("姓名"), self.name)
            form.addRow(self.tr("角色"), self.role)
        form.addRow(self.tr("新 PIN"), self.pin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class StaffPage(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.table = QTableWidget(0, 3, objectName="staffTable")
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("角色"), self.tr("状态")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.add_button = QPushButton(self.tr("添加员工"), objectName="addStaff")
        self.toggle_button = QPushButton(self.tr("停用 / 启用"), objectName="toggleStaff")
        self.pin_button = QPushButton(self.tr("重置 PIN"), objectName="resetPin")
        self.result = ResultLine("staffResult")
        self.add_button.clicked.connect(self.add)
        self.toggle_button.clicked.connect(self.toggle)
        self.pin_button.clicked.connect(self.reset_pin)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.toggle_button, self.pin_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self.people: list[Staff] = []

    def refresh(self) -> None:
        self.context.worker.run(lambda store: staff.list_all(store.conn(), include_disabled=True), self._show,
                                self.result.error)

    def _show(self, people: list[Staff]) -> None:
        self.people = people
        self.table.setRowCount(len(people))
        for row, p in enumerate(people):
            texts = (p.name, self.tr("店长") if p.is_owner else self.tr("收银员"),
                     self.tr("在用") if p.active else self.tr("已停用"))
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                self.table.setItem(row, col, item)

    def selected(self) -> Staff | None:
        row = self.table.currentRow()
        return self.people[row] if 0 <= row < len(self.people) else None

    def _approve(self, action: str, work, done_text: str) -> None:
        user = self.context.user

        def done(_) -> None:
            self.result.ok(done_text)
            self.refresh()
        self.context.with_owner_approval(self, action, lambda store, approver: work(store, user.id, approver.id),
                                         done, self.result.error)

    def add(self) -> None:
        dialog = StaffDialog(self, pin_only=False)
        dialog.setObjectName("staffDialog")

        def accepted() -> None:
            name, role, pin = dialog.name.text(), dialog.role.currentData(), dialog.pin.text()
            self._approve(self.tr("添加员工"), lambda store, me, approver: shop_admin.add_staff(
                store, name=name, role=role, pin=pin, staff_id=me, approver_id=approver), self.tr("已添加。"))
        dialog.accepted.connect(accepted)
        dialog.open()

    def toggle(self) -> None:
        person = self.selected()
        if person is None:
            return
        self._approve(self.tr("启用员工") if not person.active else self.tr("停用员工"),
                      lambda store, me, approver: shop_admin.set_staff_active(
                          store, person.id, not person.active, staff_id=me, approver_id=approver),
                      self.tr("已更新。"))

    def reset_pin(self) -> None:
        person = self.selected()
        if person is None:
            return
        dialog = StaffDialog(self, pin_only=True)
        dialog.setObjectName("pinDialog")

        def accepted() -> None:
            pin = dialog.pin.text()
            self._approve(self.tr("重置 PIN"), lambda store, me, approver: shop_admin.reset_pin(
                store, person.id, pin, staff_id=me, approver_id=approver), self.tr("PIN 已重置。"))
        dialog.accepted.connect(accepted)
        dialog.open()
