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
    if reason.endswith(" is not a printer device; slips are never written to ordinary files."):
        return settings_text(errors.PrinterSettingsError("not_a_device", path=reason.partition(" is not")[0]))
    where = reason.removeprefix("Printer not reachable at ").partition(":")[0]
    if reason.startswith("Printer not reachable at "):
        return tr("连不上打印机（{where}）：请检查线缆或网络，以及打印机电源。").format(where=where)
    return reason


def settings_text(exc: errors.PrinterSettingsError) -> str:
    """A printer setting that cannot work, worded from its problem (its message is English, for the log)."""
    f = exc.fields
    return {
        "kind": lambda: tr("不认识的打印机连接方式。"),
        "network": lambda: tr("网络打印机需要填写 IP 地址和端口（通常是 9100）。"),
        "usb": lambda: tr("USB 打印机需要填写厂商 ID 和产品 ID（见打印机标签）。"),
        "usb_id": lambda: (tr("USB 厂商 ID 是四位十六进制数，例如 0416。") if f.get("what") == "vendor"
                           else tr("USB 产品 ID 是四位十六进制数，例如 5011。")),
        "device": lambda: tr("请选择打印机的端口或设备。"),
        "baud": lambda: tr("串口速率须为 9600、19200、38400、57600 或 115200。"),
        "timeout": lambda: tr("超时须在 0.5 到 120 秒之间。"),
        "damaged": lambda: tr("保存的打印机设置已损坏，请重新设置打印机。"),
        "columns": lambda: tr("每行字数须在 24 到 64 之间。"),
        "dots": lambda: tr("打印宽度（点）须是 8 的倍数，在 192 到 832 之间。"),
        "encoding": lambda: tr("请选择打印机支持的中文编码。"),
        "drawer_pin": lambda: tr("钱箱引脚须为 2 或 5。"),
        "not_a_device": lambda: tr("{path} 不是打印机设备：小票不会写进普通文件。").format(path=f.get("path")),
    }[exc.problem]()


def show_error(line: ResultLine, exc: Exception) -> None:
    """Printing errors in their own words; everything else as the rest of the app words it."""
    if isinstance(exc, errors.PrinterSettingsError):
        line.setStyleSheet("color: #b71c1c;")
        line.setText(settings_text(exc))
    elif isinstance(exc, errors.PrintingError):
        line.setStyleSheet("color: #b71c1c;")
        line.setText(reason_text(str(exc)))
    else:
        line.error(exc)
