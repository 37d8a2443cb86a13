"""Card-code cache: codes assigned to this terminal by the platform, moving along DESIGN §5.

available -> reserved (payment pending) -> sold; reserved -> available on cancel or timeout;
available/reserved -> quarantined when the platform revokes a code; a revoked code already sold is
flagged for after-sales instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from local_cache import states
from local_cache.connection import Connection
from local_cache.errors import OutOfStockError
from local_cache.ids import utc_now


@dataclass(frozen=True)
class NewCode:
    id: str
    product_id: str
    card_no: str
    card_secret: str
    expires_on: str | None = None

    def __repr__(self) -> str:  # a code must never land in a log through repr()
        return f"NewCode(id={self.id!r}, product_id={self.product_id!r})"


@dataclass(frozen=True)
class CardCode:
    id: str
    product_id: str
    card_no: str
    card_secret: str
    expires_on: str | None
    state: str
    order_id: str | None
    after_sales: bool

    def __repr__(self) -> str:
        return f"CardCode(id={self.id!r}, product_id={self.product_id!r}, state={self.state!r})"


_COLUMNS = "id, product_id, card_no, card_secret, expires_on, state, order_id, after_sales"


def _row(r: tuple) -> CardCode:
    return CardCode(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]))


def add(conn: Connection, codes: list[NewCode], *, unit_cost_fen: int | None = None) -> int:
    """Store codes from a restock; a replayed restock adds nothing twice. Returns how many were new.

    ``unit_cost_fen`` is what the platform charged per code; without it the product's tier price as last synced."""
    if unit_cost_fen is not None and (isinstance(unit_cost_fen, bool) or not isinstance(unit_cost_fen, int)
                                      or unit_cost_fen < 0):
        raise ValueError("a code's cost is non-negative integer fen")
    now = utc_now()
    before = conn.total_changes
    conn.executemany(
        "INSERT OR IGNORE INTO card_codes(id, product_id, card_no, card_secret, expires_on, state, "
        "allocated_at, cost_fen) VALUES (?, ?, ?, ?, ?, 'available', ?, "
        "coalesce(?, (SELECT cost_price_fen FROM products WHERE id = ?)))",
        [(c.id, c.product_id, c.card_no, c.card_secret, c.expires_on, now, unit_cost_fen, c.product_id)
         for c in codes],
    )
    return conn.total_changes - before


def available_count(conn: Connection, product_id: str) -> int:
    return conn.execute(
        "SELECT count(*) FROM card_codes WHERE product_id = ? AND state = 'available'", (product_id,)
    ).fetchone()[0]


def stock_levels(conn: Connection) -> dict[str, int]:
    return dict(conn.execute(
        "SELECT product_id, count(*) FROM card_codes WHERE state = 'available' GROUP BY product_id"
    ))


def held_levels(conn: Connection) -> dict[str, int]:
    """Codes on hand per product: available, or reserved by a QR payment (back on the shelf if it is cancelled)."""
    return dict(conn.execute("SELECT product_id, count(*) FROM card_codes WHERE state IN ('available', 'reserved') "
                             "GROUP BY product_id"))


def take(conn: Connection, product_id: str, quantity: int, order_id: str, *, product_name: str,
         reserve: bool = False) -> list[CardCode]:
    """Mark the oldest ``quantity`` available codes sold (or reserved) for ``order_id``, all or none."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM card_codes WHERE product_id = ? AND state = 'available' ORDER BY allocated_at, id "
        "LIMIT ?", (product_id, quantity),
    )]
    if len(ids) < quantity:
        raise OutOfStockError(product_name, quantity, available_count(conn, product_id))
    state, sold_at = ("reserved", None) if reserve else ("sold", utc_now())
    states.check("card code", "available", state)
    conn.executemany(
        "UPDATE card_codes SET state = ?, order_id = ?, sold_at = ? WHERE id = ? AND state = 'available'",
        [(state, order_id, sold_at, code_id) for code_id in ids],
    )
    return for_order(conn, order_id, product_id=product_id)


def for_order(conn: Connection, order_id: str, *, product_id: str | None = None) -> list[CardCode]:
    sql = f"SELECT {_COLUMNS} FROM card_codes WHERE order_id = ?"
    params: tuple = (order_id,)
    if product_id is not None:
        sql += " AND product_id = ?"
        params += (product_id,)
    return [_row(r) for r in conn.execute(sql + " ORDER BY id", params)]


def confirm_reserved(conn: Connection, order_id: str) -> int:
    """reserved -> sold for every code held by a paid order."""
    states.check("card code", "reserved", "sold")
    cur = conn.execute(
        "UPDATE card_codes SET state = 'sold', sold_at = ? WHERE order_id = ? AND state = 'reserved'",
        (utc_now(), order_id),
    )
    return cur.rowcount


def release_reserved(conn: Connection, order_id: str) -> int:
    """reserved -> available when a payment is cancelled or expires."""
    states.check("card code", "reserved", "available")
    cur = conn.execute(
        "UPDATE card_codes SET state = 'available', order_id = NULL WHERE order_id = ? AND state = 'reserved'",
        (order_id,),
    )
    return cur.rowcount


def return_unsold(conn: Connection, order_id: str) -> int:
    """A voided sale whose codes were never handed over puts them back on the shelf."""
    states.check("card code", "sold", "available")
    cur = conn.execute(
        "UPDATE card_codes SET state = 'available', order_id = NULL, sold_at = NULL "
        "WHERE order_id = ? AND state = 'sold'",
        (order_id,),
    )
    return cur.rowcount


def revoke(conn: Connection, code_id: str) -> str:
    """Apply a platform revocation: 'quarantined', 'after_sales' (already sold) or 'unknown'. A revocation
    repeated (the feed replayed after a crash) is old news: the code stays quarantined."""
    row = conn.execute("SELECT state FROM card_codes WHERE id = ?", (code_id,)).fetchone()
    if row is None:
        return "unknown"
    if row[0] == "sold":
        conn.execute("UPDATE card_codes SET after_sales = 1 WHERE id = ?", (code_id,))
        return "after_sales"
    if row[0] != "quarantined":
        states.check("card code", row[0], "quarantined")
        conn.execute("UPDATE card_codes SET state = 'quarantined' WHERE id = ?", (code_id,))
    return "quarantined"


def after_sales(conn: Connection) -> list[CardCode]:
    return [_row(r) for r in conn.execute(
        f"SELECT {_COLUMNS} FROM card_codes WHERE after_sales = 1 ORDER BY sold_at")]
