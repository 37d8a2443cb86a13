"""A restock spends the shop's prepaid balance: a cashier needs the owner; the quote comes before the charge."""

from __future__ import annotations

import pytest

from kameng_desk.usecases import stock
from kameng_desk.usecases.errors import NotOwnerError
from local_cache import Store, sync_state
from tests.factories import QB10, make_staff, seed_catalog


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=0)
    with s.transaction() as conn:
        sync_state.put(conn, "balance_fen", "10000")
    yield s
    s.close()


def restocks(store) -> list[tuple]:
    return store.conn().execute("SELECT staff_id, approver_id FROM audit_log WHERE action = 'restock'").fetchall()


def test_a_cashier_needs_the_owner_and_the_quote_shows_the_balance_after(store) -> None:
    owner = make_staff(store, "老王", "owner", "2468")
    cashier = make_staff(store, "小李", "cashier", "1357")
    with pytest.raises(NotOwnerError):
        stock.approve_restock(store, product_id=QB10.id, quantity=5, staff_id=cashier.id, approver_id=None)
    with pytest.raises(NotOwnerError):
        stock.approve_restock(store, product_id=QB10.id, quantity=5, staff_id=cashier.id, approver_id=cashier.id)
    assert restocks(store) == []
    quote = stock.approve_restock(store, product_id=QB10.id, quantity=5, staff_id=cashier.id, approver_id=owner.id)
    assert (quote.unit_cost_fen, quote.total_fen, quote.balance_after_fen) == (950, 4750, 10000 - 4750)
    stock.approve_restock(store, product_id=QB10.id, quantity=2, staff_id=owner.id, approver_id=None)
    assert restocks(store) == [(cashier.id, owner.id), (owner.id, None)]


def test_a_restock_the_balance_cannot_pay_is_refused_before_the_platform_is_asked(store) -> None:
    owner = make_staff(store, "老王", "owner", "2468")
    with pytest.raises(stock.BalanceTooLowError) as refused:
        stock.approve_restock(store, product_id=QB10.id, quantity=11, staff_id=owner.id, approver_id=None)
    assert refused.value.quote.balance_after_fen == 10000 - 11 * 950 < 0
    assert restocks(store) == []
    with pytest.raises(ValueError, match="Restock 1 to"):
        stock.restock_quote(store.conn(), QB10.id, 0)
