"""Settings in the back office: every change needs an owner's PIN, language switches live, backups open."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog

from kameng_desk.gui.i18n import switch_language
from kameng_desk.usecases import shop_admin
from local_cache import Store, audit, backup, staff
from tests.gui.conftest import approve_as_owner, log_in, open_settings


def test_a_cashier_changes_settings_only_with_the_owners_pin(qtbot, window) -> None:
    win, session = window
    page = open_settings(qtbot, win).general
    qtbot.waitUntil(lambda: page.current.shop_name == "演示网吧" and page.auto_lock.value() == 5)
    page.shop_name.setText("星星网吧")
    page.auto_lock.setValue(2)
    page.save_button.click()
    approve_as_owner(qtbot, win, "0000")
    qtbot.waitUntil(lambda: "PIN" in page.result.text())
    assert shop_admin.load(session.store.conn()).shop_name == "演示网吧"  # a wrong PIN changes nothing
    page.save_button.click()
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: page.result.text() == "已保存。")
    assert shop_admin.load(session.store.conn()).shop_name == "星星网吧"
    assert win.idle.interval() == 2 * 60_000
    entry = audit.entries(session.store.conn(), limit=1)[0]
    cashier = next(s for s in staff.list_all(session.store.conn()) if s.name == "小李")
    assert entry.action == "settings" and entry.staff_id == cashier.id and entry.approver_id != cashier.id


def test_language_switches_live_and_everyone_logs_in_again(qtbot, window) -> None:
    win, _ = window
    page = open_settings(qtbot, win).general
    qtbot.waitUntil(lambda: page.shop_name.text() == "演示网吧")
    page.language.setCurrentIndex(page.language.findData("en"))
    page.save_button.click()
    approve_as_owner(qtbot, win, "8888")
    try:
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.login and win.windowTitle() == "Kameng Desk")
        log_in(qtbot, win, "小李", "1234")
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
        assert win.counter.backoffice_button.text() == "Back office (F10)"
        # "&&" shows one "&": a single "&" is a mnemonic and ate the next letter ("Shop _language").
        assert win.settings.tabText(0) == "Shop && language" and win.settings.tabText(4) == "Backup && keys"
    finally:
        switch_language("zh_CN")
    assert QCoreApplication.translate("MainWindow", "卡盟收银台") == "卡盟收银台"


def test_owner_adds_a_cashier_and_writes_a_backup_that_opens(qtbot, window, tmp_path) -> None:
    win, session = window
    settings = open_settings(qtbot, win)
    settings.setCurrentWidget(settings.staff)
    settings.staff.add_button.click()
    dialog = next(d for d in settings.findChildren(QDialog) if d.objectName() == "staffDialog")
    dialog.name.setText("小张")
    qtbot.keyClicks(dialog.pin, "5555")
    dialog.accept()
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: settings.staff.table.rowCount() == 3)
    assert any(s.name == "小张" and not s.is_owner for s in staff.list_all(session.store.conn()))

    data = settings.data
    target = tmp_path / "backup.db"
    data.file.setText(str(target))
    qtbot.keyClicks(data.passphrase, "correct horse")
    qtbot.keyClicks(data.passphrase_again, "correct horse")
    data.backup_button.click()
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: data.result.text().startswith("备份已写入"), timeout=10_000)
    assert b"SQLite format 3" not in target.read_bytes()[:16]  # encrypted on disk
    # The entry kameng_desk.usecases.maintenance writes for `kameng-desk backup` too; here the cashier asked.
    entry = audit.entries(session.store.conn(), limit=1)[0]
    cashier = next(s for s in staff.list_all(session.store.conn()) if s.name == "小李")
    assert (entry.action, entry.staff_id, entry.detail) == ("backup", cashier.id, {"file": str(target)})
    assert staff.get(session.store.conn(), entry.approver_id).is_owner
    restored_dir = tmp_path / "restored"
    backup.restore(restored_dir, target, "correct horse")
    copy = Store.open(restored_dir)
    try:
        assert any(s.name == "小张" for s in staff.list_all(copy.conn()))
    finally:
        copy.close()


def test_restore_brings_the_backup_back_and_records_itself_in_it(qtbot, window, tmp_path) -> None:
    win, session = window
    target = tmp_path / "before.db"
    backup.backup(session.store, target, "correct horse")
    owner = next(s for s in staff.list_all(session.store.conn()) if s.is_owner)
    shop_admin.add_staff(session.store, name="后来的人", role="cashier", pin="5555", staff_id=owner.id,
                         approver_id=owner.id)
    session.store.close_thread_connection()
    data = open_settings(qtbot, win).data
    data.file.setText(str(target))
    qtbot.keyClicks(data.passphrase, "correct horse")
    data.restore_button.click()
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: data.result.text().startswith("已恢复"), timeout=10_000)
    conn = session.store.conn()  # the folder's key opens the restored file
    assert not any(s.name == "后来的人" for s in staff.list_all(conn))
    entry = audit.entries(conn, limit=1)[0]
    assert (entry.action, entry.approver_id, entry.detail) == ("restore", owner.id, {"file": str(target)})
    assert audit.verify(conn).ok


def test_rekey_from_settings_needs_the_owners_pin_and_writes_the_shared_entry(qtbot, window) -> None:
    win, session = window
    data = open_settings(qtbot, win).data
    key = session.store._key
    data.rekey_button.click()
    approve_as_owner(qtbot, win, "1234")  # the cashier's own PIN typed for the owner
    qtbot.waitUntil(lambda: "PIN" in data.result.text(), timeout=10_000)
    assert session.store._key == key
    data.rekey_button.click()
    approve_as_owner(qtbot, win, "8888")
    qtbot.waitUntil(lambda: data.result.text().startswith("数据库密钥已更换"), timeout=10_000)
    assert session.store._key != key
    conn = session.store.conn()
    entry = audit.entries(conn, limit=1)[0]
    cashier = next(s for s in staff.list_all(conn) if s.name == "小李")
    assert (entry.action, entry.staff_id, entry.detail) == ("rekey", cashier.id, {})
    assert staff.get(conn, entry.approver_id).is_owner
