"""Code payments (付款码) against the real platform and its sandbox gateway (issue #17): paid at once, the password
wait, a refused code, a scan that is no payment code, the cashier's cancel, the cable pulled mid-charge, and the
sale reaching the platform. The sandbox's rules: an amount ending in 99 fen asks for the password (about 3 s, then
paid); a code ending in 0000 fails with AUTH_CODE_INVALID; any code routed by code_app() pays at once otherwise.
"""

from __future__ import annotations

import time

import httpx
import pytest

from kameng_desk.records.payment_port import UnknownPaymentCodeError
from kameng_desk.sync.client import PlatformClient
from kameng_desk.usecases import code_sale, qr_sale
from kameng_desk.usecases.sell import CartLine
from local_cache import catalog, codes, orders, payments, staff

WECHAT_CODE = "134567890123456789"
ALIPAY_CODE = "2845678901234567"


def cashier(store):
    with store.transaction() as conn:
        return staff.create(conn, "小李", "cashier", "1234")


def priced(store, product_id: str, fen: int) -> None:
    with store.transaction() as conn:
        catalog.set_shop_retail(conn, product_id, fen)


def until_ended(store, client, charge, who, timeout_s: float = 10.0):
    deadline = time.monotonic() + timeout_s
    while charge.open and time.monotonic() < deadline:
        time.sleep(0.2)
        charge = code_sale.poll(store, client, charge.session, staff_id=who.id)
    return charge


def test_a_code_paid_at_once_is_sold_and_reaches_the_platform(desk) -> None:
    store, engine = desk
    engine.sync_once()
    who, client = cashier(store), engine.client()
    charge = code_sale.start(store, client, staff_id=who.id, cart=[CartLine("qb10", 2)], auth_code=WECHAT_CODE)
    assert charge.settled is not None and charge.settled.outcome == "fulfilled", charge
    assert charge.app == "wechat" and len(charge.settled.sale.codes) == 2
    assert client.code_payment(charge.session.payment_id).status == "paid"
    engine.sync_once()
    order = orders.get(store.conn(), charge.session.order_id)
    assert order.payment_method == "code" and order.sync_state == "accepted"


def test_the_password_wait_ends_paid(desk) -> None:
    store, engine = desk
    engine.sync_once()
    who, client = cashier(store), engine.client()
    priced(store, "qb10", 10_99)
    charge = code_sale.start(store, client, staff_id=who.id, cart=[CartLine("qb10", 1)], auth_code=ALIPAY_CODE)
    assert charge.open and charge.status == "pending" and charge.app == "alipay"
    done = until_ended(store, client, charge, who)
    assert done.settled.outcome == "fulfilled"


def test_a_refused_code_puts_the_codes_back_with_the_reason(desk) -> None:
    store, engine = desk
    engine.sync_once()
    who, client = cashier(store), engine.client()
    before = codes.available_count(store.conn(), "qb10")
    charge = code_sale.start(store, client, staff_id=who.id, cart=[CartLine("qb10", 1)],
                             auth_code="134567890123450000")
    assert charge.settled.outcome == "released" and charge.settled.failure == "AUTH_CODE_INVALID"
    assert codes.available_count(store.conn(), "qb10") == before


def test_a_scan_that_is_no_payment_code_reserves_nothing(desk) -> None:
    store, engine = desk
    engine.sync_once()
    who, client = cashier(store), engine.client()
    before = codes.available_count(store.conn(), "qb10")
    with pytest.raises(UnknownPaymentCodeError):
        code_sale.start(store, client, staff_id=who.id, cart=[CartLine("qb10", 1)], auth_code="9" * 18)
    assert codes.available_count(store.conn(), "qb10") == before and payments.unsettled(store.conn()) == []


def test_cancel_during_the_password_wait_is_reversed(desk) -> None:
    store, engine = desk
    engine.sync_once()
    who, client = cashier(store), engine.client()
    priced(store, "qb10", 10_99)
    before = codes.available_count(store.conn(), "qb10")
    charge = code_sale.start(store, client, staff_id=who.id, cart=[CartLine("qb10", 1)], auth_code=WECHAT_CODE)
    assert charge.open
    undone = code_sale.cancel(store, client, charge.session, staff_id=who.id)
    done = until_ended(store, client, undone, who) if undone.open else undone
    assert done.settled.outcome in ("released", "fulfilled")  # reversed, or the customer was first
    if done.settled.outcome == "released":
        assert codes.available_count(store.conn(), "qb10") == before
        assert client.code_payment(charge.session.payment_id).status == "cancelled"


def test_a_charge_whose_answer_is_lost_ends_paid_once_or_not_paid(desk, cable) -> None:
    """The charge and the cancel the desk sends at once both wait in the network past the desk's timeout, then
    reach the platform (in either order): the sync round settles the payment, and the desk and the platform agree
    (not paid on both, or paid on both)."""
    store, engine = desk
    engine.sync_once()
    who, direct = cashier(store), engine.client()
    slow = PlatformClient(cable.url, direct._terminal_id, direct._secret, timeout=httpx.Timeout(0.5))
    cable.gate.clear()
    charge = code_sale.start(store, slow, staff_id=who.id, cart=[CartLine("qb10", 1)], auth_code=WECHAT_CODE)
    assert charge.open and charge.status == "unanswered"
    code_sale.leave(store, charge.session)
    cable.gate.set()  # the held charge and cancel go on to the platform
    for _ in range(30):
        qr_sale.resolve_unsettled(store, direct)
        if not payments.unsettled(store.conn()):
            break
        time.sleep(0.3)
    payment = payments.get(store.conn(), charge.session.payment_id)
    assert (payment.state, direct.payment_status(charge.session.payment_id)) in (("cancelled", "cancelled"),
                                                                                ("paid", "paid"))
    slow.close()
