"""Printer connections (python-escpos Network, Usb, Serial, Win32Raw, File) and the real-time status query.

One link is opened per job and always closed, so the Windows spooler gets one job per slip and a network
printer is free for other desks in between. Status (DLE EOT) is asked where the connection can answer:
network, USB and serial; the spooler and device files cannot, and their jobs are simply sent.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from kameng_desk.printing.config import ConnectionSettings
from kameng_desk.printing.errors import (
    CoverOpenError,
    PaperOutError,
    PrinterFaultError,
    PrinterOfflineError,
    PrinterSettingsError,
    PrinterUnreachableError,
    PrintInterruptedError,
)

if TYPE_CHECKING:
    from escpos.escpos import Escpos

STATUS_TIMEOUT = 1.5  # seconds; a printer that does not answer DLE EOT is treated as "status unknown"
DLE_EOT = b"\x10\x04"
_WINDOWS_PORT = re.compile(r"(?i)^(LPT\d|COM\d+|PRN)$")


class PrinterLink(Protocol):
    where: str

    def check_ready(self) -> None:
        """Raise a PrinterNotReadyError if the printer says it cannot print; return if ready or unknown."""

    def send(self, data: bytes) -> None: ...

    def close(self) -> None: ...


def parse_status(printer: int | None, offline_cause: int | None, paper: int | None) -> None:
    """Interpret DLE EOT 1 / 2 / 4 replies (ESC/POS real-time status); None means no reply."""
    if paper is not None and paper & 0x60:
        raise PaperOutError()
    if printer is None or not printer & 0x08:
        return
    if offline_cause is not None:
        if offline_cause & 0x04:
            raise CoverOpenError()
        if offline_cause & 0x20:
            raise PaperOutError()
        if offline_cause & 0x40:
            raise PrinterFaultError()
    raise PrinterOfflineError()


class EscposLink:
    """A python-escpos printer object opened for one job."""

    def __init__(self, printer: Escpos, where: str, *, can_read: bool, kind: str) -> None:
        self.printer, self.where, self._can_read, self._kind = printer, where, can_read, kind

    def _ask(self, n: int) -> int | None:
        query = DLE_EOT + bytes((n,))
        try:
            if self._kind == "serial":
                # The answer is one byte; python-escpos reads 16, which pyserial waits out to the timeout
                # (1.5 s per query, 3 s before every slip). A late answer to an earlier query, or a status byte
                # the printer sent by itself, must not be taken for this one's.
                self.printer.device.reset_input_buffer()
                self.printer._raw(query)
                reply = self.printer.device.read(1)
            else:
                reply = self.printer.query_status(query)
        except Exception:  # a silent device: socket timeout, or pyusb/pyserial errors (no common base)
            return None
        return reply[-1] if reply else None

    def check_ready(self) -> None:
        if not self._can_read:
            return
        self._prepare_read()
        printer = self._ask(1)
        if printer is None:
            return  # this printer does not answer status queries: just print
        cause = self._ask(2) if printer & 0x08 else None
        parse_status(printer, cause, self._ask(4))

    def _prepare_read(self) -> None:
        device = self.printer.device  # opens the connection; raises DeviceNotFoundError if it cannot
        if self._kind == "network":
            device.settimeout(STATUS_TIMEOUT)

    def send(self, data: bytes) -> None:
        if self._kind == "network" and self.printer.device:
            self.printer.device.settimeout(self.printer.timeout)
        self.printer._raw(data)

    def close(self) -> None:
        self.printer.close()


def _check_device_file(path: str) -> None:
    """Slips hold card secrets: the file connection writes to a printer device, never to a plain file."""
    if sys.platform == "win32" and _WINDOWS_PORT.match(path):
        return
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise PrinterUnreachableError(path) from exc
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        raise PrinterSettingsError("not_a_device", path=path)


def _printer(settings: ConnectionSettings) -> tuple[Escpos, bool]:
    # Imported when a job is sent: loading escpos costs ~150 ms of the counter's start.
    from escpos.printer import File, Network, Serial, Usb, Win32Raw

    kind = settings.kind
    if kind == "network":
        return Network(settings.host, settings.port, timeout=settings.timeout), True
    if kind == "usb":
        return Usb(settings.usb_vendor, settings.usb_product, timeout=int(settings.timeout * 1000)), True
    if kind == "serial":
        return Serial(settings.device, baudrate=settings.baudrate, timeout=STATUS_TIMEOUT), True
    if kind == "win32":
        return Win32Raw(settings.printer_name), False
    _check_device_file(settings.device)
    return File(settings.device), False


def open_link(settings: ConnectionSettings, *, job_name: str = "卡盟收银台") -> PrinterLink:
    """Open the connection for one job. Raises PrinterUnreachableError (the job waits) if it cannot."""
    where = settings.describe()
    try:
        printer, can_read = _printer(settings)
        if settings.kind == "win32":
            printer.open(job_name=job_name)
        else:
            printer.open()
    except PrinterSettingsError:
        raise
    except Exception as exc:
        # DeviceNotFoundError, OSError, pyusb/pyserial errors (no common base), or escpos' RuntimeError
        # saying pyusb / pyserial / pywin32 is missing for this kind of connection.
        raise PrinterUnreachableError(where) from exc
    return EscposLink(printer, where, can_read=can_read, kind=settings.kind)


def print_bytes(settings: ConnectionSettings, data: bytes, *, before_send: Callable[[], None],
                job_name: str = "卡盟收银台") -> None:
    """Open, ask the status, call ``before_send`` (the job becomes 'printing'), send, always close.

    Raises a PrinterNotReadyError before anything was sent (the job can simply wait), or
    PrintInterruptedError when the connection broke while sending (part of the slip may be out).
    """
    link = open_link(settings, job_name=job_name)
    try:
        link.check_ready()
        before_send()
        try:
            link.send(data)
        except Exception as exc:
            raise PrintInterruptedError() from exc
    finally:
        link.close()
