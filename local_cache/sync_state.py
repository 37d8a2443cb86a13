"""Sync bookkeeping: the changes-feed cursor and the terminal's pairing facts (never the secret)."""

from __future__ import annotations

from local_cache.connection import Connection


def get(conn: Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return default if row is None else row[0]


def put(conn: Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def delete(conn: Connection, *keys: str) -> None:
    """Forget these keys (absent ones are fine)."""
    conn.execute(f"DELETE FROM sync_state WHERE key IN ({','.join('?' * len(keys))})", keys)


def cursor(conn: Connection) -> int:
    return int(get(conn, "cursor", "0") or 0)


def set_cursor(conn: Connection, value: int) -> None:
    put(conn, "cursor", str(value))
