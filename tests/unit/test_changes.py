"""What an operation changed (kameng_desk.usecases.changes): combined, read from a QR payment's outcome and from
the sync engine's events."""

from __future__ import annotations

import pytest

from kameng_desk.sync.status import (
    CodeRevoked,
    OrderRejected,
    PaymentSettled,
    RefundSettled,
    StockRestocked,
    TopupStateChanged,
)
from kameng_desk.usecases import changes
from kameng_desk.usecases.changes import NOTHING, Changes
from kameng_desk.usecases.qr_sale import Settled


def test_changes_combine_and_say_whether_anything_changed() -> None:
    assert not NOTHING
    combined = changes.RESTOCK | changes.CATALOG
    assert combined == Changes(stock=True, prices=True)
    assert changes.SALE.touches("print_jobs") and not changes.SALE.touches("prices", "settings")


@pytest.mark.parametrize(("outcome", "expected"), [("fulfilled", changes.SALE), ("released", changes.PAYMENT),
                                                   ("refund_needed", changes.PAYMENT), ("waiting", NOTHING),
                                                   ("settled", NOTHING)])
def test_a_qr_payment_changed_what_its_outcome_says(outcome: str, expected: Changes) -> None:
    assert changes.of_settled(Settled("order-1", outcome)) == expected


@pytest.mark.parametrize(("event", "expected"), [
    (PaymentSettled("o", "0001", "fulfilled"), changes.SALE),
    (PaymentSettled("o", "0001", "released"), changes.PAYMENT),
    (CodeRevoked("c", "qb10", "quarantined"), changes.RESTOCK),
    (StockRestocked("qb10", 5), changes.RESTOCK),
    (TopupStateChanged("o", "0001", "succeeded"), Changes(orders=True)),
    (OrderRejected("o", "0001", "bad"), Changes(orders=True)),
    (RefundSettled("o", "0001", 1000, "succeeded"), changes.REFUND),  # the slip, the drawer's figures
])
def test_a_sync_event_says_what_the_round_changed(event, expected: Changes) -> None:
    assert changes.of_sync_event(event) == expected
