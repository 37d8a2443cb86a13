"""What the sync engine tells the rest of the app: its status, and events worth telling the cashier.

Listeners are called on the sync thread; the GUI marshals them onto its own thread with a signal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SyncStatus:
    paired: bool
    online: bool
    orders_waiting: int
    last_sync_at: str | None = None  # UTC ISO-8601 of the last fully successful round
    last_error: str | None = None  # in words, for the banner; never a code or a secret
    rejected_orders: int = 0
    # The type of an unexpected error that failed the last round (a bug, a library's error): the banner names
    # it, the log has where it happened; its message is shown nowhere (it could hold anything).
    error_kind: str | None = None


@dataclass(frozen=True)
class TopupStateChanged:
    order_id: str
    number: str
    state: str  # queued | submitted | succeeded | failed
    reason: str | None = None


@dataclass(frozen=True)
class OrderRejected:
    order_id: str
    number: str
    reason: str


@dataclass(frozen=True)
class CodeRevoked:
    code_id: str
    product_id: str
    outcome: str  # quarantined | after_sales


@dataclass(frozen=True)
class StockRestocked:
    product_id: str
    added: int


@dataclass(frozen=True)
class PaymentSettled:
    """A QR payment no cashier was waiting for any more, settled by the round on the platform's word."""
    order_id: str
    number: str
    outcome: str  # fulfilled (paid: sold, slips queued) | released (codes back, order cancelled) | refund_needed


@dataclass(frozen=True)
class RefundSettled:
    """A refund to the customer's payment ended after the cashier left it (a late answer, an automatic refund of a
    failed top-up): succeeded (its slip is queued) or failed (nothing went back: the owner may give cash instead)."""
    order_id: str
    number: str
    amount_fen: int
    status: str  # succeeded | failed


SyncEvent = TopupStateChanged | OrderRejected | CodeRevoked | StockRestocked | PaymentSettled | RefundSettled
StatusListener = Callable[[SyncStatus], None]
EventListener = Callable[[SyncEvent], None]
