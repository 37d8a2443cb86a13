"""Handing codes to the customer (shown on screen or printed) and voiding a sale whose codes were not.

Once a code was shown or printed the customer may have it, so the sale can no longer be voided.
"""

from __future__ import annotations

from kameng_desk.counter.errors import NotVoidableError
from kameng_desk.counter.session import require_owner
from local_cache import Store, audit, codes, orders, outbox
from local_cache.codes import CardCode
from local_cache.ids import utc_now
from local_cache.orders import Order


def reveal_codes(store: Store, *, order_id: str, staff_id: str, how: str = "screen") -> list[CardCode]:
    with store.transaction() as conn:
        conn.execute(
            "UPDATE orders SET codes_handed_over_at = coalesce(codes_handed_over_at, ?) WHERE id = ?",
            (utc_now(), order_id),
        )
        audit.append(conn, "reveal", staff_id=staff_id, subject=order_id, detail={"how": how})
        return codes.for_order(conn, order_id)


def void_sale(store: Store, *, order_id: str, staff_id: str, approver_id: str) -> Order:
    """Void a card sale whose codes were never handed over; the codes go back on the shelf.

    ``approver_id`` is an owner whose PIN was just checked (the owner may approve their own void).
    """
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        order = orders.get(conn, order_id)
        if order.kind != "sale":
            raise NotVoidableError("A top-up cannot be voided; the platform refunds it if it fails.")
        handed = conn.execute("SELECT codes_handed_over_at FROM orders WHERE id = ?", (order_id,)).fetchone()[0]
        if handed is not None:
            raise NotVoidableError("The codes of this sale were already shown or printed.")
        orders.set_state(conn, order_id, "voided", approver_id=approver_id)
        returned = codes.return_unsold(conn, order_id)
        outbox.enqueue(conn, "void", order_id, {"order_id": order_id, "voided_at": utc_now()})
        audit.append(conn, "void", staff_id=staff_id, approver_id=approver_id, subject=order_id,
                     detail={"number": order.number, "total_fen": order.total_fen, "codes_returned": returned})
        return orders.get(conn, order_id)
