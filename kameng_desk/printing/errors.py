"""Printer problems in words a cashier can act on. Messages never hold slip content."""

from __future__ import annotations

from typing import ClassVar


class PrintingError(Exception):
    """Base of everything the print queue reports; ``str(exc)`` is stored as the job's reason."""


class PrinterNotReadyError(PrintingError):
    """The printer cannot take a job now; the job stays queued and is tried again by itself."""


class PaperOutError(PrinterNotReadyError):
    def __init__(self) -> None:
        super().__init__("Paper out: load a new roll; the slip prints by itself.")


class CoverOpenError(PrinterNotReadyError):
    def __init__(self) -> None:
        super().__init__("Printer cover open: close it; the slip prints by itself.")


class PrinterFaultError(PrinterNotReadyError):
    def __init__(self) -> None:
        super().__init__("Printer error (cutter jam or overheating): switch the printer off and on.")


class PrinterOfflineError(PrinterNotReadyError):
    def __init__(self) -> None:
        super().__init__("Printer offline: check that it is switched on and has paper.")


class PrinterUnreachableError(PrinterNotReadyError):
    def __init__(self, where: str) -> None:
        super().__init__(f"Printer not reachable at {where}: check the cable or network and that it is on.")


class NoPrinterError(PrinterNotReadyError):
    def __init__(self) -> None:
        super().__init__("No printer set up: choose one in 设置 → 打印机; slips wait until then.")


class PrintInterruptedError(PrintingError):
    """The connection broke while sending: part of the slip may be out. Retrying prints a COPY."""

    def __init__(self) -> None:
        super().__init__("Connection lost while printing: check the slip, then retry (prints as COPY) or cancel.")


class PrinterSettingsError(PrintingError, ValueError):
    """A printer setting that cannot work (bad port, unknown connection kind...). `problem` says which, so a
    screen words it in its own language from `fields`; the English message is for logs and the queue."""

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
        super().__init__(self.ENGLISH[problem].format(**fields))
        self.problem, self.fields = problem, fields


class NotReprintableError(PrintingError):
    def __init__(self, why: str) -> None:
        super().__init__(f"Cannot reprint: {why}")
