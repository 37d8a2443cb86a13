"""An unpaid QR payment left open (started offline, the dialog closed, the desk restarted) can be cancelled
without the platform: released at once when its QR never reached a screen, otherwise requested and settled by
the sync round on the platform's word (issue #15: 待付款 with a reserved code forever, no cancel)."""

from __future__ import annotations

import pytest

from kameng_desk.sync.status import SyncStatus
from kameng_desk.usecases import qr_sale
from kameng_desk.usecases.qr_sale import PaymentNotCancellableError
from kameng_desk.usecases.sell import CartLine, sell_codes
from local_cache import Store, audit, codes, orders, payments
from tests.factories import QB10, make_staff, seed_catalog
from tests.unit.test_qr_sale import PlatformModel


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=10)
    yield s
    s.close()


def reopened(store: Store, tmp_path) -> Store:
    """The desk restarted: nobody holds the payments of the lost session."""
    store.close()
    return Store.open(tmp_path)


def test_cancel_of_a_payment_whose_qr_never_showed_releases_at_once_offline(store) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    platform.online = False
    session = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 2)], method="sandbox")
    assert session.qr_content is None and codes.available_count(store.conn(), QB10.id) == 8
    assert qr_sale.cancel(store, platform, session, staff_id=owner.id).outcome == "released"
    conn = store.conn()
    assert codes.available_count(conn, QB10.id) == 10
    assert orders.get(conn, session.order_id).state == "cancelled"
    assert payments.get(conn, session.payment_id).state == "cancelled"
    assert "payment_released" in [e.action for e in audit.entries(conn)]


def test_an_abandoned_payment_is_cancelled_from_the_order_without_the_platform(store, tmp_path) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    platform.online = False
    order_id = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)],
                             method="sandbox").order_id
    store = reopened(store, tmp_path)
    try:
        assert qr_sale.cancel_abandoned(store, None, order_id, staff_id=owner.id).outcome == "released"
        assert codes.available_count(store.conn(), QB10.id) == 10
        with pytest.raises(PaymentNotCancellableError) as twice:
            qr_sale.cancel_abandoned(store, None, order_id, staff_id=owner.id)
        assert not twice.value.in_progress
    finally:
        store.close()


@pytest.mark.parametrize("customer_pays", [False, True])
def test_an_abandoned_payment_whose_qr_showed_is_requested_and_settled_by_the_round(store, tmp_path,
                                                                                  customer_pays) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    session = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="sandbox")
    assert session.qr_content
    store = reopened(store, tmp_path)
    try:
        # Offline: the QR may be on the customer's phone, so nothing is released yet.
        assert qr_sale.cancel_abandoned(store, None, session.order_id, staff_id=owner.id).outcome == "waiting"
        conn = store.conn()
        payment = payments.get(conn, session.payment_id)
        assert (payment.state, payment.cashier_cancelled) == ("cancel_requested", True)
        assert codes.available_count(conn, QB10.id) == 9
        if customer_pays:
            platform.customer_pays(session.payment_id)
        [settled] = qr_sale.resolve_unsettled(store, platform)
        assert settled.outcome == ("refund_needed" if customer_pays else "released")
        assert codes.available_count(conn, QB10.id) == 10
        assert orders.get(conn, session.order_id).state == "cancelled"
    finally:
        store.close()


def test_a_payment_on_the_counter_or_a_sold_order_is_not_cancelled_from_the_order(store) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    session = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="sandbox")
    with pytest.raises(PaymentNotCancellableError) as held:
        qr_sale.cancel_abandoned(store, platform, session.order_id, staff_id=owner.id)
    assert held.value.in_progress and platform.status[session.payment_id] == "pending"
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    with pytest.raises(PaymentNotCancellableError):
        qr_sale.cancel_abandoned(store, platform, sale.order.id, staff_id=owner.id)


def test_known_offline_only_after_a_round_failed_to_reach_the_platform() -> None:
    assert not qr_sale.known_offline(None)
    assert not qr_sale.known_offline(SyncStatus(paired=False, online=False, orders_waiting=0))  # before a round
    assert qr_sale.known_offline(SyncStatus(paired=True, online=False, orders_waiting=0))
    assert not qr_sale.known_offline(SyncStatus(paired=True, online=True, orders_waiting=0))
    assert not qr_sale.known_offline(SyncStatus(paired=True, online=False, orders_waiting=0, error_kind="KeyError"))
