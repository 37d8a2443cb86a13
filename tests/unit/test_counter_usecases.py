"""Top-ups, phone numbers, owner approval, reveal and void."""

from __future__ import annotations

import pytest

from kameng_desk.usecases.errors import InvalidAccountError, NotOwnerError, NotVoidableError
from kameng_desk.usecases.handover import reveal_codes, void_sale
from kameng_desk.usecases.phone import parse_phone
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.session import authorize_owner, login
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, audit, codes, orders, outbox
from local_cache.catalog import Product
from local_cache.errors import WrongPinError
from tests.factories import HF50, QB10, make_staff, seed_catalog

GAME = Product("p-game", "c-topup", "王者荣耀点券", "topup", 1000, 1000, account_rule=r"[0-9]{6,12}")


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=5, products=(QB10, HF50, GAME))
    yield s
    s.close()


@pytest.mark.parametrize(("text", "carrier"), [
    ("13812345678", "cmcc"), ("+86 186 1234 5678", "cucc"), ("189-1234-5678", "ctcc"), ("19212345678", "cbn"),
])
def test_phone_numbers_and_carriers(text: str, carrier: str) -> None:
    phone = parse_phone(text)
    assert phone.carrier == carrier and len(phone.number) == 11 and phone.masked[3:7] == "****"


@pytest.mark.parametrize("text", ["1381234567", "138123456789", "12012345678", "13912345ab8", "13491234567", ""])
def test_bad_phone_numbers_refused(text: str) -> None:
    with pytest.raises(InvalidAccountError):
        parse_phone(text)


def test_topup_queued_with_outbox_row(store) -> None:
    cashier = make_staff(store, "小李", "cashier", "1357")
    order = record_topup(store, staff_id=cashier.id, product_id=HF50.id, account="138 1234 5678",
                         cash_received_fen=5000)
    assert order.topup_state == "queued" and order.topup_account == "13812345678"
    [item] = outbox.pending(store.conn(), "order", 10)
    assert item.payload["topup"] == {"account": "13812345678"} and item.payload["kind"] == "topup"


def test_game_account_rule_and_bad_account_records_nothing(store) -> None:
    cashier = make_staff(store, "小李", "cashier", "1357")
    with pytest.raises(InvalidAccountError):
        record_topup(store, staff_id=cashier.id, product_id=GAME.id, account="abc")
    assert orders.count(store.conn()) == 0
    assert record_topup(store, staff_id=cashier.id, product_id=GAME.id, account="123456789").topup_account


def test_login_audited_and_owner_approval(store) -> None:
    owner = make_staff(store, "老王", "owner", "2468")
    cashier = make_staff(store, "小李", "cashier", "1357")
    assert login(store, cashier.id, "1357").staff == cashier
    assert audit.entries(store.conn())[0].action == "login"
    with pytest.raises(NotOwnerError):
        authorize_owner(store, cashier.id, "1357")
    with pytest.raises(WrongPinError):
        authorize_owner(store, owner.id, "0000")
    assert authorize_owner(store, owner.id, "2468") == owner


def test_void_returns_unrevealed_codes_and_is_audited_with_both_people(store) -> None:
    owner = make_staff(store, "老王", "owner", "2468")
    cashier = make_staff(store, "小李", "cashier", "1357")
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 2)])
    with pytest.raises(NotOwnerError):
        void_sale(store, order_id=sale.order.id, staff_id=cashier.id, approver_id=cashier.id)
    voided = void_sale(store, order_id=sale.order.id, staff_id=cashier.id, approver_id=owner.id)
    assert voided.state == "voided" and voided.approver_id == owner.id
    assert codes.available_count(store.conn(), QB10.id) == 5
    entry = audit.entries(store.conn())[0]
    assert (entry.action, entry.staff_id, entry.approver_id) == ("void", cashier.id, owner.id)
    assert [i.ref_id for i in outbox.pending(store.conn(), "void", 10)] == [sale.order.id]


def test_revealed_codes_cannot_be_voided(store) -> None:
    owner = make_staff(store)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    shown = reveal_codes(store, order_id=sale.order.id, staff_id=owner.id)
    assert [c.id for c in shown] == [c.id for c in sale.codes]
    with pytest.raises(NotVoidableError, match="already shown"):
        void_sale(store, order_id=sale.order.id, staff_id=owner.id, approver_id=owner.id)
    assert orders.get(store.conn(), sale.order.id).state == "fulfilled"
