"""`kameng-desk audit-verify / rekey / backup / restore` on a real data folder."""

from __future__ import annotations

import io
import json

import pytest

from kameng_desk import __version__
from kameng_desk.cli import main
from local_cache import Store, audit, settings


@pytest.fixture
def folder(tmp_path):
    store = Store.open(tmp_path / "data")
    with store.transaction() as conn:
        settings.put(conn, "shop_name", "星星网吧")
        for n in range(3):
            audit.append(conn, "settings_change", staff_id="s1", detail={"n": n})
    store.close()
    return tmp_path / "data"


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


def test_rekey_backup_restore_round_trip(folder, tmp_path, monkeypatch, capsys) -> None:
    assert main(["--data-dir", str(folder), "rekey"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough passphrase\n"))
    assert main(["--data-dir", str(folder), "backup", str(tmp_path / "b.kmbak"), "--passphrase-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough passphrase\n"))
    target = tmp_path / "other"
    assert main(["--data-dir", str(target), "restore", str(tmp_path / "b.kmbak"), "--passphrase-stdin"]) == 0
    store = Store.open(target)
    assert settings.get(store.conn(), "shop_name") == "星星网吧"
    store.close()


def test_store_errors_are_one_clear_line(folder, memory_keyring, capsys) -> None:
    for (service, entry) in list(memory_keyring._items):
        memory_keyring.delete_password(service, entry)
    assert main(["--data-dir", str(folder), "audit-verify"]) == 1
    err = capsys.readouterr().err
    assert "not in the system keyring" in err and "Traceback" not in err
