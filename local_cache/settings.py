"""Key/value settings (shop name, receipt header, auto-lock minutes, printer, language...) as JSON values."""

from __future__ import annotations

import json
from typing import Any

from local_cache.connection import Connection

# Blind count (盲点): the cashier counts the drawer at close before the expected cash is shown. Off by default.
SHIFT_BLIND_COUNT = "shift_blind_count"
# What automatic restocks may spend in one local day, in fen. 0 (the default): no automatic restock at all.
AUTO_RESTOCK_BUDGET_FEN = "auto_restock_budget_fen"


def get(conn: Connection, key: str, default: Any = None) -> Any:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return default if row is None else json.loads(row[0])


def put(conn: Connection, key: str, value: Any) -> None:
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, ensure_ascii=False)),
    )


def all_settings(conn: Connection) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM settings")}
