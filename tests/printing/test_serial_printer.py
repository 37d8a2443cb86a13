"""A serial receipt printer (COM port / /dev/ttyUSB0) end to end: the PrintService opens a real pseudo-terminal
with pyserial through python-escpos, asks the printer's status with DLE EOT, and sends the slips."""

from __future__ import annotations

import os

import pytest

from kameng_desk.printing import connections
from kameng_desk.printing.config import ConnectionSettings, PrinterConfig
from kameng_desk.printing.errors import PaperOutError
from kameng_desk.usecases import printer_settings
from kameng_desk.usecases.sell import CartLine, sell_codes
from tests.factories import QB10, secret_for
from tests.printing.escpos_decoder import decode
from tests.printing.fake_printer import FakeSerialPrinter
from tests.printing.queue_helpers import jobs, wait_for

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="pseudo-terminals are POSIX")
CUT = b"\x1dV"


@pytest.fixture
def serial_printer():
    fake = FakeSerialPrinter()
    yield fake
    fake.close()


def use_serial_printer(store, staff_id: str, device: str) -> None:
    printer_settings.save(store, PrinterConfig(ConnectionSettings("serial", device=device, baudrate=9600, timeout=5)),
                staff_id=staff_id, approver_id=staff_id)


def test_a_sale_prints_over_a_serial_port_once_paper_is_back(serial_printer, shop, monkeypatch) -> None:
    # Each one-byte status answer is taken as it arrives: python-escpos' 16-byte read waited out the port's
    # timeout on every query (3 s before each slip), which at 60 s would fail this test's 10 s waits.
    monkeypatch.setattr(connections, "STATUS_TIMEOUT", 60.0)
    store, owner, start = shop
    use_serial_printer(store, owner.id, serial_printer.device)
    serial_printer.paper = False
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    start()
    wait_for(lambda: jobs(store) and all(j.reason == PaperOutError().reason for j in jobs(store)))
    assert serial_printer.status_queries > 0 and serial_printer.data() == b""  # asked, nothing sent
    serial_printer.paper = True
    wait_for(lambda: not jobs(store) and serial_printer.data().count(CUT) == 2)
    printed = decode(serial_printer.data())
    assert secret_for(QB10.id, 0) in printed.text  # the card slip, whole, after the receipt


def test_a_serial_port_that_is_not_there_keeps_the_job_waiting(shop, tmp_path) -> None:
    store, owner, start = shop
    use_serial_printer(store, owner.id, str(tmp_path / "ttyUSB9"))
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    start()
    wait_for(lambda: jobs(store) and all(j.reason and "ttyUSB9" in j.reason.fields.get("where", "")
                                         for j in jobs(store)))
    assert {j.state for j in jobs(store)} == {"queued"}  # waits, visible, nothing lost
