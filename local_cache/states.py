"""The local state machines of DESIGN §5. States only move along these edges.

Every statement of a repository that writes a state column checks its edge here first (tests/unit/test_sql_home.py
holds the repositories to it): one row's move reads the row's state (:func:`check`); a guarded bulk move, ``UPDATE
... WHERE state IN (...)``, checks each state it can move from (:func:`check_each`)."""

from __future__ import annotations

from collections.abc import Iterable

from local_cache.errors import InvalidTransitionError

CARD_CODE = {
    "available": {"reserved", "sold", "quarantined"},
    "reserved": {"sold", "available", "quarantined"},
    # Back on the shelf when its sale is voided before the codes reached the customer (the store's triggers
    # refuse it once they did: local_cache.migrations V5_HANDOVER).
    "sold": {"available"},
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

# A refund is pending from the moment it is stored (before the platform or the drawer pays it) until the money is
# back (succeeded) or it could not be (failed: nothing left the shop; a new refund, or cash instead, may follow).
REFUND = {
    "pending": {"succeeded", "failed"},
    "succeeded": set(),
    "failed": set(),
}

MACHINES = {
    "card code": CARD_CODE,
    "order": ORDER,
    "top-up": TOPUP,
    "print job": PRINT_JOB,
    "shift": SHIFT,
    "payment": PAYMENT,
    "refund": REFUND,
}


def check(machine: str, current: str, target: str) -> None:
    if target not in MACHINES[machine].get(current, set()):
        raise InvalidTransitionError(machine, current, target)


def check_each(machine: str, sources: Iterable[str], target: str) -> None:
    """For a guarded bulk move: every state in ``sources`` may move to ``target``."""
    for source in sources:
        check(machine, source, target)
