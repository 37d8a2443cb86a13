"""Sales paid by the customer's payment code (usecases.code_sale): paid at once, the password wait, a refused code,
a scan that is no payment code, the cashier's cancel (the platform reverses), no answer, and the sync round.

The platform is played by ``CodePlatform`` (tests/code_platform.py), a model of the code-payment states the real
platform keeps; the end-to-end tests against the real server live in tests/integration/test_code_payments.py.
"""

from __future__ import annotations

import logging

import pytest

from kameng_desk.records.payment_port import CodePayment, PlatformUnreachableError, UnknownPaymentCodeError
from kameng_desk.sync.errors import PlatformRefusedError
from kameng_desk.usecases import code_sale, qr_sale
from kameng_desk.usecases.sell import CartLine
from local_cache import Store, audit, codes, orders, outbox, payments
from local_cache.catalog import Product
from tests.code_platform import CodePlatform
from tests.factories import QB10, make_staff, seed_catalog

WECHAT_CODE = "134567890123456789"
ALIPAY_CODE = "2845678901234567"
QB_PASSWORD = Product("p-qb-pw", "c-card", "Q币9.99元", "card", 999, 999, 950)  # ends in 99 fen: password asked


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=10, products=(QB10, QB_PASSWORD))
    yield s
    s.close()


def test_what_the_desk_takes_for_a_payment_code() -> None:
    assert code_sale.looks_like_payment_code(WECHAT_CODE) and code_sale.looks_like_payment_code(ALIPAY_CODE)
    assert code_sale.looks_like_payment_code(" 284567890123456789012345 ")  # 24 digits, a scanner's spaces
    for text in ("6900000000010", "123456789012345", "2845678901234567890123456", "13456789012345678x",
                 "１３４５６７８９０１２３４５６７８９", ""):  # EAN-13, 15 and 25 digits, a letter, full-width digits
        assert not code_sale.looks_like_payment_code(text), text


def test_a_code_paid_at_once_sells_the_codes(store) -> None:
    owner, platform = make_staff(store), CodePlatform()
    charge = code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 2)], auth_code=WECHAT_CODE)
    assert not charge.open and charge.status == "paid" and charge.app == "wechat"
    assert charge.settled.outcome == "fulfilled" and {c.state for c in charge.settled.sale.codes} == {"sold"}
    order = orders.get(store.conn(), charge.session.order_id)
    assert order.state == "fulfilled" and order.payment_method == "code" and order.total_fen == 20_00
    assert payments.get(store.conn(), charge.session.payment_id).state == "paid"
    assert platform.taken == {charge.session.payment_id: 20_00}
    assert [i.ref_id for i in outbox.pending(store.conn(), "order", 5)] == [order.id]
    assert qr_sale.resolve_unsettled(store, platform) == []  # nothing left open


def test_the_password_wait_ends_paid(store) -> None:
    owner, platform = make_staff(store), CodePlatform()
    charge = code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB_PASSWORD.id, 1)],
                             auth_code=ALIPAY_CODE)
    assert charge.open and charge.status == "pending"
    assert payments.get(store.conn(), charge.session.payment_id).state == "pending"
    assert codes.available_count(store.conn(), QB_PASSWORD.id) == 9  # reserved while the customer types
    assert qr_sale.resolve_unsettled(store, platform) == []  # the cashier is waiting: the round leaves it alone
    assert code_sale.poll(store, platform, charge.session, staff_id=owner.id).open
    platform.customer_enters_password(charge.session.payment_id, 9_99)
    done = code_sale.poll(store, platform, charge.session, staff_id=owner.id)
    assert done.settled.outcome == "fulfilled" and len(done.settled.sale.codes) == 1


def test_a_refused_code_puts_the_codes_back_and_says_why(store) -> None:
    owner, platform = make_staff(store), CodePlatform()
    charge = code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 3)],
                             auth_code="134567890123450000")
    assert charge.status == "failed"
    assert charge.settled.outcome == "released" and charge.settled.failure == "AUTH_CODE_INVALID"
    assert codes.available_count(store.conn(), QB10.id) == 10
    assert orders.get(store.conn(), charge.session.order_id).state == "cancelled"
    assert payments.get(store.conn(), charge.session.payment_id).state == "cancelled"
    [entry] = [e for e in audit.entries(store.conn()) if e.action == "payment_released"]
    assert entry.detail["status"] == "failed" and entry.detail["failure"] == "AUTH_CODE_INVALID"
    assert platform.taken == {}


@pytest.mark.parametrize("refusal", [UnknownPaymentCodeError("not a payment code"),
                                     PlatformRefusedError(409, "payment_exists", "refused")])
def test_a_scan_the_platform_refuses_leaves_nothing_reserved(store, refusal) -> None:
    owner = make_staff(store)

    class Refusing(CodePlatform):
        def pay_code(self, **_kwargs) -> CodePayment:
            raise refusal

    platform = Refusing()
    with pytest.raises(type(refusal)):
        code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 2)], auth_code="9" * 18)
    assert codes.available_count(store.conn(), QB10.id) == 10
    assert payments.unsettled(store.conn()) == []
    assert store.conn().execute("SELECT state FROM orders").fetchall() == [("cancelled",)]


def test_cancel_while_the_customer_types_is_reversed_by_the_platform(store) -> None:
    owner, platform = make_staff(store), CodePlatform()
    charge = code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB_PASSWORD.id, 1)],
                             auth_code=WECHAT_CODE)
    undoing = code_sale.cancel(store, platform, charge.session, staff_id=owner.id)
    assert undoing.open and undoing.status == "reversing"
    assert codes.available_count(store.conn(), QB_PASSWORD.id) == 9  # not "not paid" until the gateway says so
    assert qr_sale.resolve_unsettled(store, platform) == []  # still the cashier's: the dialog asks again
    assert code_sale.poll(store, platform, charge.session, staff_id=owner.id).open
    platform.gateway_confirms(charge.session.payment_id)
    done = code_sale.poll(store, platform, charge.session, staff_id=owner.id)
    assert done.settled.outcome == "released" and codes.available_count(store.conn(), QB_PASSWORD.id) == 10
    assert orders.get(store.conn(), charge.session.order_id).state == "cancelled"


def test_cancel_after_the_customer_paid_completes_the_sale(store) -> None:
    owner, platform = make_staff(store), CodePlatform()
    charge = code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB_PASSWORD.id, 1)],
                             auth_code=WECHAT_CODE)
    platform.customer_enters_password(charge.session.payment_id, 9_99)
    platform.cancel_payment = lambda payment_id: "paid"  # too late to reverse: the platform says the money is in
    done = code_sale.cancel(store, platform, charge.session, staff_id=owner.id)
    assert done.settled.outcome == "fulfilled" and len(done.settled.sale.codes) == 1
    assert store.conn().execute("SELECT refund_needed FROM orders").fetchall() == [(0,)]


def test_a_poll_that_settled_just_before_the_cancel_leaves_nothing_to_cancel(store) -> None:
    owner, platform = make_staff(store), CodePlatform()
    charge = code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB_PASSWORD.id, 1)],
                             auth_code=WECHAT_CODE)
    platform.customer_enters_password(charge.session.payment_id, 9_99)
    assert code_sale.poll(store, platform, charge.session, staff_id=owner.id).settled.outcome == "fulfilled"
    late = code_sale.cancel(store, platform, charge.session, staff_id=owner.id)  # queued behind the poll
    assert late.settled.outcome == "settled"
    assert platform.status[charge.session.payment_id] == "paid"  # the platform was not asked to reverse it


def test_a_charge_whose_answer_is_lost_is_reversed_and_settled_by_the_sync_round(store) -> None:
    """The charge reached the gateway (money taken) but the answer never came back: the desk asks the platform
    to cancel at once; offline, it stays open for the sync round, which reverses it; the codes go back once the
    gateway confirms. The money at the gateway matches the desk: nothing taken, nothing sold."""
    owner, platform = make_staff(store), CodePlatform()
    platform.lose_replies = True

    def offline_cancel(payment_id: str) -> str:
        raise PlatformUnreachableError()
    platform.cancel_payment, online_cancel = offline_cancel, platform.cancel_payment
    charge = code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], auth_code=WECHAT_CODE)
    assert charge.open and charge.status == "unanswered"
    assert platform.taken == {charge.session.payment_id: 10_00}
    payment = payments.get(store.conn(), charge.session.payment_id)
    assert payment.state == "cancel_requested" and payment.cashier_cancelled
    code_sale.leave(store, charge.session)  # the cashier takes cash instead
    platform.cancel_payment = online_cancel
    assert qr_sale.resolve_unsettled(store, platform) == []  # reversing: asked again next round
    assert platform.status[charge.session.payment_id] == "reversing"
    platform.gateway_confirms(charge.session.payment_id)
    [settled] = qr_sale.resolve_unsettled(store, platform)
    assert settled.outcome == "released" and codes.available_count(store.conn(), QB10.id) == 10
    assert platform.taken == {}


def test_a_charge_that_never_reached_the_platform_is_cancelled_there(store) -> None:
    owner, platform = make_staff(store), CodePlatform()
    platform.online = False
    charge = code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], auth_code=WECHAT_CODE)
    assert charge.open and charge.status == "unanswered"
    code_sale.leave(store, charge.session)
    platform.online = True
    [settled] = qr_sale.resolve_unsettled(store, platform)
    assert settled.outcome == "released"
    assert platform.status[charge.session.payment_id] == "cancelled"  # a delayed charge with this id is refused


def test_the_sync_round_settles_a_code_payment_the_cashier_left(store) -> None:
    """A session lost while the customer typed the password (the counter restarted): the round asks, and sells
    the codes once the platform says paid; a code payment that failed meanwhile puts its codes back."""
    owner, platform = make_staff(store), CodePlatform()
    paying = code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB_PASSWORD.id, 1)],
                             auth_code=WECHAT_CODE)
    failing = code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB_PASSWORD.id, 1)],
                              auth_code=ALIPAY_CODE)
    for charge in (paying, failing):
        code_sale.leave(store, charge.session)
    assert qr_sale.resolve_unsettled(store, platform) == []  # still typing: asked, never cancelled
    assert platform.status[paying.session.payment_id] == "pending"
    platform.customer_enters_password(paying.session.payment_id, 9_99)
    platform.status[failing.session.payment_id] = "failed"
    told = []
    settled = qr_sale.resolve_unsettled(store, platform, notify=told.append)
    assert sorted(s.outcome for s in settled) == ["fulfilled", "released"] and told == settled
    assert codes.available_count(store.conn(), QB_PASSWORD.id) == 9


def test_the_auth_code_is_never_recorded(store, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    owner, platform = make_staff(store), CodePlatform()
    code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], auth_code=WECHAT_CODE)
    code_sale.start(store, platform, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], auth_code="134567890123450000")
    assert platform.codes_seen == [WECHAT_CODE, "134567890123450000"]  # it was handed on, and only there
    conn = store.conn()
    tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    dump = repr([conn.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables])
    assert "p-qb10" in dump  # the dump holds the rows
    assert WECHAT_CODE not in dump and "13456789012345" not in dump
    assert "13456789012345" not in caplog.text
