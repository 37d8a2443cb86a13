"""The local state machines of DESIGN §5. States only move along these edges."""

from __future__ import annotations

from local_cache.errors import InvalidTransitionError

CARD_CODE = {
    "available": {"reserved", "sold", "quarantined"},
    "reserved": {"sold", "available", "quarantined"},
    "sold": set(),
    "quarantined": set(),
}

# Sync acceptance is tracked apart from the order state (orders.sync_state), so a void after a sync
# is itself synced.
ORDER = {
    "awaiting_payment": {"paid", "cancelled"},
    "paid": {"fulfilled"},
    "fulfilled": {"voided"},
    "cancelled": set(),
    "voided": set(),
}

TOPUP = {
    "queued": {"submitted", "succeeded", "failed"},
    "submitted": {"succeeded", "failed"},
    "succeeded": set(),
    "failed": set(),
}

PRINT_JOB = {
    "queued": {"printing", "cancelled"},
    "printing": {"done", "failed", "queued"},
    "failed": {"queued", "cancelled"},
    "done": set(),
    "cancelled": set(),
}

SHIFT = {"open": {"closed"}, "closed": set()}

# A cashier's cancel becomes cancel_requested until the platform confirms it (or reports it was paid).
# Money that arrives late still counts: expired/cancelled -> paid, and the order is flagged for refund.
PAYMENT = {
    "new": {"pending", "paid", "cancelled", "cancel_requested"},
    "pending": {"paid", "expired", "cancelled", "cancel_requested"},
    "cancel_requested": {"cancelled", "paid", "expired"},
    "paid": set(),
    "expired": {"paid"},
    "cancelled": {"paid"},
}

MACHINES = {
    "card code": CARD_CODE,
    "order": ORDER,
    "top-up": TOPUP,
    "print job": PRINT_JOB,
    "shift": SHIFT,
    "payment": PAYMENT,
}


def check(machine: str, current: str, target: str) -> None:
    if target not in MACHINES[machine].get(current, set()):
        raise InvalidTransitionError(machine, current, target)
