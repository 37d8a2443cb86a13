"""The shell around the counter: bundled font, one instance per folder, uncaught errors, the first-run wizard."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PySide6 import QtCore
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QRawFont
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from kameng_desk.gui import app as app_mod
from kameng_desk.gui.first_run_wizard import SetupWizard
from kameng_desk.gui.worker import DbWorker
from kameng_desk.paths import DeskPaths
from kameng_desk.usecases import first_run
from kameng_platform.console.portal_queries import pairing_link  # the console's QR text, as it makes it
from local_cache import Store, orders, settings, staff, sync_state
from local_cache.errors import KeyringUnavailableError
from tests.gui.conftest import log_in
from tests.platform.client import PlatformHarness

ROOT = app_mod.RESOURCES.parent


def test_bundled_font_draws_every_chinese_character_of_the_interface(qapp) -> None:
    assert app_mod.load_fonts(qapp) == "WenQuanYi Micro Hei"
    raw = QRawFont.fromFont(QFont("WenQuanYi Micro Hei", 11))
    assert raw.familyName() == "WenQuanYi Micro Hei"
    text = "".join(m.findtext("source") or "" for ts in (app_mod.RESOURCES / "translations" / "en").glob("*.ts")
                   for m in ET.parse(ts).iter("message"))
    han = {ch for ch in text if ord(ch) > 0x2E7F}
    assert len(han) > 200  # the interface really is Chinese
    tofu = sorted(ch for ch in han if not raw.supportsCharacter(ord(ch)))
    assert not tofu, f"no glyph for {tofu}"


CHILD = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from kameng_desk.instance_lock import acquire_instance_lock
app = QCoreApplication([])
lock = acquire_instance_lock(Path(sys.argv[1]))
print("locked" if lock else "refused", flush=True)
time.sleep(60 if lock else 0)
"""


def _child(folder) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(folder)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_one_instance_per_data_folder_and_a_crashed_instance_does_not_block(tmp_path) -> None:
    first = _child(tmp_path)
    try:
        assert first.stdout.readline().strip() == "locked"
        second = _child(tmp_path)
        assert second.stdout.readline().strip() == "refused"
        second.wait(10)
        other_folder = tmp_path / "other"
        other_folder.mkdir()
        third = _child(other_folder)
        assert third.stdout.readline().strip() == "locked"
        third.kill()
        third.wait(10)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    # The first one died without unlocking: its lock is stale, the next start goes ahead.
    after_crash = _child(tmp_path)
    assert after_crash.stdout.readline().strip() == "locked"
    after_crash.kill()
    after_crash.wait(10)


@pytest.mark.qt_no_exception_capture
def test_an_uncaught_error_after_a_sale_shows_a_dialog_logs_no_code_and_keeps_the_sale(
        qtbot, window, monkeypatch, caplog) -> None:
    win, session = window
    monkeypatch.setattr(sys, "excepthook", app_mod.report_uncaught)

    def broken_dialog(*args, **kwargs):
        raise RuntimeError("bug in the codes dialog")  # the message and this line must not reach the log
    monkeypatch.setattr("kameng_desk.gui.main_window.CodesDialog", broken_dialog)
    log_in(qtbot, win, "小李", "1234")
    qtbot.waitUntil(lambda: win.counter.grid.count() > 0)
    before = orders.count(session.store.conn())
    win.counter.add_product(win.counter.grid.item(0).data(Qt.ItemDataRole.UserRole))
    with caplog.at_level(logging.ERROR):
        qtbot.keyClick(win.counter.cash, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None
                        or any(b.objectName() == "uncaughtErrorBox" and b.isVisible()
                               for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox)))
    box = next(b for b in QApplication.topLevelWidgets()
               if isinstance(b, QMessageBox) and b.objectName() == "uncaughtErrorBox")
    assert "RuntimeError" in box.text()
    assert "uncaught RuntimeError" in caplog.text
    assert "bug in the codes dialog" not in caplog.text  # messages stay out: they could hold a code
    sale = win.counter.last_sale
    assert sale is not None
    stored = orders.get(session.store.conn(), sale.order.id)
    assert stored.state == "fulfilled" and len(sale.codes) == 1
    assert orders.count(session.store.conn()) == before + 1
    box.close()


@pytest.fixture
def fresh_store(tmp_path):
    store = Store.open(tmp_path / "new-shop")
    worker = DbWorker(store)
    yield store, worker
    worker.stop()
    store.close()


def _fill_shop(qtbot, wizard: SetupWizard, pin_again: str = "2468") -> None:
    page = wizard.shop
    page.shop_name.setText("星星网吧")  # QTest types ASCII only
    page.owner_name.setText("王老板")
    for field, text in ((page.pin, "2468"), (page.pin_again, pin_again)):
        field.clear()
        qtbot.keyClicks(field, text)


def test_first_run_creates_the_owner_and_pairs_after_a_wrong_code(qtbot, fresh_store, tmp_path) -> None:
    store, worker = fresh_store
    assert first_run.needs_setup(store)
    platform = PlatformHarness.start(f"sqlite:///{tmp_path / 'platform.db'}", codes_per_product=5)
    try:
        wizard = SetupWizard(worker)
        qtbot.addWidget(wizard)
        wizard.show()
        _fill_shop(qtbot, wizard, pin_again="1357")
        wizard.next()
        assert wizard.currentPage() is wizard.shop
        assert "不一致" in wizard.shop.message.text()
        _fill_shop(qtbot, wizard)
        wizard.next()
        assert wizard.currentPage() is wizard.platform
        qtbot.keyClicks(wizard.platform.url, platform.url)
        qtbot.keyClicks(wizard.platform.code, "WRONG-CODE")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: wizard.platform.message.text() != "" and wizard.platform.busy.isHidden(),
                        timeout=10_000)
        assert wizard.choice is None
        wizard.platform.code.clear()
        qtbot.keyClicks(wizard.platform.code, platform.first_code)
        wizard.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: wizard.choice == "ready", timeout=10_000)
    finally:
        platform.stop()
    conn = store.conn()
    people = staff.list_all(conn)
    assert [(p.name, p.role) for p in people] == [("王老板", "owner")]  # the retry did not create a second one
    staff.verify_pin(store, people[0].id, "2468")
    assert settings.get(conn, "shop_name") == "星星网吧"
    assert sync_state.get(conn, "terminal_id")
    assert not first_run.needs_setup(store)


def test_first_run_pairs_from_a_scan_of_the_consoles_pairing_qr(qtbot, fresh_store, tmp_path) -> None:
    """A 2-D scanner types the QR's text into the field that has the keyboard and presses Enter: both fields
    are filled from it and Enter finishes the wizard, pairing the counter."""
    store, worker = fresh_store
    platform = PlatformHarness.start(f"sqlite:///{tmp_path / 'platform.db'}", codes_per_product=5)
    try:
        wizard = SetupWizard(worker)
        qtbot.addWidget(wizard)
        wizard.show()
        _fill_shop(qtbot, wizard)
        wizard.next()
        wizard.platform.code.setFocus()
        qtbot.keyClicks(wizard.platform.code, pairing_link(platform.url, platform.first_code))
        qtbot.keyClick(wizard.platform.code, Qt.Key.Key_Return)
        assert (wizard.platform.url.text(), wizard.platform.code.text()) == (platform.url, platform.first_code)
        qtbot.waitUntil(lambda: wizard.choice == "ready", timeout=10_000)
    finally:
        platform.stop()
    assert sync_state.get(store.conn(), "platform_url") == platform.url.rstrip("/")


def test_first_run_can_skip_pairing_or_start_the_demo(qtbot, fresh_store) -> None:
    store, worker = fresh_store
    demo = SetupWizard(worker)
    qtbot.addWidget(demo)
    demo.show()
    demo.shop.demo_button.click()
    assert demo.choice == "demo"
    assert first_run.needs_setup(store)  # the demo leaves the real folder untouched

    wizard = SetupWizard(worker)
    qtbot.addWidget(wizard)
    wizard.show()
    _fill_shop(qtbot, wizard)
    wizard.next()
    wizard.platform.pair_later.setChecked(True)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.choice == "ready", timeout=10_000)
    assert not first_run.needs_setup(store)
    assert sync_state.get(store.conn(), "terminal_id") is None
    with pytest.raises(first_run.AlreadySetUpError):
        first_run.set_up_shop(store, first_run.ShopSetup("别的店", "别人", "1111", "1111"))


def test_a_store_that_cannot_open_is_explained_not_a_traceback(qapp, tmp_path, monkeypatch, capsys) -> None:
    def no_keyring(cls, *args, **kwargs):
        raise KeyringUnavailableError("keyring.backends.fail.Keyring")

    shown = []
    monkeypatch.setattr(Store, "open", classmethod(no_keyring))
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text: shown.append(text)))
    assert app_mod.run_app(DeskPaths.portable(tmp_path)) == 1
    assert shown and "无法打开本机数据库" in shown[0] and "keyring" in shown[0]
    assert "No secure keyring" in capsys.readouterr().err


def test_the_app_has_its_icon(qapp) -> None:
    app_mod.prepare_app()
    assert not qapp.windowIcon().isNull()
    assert (app_mod.RESOURCES / "icons" / "kameng-desk.ico").stat().st_size > 0  # for the .exe and installer


@pytest.mark.no_qt_log  # pytest-qt would capture Qt's messages itself
def test_qt_messages_go_to_the_app_log(qapp, caplog) -> None:
    from PySide6.QtCore import qWarning

    previous = app_mod.forward_qt_messages()
    try:
        with caplog.at_level(logging.INFO, logger="kameng_desk.qt"):
            qWarning("QFont: a font problem on this PC")
    finally:
        QtCore.qInstallMessageHandler(previous)
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("kameng_desk.qt", logging.WARNING, "QFont: a font problem on this PC")]
