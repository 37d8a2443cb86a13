"""Putting slips in the print queue, inside the caller's transaction, so a recorded sale always has its slips.

The stored payload is the slip's layout (JSON) in the encrypted database: card secrets never reach a plain
file or a log. Jobs go to the desk's one printer name; without a configured printer they wait under it and
print once one is set up (and the queue panel shows them meanwhile).
"""

from __future__ import annotations

from kameng_desk.printing.config import PRINTER_NAME
from kameng_desk.printing.errors import NotReprintableError
from kameng_desk.printing.layout import Slip
from kameng_desk.printing.slips import CardProduct, Shop, card_slip, sale_receipt, topup_receipt
from kameng_desk.usecases.session import require_owner
from local_cache import Store, audit, catalog, codes, orders, print_jobs, settings, staff
from local_cache.codes import CardCode
from local_cache.connection import Connection
from local_cache.orders import Order
from local_cache.print_jobs import PrintJob

DEFAULT_SHOP_NAME = "卡盟收银台"


def shop(conn: Connection) -> Shop:
    return Shop(settings.get(conn, "shop_name") or DEFAULT_SHOP_NAME, settings.get(conn, "receipt_header") or "")


def enqueue_slip(conn: Connection, slip: Slip, *, order_id: str | None = None, is_copy: bool = False) -> PrintJob:
    return print_jobs.enqueue(conn, slip.kind, PRINTER_NAME, slip.to_json(), order_id=order_id, is_copy=is_copy)


def order_slips(conn: Connection, order: Order, sold: list[CardCode]) -> list[Slip]:
    """Sale: the receipt, then one card slip per code (what the cashier hands over). Top-up: its receipt."""
    here, cashier = shop(conn), staff.name_of(conn, order.staff_id) or order.staff_id[:8]
    if order.kind == "topup":
        return [topup_receipt(order, shop=here, cashier=cashier)]
    slips = [sale_receipt(order, shop=here, cashier=cashier)]
    products: dict[str, CardProduct] = {}
    for n, code in enumerate(sold, start=1):
        if code.product_id not in products:
            p = catalog.get(conn, code.product_id)
            products[code.product_id] = CardProduct(p.name, p.redeem_hint, p.redeem_url)
        slips.append(card_slip(order, code, shop=here, product=products[code.product_id], index=n, count=len(sold)))
    return slips


def queue_order_slips(conn: Connection, order: Order, sold: list[CardCode], *, is_copy: bool = False) -> list[PrintJob]:
    """Called from counter.recording in the transaction that records the order."""
    return [enqueue_slip(conn, slip, order_id=order.id, is_copy=is_copy) for slip in order_slips(conn, order, sold)]


def reprint_order(store: Store, *, order_id: str, staff_id: str, approver_id: str) -> list[PrintJob]:
    """Queue the order's slips again as copies (重印 / COPY), audited with both people. Needs an owner's
    approval (DESIGN §8): the caller has checked the owner's PIN and passes the owner as ``approver_id``."""
    if not approver_id:
        raise NotReprintableError("an owner must approve a reprint.")
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        order = orders.get(conn, order_id)
        if order.state != "fulfilled":
            raise NotReprintableError(f"order {order.number} is {order.state}, not a completed sale.", order.state)
        sold = [c for c in codes.for_order(conn, order.id) if c.state == "sold"]
        jobs = queue_order_slips(conn, order, sold, is_copy=True)
        audit.append(conn, "reprint", staff_id=staff_id, approver_id=approver_id, subject=order.id,
                     detail={"number": order.number, "slips": len(jobs), "card_slips": len(sold)})
    return jobs


def queue_slip(store: Store, slip: Slip) -> PrintJob:
    """A slip that belongs to no order (shift report, test page)."""
    with store.transaction() as conn:
        return enqueue_slip(conn, slip)


def retry_job(store: Store, job_id: str, *, staff_id: str | None) -> None:
    """A failed job goes back to the queue; one that failed after bytes went out prints as a COPY."""
    with store.transaction() as conn:
        print_jobs.retry(conn, job_id)
        audit.append(conn, "print_retry", staff_id=staff_id, subject=job_id)


def cancel_job(store: Store, job_id: str, *, staff_id: str | None) -> None:
    """Dropping a slip is a decision someone took: it is audited, never silent."""
    with store.transaction() as conn:
        job = print_jobs.get(conn, job_id)
        print_jobs.cancel(conn, job_id)
        audit.append(conn, "print_cancel", staff_id=staff_id, subject=job.order_id or job_id,
                     detail={"job": job_id, "kind": job.kind})
