"""Why a job waits or failed, in the cashier's language. The queue stores the reason in English words."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kameng_desk.gui.settings.common import ResultLine
from kameng_desk.printing import errors


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)


def reason_text(reason: str | None) -> str:
    if not reason:
        return ""
    known = {
        str(errors.PaperOutError()): tr("缺纸：装上新纸卷后会自动打印。"),
        str(errors.CoverOpenError()): tr("打印机盖未合上：合上后会自动打印。"),
        str(errors.PrinterFaultError()): tr("打印机故障（卡纸或过热）：请关机再开。"),
        str(errors.PrinterOfflineError()): tr("打印机离线：请检查电源和纸张。"),
        str(errors.NoPrinterError()): tr("还没有设置打印机：在 设置 → 打印机 中选择，小票会一直等着。"),
        str(errors.PrintInterruptedError()): tr("打印中连接断开：请查看小票，然后重试（印为重印）或取消。"),
    }
    if reason in known:
        return known[reason]
    where = reason.removeprefix("Printer not reachable at ").partition(":")[0]
    if reason.startswith("Printer not reachable at "):
        return tr("连不上打印机（{where}）：请检查线缆或网络，以及打印机电源。").format(where=where)
    return reason


def show_error(line: ResultLine, exc: Exception) -> None:
    """Printing errors in their own words; everything else as the rest of the app words it."""
    if isinstance(exc, errors.PrintingError):
        line.setStyleSheet("color: #b71c1c;")
        line.setText(reason_text(str(exc)))
    else:
        line.error(exc)
