"""Record a phone or game top-up. It is queued locally (offline too) and executed by the platform."""

from __future__ import annotations

import re

from kameng_desk.usecases.errors import InvalidAccountError
from kameng_desk.usecases.phone import parse_phone
from kameng_desk.usecases.recording import new_order, queue_for_platform, sellable
from local_cache import Store
from local_cache.catalog import Product
from local_cache.orders import Order, OrderLine


def validate_account(product: Product, account: str) -> str:
    """The normalised account for this product, or InvalidAccountError with what is wrong."""
    rule = product.account_rule
    if rule == "phone":
        return parse_phone(account).number
    account = account.strip()
    if not account:
        raise InvalidAccountError("empty")
    if rule and re.fullmatch(rule, account) is None:
        raise InvalidAccountError("pattern", product_name=product.name)
    return account


def record_topup(store: Store, *, staff_id: str, product_id: str, account: str,
                 cash_received_fen: int | None = None, payment_method: str = "cash") -> Order:
    with store.transaction() as conn:
        product = sellable(conn, product_id, "topup")
        target = validate_account(product, account)
        line = OrderLine(product.id, product.name, 1, product.retail_price_fen)
        order = new_order(conn, kind="topup", lines=(line,), staff_id=staff_id, payment_method=payment_method,
                          cash_received_fen=cash_received_fen, topup_account=target)
        queue_for_platform(conn, order, [], audit_detail={"product_id": product.id})
    return order
