"""Sales figures for a time range: totals and rows by product, payment method, staff and local day, with cost.

Each row is ``(key, label, orders, quantity, amount_fen, cost_fen)``; the use case (kameng_desk.usecases.reports)
turns them into its report rows."""

from __future__ import annotations

from local_cache.connection import Connection

# Orders that count as sales: fulfilled, and for top-ups not failed (a failed top-up is refunded).
STANDING = "o.state = 'fulfilled' AND (o.kind = 'sale' OR coalesce(o.topup_state, '') != 'failed')"
# What an order cost the shop: the sum of its lines' costs (codes at their restock price, top-ups at the tier price).
ORDER_COST = "(SELECT coalesce(sum(l.cost_fen), 0) FROM order_lines l WHERE l.order_id = o.id)"
# The shop's calendar day of an order (created_at is UTC).
LOCAL_DAY = "date(o.created_at, 'localtime')"

Row = tuple[str, str, int, int, int, int]


def totals(conn: Connection, start: str, end: str) -> tuple[int, int, int]:
    """(amount_fen, orders, cost_fen) of the standing orders made in [start, end)."""
    return conn.execute(
        f"SELECT coalesce(sum(o.total_fen), 0), count(*), coalesce(sum({ORDER_COST}), 0) FROM orders o "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING}", (start, end)).fetchone()


def by_product(conn: Connection, start: str, end: str) -> list[Row]:
    return conn.execute(
        "SELECT l.product_id, l.product_name, count(DISTINCT o.id), sum(l.quantity), "
        "sum(l.quantity * l.unit_price_fen), coalesce(sum(l.cost_fen), 0) "
        "FROM orders o JOIN order_lines l ON l.order_id = o.id "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} "
        "GROUP BY l.product_id, l.product_name ORDER BY 5 DESC", (start, end)).fetchall()


def by_payment_method(conn: Connection, start: str, end: str) -> list[Row]:
    return conn.execute(
        "SELECT o.payment_method, o.payment_method, count(*), count(*), sum(o.total_fen), "
        f"sum({ORDER_COST}) FROM orders o "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} GROUP BY o.payment_method ORDER BY 5 DESC",
        (start, end)).fetchall()


def by_staff(conn: Connection, start: str, end: str) -> list[Row]:
    return conn.execute(
        "SELECT o.staff_id, coalesce(s.name, o.staff_id), count(*), count(*), sum(o.total_fen), "
        f"sum({ORDER_COST}) FROM orders o "
        f"LEFT JOIN staff s ON s.id = o.staff_id WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} "
        "GROUP BY o.staff_id ORDER BY 5 DESC", (start, end)).fetchall()


def refunds_by_method(conn: Connection, start: str, end: str) -> list[tuple[str, int, int]]:
    """(method, refunds, amount_fen) of the refunds paid in [start, end): cash | gateway | cash_instead. A refunded
    order no longer stands (voided, or a failed top-up), so these are not taken off the sales a second time."""
    return conn.execute(
        "SELECT method, count(*), sum(amount_fen) FROM refunds WHERE status = 'succeeded' AND finished_at >= ? "
        "AND finished_at < ? GROUP BY method ORDER BY method", (start, end)).fetchall()


def by_day(conn: Connection, start: str, end: str) -> list[tuple[str, int, int, int]]:
    """(local day, orders, amount_fen, cost_fen) of each day with sales, oldest first."""
    return conn.execute(
        f"SELECT {LOCAL_DAY}, count(*), sum(o.total_fen), sum({ORDER_COST}) FROM orders o "
        f"WHERE o.created_at >= ? AND o.created_at < ? AND {STANDING} GROUP BY 1 ORDER BY 1", (start, end)).fetchall()
