"""The stock screen's figures: codes per product by state, and the flagged codes without their secrets."""

from __future__ import annotations

from typing import Literal

from local_cache.connection import Connection

_FLAGS = {"quarantined": "c.state = 'quarantined'", "after_sales": "c.after_sales = 1"}


def code_counts(conn: Connection) -> list[tuple[str, str, bool, int]]:
    """(product id, state, after_sales, codes) for every group of codes held here."""
    return conn.execute(
        "SELECT product_id, state, after_sales, count(*) FROM card_codes GROUP BY product_id, state, after_sales"
    ).fetchall()


def flagged(conn: Connection, flag: Literal["quarantined", "after_sales"]
            ) -> list[tuple[str, str, str, str, str | None, str | None]]:
    """(code id, product name, last 4 of the card number, state, order number, sold at) of the flagged codes.
    Only the tail leaves the database: the whole card number never sits in the GUI's memory."""
    return conn.execute(
        "SELECT c.id, coalesce(p.name, c.product_id), substr(c.card_no, -4), c.state, o.number, c.sold_at "
        "FROM card_codes c LEFT JOIN products p ON p.id = c.product_id LEFT JOIN orders o ON o.id = c.order_id "
        f"WHERE {_FLAGS[flag]} ORDER BY p.name, c.id").fetchall()
