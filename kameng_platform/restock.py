"""Restock: charge the reseller and assign N codes to one terminal, atomically and once per request id."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from kameng_platform import clock, ledger
from kameng_platform.crypto import Sealer
from kameng_platform.db import insert_once
from kameng_platform.errors import ApiError, conflict
from kameng_platform.schema import allocations, codes, prices, products
from kameng_platform.terminals import Terminal


class ReplayedRequest(Exception):
    """The request id was claimed by a concurrent or earlier request: answer from what it stored."""


def _codes_of(conn: Connection, sealer: Sealer, request_id: str) -> list[dict]:
    rows = conn.execute(select(codes.c.id, codes.c.card_no_sealed, codes.c.secret_sealed, codes.c.expires_on)
                        .where(codes.c.allocation_id == request_id).order_by(codes.c.id)).all()
    return [{"id": r.id, "card_no": sealer.open(r.card_no_sealed, "card_no:" + r.id),
             "card_secret": sealer.open(r.secret_sealed, "secret:" + r.id), "expires_on": r.expires_on}
            for r in rows]


def replay(conn: Connection, sealer: Sealer, terminal: Terminal, request_id: str, product_id: str,
           quantity: int) -> dict:
    row = conn.execute(select(allocations).where(allocations.c.request_id == request_id)).first()
    if row is None:
        raise ApiError(503, "retry", "The request is still being processed; ask again.")
    if (row.terminal_id, row.product_id, row.quantity) != (terminal.id, product_id, quantity):
        raise conflict("This request id was used for a different restock.")
    return {"request_id": request_id, "product_id": product_id, "codes": _codes_of(conn, sealer, request_id),
            "charged_fen": row.charged_fen, "balance_fen": ledger.balance(conn, terminal.reseller_id)}


def restock(conn: Connection, sealer: Sealer, terminal: Terminal, request_id: str, product_id: str,
            quantity: int) -> dict:
    """Run inside one transaction. Raises ReplayedRequest when the id is already taken."""
    if not insert_once(conn, allocations, request_id=request_id, terminal_id=terminal.id, product_id=product_id,
                       quantity=quantity, charged_fen=0, created_at=clock.now()):
        raise ReplayedRequest()
    product = conn.execute(select(products.c.kind, products.c.active, prices.c.price_fen, products.c.supplier_id,
                                  products.c.supply_price_fen)
                           .join(prices, (prices.c.product_id == products.c.id) & (prices.c.tier == terminal.tier))
                           .where(products.c.id == product_id)).first()
    if product is None or product.kind != "card":
        raise ApiError(404, "unknown_product", "No such card product for this reseller.")
    if not product.active:
        raise ApiError(409, "product_inactive", "This product is no longer sold.")
    charge = product.price_fen * quantity
    if ledger.lock_reseller(conn, terminal.reseller_id):
        raise ApiError(409, "reseller_frozen", "The platform has frozen this reseller's account: ask the operator.")
    if ledger.balance(conn, terminal.reseller_id) < charge:
        raise ApiError(402, "insufficient_balance", "The prepaid balance is too low for this restock.")
    pick = (select(codes.c.id).where(codes.c.product_id == product_id, codes.c.state == "stock")
            .order_by(codes.c.id).limit(quantity))
    if conn.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(conn.execute(pick).scalars())
    if len(ids) < quantity:
        raise ApiError(409, "out_of_stock", f"Only {len(ids)} codes of this product are in stock.")
    done = conn.execute(update(codes).where(codes.c.id.in_(ids), codes.c.state == "stock")
                        .values(state="assigned", terminal_id=terminal.id, allocation_id=request_id))
    if done.rowcount != quantity:  # cannot happen under the locks above; refuse rather than double-assign
        raise ApiError(503, "retry", "Stock changed while assigning; ask again.")
    # The platform sold these codes to the reseller now: from now it owes their supplier the supply price of this
    # moment (supplier_settlement), recorded with the restock so a later price change does not rewrite it.
    owed = None if product.supplier_id is None or product.supply_price_fen is None else \
        product.supply_price_fen * quantity
    conn.execute(update(allocations).where(allocations.c.request_id == request_id)
                 .values(charged_fen=charge, supplier_id=product.supplier_id, supply_fen=owed))
    balance = ledger.post(conn, terminal.reseller_id, -charge, "restock", request_id)
    return {"request_id": request_id, "product_id": product_id, "codes": _codes_of(conn, sealer, request_id),
            "charged_fen": charge, "balance_fen": balance}
