"""Executing top-ups through a supplier, at most once per order.

queued -> submitted is committed before the supplier is called, and the order id is the supplier's
idempotency key; a top-up whose answer was lost stays submitted and is resolved by querying the
supplier (and, only if the supplier has no record of that key, by submitting again with the same key).
A failure refunds the reseller through the ledger. Every change goes into the changes feed.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, select, update

from kameng_platform import feed, ledger
from kameng_platform.crypto import Sealer
from kameng_platform.schema import orders, products
from kameng_platform.suppliers.base import Supplier, SupplierError, SupplierResult, TopupRequest

log = logging.getLogger(__name__)


def _claim(engine: Engine, order_id: str) -> bool:
    """queued -> submitted; only one worker (of any process) wins."""
    with engine.begin() as conn:
        won = conn.execute(update(orders).where(orders.c.order_id == order_id, orders.c.topup_state == "queued")
                           .values(topup_state="submitted")).rowcount == 1
        if won:
            row = conn.execute(select(orders.c.reseller_id, orders.c.terminal_id)
                               .where(orders.c.order_id == order_id)).one()
            feed.append(conn, "order_status", {"order_id": order_id, "topup_state": "submitted", "reason": None,
                                               "refunded_fen": 0}, reseller_id=row.reseller_id,
                        terminal_id=row.terminal_id)
        return won


def _finish(engine: Engine, order_id: str, result: SupplierResult) -> None:
    with engine.begin() as conn:
        row = conn.execute(select(orders.c.reseller_id, orders.c.terminal_id, orders.c.cost_fen)
                           .where(orders.c.order_id == order_id, orders.c.topup_state == "submitted")
                           .with_for_update()).first()
        if row is None:
            return  # another worker finished it
        refunded = 0
        if result.state == "failed":
            refunded = row.cost_fen
            ledger.post(conn, row.reseller_id, refunded, "refund", order_id)
        conn.execute(update(orders).where(orders.c.order_id == order_id).values(topup_state=result.state))
        feed.append(conn, "order_status", {"order_id": order_id, "topup_state": result.state,
                                           "reason": result.reason, "refunded_fen": refunded},
                    reseller_id=row.reseller_id, terminal_id=row.terminal_id)


def _request(engine: Engine, sealer: Sealer, order_id: str) -> TopupRequest:
    with engine.connect() as conn:
        row = conn.execute(select(orders.c.topup_product_id, orders.c.topup_account_sealed, products.c.face_value_fen)
                           .join(products, products.c.id == orders.c.topup_product_id)
                           .where(orders.c.order_id == order_id)).one()
    return TopupRequest(order_id, row.topup_product_id, sealer.open(row.topup_account_sealed, "account:" + order_id),
                        row.face_value_fen)


def process(engine: Engine, sealer: Sealer, supplier: Supplier, *, limit: int = 50) -> int:
    """One pass: submit queued top-ups, resolve submitted ones. Returns how many reached a final state."""
    finished = 0
    with engine.connect() as conn:
        queued = list(conn.execute(select(orders.c.order_id).where(orders.c.topup_state == "queued")
                                   .order_by(orders.c.received_at).limit(limit)).scalars())
        submitted = list(conn.execute(select(orders.c.order_id).where(orders.c.topup_state == "submitted")
                                      .order_by(orders.c.received_at).limit(limit)).scalars())
    for order_id in queued:
        if not _claim(engine, order_id):
            continue
        try:
            result = supplier.submit(_request(engine, sealer, order_id))
        except SupplierError:
            continue  # executed or not, we do not know: the next pass asks the supplier
        if result.state in ("succeeded", "failed"):
            _finish(engine, order_id, result)
            finished += 1
    for order_id in submitted:
        try:
            result = supplier.query(order_id)
            if result.state == "unknown":
                # The supplier never saw this key (we stopped before sending): sending it now, with the
                # same key, cannot execute it twice.
                result = supplier.submit(_request(engine, sealer, order_id))
        except SupplierError:
            continue
        if result.state in ("succeeded", "failed"):
            _finish(engine, order_id, result)
            finished += 1
    return finished
