"""Printer settings page and print-queue panel on a real store, a running PrintService and a network
printer played on loopback: set the printer up (owner PIN), watch waiting jobs print, preview, test page,
paper out, cancel and retry."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.printing import PrinterSettingsPage, PrintQueuePanel
from kameng_desk.gui.worker import DbWorker
from kameng_desk.printing import errors
from kameng_desk.printing.config import ConnectionSettings, PrinterConfig
from kameng_desk.printing.errors import PrintInterruptedError
from kameng_desk.printing.service import PrintService
from kameng_desk.usecases import printer_settings
from kameng_desk.usecases.sell import CartLine, sell_codes
from local_cache import Store, audit, print_jobs
from tests.factories import QB10, make_staff, seed_catalog
from tests.printing.escpos_decoder import decode
from tests.printing.fake_printer import FakePrinter

pytestmark = pytest.mark.gui


@pytest.fixture
def desk(qtbot, tmp_path):
    store = Store.open(tmp_path / "data")
    seed_catalog(store)
    owner = make_staff(store, pin="2468")
    printer = FakePrinter()
    service = PrintService(store, poll_seconds=0.05)
    worker = DbWorker(store)
    context = DeskContext(worker=worker, user=owner, printing=service)
    service.start()
    yield context, store, owner, printer
    service.stop()
    worker.stop()
    printer.close()
    store.close()


def rows(panel: PrintQueuePanel) -> list[list[str]]:
    table = panel.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def approve(qtbot, page, pin: str) -> None:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in page.findChildren(QDialog, "ownerDialog")))
    dialog = next(d for d in page.findChildren(QDialog, "ownerDialog") if d.isVisible())
    qtbot.keyClicks(dialog.pin, pin)
    dialog.accept()


def test_set_up_the_printer_and_watch_the_queue_drain(qtbot, desk) -> None:
    context, store, owner, printer = desk
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    panel, page = PrintQueuePanel(context), PrinterSettingsPage(context)
    qtbot.addWidget(panel)
    qtbot.addWidget(page)
    panel.refresh()
    page.refresh()
    qtbot.waitUntil(lambda: len(rows(panel)) == 2 and all("还没有设置打印机" in r[4] for r in rows(panel)))
    assert [r[1] for r in rows(panel)] == ["销售小票", "卡密凭证"]
    qtbot.waitUntil(lambda: page.preview.pixmap() is not None and not page.preview.pixmap().isNull())
    assert page.preview.pixmap().width() == 384 + 16  # 58 mm: 384 dots and the margins

    page.kind.setCurrentIndex(page.kind.findData("network"))
    page.host.setText("127.0.0.1")
    page.port.setValue(printer.port)
    page.paper.setCurrentIndex(page.paper.findData("80mm"))
    page.save_button.click()
    approve(qtbot, page, "2468")
    qtbot.waitUntil(lambda: page.result.text() == "打印机设置已保存。")
    qtbot.waitUntil(lambda: len(printer.jobs) == 2 and not panel.empty.isHidden() and rows(panel) == [], timeout=10000)
    assert max(decode(printer.jobs[0]).widths) > 32  # printed on the 80 mm profile just saved
    entry = next(e for e in audit.entries(store.conn()) if e.action == "settings")
    assert entry.approver_id == owner.id and entry.detail["where"] == f"127.0.0.1:{printer.port}"

    page.test_button.click()
    qtbot.waitUntil(lambda: len(printer.jobs) == 3, timeout=10000)
    assert any("打印测试页" in line for line in decode(printer.jobs[2]).lines)


def test_paper_out_shows_the_reason_cancel_and_retry_from_the_panel(qtbot, desk) -> None:
    context, store, owner, printer = desk
    page = PrinterSettingsPage(context)
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("network"))
    page.host.setText("127.0.0.1")
    page.port.setValue(printer.port)
    page.save_button.click()
    approve(qtbot, page, "2468")
    qtbot.waitUntil(lambda: page.result.text() == "打印机设置已保存。")

    printer.paper = False
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    panel = PrintQueuePanel(context)
    qtbot.addWidget(panel)
    context.printing.wake()
    qtbot.waitUntil(lambda: len(rows(panel)) == 2 and all(r[4].startswith("缺纸") for r in rows(panel)),
                    timeout=10000)
    panel.table.selectRow(0)
    assert not panel.retry_button.isEnabled() and panel.cancel_button.isEnabled()
    panel.cancel_button.click()
    qtbot.waitUntil(lambda: [r[1] for r in rows(panel)] == ["卡密凭证"])
    assert audit.entries(store.conn(), limit=1)[0].action == "print_cancel"

    with store.transaction() as conn:  # the card slip's connection broke while it was sending
        job = print_jobs.open_jobs(conn)[0]
        print_jobs.claim(conn, job.id)
        print_jobs.mark_failed(conn, job.id, PrintInterruptedError().reason, partly_printed=True)
    panel.refresh()
    qtbot.waitUntil(lambda: rows(panel) and rows(panel)[0][2] == "失败"
                    and rows(panel)[0][4].startswith("打印中连接断开"))
    panel.table.selectRow(0)
    assert panel.retry_button.isEnabled()
    printer.paper = True
    panel.retry_button.click()
    qtbot.waitUntil(lambda: panel.result.text() == "已重新排队，将印为重印。")  # part of it may be on paper
    qtbot.waitUntil(lambda: len(printer.jobs) == 1 and rows(panel) == [], timeout=10000)
    assert "重印 / COPY" in decode(printer.jobs[0]).lines[0]


def test_a_reworded_printer_message_changes_nothing_the_panel_shows(qtbot, desk, monkeypatch) -> None:
    """A job keeps why it waits as a code, not its error's English words (those are for the log): a release that
    rewords a message used to show the jobs an older one left waiting in English, not 缺纸."""
    context, store, owner, printer = desk
    printer_settings.save(store, PrinterConfig(ConnectionSettings("network", host="127.0.0.1", port=printer.port,
                                                                  timeout=5)), staff_id=owner.id, approver_id=owner.id)
    printer.paper = False
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    panel = PrintQueuePanel(context)
    qtbot.addWidget(panel)
    context.printing.wake()
    paper_out = "缺纸：装上新纸卷后会自动打印。"
    qtbot.waitUntil(lambda: len(rows(panel)) == 2 and all(r[4] == paper_out for r in rows(panel)), timeout=10000)
    context.printing.stop()  # the desk closes with the jobs waiting for paper

    monkeypatch.setattr(errors.PaperOutError, "__init__",  # the next release words it differently
                        lambda self: errors.PrinterNotReadyError.__init__(self, "Out of paper: put a roll in."))
    assert str(errors.PaperOutError()) == "Out of paper: put a roll in."
    panel.table.setRowCount(0)  # so the rows below are the reload's
    panel.refresh()
    qtbot.waitUntil(lambda: len(rows(panel)) == 2)
    assert [r[4] for r in rows(panel)] == [paper_out, paper_out]
