"""Copy the open database into another SQLCipher file under another key (rekey, backup, restore).

``sqlcipher_export`` copies the schema and every row inside one read transaction, so the copy is a
consistent snapshot even while the app keeps writing through other connections.
"""

from __future__ import annotations

import os
from pathlib import Path

from local_cache.connection import Connection
from local_cache.files import create_private_file


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(directory: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows; rename is durable there
        return
    fsync_path(directory)


def export_to(conn: Connection, target: Path, key_sql: str, key_param: str | None = None) -> None:
    """Write a complete copy of ``conn``'s main database to ``target`` (which must not exist).

    ``key_sql`` is the KEY clause operand: ``?`` with ``key_param`` for a passphrase, or a raw-key literal.
    """
    if target.exists():
        target.unlink()
    create_private_file(target)  # owner-only from the start: it becomes the database or a backup
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    params: tuple[str, ...] = (str(target),) if key_param is None else (str(target), key_param)
    conn.execute(f"ATTACH DATABASE ? AS export KEY {key_sql}", params)
    try:
        conn.execute("SELECT sqlcipher_export('export')")
        conn.execute(f"PRAGMA export.user_version = {int(version)}")
    finally:
        conn.execute("DETACH DATABASE export")
    fsync_path(target)
