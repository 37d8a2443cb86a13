"""Printer problems in words a cashier can act on. Messages never hold slip content."""

from __future__ import annotations


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
    """A printer setting that cannot work (bad port, unknown connection kind...)."""


class NotReprintableError(PrintingError):
    def __init__(self, why: str) -> None:
        super().__init__(f"Cannot reprint: {why}")
