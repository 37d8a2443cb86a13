"""Automatic-restock policies: how many codes of a product the owner wants kept (a product without one never
restocks itself). The rules, the budget and the audit are the use case's (kameng_desk.usecases.restock_policy)."""

from __future__ import annotations

from local_cache.connection import Connection
from local_cache.ids import utc_now


def keep_all(conn: Connection) -> dict[str, int]:
    """product id -> codes to keep, for every product with a policy."""
    return dict(conn.execute("SELECT product_id, keep_codes FROM restock_policies"))


def keep_of(conn: Connection, product_id: str) -> int | None:
    row = conn.execute("SELECT keep_codes FROM restock_policies WHERE product_id = ?", (product_id,)).fetchone()
    return row[0] if row else None


def set_keep(conn: Connection, product_id: str, keep: int | None) -> None:
    """Keep ``keep`` codes of the product; None removes its policy."""
    if keep is None:
        conn.execute("DELETE FROM restock_policies WHERE product_id = ?", (product_id,))
    else:
        conn.execute("INSERT INTO restock_policies(product_id, keep_codes, updated_at) VALUES (?, ?, ?) "
                     "ON CONFLICT(product_id) DO UPDATE SET keep_codes = excluded.keep_codes, "
                     "updated_at = excluded.updated_at", (product_id, keep, utc_now()))
