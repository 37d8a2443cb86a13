"""The encrypted store of one data folder: first-run key creation, key checks, migrations, transactions.

One connection per thread (SQLite connections belong to the thread that made them); the app gives the
database its own thread, tests and scripts use whichever thread they run on.
"""

from __future__ import annotations

import os
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import keyring.backend

from local_cache import migrations
from local_cache.connection import Connection, check_key, open_connection, translate
from local_cache.errors import MissingKeyError
from local_cache.files import create_private_file, private_dir
from local_cache.keystore import SERVICE, Secrets

DB_NAME = "kameng.db"
STORE_ID_NAME = "store-id"


def read_or_create_store_id(data_dir: Path) -> str:
    path = data_dir / STORE_ID_NAME
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    store_id = str(uuid.uuid4())
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)  # left by a crash
    create_private_file(tmp)
    tmp.write_text(store_id + "\n", encoding="ascii")
    os.replace(tmp, path)
    return store_id


class Store:
    """Open with :meth:`open`; use :meth:`transaction` for every write."""

    def __init__(self, data_dir: Path, secrets_: Secrets, key: bytes) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DB_NAME
        self.secrets = secrets_
        self._key = key
        self._local = threading.local()

    @classmethod
    def open(cls, data_dir: Path, backend: keyring.backend.KeyringBackend | None = None) -> Store:
        data_dir = private_dir(Path(data_dir))  # owner-only, also a folder an older version left 0755
        secrets_ = Secrets(read_or_create_store_id(data_dir), backend)
        path = data_dir / DB_NAME
        key = cls._resolve_key(path, secrets_)
        if not path.exists():
            # Made owner-only before SQLite writes to it (an empty file is an empty database to SQLite), which
            # then gives the -wal and -shm files it creates, now and at every later open, the same mode.
            create_private_file(path)
        store = cls(data_dir, secrets_, key)
        migrations.migrate(store.conn())
        return store

    @staticmethod
    def _resolve_key(path: Path, secrets_: Secrets) -> bytes:
        from local_cache.rekey import recover_pending_rekey

        key = secrets_.db_key()
        if path.exists():
            if secrets_.pending_db_key() is not None:
                return recover_pending_rekey(path, secrets_)
            if key is None:
                raise MissingKeyError(str(path), SERVICE, secrets_.entry("db-key"))
            check_key(path, key)  # raises WrongKeyError, touching nothing (not even a WAL left by a crash)
            return key
        if key is None:
            # First run: the key is kept (and read back) before any data exists that needs it.
            key = secrets.token_bytes(32)
            secrets_.set_db_key(key)
        return key

    # -- connections ------------------------------------------------------------------------------------

    def conn(self) -> Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_connection(self.path, self._key)
            self._local.conn = conn
        return conn

    def close_thread_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            conn.close()

    def close(self) -> None:
        """Close the calling thread's connection; other threads close theirs with close_thread_connection."""
        self.close_thread_connection()

    def _replace_key(self, key: bytes) -> None:
        # Used by rekey/restore after the file was replaced: every open connection is stale.
        self.close_thread_connection()
        self._key = key

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """BEGIN IMMEDIATE ... COMMIT; durable (synchronous=FULL) once the block exits without error."""
        conn = self.conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except Exception as exc:
            raise translate(exc) from exc
        try:
            yield conn
        except BaseException as exc:
            if conn.in_transaction:  # SQLite may already have rolled back (disk full, I/O error)
                conn.execute("ROLLBACK")
            translated = translate(exc) if isinstance(exc, Exception) else exc
            if translated is exc:
                raise
            raise translated from exc
        try:
            conn.execute("COMMIT")
        except Exception as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise translate(exc) from exc

    def integrity_check(self) -> str:
        return self.conn().execute("PRAGMA integrity_check").fetchone()[0]

    def cipher_version(self) -> str:
        """The SQLCipher library this store runs on (the self-test shows it)."""
        return self.conn().execute("PRAGMA cipher_version").fetchone()[0]
