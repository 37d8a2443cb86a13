"""Opening the encrypted store: first run, wrong key, missing key, plaintext-free files."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from local_cache import Store
from local_cache.connection import check_key
from local_cache.errors import KeyringUnavailableError, MissingKeyError, WrongKeyError
from local_cache.keystore import SERVICE, Secrets, secure_backend
from local_cache.migrations import LATEST
from tests.factories import QB10, make_staff, seed_catalog

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_wrong_key_leaves_a_crash_left_wal_and_every_file_byte_identical(tmp_path: Path, memory_keyring) -> None:
    store = Store.open(tmp_path)
    seed_catalog(store, stock=400)
    owner = make_staff(store)
    right_key = store._key
    store.close()
    env = dict(os.environ, KAMENG_TEST_DB_KEY=right_key.hex(), PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-m", "tests.unit.crash_child", str(tmp_path), owner.id, QB10.id],
                             stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    confirmed = [child.stdout.readline().strip() for _ in range(20)]  # each line: a sale committed
    child.send_signal(signal.SIGKILL)
    child.communicate()
    wal = tmp_path / "kameng.db-wal"
    assert wal.stat().st_size > 0 and (tmp_path / "kameng.db-shm").exists()  # the crash left its WAL
    before = folder_digest(tmp_path)

    Secrets(store.secrets.store_id).set_db_key(bytes(32))
    with pytest.raises(WrongKeyError, match="does not open"):
        Store.open(tmp_path)
    assert folder_digest(tmp_path) == before  # database, -wal and -shm: not a byte changed

    Secrets(store.secrets.store_id).set_db_key(right_key)
    store = Store.open(tmp_path)
    try:
        ids = {r[0] for r in store.conn().execute("SELECT id FROM orders")}
        assert set(confirmed) <= ids and store.integrity_check() == "ok"
    finally:
        store.close()


PAGE = 4096

# What a desk killed mid-checkpoint can leave in the database file alone (the WAL still holds the whole truth).
HALF_CHECKPOINTED = {
    # Later pages a mix of old and new versions: the worst is that none of them reads. The old check walked the
    # schema (count(*) over sqlite_master) and called this "malformed" under the right key (CI, test_crash_kill).
    "later pages unreadable": lambda pristine: pristine[:PAGE] + bytes(len(pristine) - PAGE),
    # Page 1 (which carries the database's new size) copied back from the WAL, the pages that grow the file not
    # yet: SQLite calls a file shorter than page 1 says "malformed" even when only page 1 is read (CI again).
    "shorter than page 1 says": lambda pristine: pristine[:4 * PAGE],
    "page 1 alone": lambda pristine: pristine[:PAGE],
}


@pytest.mark.parametrize("left", HALF_CHECKPOINTED.values(), ids=HALF_CHECKPOINTED.keys())
def test_a_half_checkpointed_file_still_opens_with_the_right_key_and_never_with_a_wrong_one(
    tmp_path: Path, memory_keyring, left
) -> None:
    """The key check sees the file alone: the right key is refused only if page 1 fails its HMAC, which every
    other key does."""
    store = Store.open(tmp_path)
    seed_catalog(store, stock=2000)
    key = store._key
    store.close()
    db = tmp_path / "kameng.db"
    pristine = db.read_bytes()
    assert len(pristine) > 8 * PAGE
    db.write_bytes(left(pristine))
    check_key(db, key)  # the right key is accepted
    with pytest.raises(WrongKeyError):
        check_key(db, os.urandom(32))
