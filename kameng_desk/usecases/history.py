"""Order history: the list (filters, sorting and paging done in SQL by local_cache.queries.history, so 100,000
orders stay fast) and one order's detail with what may still be done to it."""

from __future__ import annotations

from dataclasses import dataclass

from kameng_desk.usecases.handover import void_refusal
from kameng_desk.usecases.refunds import refunded_at
from local_cache import orders
from local_cache.connection import Connection
from local_cache.orders import Order
from local_cache.queries import history as queries
from local_cache.queries.history import OrderFilter, OrderRow, choices, count, page

# The list itself is a read model; the screens call it through this module, as they do the detail.
__all__ = ["SORTABLE", "OrderDetail", "OrderFilter", "OrderRow", "choices", "count", "detail", "page"]

# The sort keys the history screen offers.
SORTABLE = tuple(queries.SORT_COLUMNS)


@dataclass(frozen=True)
class OrderDetail:
    """One order as the detail dialog shows it: never its codes, only how many and whether they were handed over."""

    order: Order
    staff_name: str | None
    approver_name: str | None
    codes_count: int
    handed_over_at: str | None
    refund_needed: bool  # a QR payment that arrived after the sale was given up
    refunded_at: str | None
    voidable: bool
    refundable: bool


def detail(conn: Connection, order_id: str) -> OrderDetail:
    order = orders.get(conn, order_id)
    facts = queries.facts(conn, order_id, (order.staff_id, order.approver_id))
    refunded = refunded_at(conn, order_id)
    return OrderDetail(
        order, facts.staff_names.get(order.staff_id), facts.staff_names.get(order.approver_id), facts.codes_count,
        facts.handed_over_at, facts.refund_needed, refunded,
        voidable=void_refusal(conn, order) is None,
        refundable=order.kind == "topup" and order.topup_state == "failed" and refunded is None)

