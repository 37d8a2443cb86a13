"""Sell card codes from the local cache: one transaction marks the codes sold and records the order,
its outbox row and its audit entry, durably, before the cashier sees the codes (DESIGN §4.1, §4.2)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from kameng_desk.usecases.errors import EmptyCartError
from kameng_desk.usecases.recording import new_order, queue_for_platform, sellable
from local_cache import Store, codes
from local_cache.codes import CardCode
from local_cache.connection import Connection
from local_cache.orders import Order, OrderLine


@dataclass(frozen=True)
class CartLine:
    product_id: str
    quantity: int


@dataclass(frozen=True)
class Sale:
    order: Order
    codes: tuple[CardCode, ...]


def sell_codes(store: Store, *, staff_id: str, cart: list[CartLine], cash_received_fen: int | None = None,
               payment_method: str = "cash", also_record: Callable[[Connection, Order], None] | None = None) -> Sale:
    """`also_record` writes what belongs with this sale in the same transaction (a static-QR sale's 收到款项).

    Cash received above the sane bound (recording.check_cash_received, in new_order) writes nothing."""
    merged: Counter[str] = Counter()
    for line in cart:
        if line.quantity <= 0:
            raise ValueError("quantity must be positive")
        merged[line.product_id] += line.quantity
    if not merged:
        raise EmptyCartError()
    with store.transaction() as conn:
        products = [sellable(conn, pid, "card") for pid in merged]
        lines = tuple(OrderLine(p.id, p.name, merged[p.id], p.retail_price_fen) for p in products)
        order = new_order(conn, kind="sale", lines=lines, staff_id=staff_id, payment_method=payment_method,
                          cash_received_fen=cash_received_fen)
        sold: list[CardCode] = []
        for line in lines:
            sold += codes.take(conn, line.product_id, line.quantity, order.id, product_name=line.product_name)
        queue_for_platform(conn, order, sold, audit_detail={"codes": len(sold)})
        if also_record is not None:
            also_record(conn, order)
    return Sale(order, tuple(sold))
