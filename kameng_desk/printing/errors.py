"""Printer problems: each has a stable code (and the facts its words need) that a job stores as its reason and a
screen words in the cashier's language; the English message is for logs and the command line. Rewording a message
changes nothing stored or shown. Messages and fields never hold slip content.
"""

from __future__ import annotations

from typing import ClassVar

from local_cache.print_jobs import JobReason


class PrintingError(Exception):
    """Base of everything the print queue reports. ``reason`` is what a job stores: never the English words."""

    code: ClassVar[str] = "printing"

    def __init__(self, message: str, **fields: str) -> None:
        super().__init__(message)
        self.fields = fields

    @property
    def reason(self) -> JobReason:
        return JobReason(self.code, self.fields)


class PrinterNotReadyError(PrintingError):
    """The printer cannot take a job now; the job stays queued and is tried again by itself."""


class PaperOutError(PrinterNotReadyError):
    code = "paper_out"

    def __init__(self) -> None:
        super().__init__("Paper out: load a new roll; the slip prints by itself.")


class CoverOpenError(PrinterNotReadyError):
    code = "cover_open"

    def __init__(self) -> None:
        super().__init__("Printer cover open: close it; the slip prints by itself.")


class PrinterFaultError(PrinterNotReadyError):
    code = "fault"

    def __init__(self) -> None:
        super().__init__("Printer error (cutter jam or overheating): switch the printer off and on.")


class PrinterOfflineError(PrinterNotReadyError):
    code = "offline"

    def __init__(self) -> None:
        super().__init__("Printer offline: check that it is switched on and has paper.")


class PrinterUnreachableError(PrinterNotReadyError):
    code = "unreachable"

    def __init__(self, where: str) -> None:
        super().__init__(f"Printer not reachable at {where}: check the cable or network and that it is on.",
                         where=where)


class NoPrinterError(PrinterNotReadyError):
    code = "no_printer"

    def __init__(self) -> None:
        super().__init__("No printer set up: choose one in 设置 → 打印机; slips wait until then.")


class PrintInterruptedError(PrintingError):
    """The connection broke while sending: part of the slip may be out. Retrying prints a COPY."""

    code = "interrupted"

    def __init__(self) -> None:
        super().__init__("Connection lost while printing: check the slip, then retry (prints as COPY) or cancel.")


class PrinterSettingsError(PrintingError, ValueError):
    """A printer setting that cannot work (bad port, unknown connection kind...). `problem` says which, so a
    screen words it in its own language from `fields`; a job stores it as the code 'settings' with its problem."""

    code = "settings"

    ENGLISH: ClassVar[dict[str, str]] = {
        "kind": "Unknown printer connection {kind!r} (use {kinds}).",
        "network": "A network printer needs its IP address and a port (usually 9100).",
        "usb": "A USB printer needs its vendor and product id (see the printer's label).",
        "usb_id": "The USB {what} id is four hex digits, e.g. 0416.",
        "device": "Choose the printer's port or device.",
        "baud": "Serial speed must be 9600, 19200, 38400, 57600 or 115200 baud.",
        "timeout": "Timeout must be between 0.5 and 120 seconds.",
        "damaged": "The saved printer settings are damaged; set the printer up again.",
        "columns": "Columns must be between 24 and 64.",
        "dots": "Dots must be a multiple of 8 between 192 and 832.",
        "encoding": "Encoding must be one of {encodings}.",
        "drawer_pin": "The cash drawer pin must be 2 or 5.",
        "not_a_device": "{path} is not a printer device; slips are never written to ordinary files.",
    }

    def __init__(self, problem: str, **fields: object) -> None:
        super().__init__(self.ENGLISH[problem].format(**fields), **{k: str(v) for k, v in fields.items()})
        self.problem = problem

    @property
    def reason(self) -> JobReason:
        return JobReason(self.code, {"problem": self.problem, **self.fields})


class UnprintableSlipError(PrintingError):
    """The slip cannot be rendered for this printer (e.g. a QR too long for any QR version): it never will, so
    the job fails at once. `error` is the renderer's exception type, for support."""

    code = "unprintable"

    def __init__(self, error: str) -> None:
        super().__init__(f"This slip cannot be printed ({error}); cancel it.", error=error)


class NotReprintableError(PrintingError):
    """`state`: the order's state when it is not a completed sale; None when no owner approved."""

    def __init__(self, why: str, state: str | None = None) -> None:
        super().__init__(f"Cannot reprint: {why}")
        self.state = state
