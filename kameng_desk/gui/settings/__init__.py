"""Settings (后台 → 设置): shop and language, staff, platform pairing, the shop's static QR, the customer's displays,
data safety; the printer page comes from the printing package through `add_page`."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget

from kameng_desk.gui.context import DeskContext, refresh_pages
from kameng_desk.gui.settings.data_page import DataPage
from kameng_desk.gui.settings.display_page import DisplayPage
from kameng_desk.gui.settings.general import GeneralPage
from kameng_desk.gui.settings.platform_page import PlatformPage
from kameng_desk.gui.settings.staff_page import StaffPage
from kameng_desk.gui.settings.static_qr_page import StaticQrPage


class SettingsTab(QTabWidget):
    language_changed = Signal(str)
    auto_lock_changed = Signal(int)
    restored = Signal()
    displays_changed = Signal()

    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.setObjectName("settingsTabs")
        self.general = GeneralPage(context)
        self.staff = StaffPage(context)
        self.platform = PlatformPage(context)
        self.data = DataPage(context)
        self.static_qr = StaticQrPage(context)
        self.displays = DisplayPage(context)
        for page, title in ((self.general, self.tr("店铺与语言")), (self.staff, self.tr("员工")),
                            (self.platform, self.tr("平台")), (self.static_qr, self.tr("收款码")),
                            (self.data, self.tr("备份与密钥")), (self.displays, self.tr("顾客显示"))):
            self.addTab(page, title)
        self.general.language_changed.connect(self.language_changed)
        self.general.auto_lock_changed.connect(self.auto_lock_changed)
        self.data.restored.connect(self.restored)
        self.displays.changed.connect(self.displays_changed)

    def add_page(self, page, title: str) -> None:
        self.addTab(page, title)

    def refresh(self) -> None:
        refresh_pages(self)
