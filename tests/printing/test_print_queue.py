"""The print queue end to end: a real encrypted store, the PrintService thread, and a network printer played
by a TCP server on loopback that also plays paper-out, cover-open and silence (DLE EOT replies)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kameng_desk.printing.config import ConnectionSettings, PrinterConfig
from kameng_desk.printing.connections import print_bytes
from kameng_desk.printing.errors import PrinterSettingsError, PrintInterruptedError
from kameng_desk.printing.service import JobEvent, PrintService
from kameng_desk.usecases import handover, history, print_queue, printer_settings
from kameng_desk.usecases.handover import CodesHandedOverError, void_sale
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, audit, codes, orders, print_jobs
from tests.factories import HF50, QB10, make_staff, secret_for, seed_catalog
from tests.printing.escpos_decoder import decode
from tests.printing.fake_printer import FakePrinter
from tests.printing.queue_helpers import jobs, reason_code, wait_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def printer():
    fake = FakePrinter()
    yield fake
    fake.close()



def use_network_printer(store: Store, staff_id: str, port: int) -> None:
    printer_settings.save(store, PrinterConfig(ConnectionSettings("network", host="127.0.0.1", port=port, timeout=5)),
                staff_id=staff_id, approver_id=staff_id)


def test_sale_prints_receipt_and_card_slips_after_paper_is_back(shop, printer) -> None:
    store, owner, _start = shop
    use_network_printer(store, owner.id, printer.port)
    printer.paper = False
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 2)])
    events: list[JobEvent] = []
    service = PrintService(store, poll_seconds=0.05)
    service.add_listener(events.append)
    service.start()
    try:
        wait_for(lambda: any(j.reason for j in jobs(store)))
        time.sleep(0.3)  # several polls while the paper is out
        waiting = jobs(store)
        assert [j.kind for j in waiting] == ["sale_receipt", "card_slip", "card_slip"]
        assert all(j.state == "queued" for j in waiting)
        assert reason_code(waiting[0]) == "paper_out" and waiting[0].attempts == 0
        assert printer.jobs == [] and printer.status_queries > 3
        assert any(e.state == "waiting" and e.reason.code == "paper_out" for e in events)

        printer.paper = True
        service.wake()
        wait_for(lambda: len(printer.jobs) == 3 and not jobs(store))
    finally:
        service.stop()
    receipt, *slips = (decode(job) for job in printer.jobs)
    assert any(sale.order.number in line for line in receipt.lines)
    secrets = sorted(next(line for line in s.lines if "SECRET" in line).strip() for s in slips)
    assert secrets == sorted(c.card_secret for c in sale.codes)
    assert [e.state for e in events if e.state != "waiting"] == ["printing", "done"] * 3
    printed = [e for e in audit.entries(store.conn()) if e.action == "print"]
    assert len(printed) == 2 and all(e.subject == sale.order.id for e in printed)  # the two card slips


def test_cover_open_and_unplugged_printer_leave_the_job_queued_with_the_reason(shop, printer) -> None:
    store, owner, start = shop
    use_network_printer(store, owner.id, printer.port)
    printer.cover_open = True
    record_topup(store, staff_id=owner.id, product_id=HF50.id, account="13812345678")
    start()
    wait_for(lambda: reason_code(jobs(store)[0]) == "cover_open")
    printer.close()  # now nothing listens on the port
    wait_for(lambda: reason_code(jobs(store)[0]) == "unreachable"
             and jobs(store)[0].reason.fields["where"].startswith("127.0.0.1"))
    job = jobs(store)[0]
    assert job.state == "queued" and job.kind == "topup_receipt" and job.attempts == 0


def test_a_printer_that_does_not_answer_status_still_prints(shop, printer) -> None:
    store, owner, start = shop
    use_network_printer(store, owner.id, printer.port)
    printer.answers_status = False
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    start()
    wait_for(lambda: len(printer.jobs) == 2 and not jobs(store))


def test_jobs_wait_for_a_printer_and_survive_a_restart(tmp_path, printer) -> None:
    store = Store.open(tmp_path / "data")
    seed_catalog(store)
    owner = make_staff(store)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    service = PrintService(store, poll_seconds=0.05)
    service.start()
    wait_for(lambda: all(reason_code(j) == "no_printer" for j in jobs(store)))
    service.stop()
    store.close()

    store = Store.open(tmp_path / "data")  # the desk restarts, then the printer is set up
    assert [j.kind for j in jobs(store)] == ["sale_receipt", "card_slip"]
    use_network_printer(store, owner.id, printer.port)
    service = PrintService(store, poll_seconds=0.05)
    service.start()
    try:
        wait_for(lambda: len(printer.jobs) == 2 and not jobs(store))
    finally:
        service.stop()
    assert secret_for(QB10.id, 0) in decode(printer.jobs[1]).text
    assert sale.codes[0].card_secret == secret_for(QB10.id, 0)
    store.close()


def test_interrupted_job_fails_visibly_and_a_retry_prints_a_copy(shop, printer) -> None:
    store, owner, start = shop
    use_network_printer(store, owner.id, printer.port)
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])

    def cable_pulled(settings, data, *, before_send, job_name) -> None:
        before_send()
        raise PrintInterruptedError()
    service = start(send=cable_pulled)
    wait_for(lambda: {j.state for j in jobs(store)} == {"failed"})
    service.stop()
    failed = jobs(store)
    assert all(reason_code(j) == "interrupted" and j.attempts == 1 for j in failed)

    for job in failed:
        print_queue.retry_job(store, job.id, staff_id=owner.id)
    start()
    wait_for(lambda: len(printer.jobs) == 2 and not jobs(store))
    assert all("重印 / COPY" in decode(job).lines[0] for job in printer.jobs)
    assert [e.action for e in audit.entries(store.conn())].count("print_retry") == 2


def test_a_job_that_failed_before_sending_prints_as_the_original_after_a_retry(shop, printer) -> None:
    store, owner, start = shop
    use_network_printer(store, owner.id, printer.port)
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])

    def refused_at_once(settings, data, *, before_send, job_name) -> None:
        raise PrintInterruptedError()  # before a byte went out
    service = start(send=refused_at_once)
    wait_for(lambda: {j.state for j in jobs(store)} == {"failed"})
    service.stop()
    for job in jobs(store):
        print_queue.retry_job(store, job.id, staff_id=owner.id)
    start()
    wait_for(lambda: len(printer.jobs) == 2 and not jobs(store))
    assert not any("COPY" in line for job in printer.jobs for line in decode(job).lines)


def test_a_job_cut_off_by_a_crash_prints_again_as_a_copy(shop, printer) -> None:
    store, owner, start = shop
    use_network_printer(store, owner.id, printer.port)
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    with store.transaction() as conn:
        print_jobs.claim(conn, jobs(store)[0].id)  # the process died while this one printed
    start()
    wait_for(lambda: len(printer.jobs) == 2 and not jobs(store))
    copies = ["重印 / COPY" in decode(job).lines[0] for job in printer.jobs]
    assert sorted(copies) == [False, True]


def test_cancel_is_audited_and_the_job_leaves_the_queue(shop) -> None:
    store, owner, _ = shop
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    receipt = jobs(store)[0]
    print_queue.cancel_job(store, receipt.id, staff_id=owner.id)
    assert [j.kind for j in jobs(store)] == ["card_slip"]
    entry = audit.entries(store.conn(), limit=1)[0]
    assert (entry.action, entry.subject, entry.detail["kind"]) == ("print_cancel", sale.order.id, "sale_receipt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO to stand in for a printer device")
def test_file_connection_writes_to_a_device_never_to_a_plain_file(shop, tmp_path) -> None:
    store, owner, start = shop
    plain = tmp_path / "slips.bin"
    plain.write_bytes(b"")
    printer_settings.save(store, PrinterConfig(ConnectionSettings("file", device=str(plain))), staff_id=owner.id,
                approver_id=owner.id)
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    start()
    wait_for(lambda: jobs(store)[0].reason == PrinterSettingsError("not_a_device", path=str(plain)).reason)
    assert plain.read_bytes() == b""

    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    printer_settings.save(store, PrinterConfig(ConnectionSettings("file", device=str(fifo))), staff_id=owner.id,
                approver_id=owner.id)
    received = bytearray()
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        def drained() -> bool:
            with contextlib.suppress(BlockingIOError):
                received.extend(os.read(reader, 65536))
            return not jobs(store)
        wait_for(drained)
        while chunk := os.read(reader, 65536):
            received.extend(chunk)
    finally:
        os.close(reader)
    assert secret_for(QB10.id, 0) in decode(bytes(received)).text
    assert Path(fifo).stat().st_size == 0


def test_a_printed_card_slip_hands_its_code_over_so_the_sale_cannot_be_voided(shop, printer) -> None:
    """Once a slip with the secret went to the printer the customer may have it: voiding would sell it again."""
    store, owner, start = shop
    use_network_printer(store, owner.id, printer.port)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    assert history.detail(store.conn(), sale.order.id).voidable  # nothing of it has left yet
    start()
    wait_for(lambda: len(printer.jobs) == 2 and not jobs(store))
    assert orders.codes_handed_over_at(store.conn(), sale.order.id) is not None
    with pytest.raises(CodesHandedOverError):
        void_sale(store, order_id=sale.order.id, staff_id=owner.id, approver_id=owner.id)
    assert orders.get(store.conn(), sale.order.id).state == "fulfilled"
    assert codes.for_order(store.conn(), sale.order.id)[0].state == "sold"
    assert not history.detail(store.conn(), sale.order.id).voidable
    nxt = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    assert nxt.codes[0].card_secret != sale.codes[0].card_secret


def test_a_void_cancels_the_sales_slips_waiting_for_paper(shop, printer) -> None:
    """Paper out: sell, void, sell the same code again, paper back in: only the second sale's slip prints."""
    store, owner, start = shop
    use_network_printer(store, owner.id, printer.port)
    printer.paper = False
    service = start()
    first = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    wait_for(lambda: all(reason_code(j) == "paper_out" for j in jobs(store)))
    void_sale(store, order_id=first.order.id, staff_id=owner.id, approver_id=owner.id)
    assert not [j for j in jobs(store) if j.order_id == first.order.id]
    assert audit.entries(store.conn(), limit=1)[0].detail["slips_cancelled"] == 2
    second = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    assert second.codes[0].id == first.codes[0].id  # never handed over, so back on sale
    printer.paper = True
    service.wake()
    wait_for(lambda: len(printer.jobs) == 2 and not jobs(store))
    printed = [decode(job).text for job in printer.jobs]
    assert sum(first.codes[0].card_secret in text for text in printed) == 1
    assert all(first.order.number not in text for text in printed)


def test_a_slip_whose_sale_was_voided_after_it_was_picked_is_not_sent(shop, printer, caplog) -> None:
    store, owner, start = shop
    use_network_printer(store, owner.id, printer.port)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    print_queue.cancel_job(store, jobs(store)[0].id, staff_id=owner.id)  # only the card slip is left

    def void_then_send(settings, data, *, before_send, job_name) -> None:
        # The owner voids on the GUI thread between the print thread picking the job and claiming it.
        void_sale(store, order_id=sale.order.id, staff_id=owner.id, approver_id=owner.id)
        print_bytes(settings, data, before_send=before_send, job_name=job_name)
    start(send=void_then_send)
    wait_for(lambda: not jobs(store))
    time.sleep(0.2)
    assert printer.jobs == [] and orders.get(store.conn(), sale.order.id).state == "voided"
    assert orders.codes_handed_over_at(store.conn(), sale.order.id) is None
    assert "step failed" not in caplog.text


@pytest.mark.skipif(not hasattr(os, "mkfifo") or not hasattr(signal, "SIGKILL"), reason="needs a FIFO and SIGKILL")
def test_a_desk_killed_while_sending_a_card_slip_has_handed_its_code_over(tmp_path) -> None:
    """A real desk process is SIGKILLed while the slip's bytes are on their way (the printer device is full, so
    the write cannot finish): after the restart the sale cannot be voided and the slip prints again as a COPY."""
    store = Store.open(tmp_path / "data")
    seed_catalog(store)
    owner = make_staff(store)
    device = tmp_path / "lp0"
    os.mkfifo(device)
    reader = os.open(device, os.O_RDONLY | os.O_NONBLOCK)
    writer = os.open(device, os.O_WRONLY | os.O_NONBLOCK)
    with contextlib.suppress(BlockingIOError):
        while True:  # a printer that takes nothing more: the desk's write blocks once it starts
            os.write(writer, b"\0" * 4096)
    os.close(writer)
    printer_settings.save(store, PrinterConfig(ConnectionSettings("file", device=str(device))), staff_id=owner.id,
                approver_id=owner.id)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    print_queue.cancel_job(store, jobs(store)[0].id, staff_id=owner.id)  # the card slip goes first
    key_hex = store._key.hex()
    store.close()
    env = dict(os.environ, KAMENG_TEST_DB_KEY=key_hex, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-m", "tests.printing.print_child", str(tmp_path / "data")],
                             stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        store = Store.open(tmp_path / "data")
        wait_for(lambda: jobs(store)[0].state == "printing")
        time.sleep(0.2)
        assert child.poll() is None  # still stuck in the write
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()
    store.close()

    store = Store.open(tmp_path / "data")  # the desk restarts
    try:
        assert orders.codes_handed_over_at(store.conn(), sale.order.id) is not None
        with pytest.raises(CodesHandedOverError):
            handover.check_voidable(store.conn(), sale.order.id)
        service = PrintService(store, poll_seconds=0.05)
        received = bytearray()

        def drained() -> bool:
            with contextlib.suppress(BlockingIOError):
                received.extend(os.read(reader, 65536))
            return not jobs(store)
        service.start()
        try:
            wait_for(drained)
        finally:
            service.stop()
        while chunk := os.read(reader, 65536):
            received.extend(chunk)
        copy = decode(bytes(received).lstrip(b"\0"))  # after what the full device held before
        assert "重印 / COPY" in copy.lines[0] and sale.codes[0].card_secret in copy.text
    finally:
        os.close(reader)
        store.close()
