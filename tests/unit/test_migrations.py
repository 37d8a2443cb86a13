"""Every earlier schema version migrates forward to the latest, keeping its data."""

from __future__ import annotations

from pathlib import Path

import pytest

from local_cache import Store, migrations
from local_cache.connection import open_connection
from local_cache.errors import MigrationError, SchemaTooNewError
from local_cache.keystore import Secrets
from local_cache.store import read_or_create_store_id


def db_at_version(folder: Path, version: int) -> None:
    """A database as an older app version left it (its key in the keyring)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = bytes(range(32))
    Secrets(read_or_create_store_id(folder)).set_db_key(key)
    conn = open_connection(folder / "kameng.db", key)
    migrations.migrate(conn, target=version)
    if version >= 1:
        conn.execute("INSERT INTO settings(key, value) VALUES ('shop_name', '\"老王网吧\"')")
    conn.close()


@pytest.mark.parametrize("version", range(migrations.LATEST))
def test_migrates_from_every_earlier_version(tmp_path: Path, version: int) -> None:
    db_at_version(tmp_path, version)
    store = Store.open(tmp_path)
    conn = store.conn()
    assert migrations.current_version(conn) == migrations.LATEST
    assert store.integrity_check() == "ok"
    if version >= 1:
        assert conn.execute("SELECT value FROM settings WHERE key = 'shop_name'").fetchone()[0] == '"老王网吧"'
    store.close()


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    db_at_version(tmp_path, migrations.LATEST)
    conn = open_connection(tmp_path / "kameng.db", bytes(range(32)))
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="newer version"):
        Store.open(tmp_path)


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch) -> None:
    db_at_version(tmp_path, 0)

    def broken(conn):
        conn.execute("CREATE TABLE half_done(x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.Migration(1, "broken", broken)])
    with pytest.raises(MigrationError, match="rolled back"):
        Store.open(tmp_path)
    conn = open_connection(tmp_path / "kameng.db", bytes(range(32)))
    assert migrations.current_version(conn) == 0
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    conn.close()


def test_print_jobs_failed_before_version_3_still_print_as_copies(tmp_path: Path) -> None:
    """Before 3 a retry made a failed job a copy (it might be partly on paper); the upgrade keeps that promise."""
    from local_cache import print_jobs

    db_at_version(tmp_path, 2)
    conn = open_connection(tmp_path / "kameng.db", bytes(range(32)))
    failed = print_jobs.enqueue(conn, "card_slip", "counter", b"slip")
    queued = print_jobs.enqueue(conn, "card_slip", "counter", b"slip")
    conn.execute("UPDATE print_jobs SET state = 'failed' WHERE id = ?", (failed.id,))
    conn.close()
    store = Store.open(tmp_path)
    assert print_jobs.get(store.conn(), failed.id).is_copy
    assert not print_jobs.get(store.conn(), queued.id).is_copy
    store.close()
