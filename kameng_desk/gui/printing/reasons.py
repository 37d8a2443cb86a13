"""Why a job waits or failed, in the cashier's language, worded from the code the queue stores (print_jobs.JobReason)
and its fields. The English messages of printing errors are for the log: nothing here reads them, so rewording
one changes nothing a screen shows."""

from __future__ import annotations

from collections.abc import Mapping

from kameng_desk.gui.messages import describe
from kameng_desk.gui.texts import tr
from kameng_desk.printing.errors import PrintingError
from local_cache.print_jobs import JobReason


class _Fields(dict[str, str]):
    """A reason's fields for str.format_map: a field an older desk did not record reads as nothing."""

    def __missing__(self, key: str) -> str:
        return ""


def _settings_text(problem: str, fields: Mapping[str, str]) -> str:
    """A printer setting that cannot work, worded from its problem."""
    return {
        "kind": tr("不认识的打印机连接方式。"),
        "network": tr("网络打印机需要填写 IP 地址和端口（通常是 9100）。"),
        "usb": tr("USB 打印机需要填写厂商 ID 和产品 ID（见打印机标签）。"),
        "usb_id": (tr("USB 厂商 ID 是四位十六进制数，例如 0416。") if fields.get("what") == "vendor"
                   else tr("USB 产品 ID 是四位十六进制数，例如 5011。")),
        "device": tr("请选择打印机的端口或设备。"),
        "baud": tr("串口速率须为 9600、19200、38400、57600 或 115200。"),
        "timeout": tr("超时须在 0.5 到 120 秒之间。"),
        "damaged": tr("保存的打印机设置已损坏，请重新设置打印机。"),
        "columns": tr("每行字数须在 24 到 64 之间。"),
        "dots": tr("打印宽度（点）须是 8 的倍数，在 192 到 832 之间。"),
        "encoding": tr("请选择打印机支持的中文编码。"),
        "drawer_pin": tr("钱箱引脚须为 2 或 5。"),
        "not_a_device": tr("{path} 不是打印机设备：小票不会写进普通文件。"),
    }.get(problem, tr("打印机设置无法使用：请在 设置 → 打印机 中重新设置。")).format_map(_Fields(fields))


def reason_text(reason: JobReason | None) -> str:
    """A job's reason as the queue panel shows it; a code this version does not know gets a generic reason."""
    if reason is None:
        return ""
    if reason.code == "settings":
        return _settings_text(reason.fields.get("problem", ""), reason.fields)
    words = {
        "paper_out": tr("缺纸：装上新纸卷后会自动打印。"),
        "cover_open": tr("打印机盖未合上：合上后会自动打印。"),
        "fault": tr("打印机故障（卡纸或过热）：请关机再开。"),
        "offline": tr("打印机离线：请检查电源和纸张。"),
        "unreachable": tr("连不上打印机（{where}）：请检查线缆或网络，以及打印机电源。"),
        "no_printer": tr("还没有设置打印机：在 设置 → 打印机 中选择，小票会一直等着。"),
        "interrupted": tr("打印中连接断开：请查看小票，然后重试（印为重印）或取消。"),
        "unprintable": tr("这张小票无法用这台打印机打印（{error}）：请取消此单。"),
    }.get(reason.code, tr("打印机出了问题（原因未记录）：请检查打印机，然后重试或取消。"))
    return words.format_map(_Fields(reason.fields))


def error_text(exc: Exception) -> str:
    """An error a printing screen shows: printing errors by their code, everything else as the rest of the app."""
    return reason_text(exc.reason) if isinstance(exc, PrintingError) else describe(exc)
