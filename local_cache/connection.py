"""Open one SQLCipher connection with the raw key, check the key, and apply the durability settings."""

from __future__ import annotations

import time
from pathlib import Path

import sqlcipher3
from sqlcipher3 import dbapi2

from local_cache.errors import DiskFullError, WrongKeyError

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 32 * 1024

# Applied to every connection once the key is checked (the benchmark's plain-sqlite3 baseline uses the
# same list):
SETTINGS = (
    "journal_mode = WAL",
    "synchronous = FULL",  # a committed sale is on disk (WAL fsynced) before commit returns
    "foreign_keys = ON",
    f"busy_timeout = {BUSY_TIMEOUT_MS}",
    "temp_store = MEMORY",  # temporary tables and indices never go to a plaintext temp file
    f"cache_size = -{CACHE_KIB}",  # decrypted pages stay cached: fewer page decryptions per sale
)

Connection = dbapi2.Connection
DatabaseError = dbapi2.DatabaseError
IntegrityError = dbapi2.IntegrityError
OperationalError = dbapi2.OperationalError


def key_literal(key: bytes) -> str:
    # A raw key skips SQLCipher's PBKDF2 on every open: the key is already 256 random bits.
    return f"\"x'{key.hex()}'\""


def apply_cipher_defaults(conn: Connection) -> None:
    """Page HMAC with SHA-256 instead of SQLCipher 4's SHA-512: as strong for page authentication and
    about twice as fast on CPUs with SHA extensions. Set as the default, so files attached for rekey,
    backup and restore use it too; every connection of the app sets it before its key."""
    conn.execute("PRAGMA cipher_default_hmac_algorithm = HMAC_SHA256")


def _set_key(conn: Connection, key: bytes) -> None:
    # Before the key: a wrong key must not print SQLCipher's own complaints to stderr.
    conn.execute("PRAGMA cipher_log_level = NONE")
    apply_cipher_defaults(conn)
    conn.execute(f"PRAGMA key = {key_literal(key)}")


# A key check reads the database file without a lock (below), so a checkpoint of another process (a CLI command
# while the counter runs) may be rewriting page 1 at that instant: a wrong key fails every read, a torn page not.
KEY_CHECK_READS = 3
KEY_CHECK_PAUSE_S = 0.05


def check_key(path: Path, key: bytes) -> None:
    """Raise WrongKeyError unless ``key`` opens the existing database ``path``; no file is written.

    Why not just open it: a connection whose key is wrong still opens a WAL left by a crash (its header, unlike
    its pages, is not encrypted) and, closing as the last connection, checkpoints it into the database and
    deletes it. So the key is tried on an ``immutable`` view of the database file alone: read-only, no locks,
    no -wal or -shm opened or created. Page 1 is always in that file (it is written there before the database
    switches to WAL), and its HMAC fails under any other key: SQLite then says SQLITE_NOTADB. Only page 1 is read
    (``user_version`` needs no schema), and any other complaint about the file alone means page 1 decrypted: a
    checkpoint cut short by a kill leaves the file shorter than page 1 says and its other pages a mix of versions
    that only the WAL makes whole, which SQLite calls SQLITE_CORRUPT under the right key.
    """
    uri = path.absolute().as_uri() + "?immutable=1"
    for attempt in range(KEY_CHECK_READS):
        if attempt:
            time.sleep(KEY_CHECK_PAUSE_S)
        conn = sqlcipher3.connect(uri, uri=True, isolation_level=None)
        try:
            _set_key(conn, key)
            conn.execute("PRAGMA user_version").fetchone()
            return
        except DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", None) == sqlcipher3.SQLITE_CORRUPT:
                return
            continue
        finally:
            conn.close()
    raise WrongKeyError(str(path))


def open_connection(path: Path, key: bytes) -> Connection:
    """Open ``path`` with ``key`` (checked by check_key when the database already existed: a wrong key here
    raises WrongKeyError too, but SQLite may first have checkpointed a WAL left by a crash)."""
    conn = sqlcipher3.connect(
        str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True
    )
    try:
        _set_key(conn, key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError:
            raise WrongKeyError(str(path)) from None
        for pragma in SETTINGS:
            conn.execute(f"PRAGMA {pragma}")
    except BaseException:
        conn.close()
        raise
    return conn


def translate(exc: Exception) -> Exception:
    """Map SQLite's disk-full error to the one the cashier can act on."""
    if isinstance(exc, OperationalError | DatabaseError) and "full" in str(exc).lower():
        return DiskFullError()
    return exc
