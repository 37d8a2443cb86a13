"""The retail price is the owner's: set per product (default the platform's suggested), audited, used at once."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from kameng_desk.usecases import stock
from kameng_desk.usecases.errors import NotOwnerError
from kameng_desk.usecases.sell import CartLine, sell_codes
from local_cache import Store, catalog
from tests.factories import QB10, make_staff, seed_catalog


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=5)
    yield s
    s.close()


def test_owner_price_sells_at_once_survives_a_catalog_sync_and_is_audited(store) -> None:
    owner = make_staff(store, "老王", "owner", "2468")
    cashier = make_staff(store, "小李", "cashier", "1357")
    stock.set_retail_price(store, product_id=QB10.id, price_fen=1200, staff_id=cashier.id, approver_id=owner.id)
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 2)])
    assert sale.order.total_fen == 2400 and sale.order.lines[0].unit_price_fen == 1200
    # The platform changes its suggested price: the shop's own price stays.
    with store.transaction() as conn:
        catalog.upsert_product(conn, replace(QB10, retail_price_fen=1100))
    assert catalog.get(store.conn(), QB10.id).retail_price_fen == 1200
    assert catalog.suggested_retail(store.conn())[QB10.id] == 1100
    line = next(x for x in stock.overview(store.conn()).lines if x.product_id == QB10.id)
    assert (line.retail_fen, line.suggested_fen, line.cost_fen) == (1200, 1100, QB10.cost_price_fen)
    stock.set_retail_price(store, product_id=QB10.id, price_fen=None, staff_id=owner.id, approver_id=owner.id)
    assert catalog.get(store.conn(), QB10.id).retail_price_fen == 1100  # back to the suggested price
    entries = [(s, a, json.loads(d)) for s, a, d in store.conn().execute(
        "SELECT staff_id, approver_id, detail FROM audit_log WHERE action = 'retail_price' ORDER BY seq")]
    assert entries == [(cashier.id, owner.id, {"from": 1000, "to": 1200, "suggested": 1000}),
                       (owner.id, owner.id, {"from": 1200, "to": 1100, "suggested": 1100})]


def test_a_cashier_or_a_bad_price_changes_nothing(store) -> None:
    cashier = make_staff(store, "小李", "cashier", "1357")
    owner = make_staff(store, "老王", "owner", "2468")
    with pytest.raises(NotOwnerError):
        stock.set_retail_price(store, product_id=QB10.id, price_fen=1, staff_id=cashier.id, approver_id=cashier.id)
    for bad in (0, -5, stock.MAX_RETAIL_FEN + 1, 12.5, True):
        with pytest.raises(ValueError, match="retail price"):
            stock.set_retail_price(store, product_id=QB10.id, price_fen=bad, staff_id=owner.id, approver_id=owner.id)
    assert catalog.get(store.conn(), QB10.id).retail_price_fen == QB10.retail_price_fen
    assert store.conn().execute("SELECT count(*) FROM audit_log WHERE action = 'retail_price'").fetchone()[0] == 0
