"""A cash shift's figures: the cash it took and what its Z report lists (the use case,
kameng_desk.usecases.cash_shift, turns them into the ZReport record and decides what the drawer should hold)."""

from __future__ import annotations

from dataclasses import dataclass

from local_cache.connection import Connection
from local_cache.queries.sales import ORDER_COST, STANDING
from local_cache.shifts import UNSETTLED, Shift


@dataclass(frozen=True)
class ShiftFigures:
    sales_by_product: list[tuple[str, str, int, int, int]]  # product id, name, quantity, amount, cost
    by_payment_method: dict[str, int]
    orders: int
    topups: int
    topups_fen: int
    topups_failed_fen: int
    first_number: str | None
    last_number: str | None
    # Voids and refunds done since the last count (last_count_before): action, order id, staff, approver, at,
    # number, total.
    approved_actions: list[tuple[str, str, str | None, str | None, str, str | None, int | None]]
    by_staff: list[tuple[str, str, int, int, int]]  # staff id, name, orders, amount, cost
    drawer_openings: int  # since the last count, as the voids and refunds
    before_open_orders: int  # orders made while no shift was open, which joined this one
    before_open_fen: int
    refunds_by_method: dict[str, int]  # refunds paid since the last count: cash | gateway | cash_instead


def cash_taken(conn: Connection, shift: Shift) -> int:
    """Cash in the drawer from the shift's orders made since it opened, net of the refunds it paid out.

    An order counts while it stands, or when a recorded refund paid it back (that refund is then taken out, in
    whichever shift paid it, partial or whole). A void or a failed top-up from before refunds were recorded counts
    as paid back by itself, as it always did."""
    taken = conn.execute(
        f"SELECT coalesce(sum(o.total_fen), 0) FROM orders o WHERE o.shift_id = ? AND o.created_at >= ? "
        f"AND o.payment_method = 'cash' AND (({STANDING}) OR EXISTS (SELECT 1 FROM refunds r "
        "WHERE r.order_id = o.id AND r.status = 'succeeded'))", (shift.id, shift.opened_at)).fetchone()[0]
    paid_out = conn.execute(
        "SELECT coalesce(sum(amount_fen), 0) FROM refunds WHERE status = 'succeeded' "
        "AND method IN ('cash', 'cash_instead') AND finished_at >= ? AND finished_at <= ?",
        (shift.opened_at, shift.closed_at or "9999")).fetchone()[0]
    return taken - paid_out


def last_count_before(conn: Connection, shift: Shift) -> str:
    """When the drawer was last counted before this shift: the previous shift's close ("" before the first).
    Voids, refunds and drawer openings between two shifts are the next one's to list, so each is in exactly one
    Z report (their cash is not counted again: the next float is counted after them)."""
    row = conn.execute("SELECT closed_at FROM shifts WHERE seq < ? AND state = 'closed' ORDER BY seq DESC LIMIT 1",
                       (shift.seq,)).fetchone()
    return row[0] if row else ""


def unsettled_orders(conn: Connection, shift_id: str) -> list[tuple[str, int]]:
    """The shift's orders whose payment is not settled yet (number, total), which its close passes on."""
    return conn.execute(f"SELECT number, total_fen FROM orders WHERE shift_id = ? AND state IN {UNSETTLED} "
                        "ORDER BY number", (shift_id,)).fetchall()


def order_count(conn: Connection, shift_id: str) -> int:
    return conn.execute("SELECT count(*) FROM orders WHERE shift_id = ?", (shift_id,)).fetchone()[0]


def figures(conn: Connection, shift: Shift) -> ShiftFigures:
    sales_by_product = conn.execute(
        "SELECT l.product_id, l.product_name, sum(l.quantity), sum(l.quantity * l.unit_price_fen), "
        "coalesce(sum(l.cost_fen), 0) "
        f"FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.shift_id = ? AND ({STANDING}) "
        "GROUP BY l.product_id, l.product_name ORDER BY l.product_name", (shift.id,)).fetchall()
    by_method = dict(conn.execute(
        f"SELECT o.payment_method, sum(o.total_fen) FROM orders o WHERE o.shift_id = ? AND ({STANDING}) "
        "GROUP BY o.payment_method", (shift.id,)))
    count, topups, topups_fen, failed_fen, first, last = conn.execute(
        "SELECT count(*), sum(kind = 'topup'), "
        "coalesce(sum(CASE WHEN kind = 'topup' THEN total_fen END), 0), "
        "coalesce(sum(CASE WHEN kind = 'topup' AND topup_state = 'failed' THEN total_fen END), 0), "
        "min(number), max(number) FROM orders WHERE shift_id = ?", (shift.id,)).fetchone()
    closed_at = shift.closed_at or "9999"  # an open shift: everything since it opened
    since = last_count_before(conn, shift)
    # Whichever shift sold the order: the money left this drawer. A refund says its own amount (it may be partial).
    approved = conn.execute(
        "SELECT a.action, a.subject, a.staff_id, a.approver_id, a.at, o.number, "
        "coalesce(json_extract(a.detail, '$.amount_fen'), o.total_fen) FROM audit_log a "
        "LEFT JOIN orders o ON o.id = a.subject "
        "WHERE a.action IN ('void', 'refund') AND a.at > ? AND a.at <= ? ORDER BY a.seq",
        (since, closed_at)).fetchall()
    by_staff = conn.execute(
        f"SELECT o.staff_id, coalesce(s.name, ''), count(*), sum(o.total_fen), sum({ORDER_COST}) FROM orders o "
        f"LEFT JOIN staff s ON s.id = o.staff_id WHERE o.shift_id = ? AND ({STANDING}) "
        "GROUP BY o.staff_id ORDER BY 4 DESC", (shift.id,)).fetchall()
    drawer = conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'drawer_open' AND at > ? AND at <= ?",
        (since, closed_at)).fetchone()[0]
    before_count, before_fen = conn.execute(
        f"SELECT count(*), coalesce(sum(CASE WHEN {STANDING} THEN o.total_fen END), 0) FROM orders o "
        "WHERE o.shift_id = ? AND o.created_at < ?", (shift.id, shift.opened_at)).fetchone()
    refunded = dict(conn.execute(
        "SELECT method, sum(amount_fen) FROM refunds WHERE status = 'succeeded' AND finished_at > ? "
        "AND finished_at <= ? GROUP BY method", (since, closed_at)))
    return ShiftFigures(sales_by_product, by_method, count, topups or 0, topups_fen, failed_fen, first, last,
                        approved, by_staff, drawer, before_count, before_fen, refunded)
