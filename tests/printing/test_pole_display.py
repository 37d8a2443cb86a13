"""The pole display (客显) over a real serial port: pyserial opens a pseudo-terminal, as it would COM3, and the
test reads the CD5220 bytes from the other end exactly."""

from __future__ import annotations

import logging
import os
import select
import time

import pytest

from kameng_desk.pole_display import AmountTooLongError, Lamp, PoleDisplay, amount_frame

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="pseudo-terminals are POSIX")


class FarEnd:
    """The display's side of the cable: the pty's master end, kept open by the test."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        self.device = os.ttyname(self.slave)

    def read(self, count: int, timeout: float = 5.0) -> bytes:
        data, deadline = b"", time.monotonic() + timeout
        while len(data) < count and time.monotonic() < deadline:
            if select.select([self.master], [], [], 0.05)[0]:
                data += os.read(self.master, 4096)
        return data

    def nothing_more(self) -> bool:
        return not select.select([self.master], [], [], 0.3)[0]

    def close(self) -> None:
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture
def far_end():
    end = FarEnd()
    yield end
    end.close()


def test_the_total_then_the_change_arrive_as_cd5220_commands(far_end) -> None:
    pole = PoleDisplay(far_end.device, 9600)
    try:
        pole.show(Lamp.TOTAL, 12_34)
        assert pole.idle()
        expected = b"\x1b@" + b"\x0c\x1bQA12.34\r\x1bs2"  # ESC @ once when the port opens, then the reading
        assert far_end.read(len(expected)) == expected
        pole.show(Lamp.CHANGE, 87_66)
        pole.blank()  # the next customer: digits cleared, lamps off
        assert pole.idle()
        blank, change = b"\x0c\x1bs0", b"\x0c\x1bQA87.66\r\x1bs4"
        sent = far_end.read(len(change + blank), timeout=0.5)
        assert sent in (blank, change + blank)  # only the newest reading counts: the blank may overtake the change
        assert far_end.nothing_more()
    finally:
        pole.close()


def test_the_numeric_line_holds_eight_digits_and_a_point() -> None:
    assert amount_frame(Lamp.RECEIVED, 99999999) == b"\x0c\x1bQA999999.99\r\x1bs3"
    assert amount_frame(Lamp.UNIT_PRICE, 5) == b"\x0c\x1bQA0.05\r\x1bs1"
    for fen in (100_000_000, -1):
        with pytest.raises(AmountTooLongError, match="8 digits"):
            amount_frame(Lamp.TOTAL, fen)


def test_a_missing_port_is_logged_once_and_found_again_when_plugged_in(tmp_path, caplog) -> None:
    caplog.set_level(logging.INFO, "kameng_desk.pole_display")
    link = tmp_path / "ttyUSB7"  # a name that points nowhere: the display is not plugged in
    pole = PoleDisplay(str(link), 9600)
    end = FarEnd()
    try:
        for fen in (100, 200, 300):
            started = time.monotonic()
            pole.show(Lamp.TOTAL, fen)
            assert time.monotonic() - started < 0.05  # the counter never waits for the display
            assert pole.idle()
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "ttyUSB7" in warnings[0].getMessage()
        link.symlink_to(end.device)  # plugged in
        pole.show(Lamp.TOTAL, 400)
        assert pole.idle()
        expected = b"\x1b@\x0c\x1bQA4.00\r\x1bs2"
        assert end.read(len(expected)) == expected
        assert "works again" in caplog.text
    finally:
        pole.close()
        end.close()
