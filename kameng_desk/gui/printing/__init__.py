"""Printer settings page and print-queue panel; each is built from the DeskContext and has refresh()."""

from kameng_desk.gui.printing.queue_panel import PrintQueuePanel
from kameng_desk.gui.printing.settings_page import PrinterSettingsPage

__all__ = ["PrintQueuePanel", "PrinterSettingsPage"]
