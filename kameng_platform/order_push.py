"""Order push: each order idempotent by id, checked against what the platform knows, totals recomputed."""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel
from sqlalchemy import Connection, select, update

from kameng_platform import clock, feed, ledger
from kameng_platform.crypto import Sealer
from kameng_platform.db import insert_once
from kameng_platform.errors import ApiError, not_found
from kameng_platform.models import OrderIn, OrderResult
from kameng_platform.schema import codes, orders, prices, products
from kameng_platform.terminals import Terminal


class Rejected(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def payload_hash(body: BaseModel) -> str:
    """What makes a replay a duplicate rather than a conflict: the same id with the same content."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def stored_result(conn: Connection, order: OrderIn, digest: str, terminal: Terminal) -> OrderResult | None:
    row = conn.execute(select(orders.c.payload_hash, orders.c.terminal_id, orders.c.status, orders.c.reason,
                              orders.c.total_fen).where(orders.c.order_id == order.order_id)).first()
    if row is None:
        return None
    if row.payload_hash != digest or row.terminal_id != terminal.id:
        return OrderResult(order_id=order.order_id, status="conflict",
                           reason="This order id was already used with different content.")
    if row.status == "rejected":
        return OrderResult(order_id=order.order_id, status="rejected", reason=row.reason)
    return OrderResult(order_id=order.order_id, status="duplicate", total_fen=row.total_fen)


def _check_sale(conn: Connection, order: OrderIn, terminal: Terminal) -> list[str]:
    for line in order.lines:
        kind = conn.execute(select(products.c.kind).where(products.c.id == line.product_id)).scalar()
        if kind != "card":
            raise Rejected(f"unknown card product {line.product_id}")
        if len(line.code_ids) != line.quantity:
            raise Rejected("each card sold needs exactly one distinct code id")
    code_ids = [code_id for line in order.lines for code_id in line.code_ids]
    if len(set(code_ids)) != len(code_ids):
        # Across lines too: one card counted on two lines would be reported, and totalled, as two sales.
        raise Rejected("each card sold needs exactly one distinct code id; a code id appears twice in this order")
    # One query in id order: two orders naming the same codes lock them in the same order (no deadlock).
    rows = conn.execute(select(codes.c.id, codes.c.product_id, codes.c.state, codes.c.terminal_id)
                        .where(codes.c.id.in_(code_ids)).order_by(codes.c.id).with_for_update()).all()
    found = {r.id: r for r in rows}
    for line in order.lines:
        for code_id in line.code_ids:
            r = found.get(code_id)
            if r is None or r.terminal_id != terminal.id or r.product_id != line.product_id:
                raise Rejected(f"code {code_id} was not assigned to this terminal for this product")
            if r.state != "assigned":
                raise Rejected(f"code {code_id} is {r.state}, not available to sell")
    return code_ids


def _topup_cost(conn: Connection, order: OrderIn, terminal: Terminal) -> tuple[str, int]:
    if order.topup is None or len(order.lines) != 1 or order.lines[0].quantity != 1 or order.lines[0].code_ids:
        raise Rejected("a top-up has one line of quantity 1, an account and no codes")
    line = order.lines[0]
    row = conn.execute(select(products.c.kind, products.c.active, prices.c.price_fen)
                       .join(prices, (prices.c.product_id == products.c.id) & (prices.c.tier == terminal.tier))
                       .where(products.c.id == line.product_id)).first()
    if row is None or row.kind != "topup":
        raise Rejected(f"unknown top-up product {line.product_id}")
    if not row.active:
        raise Rejected("this top-up product is no longer sold")
    return line.product_id, row.price_fen


class _LostRace(Exception):
    """A concurrent delivery of the same order stored it first: this attempt's work is rolled back."""


def accept(conn: Connection, sealer: Sealer, terminal: Terminal, order: OrderIn) -> OrderResult:
    """Record one order in the caller's transaction (a savepoint per order inside a batch).

    Two deliveries of one order at the same instant (a desk's retry reaching a second API process) are told
    apart by the order row's primary key: the second's insert waits for the first's commit and inserts nothing
    (db.insert_once), its own work is rolled back with the savepoint, and it answers with what the first stored.
    This holds for a rejection too: a rejected order is recorded once, like an accepted one."""
    digest = payload_hash(order)
    previous = stored_result(conn, order, digest, terminal)
    if previous is not None:
        return previous
    total = sum(line.quantity * line.unit_price_fen for line in order.lines)
    base = dict(order_id=order.order_id, terminal_id=terminal.id, reseller_id=terminal.reseller_id,
                payload_hash=digest, kind=order.kind, number=order.number, created_at=order.created_at,
                received_at=clock.now())
    try:
        with conn.begin_nested():
            if total != order.total_fen:
                raise Rejected(f"total {order.total_fen} does not equal the sum of the lines ({total})")
            if order.kind == "sale":
                code_ids = _check_sale(conn, order, terminal)
                if not insert_once(conn, orders, **base, status="accepted", total_fen=total, cost_fen=0,
                                   voided=order.voided):
                    raise _LostRace()
                state = "assigned" if order.voided else "sold"
                conn.execute(update(codes).where(codes.c.id.in_(code_ids))
                             .values(state=state, order_id=None if order.voided else order.order_id))
            else:
                product_id, cost = _topup_cost(conn, order, terminal)
                if ledger.lock_reseller(conn, terminal.reseller_id):
                    raise Rejected("reseller_frozen: the platform has frozen this reseller's account")
                if ledger.balance(conn, terminal.reseller_id) < cost:
                    raise Rejected("insufficient_balance: the prepaid balance is too low for this top-up")
                if not insert_once(
                        conn, orders, **base, status="accepted", total_fen=total, cost_fen=cost, voided=False,
                        topup_state="queued", topup_product_id=product_id,
                        topup_account_sealed=sealer.seal(order.topup.account, "account:" + order.order_id)):
                    raise _LostRace()
                ledger.post(conn, terminal.reseller_id, -cost, "topup", order.order_id)
                feed.append(conn, "order_status", {"order_id": order.order_id, "topup_state": "queued",
                                                   "reason": None, "refunded_fen": 0},
                            reseller_id=terminal.reseller_id, terminal_id=terminal.id)
    except Rejected as exc:
        if insert_once(conn, orders, **base, status="rejected", reason=exc.reason, total_fen=None):
            return OrderResult(order_id=order.order_id, status="rejected", reason=exc.reason)
    except _LostRace:
        pass
    else:
        return OrderResult(order_id=order.order_id, status="accepted", total_fen=total)
    winner = stored_result(conn, order, digest, terminal)
    assert winner is not None, "the order id is the orders table's only unique key"
    return winner


def void(conn: Connection, terminal: Terminal, order_id: str) -> int:
    """Void a sale whose codes were never handed over: they go back to this terminal's unsold stock."""
    row = conn.execute(select(orders.c.terminal_id, orders.c.kind, orders.c.status, orders.c.voided)
                       .where(orders.c.order_id == order_id).with_for_update()).first()
    if row is None or row.terminal_id != terminal.id or row.status != "accepted":
        raise not_found("no such accepted order of this terminal")
    if row.kind != "sale":
        raise ApiError(400, "bad_request", "Top-ups cannot be voided; a failed top-up is refunded.")
    if row.voided:
        return 0
    returned = conn.execute(update(codes).where(codes.c.order_id == order_id, codes.c.state == "sold")
                            .values(state="assigned", order_id=None)).rowcount
    conn.execute(update(orders).where(orders.c.order_id == order_id).values(voided=True))
    return returned
