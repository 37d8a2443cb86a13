"""Sell card codes from the local cache: one transaction marks the codes sold and records the order,
its outbox row and its audit entry, durably, before the cashier sees the codes (DESIGN §4.1, §4.2)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from kameng_desk.counter.errors import EmptyCartError, NotEnoughCashError, ProductUnavailableError
from kameng_desk.counter.order_payload import order_payload
from local_cache import Store, audit, catalog, codes, orders, outbox, shifts, sync_state
from local_cache.codes import CardCode
from local_cache.ids import new_id, utc_now
from local_cache.orders import Order, OrderLine

DEFAULT_PREFIX = "KM"


@dataclass(frozen=True)
class CartLine:
    product_id: str
    quantity: int


@dataclass(frozen=True)
class Sale:
    order: Order
    codes: tuple[CardCode, ...]


def shop_day(now: datetime | None = None) -> str:
    """The shop's own calendar day (local time), used in order numbers."""
    return (now or datetime.now().astimezone()).strftime("%Y-%m-%d")


def sell_codes(store: Store, *, staff_id: str, cart: list[CartLine], cash_received_fen: int | None = None,
               payment_method: str = "cash") -> Sale:
    merged = Counter()
    for line in cart:
        if line.quantity <= 0:
            raise ValueError("quantity must be positive")
        merged[line.product_id] += line.quantity
    if not merged:
        raise EmptyCartError()
    with store.transaction() as conn:
        products = [catalog.get(conn, pid) for pid in merged]
        for product in products:
            if not product.active or product.kind != "card":
                raise ProductUnavailableError(product.name)
        lines = tuple(OrderLine(p.id, p.name, merged[p.id], p.retail_price_fen) for p in products)
        total = sum(line.amount_fen for line in lines)
        change = None
        if payment_method == "cash":
            received = total if cash_received_fen is None else cash_received_fen
            if received < total:
                raise NotEnoughCashError(total, received)
            change = received - total
        else:
            received = None
        shift = shifts.current(conn)
        order = Order(
            id=new_id(),
            number=orders.next_number(conn, sync_state.get(conn, "terminal_prefix") or DEFAULT_PREFIX,
                                      shop_day()),
            kind="sale", state="fulfilled", payment_method=payment_method, total_fen=total,
            staff_id=staff_id, created_at=utc_now(), lines=lines, cash_received_fen=received,
            change_fen=change, shift_id=shift.id if shift else None,
        )
        orders.insert(conn, order)
        sold: list[CardCode] = []
        for line in lines:
            sold += codes.take(conn, line.product_id, line.quantity, order.id, product_name=line.product_name)
        code_ids = {line.product_id: [c.id for c in sold if c.product_id == line.product_id] for line in lines}
        outbox.enqueue(conn, "order", order.id, order_payload(order, code_ids))
        audit.append(conn, "sale", staff_id=staff_id, subject=order.id,
                     detail={"number": order.number, "total_fen": total, "codes": len(sold)})
    return Sale(order, tuple(sold))
