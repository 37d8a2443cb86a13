"""The serial pole display (客显): an 8-digit LED with four lamps, driven with the common CD5220 command set.

    ESC @                 initialise (sent once each time the port is opened)
    FF (0x0C)             clear the digits
    ESC Q A digits CR     the numeric line: up to 8 digits and one decimal point ("12.34"; the point lights a
                          segment of its digit, it takes no place of its own), so at most 999999.99
    ESC s n               the lamps: 0 all off, 1 单价, 2 总计, 3 收款, 4 找零

No Qt, no waiting at the counter: what to show is handed to a thread that owns the port (pyserial), and only the
latest reading is sent (a burst of scans ends on the display as the last one). A missing or unplugged port is
logged once, each further reading tries to open it again, and a sale never waits or fails for it.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from enum import IntEnum

import serial

log = logging.getLogger(__name__)

ESC = b"\x1b"
INIT = ESC + b"@"
CLEAR = b"\x0c"
DIGITS = 8
LARGEST_FEN = 10**DIGITS - 1  # 999999.99 元
BAUD_RATES = (2400, 4800, 9600, 19200)  # what these displays offer (their DIP switches); 9600 unless set otherwise
WRITE_TIMEOUT = 2.0  # seconds: a display that stopped reading (flow control) must not hold the thread forever


class Lamp(IntEnum):
    OFF = 0
    UNIT_PRICE = 1  # 单价
    TOTAL = 2  # 总计
    RECEIVED = 3  # 收款
    CHANGE = 4  # 找零


class AmountTooLongError(ValueError):
    def __init__(self, fen: int) -> None:
        super().__init__(f"{fen} fen does not fit the pole display's {DIGITS} digits (0 to {LARGEST_FEN})")
        self.fen = fen


def amount_frame(lamp: Lamp, fen: int) -> bytes:
    """The bytes that show `fen` as yuan with two decimals and light `lamp`."""
    if not 0 <= fen <= LARGEST_FEN:
        raise AmountTooLongError(fen)
    return CLEAR + ESC + b"QA" + f"{fen // 100}.{fen % 100:02d}".encode("ascii") + b"\r" + ESC + b"s" + \
        str(int(lamp)).encode("ascii")


def blank_frame() -> bytes:
    """Digits cleared, lamps off: between customers."""
    return CLEAR + ESC + b"s0"


class PoleDisplay:
    """One pole display on `port` (COM3, /dev/ttyUSB0). `show` and `blank` return at once; `close` ends the
    thread and the port."""

    def __init__(self, port: str, baudrate: int = 9600) -> None:
        self.port, self.baudrate = port, baudrate
        self._latest: bytes | None = None
        self._stopping = False
        self._wake = threading.Condition()
        self._serial: serial.Serial | None = None
        self._failing = False  # said once in the log until the port works again
        self._thread = threading.Thread(target=self._run, name=f"pole-display {port}", daemon=True)
        self._thread.start()

    def show(self, lamp: Lamp, fen: int) -> None:
        self._hand_over(amount_frame(lamp, fen))

    def blank(self) -> None:
        self._hand_over(blank_frame())

    def _hand_over(self, frame: bytes) -> None:
        with self._wake:
            self._latest = frame  # an older reading not yet sent is replaced: only the newest matters
            self._wake.notify()

    def idle(self, timeout: float = 5.0) -> bool:
        """Wait until the latest reading has been sent or given up on (for tests and for closing)."""
        with self._wake:
            return self._wake.wait_for(lambda: self._latest is None, timeout)

    def close(self) -> None:
        """Sends what is still pending (the blank a closing counter leaves), then ends the thread and the port."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        self._thread.join(WRITE_TIMEOUT + 1)

    def _run(self) -> None:
        while True:
            with self._wake:
                self._wake.wait_for(lambda: self._latest is not None or self._stopping)
                frame = self._latest
                if frame is None:  # stopping, and nothing left to send
                    break
            self._send(frame)
            with self._wake:
                if self._latest is frame:
                    self._latest = None
                    self._wake.notify_all()
        self._drop_port()

    def _send(self, frame: bytes) -> None:
        try:
            if self._serial is None:
                self._serial = serial.Serial(self.port, self.baudrate, timeout=0, write_timeout=WRITE_TIMEOUT)
                self._serial.write(INIT)
            self._serial.write(frame)
            self._serial.flush()
        except (serial.SerialException, OSError, ValueError) as exc:  # absent, unplugged, busy, a bad name
            if not self._failing:
                log.warning("pole display on %s does not answer (%s: %s); the counter goes on without it",
                            self.port, type(exc).__name__, exc)
            self._failing = True
            self._drop_port()
            return
        if self._failing:
            log.info("pole display on %s works again", self.port)
            self._failing = False

    def _drop_port(self) -> None:
        if self._serial is not None:
            with contextlib.suppress(serial.SerialException, OSError):  # an unplugged port may fail to close
                self._serial.close()
            self._serial = None
