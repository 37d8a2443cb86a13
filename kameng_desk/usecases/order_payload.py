"""The wire form of an order, frozen into the outbox when the order is recorded.

Freezing it at sale time keeps every retry byte-identical, which is what the platform's idempotency
check compares.
"""

from __future__ import annotations

from typing import Any

from local_cache.orders import Order


def order_payload(order: Order, code_ids: dict[str, list[str]], *, voided: bool = False) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "number": order.number,
        "kind": order.kind,
        "created_at": order.created_at,
        "payment_method": order.payment_method,
        "lines": [
            {
                "product_id": line.product_id,
                "quantity": line.quantity,
                "unit_price_fen": line.unit_price_fen,
                "code_ids": code_ids.get(line.product_id, []),
            }
            for line in order.lines
        ],
        "total_fen": order.total_fen,
        "topup": {"account": order.topup_account} if order.kind == "topup" else None,
        "voided": voided,
    }
