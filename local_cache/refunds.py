"""Refunds of orders, moving along states.REFUND. A refund's id is made here and stored (pending) before anybody pays
it out, so a retry or a restart repeats the same refund instead of making a second one.

The schema holds the money rule for every writer (migrations V10_REFUNDS): what is refunded of an order, pending or
done, never exceeds its total; a refund's amount and method never change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from local_cache import states
from local_cache.connection import Connection
from local_cache.errors import NotFoundError
from local_cache.ids import utc_now

Method = Literal["cash", "gateway", "cash_instead"]
# The refund methods whose money leaves the drawer.
CASH_METHODS = ("cash", "cash_instead")


@dataclass(frozen=True)
class Refund:
    refund_id: str
    order_id: str
    payment_id: str | None  # the platform payment a gateway refund goes back to
    amount_fen: int
    method: str  # cash | gateway | cash_instead
    status: str  # pending | succeeded | failed
    reason: str
    staff_id: str | None  # None: the sync round started it (a failed top-up paid by QR or code)
    approver_id: str | None
    created_at: str
    finished_at: str | None
    failure: str | None

    @property
    def from_drawer(self) -> bool:
        return self.method in CASH_METHODS


@dataclass(frozen=True)
class GatewayPayment:
    """The platform payment an order was paid with (QR or payment code): where its refunds go back to."""
    payment_id: str
    method: str
    amount_fen: int


_COLUMNS = ("refund_id, order_id, payment_id, amount_fen, method, status, reason, staff_id, approver_id, "
            "created_at, finished_at, failure")


def create(conn: Connection, *, refund_id: str, order_id: str, payment_id: str | None, amount_fen: int,
           method: Method, reason: str, staff_id: str | None, approver_id: str | None) -> Refund:
    """Store a pending refund (the schema refuses one above what is left of the order)."""
    conn.execute(
        "INSERT INTO refunds(refund_id, order_id, payment_id, amount_fen, method, status, reason, staff_id, "
        "approver_id, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)",
        (refund_id, order_id, payment_id, amount_fen, method, reason, staff_id, approver_id, utc_now()))
    return get(conn, refund_id)


def get(conn: Connection, refund_id: str) -> Refund:
    row = conn.execute(f"SELECT {_COLUMNS} FROM refunds WHERE refund_id = ?", (refund_id,)).fetchone()
    if row is None:
        raise NotFoundError("No such refund.")
    return Refund(*row)


def find(conn: Connection, refund_id: str) -> Refund | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM refunds WHERE refund_id = ?", (refund_id,)).fetchone()
    return None if row is None else Refund(*row)


def finish(conn: Connection, refund_id: str, target: str, *, failure: str | None = None) -> bool:
    """Move a pending refund to succeeded or failed; False when it is there already (a repeated answer)."""
    current = get(conn, refund_id)
    if current.status == target:
        return False
    states.check("refund", current.status, target)
    conn.execute("UPDATE refunds SET status = ?, failure = ?, finished_at = ? WHERE refund_id = ?",
                 (target, failure, utc_now(), refund_id))
    return True


def for_order(conn: Connection, order_id: str) -> list[Refund]:
    return [Refund(*r) for r in conn.execute(
        f"SELECT {_COLUMNS} FROM refunds WHERE order_id = ? ORDER BY created_at, refund_id", (order_id,))]


def committed_fen(conn: Connection, order_id: str) -> int:
    """What of the order is refunded or being refunded (pending and succeeded): the rest is what is left."""
    return conn.execute("SELECT coalesce(sum(amount_fen), 0) FROM refunds WHERE order_id = ? AND status != 'failed'",
                        (order_id,)).fetchone()[0]


def pending(conn: Connection) -> list[Refund]:
    """Gateway refunds whose outcome the platform has not told us yet, oldest first."""
    return [Refund(*r) for r in conn.execute(
        f"SELECT {_COLUMNS} FROM refunds WHERE status = 'pending' AND method = 'gateway' ORDER BY created_at")]


def gateway_payment(conn: Connection, order_id: str) -> GatewayPayment | None:
    """The order's paid platform payment (a QR or code payment; the shop's static QR never went through the
    platform, so the platform cannot refund it)."""
    row = conn.execute("SELECT id, method, amount_fen FROM payments WHERE order_id = ? AND state = 'paid' "
                       "AND method != 'static' ORDER BY created_at LIMIT 1", (order_id,)).fetchone()
    return None if row is None else GatewayPayment(*row)


def latest_order_id(conn: Connection) -> str | None:
    """The counter's last sale: the newest order recorded here that took the customer's money (whatever became of
    it since). A payment code refused or a QR given up in between is no sale: F6 after it still finds the sale
    before (the customer who comes back to the counter)."""
    row = conn.execute(
        "SELECT id FROM orders o WHERE o.state NOT IN ('awaiting_payment', 'cancelled') OR EXISTS "
        "(SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.state = 'paid') "
        "ORDER BY created_at DESC, id DESC LIMIT 1").fetchone()
    return None if row is None else row[0]
