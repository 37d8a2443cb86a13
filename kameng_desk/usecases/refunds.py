"""Paying back a top-up the platform failed and refunded: the platform decides, the desk records the hand-back.

The platform returns the money to the reseller's balance when a top-up fails; the customer who paid at the
counter gets it back from the drawer. That hand-back needs an owner's PIN and is audited once per order
(the Z report lists it with who approved it).

A card sale is never refunded here: money back does not bring a code back. Once its codes were handed over they
stay sold to that order (the store's triggers refuse any re-shelving, see local_cache.migrations V5_HANDOVER); a
sale whose codes never left is voided instead.
"""

from __future__ import annotations

from typing import Literal

from kameng_desk.usecases.errors import CounterError
from kameng_desk.usecases.session import require_owner
from local_cache import Store, audit, orders
from local_cache.connection import Connection
from local_cache.orders import Order


class NotRefundableError(CounterError):
    """`why` for the screens: not a top-up, not reported failed, or already refunded."""

    def __init__(self, reason: str, why: Literal["card_sale", "not_failed", "refunded"]) -> None:
        super().__init__(reason)
        self.why = why


def refunded_at(conn: Connection, order_id: str) -> str | None:
    return audit.first_at(conn, "refund", order_id)


def refund_topup(store: Store, *, order_id: str, staff_id: str, approver_id: str) -> Order:
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        order = orders.get(conn, order_id)
        if order.kind != "topup":
            raise NotRefundableError("Only a top-up is refunded at the counter; a card sale is voided.", "card_sale")
        if order.topup_state != "failed":
            raise NotRefundableError("The platform has not reported this top-up as failed; nothing to refund yet.",
                                     "not_failed")
        if refunded_at(conn, order_id) is not None:
            raise NotRefundableError("This top-up was already refunded.", "refunded")
        audit.append(conn, "refund", staff_id=staff_id, approver_id=approver_id, subject=order_id,
                     detail={"number": order.number, "total_fen": order.total_fen,
                             "payment_method": order.payment_method})
        return order
