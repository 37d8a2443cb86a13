"""What every counter order shares: totals and change, the receipt number, the outbox row, the audit entry."""

from __future__ import annotations

from datetime import datetime

from kameng_desk.records.money import MAX_OVERPAY_FEN
from kameng_desk.usecases.errors import CashOutOfRangeError, NotEnoughCashError, ProductUnavailableError
from kameng_desk.usecases.order_payload import order_payload
from kameng_desk.usecases.print_queue import queue_order_slips
from local_cache import audit, catalog, orders, outbox, shifts, sync_state
from local_cache.catalog import Product
from local_cache.codes import CardCode
from local_cache.connection import Connection
from local_cache.ids import new_id, utc_now
from local_cache.orders import Order, OrderLine

DEFAULT_PREFIX = "KM"


def shop_day(now: datetime | None = None) -> str:
    """The shop's own calendar day (local time), used in order numbers."""
    return (now or datetime.now().astimezone()).strftime("%Y-%m-%d")


def sellable(conn: Connection, product_id: str, kind: str) -> Product:
    product = catalog.get(conn, product_id)
    if not product.active or product.kind != kind:
        raise ProductUnavailableError(product.name)
    return product


def check_cash_received(total_fen: int, received_fen: int) -> None:
    """Raises CashOutOfRangeError above total + MAX_OVERPAY_FEN (too little is NotEnoughCashError, at recording)."""
    if received_fen - total_fen > MAX_OVERPAY_FEN:
        raise CashOutOfRangeError(total_fen, received_fen)



def new_order(conn: Connection, *, kind: str, lines: tuple[OrderLine, ...], staff_id: str,
              payment_method: str, cash_received_fen: int | None, topup_account: str | None = None,
              state: str = "fulfilled") -> Order:
    """Insert the order (inside the caller's transaction) after checking the cash covers it, within the sane
    bound of a tender (a scanned code in the cash field is not cash): a sale or a top-up alike."""
    total = sum(line.amount_fen for line in lines)
    received = change = None
    if payment_method == "cash":
        received = total if cash_received_fen is None else cash_received_fen
        if received < total:
            raise NotEnoughCashError(total, received)
        check_cash_received(total, received)
        change = received - total
    shift = shifts.current(conn)
    prefix = sync_state.get(conn, "terminal_prefix") or DEFAULT_PREFIX
    order = Order(
        id=new_id(), number=orders.next_number(conn, prefix, shop_day()), kind=kind, state=state,
        payment_method=payment_method, total_fen=total, staff_id=staff_id, created_at=utc_now(), lines=lines,
        topup_state="queued" if kind == "topup" else None, topup_account=topup_account,
        cash_received_fen=received, change_fen=change, shift_id=shift.id if shift else None,
    )
    orders.insert(conn, order)
    return order


def queue_for_platform(conn: Connection, order: Order, sold: list[CardCode], *, audit_detail: dict) -> None:
    """Outbox row, audit entry and the order's slips in the print queue, all in the caller's transaction."""
    orders.record_cost(conn, order.id)  # the codes are on the order now: the sale's cost is known
    code_ids = {line.product_id: [c.id for c in sold if c.product_id == line.product_id] for line in order.lines}
    outbox.enqueue(conn, "order", order.id, order_payload(order, code_ids))
    audit.append(conn, order.kind, staff_id=order.staff_id, subject=order.id,
                 detail={"number": order.number, "total_fen": order.total_fen, **audit_detail})
    queue_order_slips(conn, order, sold)
