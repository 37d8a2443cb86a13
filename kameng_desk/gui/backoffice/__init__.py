"""The back office: what the owner and staff do between sales (shifts, orders, stock, reports, audit).

One tab per screen, each a widget built from the DeskContext; the main window adds the settings tab.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from kameng_desk.gui.backoffice.audit import AuditTab
from kameng_desk.gui.backoffice.orders import OrdersTab
from kameng_desk.gui.backoffice.reports import ReportsTab
from kameng_desk.gui.backoffice.shifts import ShiftsTab
from kameng_desk.gui.backoffice.stock import StockTab
from kameng_desk.gui.context import DeskContext, refresh_pages


class BackOfficePage(QWidget):
    back = Signal()

    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.tabs = QTabWidget()
        self.tabs.setObjectName("backOfficeTabs")
        self.who = QLabel()
        back = QPushButton(self.tr("返回收银 (Esc)"))
        back.setObjectName("backToCounter")
        back.clicked.connect(self.back)
        QShortcut(QKeySequence("Esc"), self, activated=self.back.emit,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        top = QHBoxLayout()
        top.addWidget(self.who, 1)
        top.addWidget(back)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.shifts = ShiftsTab(context)
        self.orders = OrdersTab(context)
        self.stock = StockTab(context)
        self.reports = ReportsTab(context)
        self.audit = AuditTab(context)
        for tab, title in ((self.shifts, self.tr("交班")), (self.orders, self.tr("订单")),
                           (self.stock, self.tr("库存")), (self.reports, self.tr("报表")),
                           (self.audit, self.tr("审计日志"))):
            self.add_tab(tab, title)

    def add_tab(self, widget: QWidget, title: str) -> None:
        self.tabs.addTab(widget, title)

    def start(self) -> None:
        """Called each time the page is shown: the tab on screen reloads from the database now, the others when
        they are opened (context.refresh_pages)."""
        user = self.context.user
        self.who.setText(self.tr("后台 · {name}").format(name=user.name if user else ""))
        refresh_pages(self.tabs)
