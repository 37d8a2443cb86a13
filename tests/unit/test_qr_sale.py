"""QR sales on the desk: paid, cancelled, expired, offline, static QR, and the cancel-versus-pay race.

The platform is played by ``PlatformModel``, a small model of the payment state the real platform keeps
(the end-to-end test against the real server lives in tests/integration).
"""

from __future__ import annotations

import random

import pytest

from kameng_desk.records.payment_port import CreatedPayment, PlatformUnreachableError
from kameng_desk.usecases import qr_sale
from kameng_desk.usecases.sell import CartLine
from local_cache import Store, audit, codes, orders, outbox, payments
from tests.factories import QB10, make_staff, seed_catalog


class PlatformModel:
    """Payment states as the platform keeps them; `online` False makes every call fail."""

    def __init__(self) -> None:
        self.status: dict[str, str] = {}
        self.online = True

    def _check(self) -> None:
        if not self.online:
            raise PlatformUnreachableError()

    def create_payment(self, *, payment_id, order_id, amount_fen, method, description) -> CreatedPayment:
        self._check()
        self.status.setdefault(payment_id, "pending")
        return CreatedPayment(f"https://pay.example/{payment_id}", 2_000_000_000)

    def payment_methods(self) -> list[str]:
        self._check()
        return ["sandbox"]

    def payment_status(self, payment_id: str) -> str:
        self._check()
        return self.status.get(payment_id, "cancelled")

    def cancel_payment(self, payment_id: str) -> str:
        self._check()
        if self.status.get(payment_id, "pending") == "pending":
            self.status[payment_id] = "cancelled"
        return self.status[payment_id]

    def customer_pays(self, payment_id: str) -> None:
        # A gateway takes money even for an order it was told to close a moment ago.
        self.status[payment_id] = "paid"


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=10)
    yield s
    s.close()


def test_paid_sale_sells_the_reserved_codes(store) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    session = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 2)], method="sandbox")
    assert session.qr_content and codes.available_count(store.conn(), QB10.id) == 8
    assert qr_sale.poll(store, platform, session, staff_id=owner.id).outcome == "waiting"
    platform.customer_pays(session.payment_id)
    settled = qr_sale.poll(store, platform, session, staff_id=owner.id)
    assert settled.outcome == "fulfilled" and len(settled.sale.codes) == 2
    assert {c.state for c in settled.sale.codes} == {"sold"}
    assert orders.get(store.conn(), session.order_id).state == "fulfilled"
    assert [i.ref_id for i in outbox.pending(store.conn(), "order", 5)] == [session.order_id]
    # A repeated "paid" changes nothing.
    assert qr_sale.apply_status(store, session.payment_id, "paid", staff_id=owner.id).outcome == "settled"


def test_cancel_and_expiry_put_codes_back(store) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    a = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 3)], method="sandbox")
    assert qr_sale.cancel(store, platform, a, staff_id=owner.id).outcome == "released"
    b = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 3)], method="sandbox")
    platform.status[b.payment_id] = "expired"
    assert qr_sale.poll(store, platform, b, staff_id=owner.id).outcome == "released"
    conn = store.conn()
    assert codes.available_count(conn, QB10.id) == 10
    assert {orders.get(conn, s.order_id).state for s in (a, b)} == {"cancelled"}
    assert outbox.pending_count(conn) == 0


def test_customer_paid_first_then_cashier_cancel_completes_the_sale(store) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    session = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="sandbox")
    platform.customer_pays(session.payment_id)
    settled = qr_sale.cancel(store, platform, session, staff_id=owner.id)
    assert settled.outcome == "fulfilled" and settled.sale is not None


def test_paid_after_cancel_while_offline_is_flagged_for_refund(store) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    session = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="sandbox")
    platform.online = False
    assert qr_sale.cancel(store, platform, session, staff_id=owner.id).outcome == "waiting"
    assert codes.available_count(store.conn(), QB10.id) == 9  # still reserved: the outcome is unknown
    platform.customer_pays(session.payment_id)
    platform.online = True
    told = []
    [settled] = qr_sale.resolve_unsettled(store, platform, notify=told.append)
    assert settled.outcome == "refund_needed" and told == [settled]
    conn = store.conn()
    assert conn.execute("SELECT refund_needed FROM orders WHERE id = ?", (session.order_id,)).fetchone()[0] == 1
    assert codes.available_count(conn, QB10.id) == 10
    assert audit.entries(conn)[0].action == "refund_flag" and audit.entries(conn)[0].staff_id is None


def test_offline_start_has_no_qr_and_static_qr_needs_explicit_confirmation(store, tmp_path) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    platform.online = False
    dynamic = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="sandbox")
    assert dynamic.qr_content is None
    static = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="static")
    settled = qr_sale.confirm_static(store, static, staff_id=owner.id, approver_id=None)
    assert settled.outcome == "fulfilled"
    assert any(e.action == "static_qr_confirm" for e in audit.entries(store.conn()))
    platform.online = True
    # The cashier still has the static-QR fallback of the dynamic session on screen: the round leaves it alone.
    assert qr_sale.resolve_unsettled(store, platform) == []
    # After a restart nobody holds it: the QR that never showed is cancelled, its code returned.
    restarted = Store.open(tmp_path)
    [resolved] = qr_sale.resolve_unsettled(restarted, platform)
    assert resolved.outcome == "released"
    assert codes.available_count(store.conn(), QB10.id) == 9
    [released] = [e for e in audit.entries(store.conn()) if e.action == "payment_released"]
    assert released.staff_id is None and released.detail["status"] == "cancelled"
    restarted.close()


def test_the_round_leaves_a_live_session_alone_and_settles_it_once_the_cashier_lets_go(store) -> None:
    """A QR on screen is never cancelled behind the cashier's back, even while it is being created; once the
    cashier's cancel could not reach the platform, the round settles it."""
    owner = make_staff(store)
    platform = PlatformModel()
    seen_during_create = []

    class Creating(PlatformModel):
        def create_payment(self, **kw) -> CreatedPayment:
            # The sync thread runs a round while the create is on the way.
            seen_during_create.append(qr_sale.resolve_unsettled(store, platform))
            return platform.create_payment(**kw)

    session = qr_sale.start(store, Creating(), staff_id=owner.id, cart=[CartLine(QB10.id, 2)], method="sandbox")
    assert seen_during_create == [[]] and platform.status[session.payment_id] == "pending"
    assert qr_sale.resolve_unsettled(store, platform) == []  # QR on screen
    platform.online = False
    assert qr_sale.cancel(store, platform, session, staff_id=owner.id).outcome == "waiting"
    assert codes.available_count(store.conn(), QB10.id) == 8
    platform.online = True
    told = []
    [settled] = qr_sale.resolve_unsettled(store, platform, notify=told.append)
    assert settled.outcome == "released" and told == [settled]
    assert platform.status[session.payment_id] == "cancelled"
    assert codes.available_count(store.conn(), QB10.id) == 10
    assert orders.get(store.conn(), session.order_id).state == "cancelled"
    assert qr_sale.resolve_unsettled(store, platform) == []  # settled once


def test_a_create_that_fails_for_another_reason_is_left_to_the_round(store) -> None:
    owner = make_staff(store)
    platform = PlatformModel()

    class Refusing(PlatformModel):
        def create_payment(self, **kw) -> CreatedPayment:
            raise ValueError("refused")

    with pytest.raises(ValueError):
        qr_sale.start(store, Refusing(), staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="sandbox")
    [settled] = qr_sale.resolve_unsettled(store, platform)
    assert settled.outcome == "released" and codes.available_count(store.conn(), QB10.id) == 10


def test_late_paid_after_expiry_is_flagged_not_lost(store) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    session = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="sandbox")
    platform.status[session.payment_id] = "expired"
    qr_sale.poll(store, platform, session, staff_id=owner.id)
    assert qr_sale.apply_status(store, session.payment_id, "paid", staff_id=owner.id).outcome == "refund_needed"


@pytest.mark.parametrize("seed", range(40))
def test_cancel_versus_pay_race_never_loses_money(store, seed: int) -> None:
    """Random interleavings of pay, cancel, poll, network drops and restarts: no paid order without goods
    or a refund flag, no code both sold and on the shelf."""
    rng = random.Random(seed)
    owner = make_staff(store)
    platform = PlatformModel()
    sessions = [qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="sandbox")
                for _ in range(3)]
    for _ in range(12):
        session = rng.choice(sessions)
        step = rng.choice(["pay", "cancel", "poll", "drop", "restore", "expire"])
        if step == "pay":
            if platform.status.get(session.payment_id) in ("pending", "cancelled", "expired") and rng.random() < .5:
                platform.customer_pays(session.payment_id)
        elif step == "cancel" and payments.get(store.conn(), session.payment_id).state in ("new", "pending"):
            qr_sale.cancel(store, platform, session, staff_id=owner.id)
        elif step == "poll":
            qr_sale.poll(store, platform, session, staff_id=owner.id)
        elif step == "drop":
            platform.online = False
        elif step == "restore":
            platform.online = True
        elif step == "expire" and platform.status.get(session.payment_id) == "pending":
            platform.status[session.payment_id] = "expired"
    platform.online = True
    for s in sessions:
        if platform.status.get(s.payment_id) == "pending":
            platform.status[s.payment_id] = "expired"
    qr_sale.resolve_unsettled(store, platform)
    for s in sessions:  # late notifies reach the desk through the changes feed
        qr_sale.apply_status(store, s.payment_id, platform.status[s.payment_id], staff_id=owner.id)
    conn = store.conn()
    for s in sessions:
        paid = platform.status[s.payment_id] == "paid"
        order = orders.get(conn, s.order_id)
        flagged = conn.execute("SELECT refund_needed FROM orders WHERE id = ?", (s.order_id,)).fetchone()[0]
        sold = [c for c in codes.for_order(conn, s.order_id) if c.state == "sold"]
        if paid:
            assert (order.state == "fulfilled" and len(sold) == 1) or (
                order.state == "cancelled" and flagged and not sold)
        else:
            assert order.state == "cancelled" and not sold and not flagged
        assert payments.get(conn, s.payment_id).state == platform.status[s.payment_id]
    assert conn.execute("SELECT count(*) FROM card_codes WHERE state = 'reserved'").fetchone()[0] == 0


def test_a_platform_that_cannot_name_a_method_reserves_nothing(store) -> None:
    owner = make_staff(store)
    platform = PlatformModel()
    platform.online = False
    before = codes.available_count(store.conn(), QB10.id)
    with pytest.raises(PlatformUnreachableError):
        qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    assert codes.available_count(store.conn(), QB10.id) == before
    assert orders.count(store.conn()) == 0


def test_switching_gateway_cancels_the_shown_payment_and_starts_one_there(store) -> None:
    owner, platform = make_staff(store), PlatformModel()
    first = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 2)], method="sandbox")
    second = qr_sale.switch(store, platform, first, staff_id=owner.id, cart=[CartLine(QB10.id, 2)], method="alipay")
    assert isinstance(second, qr_sale.QrSession) and second.method == "alipay" and second.qr_content
    assert platform.status == {first.payment_id: "cancelled", second.payment_id: "pending"}
    assert payments.get(store.conn(), first.payment_id).state == "cancelled"
    assert codes.available_count(store.conn(), QB10.id) == 8  # only the new payment holds codes
    [second_payment] = payments.unsettled(store.conn())
    assert second_payment.id == second.payment_id and second_payment.method == "alipay"


def test_a_customer_who_paid_before_the_switch_gets_the_sale(store) -> None:
    owner, platform = make_staff(store), PlatformModel()
    first = qr_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="sandbox")
    platform.customer_pays(first.payment_id)
    settled = qr_sale.switch(store, platform, first, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], method="alipay")
    assert settled.outcome == "fulfilled" and len(settled.sale.codes) == 1
    assert list(platform.status) == [first.payment_id]  # nothing new started
