"""The shop owner's retail prices, shared by every counter of a reseller.

Last writer wins by the desk's changed_at; on an equal changed_at the later request the server receives wins.
A change that wins goes into the feed for the reseller's terminals only; the same request again changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from kameng_platform import clock, feed
from kameng_platform.db import insert_once
from kameng_platform.errors import not_found
from kameng_platform.models import RetailPriceIn
from kameng_platform.schema import products, retail_prices
from kameng_platform.terminals import Terminal


def put(conn: Connection, terminal: Terminal, product_id: str, body: RetailPriceIn) -> dict:
    if conn.execute(select(products.c.id).where(products.c.id == product_id)).first() is None:
        raise not_found("No such product.")
    key = (retail_prices.c.reseller_id == terminal.reseller_id) & (retail_prices.c.product_id == product_id)
    values = {"retail_fen": body.retail_fen, "changed_at": body.changed_at, "updated_at": clock.now(),
              "terminal_id": terminal.id}
    same = retail_prices.c.retail_fen.is_not_distinct_from(body.retail_fen) & (
        retail_prices.c.changed_at == body.changed_at)
    # Else one conditional UPDATE: on PostgreSQL a concurrent writer's row lock makes it re-check its condition
    # against the committed winner, so of two changes at once the later changed_at is kept.
    won = insert_once(conn, retail_prices, reseller_id=terminal.reseller_id, product_id=product_id, **values) or \
        conn.execute(update(retail_prices).where(key, retail_prices.c.changed_at <= body.changed_at, ~same)
                     .values(**values)).rowcount == 1
    if won:
        status = "applied"
    else:
        status = "duplicate" if conn.execute(select(retail_prices.c.product_id).where(key, same)).first() \
            else "superseded"
    if status == "applied":
        feed.append(conn, "retail_price", {"product_id": product_id, "retail_fen": body.retail_fen},
                    reseller_id=terminal.reseller_id)
    row = conn.execute(select(retail_prices.c.retail_fen, retail_prices.c.changed_at).where(key)).one()
    return {"product_id": product_id, "retail_fen": row.retail_fen, "changed_at": row.changed_at, "status": status}


def of_reseller(conn: Connection, reseller_id: str) -> list[dict]:
    """The owner's prices a newly loaded counter sells at (a reset is no price)."""
    rows = conn.execute(select(retail_prices.c.product_id, retail_prices.c.retail_fen)
                        .where(retail_prices.c.reseller_id == reseller_id, retail_prices.c.retail_fen.is_not(None))
                        .order_by(retail_prices.c.product_id))
    return [{"product_id": p, "retail_fen": fen} for p, fen in rows]
