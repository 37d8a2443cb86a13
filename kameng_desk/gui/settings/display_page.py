"""The customer's displays: which screen shows the customer window, and the pole display's serial port and speed;
saved after an owner's PIN, then applied at once (kameng_desk.gui.customer_display.CustomerDisplays)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPushButton, QWidget

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.customer_display import screen_label
from kameng_desk.gui.settings.common import ResultLine
from kameng_desk.pole_display import BAUD_RATES
from kameng_desk.usecases import shop_admin
from kameng_desk.usecases.shop_admin import DisplaySettings


class DisplayPage(QWidget):
    changed = Signal()

    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.current = DisplaySettings()
        self.screen = QComboBox(objectName="customerScreen")
        self.pole_port = QComboBox(objectName="polePort", editable=True)
        self.pole_port.lineEdit().setPlaceholderText(self.tr("不用客显时留空；如 COM3 或 /dev/ttyUSB0"))
        self.pole_baud = QComboBox(objectName="poleBaud")
        for rate in BAUD_RATES:
            self.pole_baud.addItem(str(rate), rate)
        hint = QLabel(self.tr("顾客屏显示购物清单、应付金额、收款码和找零；客显（CD5220 指令）显示总计和找零。"
                              "屏幕拔掉或客显未接好时自动关闭，不影响收银。"))
        hint.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存（需店长 PIN）"), objectName="saveDisplays")
        self.save_button.clicked.connect(self.save)
        self.result = ResultLine("displaysResult")
        form = QFormLayout(self)
        form.addRow(hint)
        form.addRow(self.tr("顾客屏"), self.screen)
        form.addRow(self.tr("客显串口"), self.pole_port)
        form.addRow(self.tr("客显波特率"), self.pole_baud)
        form.addRow(self.save_button)
        form.addRow(self.result)

    def refresh(self) -> None:
        self.context.worker.run(lambda store: shop_admin.load(store.conn(), DisplaySettings), self._show,
                                self.result.error)

    def _list_screens(self, chosen: str) -> None:
        """关闭, each plugged-in screen by number, name and size, and the chosen one even if it is unplugged now."""
        self.screen.clear()
        self.screen.addItem(self.tr("不使用"), "")
        for number, screen in enumerate(QGuiApplication.screens(), start=1):
            self.screen.addItem(screen_label(number, screen), screen.name())
        if chosen and self.screen.findData(chosen) < 0:
            self.screen.addItem(self.tr("{name}（未连接）").format(name=chosen), chosen)
        self.screen.setCurrentIndex(max(0, self.screen.findData(chosen)))

    def _list_ports(self, chosen: str) -> None:
        from serial.tools.list_ports import comports  # imported when the page opens: it scans the machine

        self.pole_port.clear()
        self.pole_port.addItem("", "")
        for port in sorted(p.device for p in comports()):
            self.pole_port.addItem(port, port)
        if chosen and self.pole_port.findText(chosen) < 0:
            self.pole_port.addItem(chosen, chosen)
        self.pole_port.setCurrentText(chosen)

    def _show(self, current: DisplaySettings) -> None:
        self.current = current
        self._list_screens(current.customer_screen)
        self._list_ports(current.pole_port)
        self.pole_baud.setCurrentIndex(max(0, self.pole_baud.findData(current.pole_baud)))

    def form(self) -> DisplaySettings:
        return replace(self.current, customer_screen=self.screen.currentData() or "",
                       pole_port=self.pole_port.currentText().strip(), pole_baud=self.pole_baud.currentData())

    def save(self) -> None:
        new, user = self.form(), self.context.user

        def saved(changed: list[str]) -> None:
            self.current = new
            self.result.ok(self.tr("已保存。") if changed else self.tr("没有改动。"))
            if changed:
                self.changed.emit()
        self.context.with_owner_approval(
            self, self.tr("修改顾客显示设置"),
            lambda store, approver: shop_admin.save(store, new, staff_id=user.id, approver_id=approver.id),
            saved, self.result.error)
