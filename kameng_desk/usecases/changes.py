"""What an operation changed, so each screen reloads only what it shows (Anki's OpChanges, without Qt).

The GUI runs a use case with the record of what it changes (`worker.run(..., changes=SALE)`, or a function of
its result, as `of_settled`); once it has completed, every screen listening hears it and reloads if it shows any
of it. The sync engine's events
(a payment settled, a code revoked, a top-up answered) are told the same way (`of_sync_event`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from kameng_desk.sync.status import (
    CodeRevoked,
    OrderRejected,
    PaymentSettled,
    RefundSettled,
    StockRestocked,
    SyncEvent,
    TopupStateChanged,
)
from kameng_desk.usecases.qr_sale import Settled


@dataclass(frozen=True)
class Changes:
    orders: bool = False  # orders recorded, voided, refunded, their sync state
    stock: bool = False  # card codes sold, reserved, released, restocked, flagged
    prices: bool = False  # the catalog: retail prices, thresholds, barcodes, restock policies
    shifts: bool = False  # a shift opened or closed, cash in the drawer
    print_jobs: bool = False  # slips queued, retried, cancelled
    settings: bool = False  # local settings, staff, pairing

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def touches(self, *names: str) -> bool:
        """True when any of the named parts changed (a screen names what it shows)."""
        return any(getattr(self, name) for name in names)


NOTHING = Changes()
# A sale (cash, QR, the shop's QR) or a top-up: an order, its codes, the shift's takings and its slip.
SALE = Changes(orders=True, stock=True, shifts=True, print_jobs=True)
VOID = SALE  # a void undoes all of that
# Money back to a customer: the order, the drawer, its refund slip, and a refunded card sale's codes back in stock.
REFUND = Changes(orders=True, stock=True, shifts=True, print_jobs=True)
TOPUP = Changes(orders=True, shifts=True, print_jobs=True)  # a top-up order paid in cash, and its slip
PAYMENT = Changes(orders=True, stock=True)  # a QR payment reserved, released or flagged for refund
RESTOCK = Changes(stock=True)
CATALOG = Changes(prices=True)
SHIFT = Changes(shifts=True, print_jobs=True)  # opening a shift, or closing it with its Z report slip
DRAWER = Changes(shifts=True, print_jobs=True)  # the drawer opened without a sale: recorded, a kick job queued
PRINT_JOBS = Changes(print_jobs=True)
SETTINGS = Changes(settings=True)


def of_settled(settled: Settled) -> Changes:
    """What asking about (or cancelling) a QR payment changed: a sale, released codes, or nothing yet."""
    if settled.outcome == "fulfilled":
        return SALE
    if settled.outcome in ("released", "refund_needed"):
        return PAYMENT
    return NOTHING


def of_sync_event(event: SyncEvent) -> Changes:
    """What a sync round changed when it told the GUI an event."""
    if isinstance(event, PaymentSettled):
        return SALE if event.outcome == "fulfilled" else PAYMENT  # it settled: never "waiting"
    if isinstance(event, CodeRevoked | StockRestocked):
        return RESTOCK
    if isinstance(event, TopupStateChanged | OrderRejected):
        return Changes(orders=True)
    if isinstance(event, RefundSettled):
        return REFUND
    return NOTHING
