"""Opening the encrypted store: first run, wrong key, missing key, plaintext-free files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from local_cache import Store
from local_cache.errors import KeyringUnavailableError, MissingKeyError, WrongKeyError
from local_cache.keystore import SERVICE, Secrets, secure_backend
from local_cache.migrations import LATEST


def folder_digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_first_run_creates_key_in_keyring_and_migrates(tmp_path: Path, memory_keyring) -> None:
    store = Store.open(tmp_path)
    assert store.conn().execute("PRAGMA user_version").fetchone()[0] == LATEST
    entry = store.secrets.entry("db-key")
    assert len(bytes.fromhex(memory_keyring.get_password(SERVICE, entry))) == 32
    assert store.conn().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn().execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    store.close()
    # Reopening finds the same key and the same database.
    assert Store.open(tmp_path).integrity_check() == "ok"


def test_wrong_key_is_refused_and_file_unchanged(tmp_path: Path, memory_keyring) -> None:
    store = Store.open(tmp_path)
    with store.transaction() as conn:
        conn.execute("INSERT INTO settings(key, value) VALUES ('shop_name', '星星网吧')")
    store.close()
    before = folder_digest(tmp_path)
    Secrets(store.secrets.store_id).set_db_key(bytes(32))
    with pytest.raises(WrongKeyError, match="does not open"):
        Store.open(tmp_path)
    assert folder_digest(tmp_path) == before


def test_missing_key_is_refused_and_nothing_overwritten(tmp_path: Path, memory_keyring) -> None:
    store = Store.open(tmp_path)
    store.close()
    before = folder_digest(tmp_path)
    memory_keyring.delete_password(SERVICE, store.secrets.entry("db-key"))
    with pytest.raises(MissingKeyError, match="not in the system keyring") as info:
        Store.open(tmp_path)
    assert SERVICE in str(info.value)
    assert folder_digest(tmp_path) == before
    assert memory_keyring.get_password(SERVICE, store.secrets.entry("db-key")) is None


def test_wrong_key_prints_nothing_to_stderr(tmp_path: Path, capfd) -> None:
    store = Store.open(tmp_path)
    store.close()
    Secrets(store.secrets.store_id).set_db_key(bytes(32))
    with pytest.raises(WrongKeyError):
        Store.open(tmp_path)
    assert capfd.readouterr().err == ""


def test_plaintext_and_failing_keyrings_are_refused() -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    with pytest.raises(KeyringUnavailableError, match="Credential Manager"):
        secure_backend()
