"""The sale transaction: codes sold, order, outbox and audit together, or nothing at all."""

from __future__ import annotations

import pytest

from kameng_desk.usecases.errors import EmptyCartError, NotEnoughCashError
from kameng_desk.usecases.sell import CartLine, sell_codes
from local_cache import Store, audit, codes, orders, outbox
from local_cache.errors import OutOfStockError
from tests.factories import QB10, WY50, make_staff, seed_catalog


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=3)
    yield s
    s.close()


def test_sale_marks_codes_sold_and_records_everything(store) -> None:
    cashier = make_staff(store, "小李", "cashier", "1357")
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 2), CartLine(WY50.id, 1)],
                      cash_received_fen=10000)
    assert sale.order.total_fen == 2 * 1000 + 5000
    assert sale.order.change_fen == 10000 - 7000
    assert len(sale.codes) == 3 and {c.state for c in sale.codes} == {"sold"}
    conn = store.conn()
    assert codes.available_count(conn, QB10.id) == 1
    assert orders.get(conn, sale.order.id).lines[0].quantity == 2
    [item] = outbox.pending(conn, "order", 10)
    assert item.ref_id == sale.order.id
    pushed = sorted(code for ln in item.payload["lines"] for code in ln["code_ids"])
    assert pushed == sorted(c.id for c in sale.codes)
    assert audit.entries(conn)[0].action == "sale"
    assert audit.verify(conn).ok


def test_out_of_stock_sells_nothing(store) -> None:
    owner = make_staff(store)
    with pytest.raises(OutOfStockError, match="3 in stock"):
        sell_codes(store, staff_id=owner.id, cart=[CartLine(WY50.id, 1), CartLine(QB10.id, 4)])
    conn = store.conn()
    assert codes.available_count(conn, WY50.id) == 3  # the first line was rolled back too
    assert orders.count(conn) == 0
    assert outbox.pending_count(conn) == 0
    assert audit.entries(conn) == []


def test_cash_short_and_empty_cart_are_refused(store) -> None:
    owner = make_staff(store)
    with pytest.raises(NotEnoughCashError):
        sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)], cash_received_fen=999)
    with pytest.raises(EmptyCartError):
        sell_codes(store, staff_id=owner.id, cart=[])
    assert orders.count(store.conn()) == 0


def test_order_numbers_count_up_per_day(store) -> None:
    owner = make_staff(store)
    first = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)]).order.number
    second = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)]).order.number
    assert first.endswith("-0001") and second.endswith("-0002")
    assert first[:-4] == second[:-4]


def test_repr_of_codes_hides_the_secret(store) -> None:
    owner = make_staff(store)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    assert sale.codes[0].card_secret not in repr(sale) and sale.codes[0].card_no not in repr(sale)
