"""Key rotation that survives a crash at any step.

Steps: (1) the new key is kept as *pending* in the keyring; (2) the database is exported to
``kameng.db.rekey`` under the new key; (3) that file atomically replaces ``kameng.db``; (4) the keyring's
current key becomes the new one; (5) the pending entry is removed. On the next open,
:func:`recover_pending_rekey` finishes or abandons a rotation that stopped between any two steps.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from local_cache.connection import check_key, key_literal
from local_cache.errors import WrongKeyError
from local_cache.export import export_to, fsync_dir
from local_cache.keystore import Secrets

if TYPE_CHECKING:
    from local_cache.store import Store


def _rekey_path(path: Path) -> Path:
    return path.with_name(path.name + ".rekey")


def _opens_with(path: Path, key: bytes | None) -> bool:
    if key is None:
        return False
    try:
        check_key(path, key)  # the wrong one of the two keys must not checkpoint a WAL on its way out
    except WrongKeyError:
        return False
    return True


def rekey(store: Store) -> None:
    """Rotate the database key. Call from the database thread with no other connection open."""
    new_key = secrets.token_bytes(32)
    store.secrets.set_pending_db_key(new_key)
    conn = store.conn()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    staging = _rekey_path(store.path)
    export_to(conn, staging, key_literal(new_key))
    store.close_thread_connection()
    os.replace(staging, store.path)
    for suffix in ("-wal", "-shm"):
        Path(str(store.path) + suffix).unlink(missing_ok=True)
    fsync_dir(store.path.parent)
    store.secrets.set_db_key(new_key)
    store.secrets.clear_pending_db_key()
    store._replace_key(new_key)


def recover_pending_rekey(path: Path, secrets_: Secrets) -> bytes:
    """Called on open when a pending key exists; returns the key that opens the database."""
    current, pending = secrets_.db_key(), secrets_.pending_db_key()
    if _opens_with(path, current):
        # The swap never happened (or the keyring already points at the new file): drop the leftovers.
        _rekey_path(path).unlink(missing_ok=True)
        secrets_.clear_pending_db_key()
        assert current is not None
        return current
    if _opens_with(path, pending):
        # The new file is in place but the keyring still named the old key.
        assert pending is not None
        secrets_.set_db_key(pending)
        secrets_.clear_pending_db_key()
        return pending
    raise WrongKeyError(str(path))


