"""Printer settings (设置 → 打印机): connection, paper and profile, a preview, a test page. Saved after an
owner's PIN; all database and rendering work runs on the database thread."""

from __future__ import annotations

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.printing.reasons import error_text
from kameng_desk.gui.settings.common import ResultLine
from kameng_desk.printing import config
from kameng_desk.printing.config import ConnectionSettings, PrinterConfig
from kameng_desk.printing.errors import PrinterSettingsError
from kameng_desk.printing.image_render import render_png
from kameng_desk.printing.profiles import PRESETS, PrinterProfile
from kameng_desk.printing.sample import sample_card_slip
from kameng_desk.printing.slips import printer_test_page
from kameng_desk.usecases import print_queue, printer_settings

BAUD_RATES = (9600, 19200, 38400, 57600, 115200)


def _hex_id(text: str, what: str) -> int:
    try:
        return int(text.strip().removeprefix("0x"), 16)
    except ValueError:
        raise PrinterSettingsError("usb_id", what=what) from None


class PrinterSettingsPage(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.kind = QComboBox(objectName="printerConnection")
        for kind, title in (("network", self.tr("网络（9100 端口）")), ("usb", "USB"), ("serial", self.tr("串口")),
                            ("win32", self.tr("Windows 打印机")), ("file", self.tr("设备文件"))):
            self.kind.addItem(title, kind)
        self.host = QLineEdit(objectName="printerHost", placeholderText="192.168.1.100")
        self.port = QSpinBox(objectName="printerPort", minimum=1, maximum=65535, value=9100)
        self.usb_vendor = QLineEdit(objectName="printerUsbVendor", placeholderText="0416")
        self.usb_product = QLineEdit(objectName="printerUsbProduct", placeholderText="5011")
        self.device = QLineEdit(objectName="printerDevice", placeholderText="COM3 / /dev/usb/lp0")
        self.baudrate = QComboBox(objectName="printerBaud")
        for rate in BAUD_RATES:
            self.baudrate.addItem(str(rate), rate)
        self.windows_name = QLineEdit(objectName="printerWindowsName")
        self.windows_name.setPlaceholderText(self.tr("留空使用 Windows 默认打印机"))
        self.paper = QComboBox(objectName="printerPaper")
        for name, preset in PRESETS.items():
            self.paper.addItem(self.tr("{name}（{columns} 列）").format(name=name, columns=preset.columns), name)
        self.encoding = QComboBox(objectName="printerEncoding")
        self.encoding.addItem("GB18030", "gb18030")
        self.encoding.addItem("GBK", "gbk")
        self.native_qr = QCheckBox(self.tr("打印机自带二维码（若测试页二维码印成文字，请取消）"))
        self.native_qr.setObjectName("printerNativeQr")
        self.cut = QCheckBox(self.tr("自动切纸"), objectName="printerCut")
        self.drawer = QComboBox(objectName="printerDrawer")
        self.drawer.addItem(self.tr("不接钱箱"), None)
        self.drawer.addItem(self.tr("钱箱引脚 2"), 2)
        self.drawer.addItem(self.tr("钱箱引脚 5"), 5)
        self.save_button = QPushButton(self.tr("保存（需店长 PIN）"), objectName="printerSave")
        self.test_button = QPushButton(self.tr("打印测试页"), objectName="printerTestPage")
        self.preview_button = QPushButton(self.tr("预览"), objectName="printerPreviewButton")
        self.save_button.clicked.connect(self.save)
        self.test_button.clicked.connect(self.print_test_page)
        self.preview_button.clicked.connect(self.show_preview)
        self.preview = QLabel(objectName="printerPreview")
        scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        self.result = ResultLine("printerResult")

        self.form_layout = form = QFormLayout()
        form.addRow(self.tr("连接方式"), self.kind)
        form.addRow(self.tr("IP 地址"), self.host)
        form.addRow(self.tr("端口"), self.port)
        form.addRow(self.tr("USB 厂商 ID"), self.usb_vendor)
        form.addRow(self.tr("USB 产品 ID"), self.usb_product)
        form.addRow(self.tr("端口/设备"), self.device)
        form.addRow(self.tr("波特率"), self.baudrate)
        form.addRow(self.tr("打印机名称"), self.windows_name)
        form.addRow(self.tr("纸宽"), self.paper)
        form.addRow(self.tr("中文编码"), self.encoding)
        form.addRow(self.native_qr)
        form.addRow(self.cut)
        form.addRow(self.tr("钱箱"), self.drawer)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.test_button, self.preview_button):
            buttons.addWidget(button)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addLayout(buttons)
        left.addWidget(self.result)
        left.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addWidget(scroll, 1)
        self.kind.currentIndexChanged.connect(self._show_fields)
        self._show_fields()

    # -- the form ----------------------------------------------------------------------------------------

    def _show_fields(self) -> None:
        kind = self.kind.currentData()
        visible = {self.host: kind == "network", self.port: kind == "network", self.usb_vendor: kind == "usb",
                   self.usb_product: kind == "usb", self.device: kind in ("serial", "file"),
                   self.baudrate: kind == "serial", self.windows_name: kind == "win32"}
        for widget, shown in visible.items():
            self.form_layout.setRowVisible(widget, shown)

    def form(self) -> PrinterConfig:
        """The printer as entered; raises PrinterSettingsError with what to fix."""
        kind = self.kind.currentData()
        usb = kind == "usb"
        connection = ConnectionSettings(
            kind=kind, host=self.host.text().strip(), port=self.port.value(),
            usb_vendor=_hex_id(self.usb_vendor.text(), "vendor") if usb else 0,
            usb_product=_hex_id(self.usb_product.text(), "product") if usb else 0,
            device=self.device.text().strip(), baudrate=self.baudrate.currentData(),
            printer_name=self.windows_name.text().strip())
        preset = PRESETS[self.paper.currentData()]
        profile = PrinterProfile(name=preset.name, columns=preset.columns, dots=preset.dots,
                                 encoding=self.encoding.currentData(), native_qr=self.native_qr.isChecked(),
                                 cut=self.cut.isChecked(), drawer_pin=self.drawer.currentData())
        return PrinterConfig(connection, profile)

    def _fill(self, cfg: PrinterConfig | None) -> None:
        if not isValid(self):
            return
        cfg = cfg or PrinterConfig(ConnectionSettings(host="192.168.1.100"))
        c, p = cfg.connection, cfg.profile
        self.kind.setCurrentIndex(max(0, self.kind.findData(c.kind)))
        self.host.setText(c.host)
        self.port.setValue(c.port)
        self.usb_vendor.setText(f"{c.usb_vendor:04x}" if c.usb_vendor else "")
        self.usb_product.setText(f"{c.usb_product:04x}" if c.usb_product else "")
        self.device.setText(c.device)
        self.baudrate.setCurrentIndex(max(0, self.baudrate.findData(c.baudrate)))
        self.windows_name.setText(c.printer_name)
        self.paper.setCurrentIndex(max(0, self.paper.findData(p.name)))
        self.encoding.setCurrentIndex(max(0, self.encoding.findData(p.encoding)))
        self.native_qr.setChecked(p.native_qr)
        self.cut.setChecked(p.cut)
        self.drawer.setCurrentIndex(max(0, self.drawer.findData(p.drawer_pin)))
        self.show_preview()

    def _error(self, exc: Exception) -> None:
        if isValid(self):
            self.result.error(error_text(exc))

    def _checked_form(self) -> PrinterConfig | None:
        try:
            return self.form()
        except PrinterSettingsError as exc:
            self._error(exc)
            return None

    # -- actions -----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.context.worker.run(lambda store: config.load(store.conn()), self._fill, self._error)

    def save(self) -> None:
        cfg, user = self._checked_form(), self.context.user
        if cfg is None or user is None:
            return

        def saved(_result: object) -> None:
            if self.context.printing is not None:
                self.context.printing.wake()
            self.result.ok(self.tr("打印机设置已保存。"))
        self.context.with_owner_approval(
            self, self.tr("修改打印机设置"),
            lambda store, approver: printer_settings.save(store, cfg, staff_id=user.id, approver_id=approver.id),
            saved, self._error)

    def print_test_page(self) -> None:
        """Queued for the saved printer, describing it (the form may hold changes not saved yet)."""
        cfg = self._checked_form()
        if cfg is None:
            return

        def queue(store):
            saved = config.load(store.conn())
            profile = saved.profile if saved else cfg.profile
            return print_queue.queue_slip(store, printer_test_page(profile, shop=print_queue.shop(store.conn())))

        def queued(_job: object) -> None:
            if self.context.printing is not None:
                self.context.printing.wake()
            self.result.ok(self.tr("测试页已加入打印队列（用已保存的打印机设置）。"))
        self.context.worker.run(queue, queued, self._error)

    def show_preview(self) -> None:
        cfg = self._checked_form()
        if cfg is None:
            return
        self.context.worker.run(lambda _store: render_png(sample_card_slip(), cfg.profile), self._show_png,
                                self._error)

    def _show_png(self, png: bytes) -> None:
        if isValid(self):
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            self.preview.setPixmap(pixmap)
