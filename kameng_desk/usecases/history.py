"""Order history: the list (filters, sorting and paging done in SQL by local_cache.queries.history, so 100,000
orders stay fast) and one order's detail with what may still be done to it."""

from __future__ import annotations

from dataclasses import dataclass

from kameng_desk.usecases.handover import void_refusal
from kameng_desk.usecases.refunds import NotRefundableError, refunded_at
from kameng_desk.usecases.refunds import plan as refund_plan
from local_cache import orders, refunds
from local_cache.connection import Connection
from local_cache.orders import Order
from local_cache.queries import history as queries
from local_cache.queries.history import OrderFilter, OrderRow, choices, count, page
from local_cache.refunds import Refund

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
    refunds: tuple[Refund, ...] = ()  # every refund of it, failed ones too (the owner sees why)
    refunded_fen: int = 0  # what went back to the customer

    @property
    def refund_owed(self) -> bool:
        """A platform payment of a voided or given-up sale that has not all gone back yet."""
        return self.refund_needed and self.refundable


def detail(conn: Connection, order_id: str) -> OrderDetail:
    order = orders.get(conn, order_id)
    facts = queries.facts(conn, order_id, (order.staff_id, order.approver_id))
    refunded = refunded_at(conn, order_id)
    try:
        refund_plan(conn, order_id)
        refundable = True
    except NotRefundableError:
        refundable = False
    done = tuple(refunds.for_order(conn, order_id))
    return OrderDetail(
        order, facts.staff_names.get(order.staff_id), facts.staff_names.get(order.approver_id), facts.codes_count,
        facts.handed_over_at, facts.refund_needed, refunded,
        voidable=void_refusal(conn, order) is None, refundable=refundable, refunds=done,
        refunded_fen=sum(r.amount_fen for r in done if r.status == "succeeded"))

