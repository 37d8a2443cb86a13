"""Handing codes to the customer and voiding a sale whose codes never were.

A code is handed over the moment its secret is shown on screen or its card slip is claimed for sending to a
printer (kameng_desk.printing.service, before the first byte goes out, so a slip cut off by a crash counts).
From then on the customer may have it: the sale cannot be voided and the code never goes back on sale.
"""

from __future__ import annotations

from kameng_desk.usecases.errors import CounterError, NotVoidableError
from kameng_desk.usecases.session import require_owner
from local_cache import Store, audit, codes, orders, outbox, print_jobs, refunds
from local_cache.codes import CardCode
from local_cache.connection import Connection
from local_cache.ids import utc_now
from local_cache.orders import Order


class CodesHandedOverError(NotVoidableError):
    """The customer may hold the codes: voiding would put them on sale for the next customer."""

    def __init__(self, handed_over_at: str) -> None:
        super().__init__("The codes of this sale were already shown or sent to the printer; "
                         "the customer may have them, so the sale cannot be voided.", why="handed_over")
        self.handed_over_at = handed_over_at


class NotShowableError(CounterError):
    """Only a completed sale's codes are shown: a voided, cancelled or unpaid order's codes are not its own."""

    def __init__(self, state: str) -> None:
        super().__init__(f"This order is {state}: its codes cannot be shown.")
        self.state = state


def void_refusal(conn: Connection, order: Order) -> NotVoidableError | None:
    """Why this order cannot be voided now, or None when it can (the detail screen greys the button)."""
    if order.kind != "sale":
        return NotVoidableError("A top-up cannot be voided; the platform refunds it if it fails.", why="topup")
    if order.state != "fulfilled":
        return NotVoidableError(f"This sale is {order.state}, not a completed sale.", why="state",
                                state=order.state)
    handed = orders.codes_handed_over_at(conn, order.id)
    if handed is not None:
        return CodesHandedOverError(handed)
    return None


def check_voidable(conn: Connection, order_id: str) -> Order:
    """Raise the NotVoidableError that applies; the GUI calls it before asking for the owner's PIN."""
    order = orders.get(conn, order_id)
    refusal = void_refusal(conn, order)
    if refusal is not None:
        raise refusal
    return order


def reveal_codes(store: Store, *, order_id: str, staff_id: str, how: str = "screen") -> list[CardCode]:
    with store.transaction() as conn:
        order = orders.get(conn, order_id)
        if order.state != "fulfilled":
            raise NotShowableError(order.state)
        orders.mark_codes_handed_over(conn, order_id)
        audit.append(conn, "reveal", staff_id=staff_id, subject=order_id, detail={"how": how})
        return codes.for_order(conn, order_id)


def void_sale(store: Store, *, order_id: str, staff_id: str, approver_id: str) -> Order:
    """Void a card sale whose codes were never handed over: the codes go back on the shelf and the sale's slips
    that have not started printing are cancelled, in one transaction, so no slip of it can print later.

    ``approver_id`` is an owner whose PIN was just checked (the owner may approve their own void).
    """
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        return void_in(conn, order_id, staff_id=staff_id, approver_id=approver_id)


def void_in(conn: Connection, order_id: str, *, staff_id: str, approver_id: str) -> Order:
    """The void inside the caller's transaction (a refund of a card sale voids it with the refund it records).

    A sale paid through the platform (QR or payment code) is flagged refund_needed: the customer's money is owed
    back to their payment, and the order detail offers that refund (kameng_desk.usecases.refunds)."""
    order = check_voidable(conn, order_id)
    orders.set_state(conn, order_id, "voided", approver_id=approver_id)
    returned = codes.return_unsold(conn, order_id)
    cancelled = print_jobs.cancel_for_order(conn, order_id)
    if refunds.gateway_payment(conn, order_id) is not None:
        orders.flag_refund_needed(conn, order_id)
    outbox.enqueue(conn, "void", order_id, {"order_id": order_id, "voided_at": utc_now()})
    audit.append(conn, "void", staff_id=staff_id, approver_id=approver_id, subject=order_id,
                 detail={"number": order.number, "total_fen": order.total_fen, "codes_returned": returned,
                         "slips_cancelled": cancelled})
    return orders.get(conn, order_id)
