"""Key rotation interrupted at every step recovers; backup and restore under a passphrase."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from local_cache import Store, rekey, settings
from local_cache import backup as backup_mod
from local_cache.errors import BackupError
from local_cache.keystore import SERVICE


class Crash(Exception):
    """Stands for the process dying at this point."""


def write_marker(store: Store, value: str) -> None:
    with store.transaction() as conn:
        settings.put(conn, "marker", value)


def read_marker(data_dir: Path) -> str:
    store = Store.open(data_dir)
    try:
        assert store.integrity_check() == "ok"
        return settings.get(store.conn(), "marker")
    finally:
        store.close()


def test_rekey_changes_the_key_and_keeps_data(tmp_path: Path, memory_keyring) -> None:
    store = Store.open(tmp_path)
    write_marker(store, "before")
    old_key = store._key
    rekey.rekey(store)
    write_marker(store, "after")  # the store keeps working under the new key
    store.close()
    assert store.secrets.db_key() != old_key
    assert store.secrets.pending_db_key() is None
    assert read_marker(tmp_path) == "after"
    assert not (tmp_path / "kameng.db.rekey").exists()


STEPS = [
    # (what to break, how) — each stands for a crash right before that step completes
    ("export", "local_cache.rekey.export_to"),
    ("swap", "local_cache.rekey.os.replace"),
    ("keyring current", "local_cache.keystore.Secrets.set_db_key"),
    ("clear pending", "local_cache.keystore.Secrets.clear_pending_db_key"),
]


@pytest.mark.parametrize(("step", "target"), STEPS, ids=[s for s, _ in STEPS])
def test_rekey_interrupted_at_each_step_recovers(tmp_path: Path, monkeypatch, step: str, target: str) -> None:
    store = Store.open(tmp_path)
    write_marker(store, "kept")
    secrets_ = store.secrets

    def crash(*args, **kwargs):
        raise Crash(step)

    with monkeypatch.context() as m:
        m.setattr(target, crash)
        with pytest.raises(Crash):
            rekey.rekey(store)
    store.close_thread_connection()
    assert read_marker(tmp_path) == "kept"  # reopening finishes or abandons the rotation
    assert secrets_.pending_db_key() is None
    assert not (tmp_path / "kameng.db.rekey").exists()
    # And a later rotation still works.
    again = Store.open(tmp_path)
    rekey.rekey(again)
    again.close()
    assert read_marker(tmp_path) == "kept"


def test_backup_and_restore_with_passphrase(tmp_path: Path, memory_keyring) -> None:
    live, target = tmp_path / "live", tmp_path / "restored"
    store = Store.open(live)
    write_marker(store, "in backup")
    backup_file = tmp_path / "shop.kmbak"
    backup_mod.backup(store, backup_file, "correct horse battery")
    write_marker(store, "after backup")
    store.close()
    assert b"in backup" not in backup_file.read_bytes()

    with pytest.raises(BackupError, match="passphrase"):
        backup_mod.restore(target, backup_file, "wrong passphrase!")
    assert not (target / "kameng.db").exists()

    backup_mod.restore(target, backup_file, "correct horse battery")
    assert read_marker(target) == "in backup"


def test_restore_over_existing_database_moves_it_aside_readable(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "d")
    write_marker(store, "old")
    bk = tmp_path / "b.kmbak"
    backup_mod.backup(store, bk, "passphrase-123")
    write_marker(store, "newer, not in backup")
    store.close()
    moved = backup_mod.restore(tmp_path / "d", bk, "passphrase-123")
    assert read_marker(tmp_path / "d") == "old"
    assert moved is not None and moved.exists()
    # The replaced database stays readable with the same key.
    os.replace(tmp_path / "d" / "kameng.db", tmp_path / "d" / "restored.db")
    os.replace(moved, tmp_path / "d" / "kameng.db")
    for suffix in ("-wal", "-shm"):
        side = Path(str(moved) + suffix)
        if side.exists():
            os.replace(side, str(tmp_path / "d" / "kameng.db") + suffix)
    assert read_marker(tmp_path / "d") == "newer, not in backup"


def test_short_passphrase_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    with pytest.raises(BackupError, match="at least"):
        backup_mod.backup(store, tmp_path / "x", "short")
    store.close()


def test_keyring_service_name_is_documented(memory_keyring, tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    assert memory_keyring.get_password(SERVICE, f"db-key/{store.secrets.store_id}") is not None
    assert f"`{SERVICE}`" in (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    store.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_files_rekey_and_restore_put_in_place_are_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        store = Store.open(tmp_path / "data")
        write_marker(store, "one")
        rekey.rekey(store)
        write_marker(store, "two")  # a connection on the new file: its -wal and -shm
        modes = {p.name: p.stat().st_mode & 0o777 for p in store.data_dir.iterdir()}
        backup_mod.backup(store, tmp_path / "b.kmbak", "long enough passphrase")
        store.close()
        backup_mod.restore(tmp_path / "data", tmp_path / "b.kmbak", "long enough passphrase")
        modes |= {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "data").iterdir()}
    finally:
        os.umask(old_umask)
    assert {"kameng.db", "kameng.db-wal", "kameng.db-shm"} <= modes.keys()
    assert any(name.startswith("kameng.db.before-restore-") for name in modes)
    assert set(modes.values()) == {0o600} and (tmp_path / "b.kmbak").stat().st_mode & 0o777 == 0o600
