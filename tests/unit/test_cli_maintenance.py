"""`kameng-desk audit-verify / rekey / backup / restore` on a real data folder.

Backup, restore and rekey need an owner's PIN on the command line as in the settings screen (the PIN and then
the passphrase come as lines of stdin here, as from a script; on a terminal getpass asks)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kameng_desk import __version__
from kameng_desk.cli import main
from local_cache import Store, audit, settings
from local_cache.keystore import SERVICE
from tests.factories import make_staff

ROOT = Path(__file__).resolve().parents[2]
OWNER_PIN, CASHIER_PIN = "2468", "1234"
PASSPHRASE = "long enough passphrase"


@pytest.fixture
def folder(tmp_path):
    store = Store.open(tmp_path / "data")
    make_staff(store, "王老板", "owner", OWNER_PIN)
    make_staff(store, "小李", "cashier", CASHIER_PIN)
    with store.transaction() as conn:
        settings.put(conn, "shop_name", "星星网吧")
        for n in range(3):
            audit.append(conn, "settings_change", staff_id="s1", detail={"n": n})
    store.close()
    return tmp_path / "data"


def run(monkeypatch, args: list[str], *stdin_lines: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in stdin_lines)))
    return main(args)


def last_entry(folder) -> audit.AuditEntry:
    store = Store.open(folder)
    try:
        return audit.entries(store.conn(), limit=1)[0]
    finally:
        store.close()


def actions(folder) -> list[str]:
    store = Store.open(folder)
    try:
        return [e.action for e in audit.entries(store.conn())]
    finally:
        store.close()


def staff_id(folder, name: str) -> str:
    from local_cache import staff

    store = Store.open(folder)
    try:
        return next(s.id for s in staff.list_all(store.conn()) if s.name == name)
    finally:
        store.close()


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and __version__ in capsys.readouterr().out


def test_audit_verify_ok_then_tampered(folder, capsys) -> None:
    assert main(["--data-dir", str(folder), "audit-verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"ok": True, "checked": 3, "problem": None, "seq": None}
    store = Store.open(folder)
    store.conn().execute("DROP TRIGGER audit_log_no_update")
    store.conn().execute("UPDATE audit_log SET detail = '{}' WHERE seq = 2")
    store.close()
    assert main(["--data-dir", str(folder), "audit-verify"]) == 1
    assert "TAMPERED" in capsys.readouterr().out


def test_backup_without_a_pin_is_refused(folder, tmp_path, monkeypatch, capsys) -> None:
    target = tmp_path / "b.kmbak"
    assert run(monkeypatch, ["--data-dir", str(folder), "backup", str(target)], "", PASSPHRASE) == 1
    assert "owner's PIN" in capsys.readouterr().err
    assert not target.exists() and "backup" not in actions(folder)


def test_backup_with_the_owners_pin_is_written_and_audited(folder, tmp_path, monkeypatch) -> None:
    target = tmp_path / "b.kmbak"
    assert run(monkeypatch, ["--data-dir", str(folder), "backup", str(target)], OWNER_PIN, PASSPHRASE) == 0
    assert target.exists()
    owner = staff_id(folder, "王老板")
    entry = last_entry(folder)
    assert (entry.action, entry.staff_id, entry.approver_id, entry.detail) == (
        "backup", owner, owner, {"file": str(target)})


def test_a_cashiers_pin_does_not_back_up(folder, tmp_path, monkeypatch, capsys) -> None:
    target = tmp_path / "b.kmbak"
    # Named as the approver: refused for the role, before any PIN check.
    args = ["--data-dir", str(folder), "backup", str(target)]
    assert run(monkeypatch, [*args, "--owner", "小李"], CASHIER_PIN, PASSPHRASE) == 1
    assert "Only the owner" in capsys.readouterr().err
    # Typed for the owner: a wrong PIN, counted against the owner's lockout.
    assert run(monkeypatch, args, CASHIER_PIN, PASSPHRASE) == 1
    err = capsys.readouterr().err
    assert "Wrong PIN" in err and "Traceback" not in err
    assert not target.exists() and "backup" not in actions(folder)


def test_wrong_pins_on_the_command_line_lock_the_owner_as_at_the_counter(folder, tmp_path, monkeypatch,
                                                                         capsys) -> None:
    args = ["--data-dir", str(folder), "backup", str(tmp_path / "b.kmbak")]
    for _ in range(20):
        assert run(monkeypatch, args, "0000", PASSPHRASE) == 1
        if "Wrong PIN" not in capsys.readouterr().err:  # "… N attempt(s) left", until the lock answers instead
            break
    else:
        pytest.fail("twenty wrong PINs never locked the owner")
    assert run(monkeypatch, args, OWNER_PIN, PASSPHRASE) == 1  # now even the right PIN waits
    err = capsys.readouterr().err
    assert "locked" in err and "Wrong PIN" not in err and not (tmp_path / "b.kmbak").exists()


def test_rekey_needs_the_owners_pin_and_is_audited(folder, monkeypatch, memory_keyring, capsys) -> None:
    store = Store.open(folder)
    entry_name, store_key = store.secrets.entry("db-key"), store._key
    store.close()
    for pin in ("", CASHIER_PIN):
        assert run(monkeypatch, ["--data-dir", str(folder), "rekey"], pin) == 1
    assert bytes.fromhex(memory_keyring.get_password(SERVICE, entry_name)) == store_key  # not rotated
    assert run(monkeypatch, ["--data-dir", str(folder), "rekey"], OWNER_PIN) == 0
    assert bytes.fromhex(memory_keyring.get_password(SERVICE, entry_name)) != store_key
    owner = staff_id(folder, "王老板")
    entry = last_entry(folder)
    assert (entry.action, entry.staff_id, entry.approver_id, entry.detail) == ("rekey", owner, owner, {})


def test_restore_over_the_shops_data_needs_its_owners_pin(folder, tmp_path, monkeypatch, capsys) -> None:
    backup_file = tmp_path / "b.kmbak"
    assert run(monkeypatch, ["--data-dir", str(folder), "backup", str(backup_file)], OWNER_PIN, PASSPHRASE) == 0
    store = Store.open(folder)
    with store.transaction() as conn:
        settings.put(conn, "shop_name", "后来的名字")
    store.close()
    args = ["--data-dir", str(folder), "restore", str(backup_file)]
    for pin in ("", CASHIER_PIN):
        assert run(monkeypatch, args, pin, PASSPHRASE) == 1
    store = Store.open(folder)
    assert settings.get(store.conn(), "shop_name") == "后来的名字"  # nothing was replaced
    store.close()
    assert not list(folder.glob("kameng.db.before-restore-*"))
    assert run(monkeypatch, args, OWNER_PIN, PASSPHRASE) == 0
    store = Store.open(folder)
    try:
        assert settings.get(store.conn(), "shop_name") == "星星网吧"
        entry = audit.entries(store.conn(), limit=1)[0]
        assert (entry.action, entry.detail) == ("restore", {"file": str(backup_file)})
        assert entry.approver_id == staff_id_in(store, "王老板") and audit.verify(store.conn()).ok
    finally:
        store.close()


def staff_id_in(store: Store, name: str) -> str:
    from local_cache import staff

    return next(s.id for s in staff.list_all(store.conn()) if s.name == name)


def test_rekey_backup_restore_round_trip_into_a_new_folder(folder, tmp_path, monkeypatch, capsys) -> None:
    assert run(monkeypatch, ["--data-dir", str(folder), "rekey"], OWNER_PIN) == 0
    backup_file = tmp_path / "b.kmbak"
    assert run(monkeypatch, ["--data-dir", str(folder), "backup", str(backup_file), "--passphrase-stdin"],
               OWNER_PIN, PASSPHRASE) == 0
    target = tmp_path / "other"
    args = ["--data-dir", str(target), "restore", str(backup_file)]
    # A new PC: an owner of the backup approves; a wrong PIN leaves the folder without a database.
    assert run(monkeypatch, args, CASHIER_PIN, PASSPHRASE) == 1
    assert "Wrong PIN" in capsys.readouterr().err and not (target / "kameng.db").exists()
    assert run(monkeypatch, args, OWNER_PIN, PASSPHRASE) == 0
    store = Store.open(target)
    try:
        assert settings.get(store.conn(), "shop_name") == "星星网吧"
        entry = audit.entries(store.conn(), limit=1)[0]
        assert entry.action == "restore" and entry.approver_id == staff_id_in(store, "王老板")
    finally:
        store.close()


def test_a_mistyped_backup_name_changes_nothing(folder, tmp_path, monkeypatch, capsys) -> None:
    missing = tmp_path / "no-such.kmbak"
    assert run(monkeypatch, ["--data-dir", str(folder), "restore", str(missing)], OWNER_PIN, PASSPHRASE) == 1
    assert "no backup file" in capsys.readouterr().err and not missing.exists()
    store = Store.open(folder)
    assert settings.get(store.conn(), "shop_name") == "星星网吧"
    store.close()


def test_store_errors_are_one_clear_line(folder, memory_keyring, capsys) -> None:
    for (service, entry) in list(memory_keyring._items):
        memory_keyring.delete_password(service, entry)
    assert main(["--data-dir", str(folder), "audit-verify"]) == 1
    err = capsys.readouterr().err
    assert "not in the system keyring" in err and "Traceback" not in err


HOLD_LOCK = """
import sys, time
from pathlib import Path
from kameng_desk.instance_lock import acquire_instance_lock
lock = acquire_instance_lock(Path(sys.argv[1]))
print("locked" if lock else "refused", flush=True)
time.sleep(60)
"""


def test_rekey_and_restore_wait_for_the_running_counter_to_close(folder, tmp_path, monkeypatch, memory_keyring,
                                                                  capsys) -> None:
    backup_file = tmp_path / "b.kmbak"
    assert run(monkeypatch, ["--data-dir", str(folder), "backup", str(backup_file)], OWNER_PIN, PASSPHRASE) == 0
    before = dict(memory_keyring._items)
    counter = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(folder)], stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert counter.stdout.readline().strip() == "locked"  # as a running counter holds it
        assert run(monkeypatch, ["--data-dir", str(folder), "rekey"], OWNER_PIN) == 1
        assert run(monkeypatch, ["--data-dir", str(folder), "restore", str(backup_file)], OWNER_PIN,
                   PASSPHRASE) == 1
        assert capsys.readouterr().err.count("The counter is running") == 2
        assert memory_keyring._items == before and not list(folder.glob("kameng.db.before-restore-*"))
    finally:
        counter.kill()
        counter.wait(10)
    assert run(monkeypatch, ["--data-dir", str(folder), "rekey"], OWNER_PIN) == 0  # its lock died with it
