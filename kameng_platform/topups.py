"""Executing top-ups through a supplier, at most once per order.

queued -> submitted is committed before the supplier is called, and the order id is the supplier's
idempotency key; a top-up whose answer was lost stays submitted and is resolved by querying the
supplier (and, only if the supplier has no record of that key, by submitting again with the same key).
Each platform process runs the worker; a lease on the order (periodic.claim) lets one of them at a time
submit or query a top-up.
A failure refunds the reseller through the ledger. Every change goes into the changes feed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Connection, Engine, select, update

from kameng_platform import clock, feed, ledger, periodic
from kameng_platform.crypto import Sealer
from kameng_platform.schema import orders, products
from kameng_platform.suppliers.base import Supplier, SupplierError, SupplierResult, TopupRequest

log = logging.getLogger(__name__)

OPEN = ("queued", "submitted")
# A worker's lease on one top-up: longer than its supplier calls can take (a query and a submit; the MD5-form
# adapter gives each 15 s), so two processes never send the same top-up at once. A process killed while holding
# it delays that one top-up by at most this long.
LEASE_S = 60


def _claim(engine: Engine, order_id: str, worker: str, lease_s: float) -> str | None:
    """Leases the top-up to `worker` (queued -> submitted on the way, so a crash from here on leaves it to be
    resolved by a query). Returns the state it was in, or None if another worker holds it or it is final."""
    with engine.begin() as conn:
        if not periodic.claim(conn, orders, order_id, orders.c.topup_state.in_(OPEN), worker=worker,
                              lease_s=lease_s):
            return None
        row = conn.execute(select(orders.c.topup_state, orders.c.reseller_id, orders.c.terminal_id)
                           .where(orders.c.order_id == order_id)).one()
        if row.topup_state == "queued":
            conn.execute(update(orders).where(orders.c.order_id == order_id).values(topup_state="submitted"))
            feed.append(conn, "order_status", {"order_id": order_id, "topup_state": "submitted", "reason": None,
                                               "refunded_fen": 0}, reseller_id=row.reseller_id,
                        terminal_id=row.terminal_id)
        return row.topup_state


def _release(engine: Engine, order_id: str, worker: str) -> None:
    with engine.begin() as conn:
        periodic.release(conn, orders, order_id, worker)


def _finish(engine: Engine, order_id: str, result: SupplierResult,
            also: Callable[[Connection, str], None] | None = None) -> None:
    with engine.begin() as conn:
        if record_outcome(conn, order_id, result) and also is not None:
            also(conn, result.state)


def record_outcome(conn: Connection, order_id: str, result: SupplierResult, *, by_person: bool = False) -> bool:
    """Records a final outcome (succeeded, or failed: the reseller refunded through the ledger) of an open top-up,
    once. True when this call recorded it; False when it is final already (another worker, or a person, was first).
    The supplier's answer finishes a submitted top-up; a person (the console's 补单) may finish any open one, but
    only while no worker holds its lease: a worker mid-call to the supplier has the real answer on its way."""
    where = [orders.c.order_id == order_id]
    if by_person:
        where += [orders.c.topup_state.in_(OPEN), periodic.lease_free(orders, clock.now())]
    else:
        where.append(orders.c.topup_state == "submitted")
    # FOR UPDATE: a second transaction waits, then re-reads the row and no longer finds it open (PostgreSQL);
    # SQLite's writers are serial (BEGIN IMMEDIATE).
    row = conn.execute(select(orders.c.reseller_id, orders.c.terminal_id, orders.c.cost_fen).where(*where)
                       .with_for_update()).first()
    if row is None:
        return False
    refunded = 0
    if result.state == "failed":
        refunded = row.cost_fen
        ledger.post(conn, row.reseller_id, refunded, "refund", order_id)
    conn.execute(update(orders).where(orders.c.order_id == order_id)
                 .values(topup_state=result.state, lease_until=None))
    feed.append(conn, "order_status", {"order_id": order_id, "topup_state": result.state,
                                       "reason": result.reason, "refunded_fen": refunded},
                reseller_id=row.reseller_id, terminal_id=row.terminal_id)
    return True


def _request(engine: Engine, sealer: Sealer, order_id: str) -> TopupRequest:
    with engine.connect() as conn:
        row = conn.execute(select(orders.c.topup_product_id, orders.c.topup_account_sealed, products.c.face_value_fen)
                           .join(products, products.c.id == orders.c.topup_product_id)
                           .where(orders.c.order_id == order_id)).one()
    return TopupRequest(order_id, row.topup_product_id, sealer.open(row.topup_account_sealed, "account:" + order_id),
                        row.face_value_fen)


def _execute(engine: Engine, sealer: Sealer, supplier: Supplier, order_id: str, state: str) -> SupplierResult:
    if state == "submitted":  # sent before, the answer lost (or a crash): the supplier knows what happened
        result = supplier.query(order_id)
        if result.state != "unknown":
            return result
        # The supplier never saw this key (we stopped before sending): sending it now, with the same key, cannot
        # execute it twice.
    return supplier.submit(_request(engine, sealer, order_id))


def process(engine: Engine, sealer: Sealer, supplier: Supplier, *, worker: str | None = None,
            lease_s: float = LEASE_S, limit: int = 50) -> int:
    """One pass: submit queued top-ups, resolve submitted ones, each under this worker's lease (any number of
    processes may run passes at once). Returns how many reached a final state."""
    worker = worker or periodic.worker_id()
    with engine.connect() as conn:
        due = list(conn.execute(select(orders.c.order_id)
                                .where(orders.c.topup_state.in_(OPEN), periodic.lease_free(orders, clock.now()))
                                .order_by(orders.c.received_at).limit(limit)).scalars())
    return sum(process_one(engine, sealer, supplier, order_id, worker=worker, lease_s=lease_s) is not None
               for order_id in due)


def process_one(engine: Engine, sealer: Sealer, supplier: Supplier, order_id: str, *, worker: str,
                lease_s: float = LEASE_S, also: Callable[[Connection, str], None] | None = None) -> str | None:
    """Submit or ask about one open top-up under this worker's lease (the worker's pass, and a person's "query
    again" in the console). Returns the final state it reached, or None: not final yet, or another worker has it.
    `also(conn, state)` runs in the transaction that records the final state (the console's audit entry)."""
    state = _claim(engine, order_id, worker, lease_s)
    if state is None:
        return None
    try:
        result = _execute(engine, sealer, supplier, order_id, state)
    except SupplierError:
        result = None  # executed or not, we do not know: the next pass asks the supplier
    if result is not None and result.state in ("succeeded", "failed"):
        _finish(engine, order_id, result, also)
        return result.state
    # Not final yet: the next pass of any process takes it. (An unexpected error leaves the lease to run out.)
    _release(engine, order_id, worker)
    return None
