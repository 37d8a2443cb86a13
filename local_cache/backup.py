"""Online backup to an encrypted file, and restore from it.

A backup outlives the machine's keyring (a dead disk takes both), so it is keyed by a passphrase the
owner keeps, through SQLCipher's own PBKDF2 (256,000 iterations in SQLCipher 4), not by the raw key.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

import keyring.backend

from local_cache.connection import DatabaseError, apply_cipher_defaults, key_literal
from local_cache.errors import BackupError
from local_cache.export import export_to, fsync_dir
from local_cache.files import private_dir
from local_cache.keystore import Secrets
from local_cache.store import DB_NAME, Store, read_or_create_store_id

MIN_PASSPHRASE = 8


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"The backup passphrase must have at least {MIN_PASSPHRASE} characters.",
                          "short_passphrase", minimum=MIN_PASSPHRASE)


def backup(store: Store, target: Path, passphrase: str) -> None:
    """Write a consistent encrypted copy of the database to ``target``."""
    _check_passphrase(passphrase)
    target = Path(target)
    part = target.with_name(target.name + ".part")
    try:
        export_to(store.conn(), part, "?", passphrase)
        os.replace(part, target)
        fsync_dir(target.parent)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise BackupError(f"The backup could not be written to {target}: {exc.strerror}", "write_failed",
                          str(target)) from None


def restore(
    data_dir: Path, source: Path, passphrase: str, backend: keyring.backend.KeyringBackend | None = None
) -> Path | None:
    """Restore ``source`` into ``data_dir``. Returns where an existing database was moved aside, if any.

    The restored file is keyed with the folder's current key when it has one, so a database moved aside
    stays readable; otherwise a new random key is made.
    """
    import sqlcipher3

    data_dir, source = Path(data_dir), Path(source)
    if not source.is_file():
        # Opened read-write, a mistyped name would become an empty database and replace the shop's data.
        raise BackupError(f"There is no backup file {source}. Nothing was changed.", "no_file", str(source))
    private_dir(data_dir)
    secrets_ = Secrets(read_or_create_store_id(data_dir), backend)
    src = sqlcipher3.connect(source.absolute().as_uri() + "?mode=ro", uri=True, isolation_level=None)
    try:
        src.execute("PRAGMA cipher_log_level = NONE")
        apply_cipher_defaults(src)
        src.execute("PRAGMA key = " + "'" + passphrase.replace("'", "''") + "'")
        try:
            src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError:
            raise BackupError(
                f"{source} cannot be opened with this passphrase (or is not a Kameng backup). Nothing was "
                "changed.", "wrong_passphrase", str(source)
            ) from None
        key = secrets_.db_key()
        if key is None:
            key = secrets.token_bytes(32)
            secrets_.set_db_key(key)
        db = data_dir / DB_NAME
        staging = db.with_name(DB_NAME + ".restore")
        export_to(src, staging, key_literal(key))
    finally:
        src.close()
    moved = None
    if db.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        moved = db.with_name(f"{DB_NAME}.before-restore-{stamp}")
        os.replace(db, moved)
        for suffix in ("-wal", "-shm"):  # the WAL travels with its database, or its last commits are lost
            if Path(str(db) + suffix).exists():
                os.replace(str(db) + suffix, str(moved) + suffix)
    os.replace(staging, db)
    fsync_dir(data_dir)
    return moved
