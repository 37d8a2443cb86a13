"""The catalog as one terminal's tier sees it."""

from __future__ import annotations

from sqlalchemy import Connection, select

from kameng_platform.schema import categories, prices, products


def product_view(conn: Connection, tier: str, product_id: str | None = None) -> list[dict]:
    query = (
        select(products, prices.c.price_fen)
        .join(prices, (prices.c.product_id == products.c.id) & (prices.c.tier == tier))
        .order_by(products.c.sort, products.c.name)
    )
    if product_id is not None:
        query = query.where(products.c.id == product_id)
    return [
        {"id": r.id, "category_id": r.category_id, "name": r.name, "kind": r.kind,
         "face_value_fen": r.face_value_fen, "price_fen": r.price_fen,
         "suggested_retail_fen": r.suggested_retail_fen, "active": r.active, "account_rule": r.account_rule,
         "redeem_hint": r.redeem_hint, "redeem_url": r.redeem_url, "barcode": r.barcode}
        for r in conn.execute(query)
    ]


def category_view(conn: Connection) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(select(categories).order_by(categories.c.sort))]
