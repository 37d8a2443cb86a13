"""The owner's retail price is the shop's: set on one counter, it is what every counter of the shop sells at
(two real desks paired to one real platform on loopback)."""

from __future__ import annotations

import pytest

from kameng_desk.sync.client import PlatformClient
from kameng_desk.sync.errors import OfflineError
from kameng_desk.sync.pairing import client_for, pair_store
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.stock import set_retail_price
from kameng_desk.usecases.syncing import SyncEngine
from kameng_platform import ledger
from local_cache import Store, catalog, codes, outbox, staff, sync_state

PRODUCT = "qb10"


@pytest.fixture
def desk_b(tmp_path, platform):
    engine = platform.engine()
    with engine.begin() as conn:  # the demo balance restocks one counter: this shop has the money for more
        ledger.post(conn, platform.reseller_id, 5_000_000, "adjust", "a second counter's stock")
    engine.dispose()
    store = Store.open(tmp_path / "desk-b")
    pair_store(store, platform.url, platform.pairing_code(), device_name="前台2号")
    engine = SyncEngine(store, lambda: client_for(store))
    yield store, engine
    engine.stop()
    store.close()


def owner(store):
    with store.transaction() as conn:
        return staff.create(conn, "老王", "owner", "2468")


def loaded(*desks) -> None:
    """Each desk synced once and holding codes of the product to sell (asked for if auto-restock, an owner's
    choice, did not)."""
    for store, engine in desks:
        engine.sync_once()
        if codes.available_count(store.conn(), PRODUCT) < 3:
            engine.restock(PRODUCT, 3)


def sells_at(store, who) -> int:
    sale = sell_codes(store, staff_id=who.id, cart=[CartLine(PRODUCT, 1)], cash_received_fen=100_000)
    return sale.order.total_fen


def test_a_price_set_on_one_counter_is_sold_at_on_the_other_and_a_reset_goes_back(desk, desk_b) -> None:
    (a, engine_a), (b, engine_b) = desk, desk_b
    loaded(desk, desk_b)
    boss_a, boss_b = owner(a), owner(b)
    suggested = catalog.suggested_retail(b.conn())[PRODUCT]
    assert sells_at(b, boss_b) == suggested

    set_retail_price(a, product_id=PRODUCT, price_fen=suggested + 150, staff_id=boss_a.id, approver_id=boss_a.id)
    engine_a.sync_once()
    assert outbox.pending_count(a.conn()) == 0
    engine_b.sync_once()
    assert sells_at(b, boss_b) == suggested + 150
    engine_a.sync_once()  # its own change comes back through the feed: the same price
    assert sells_at(a, boss_a) == suggested + 150

    set_retail_price(b, product_id=PRODUCT, price_fen=None, staff_id=boss_b.id, approver_id=boss_b.id)
    engine_b.sync_once()
    engine_a.sync_once()
    assert sells_at(a, boss_a) == sells_at(b, boss_b) == suggested


def test_an_offline_change_goes_up_when_online_and_a_counter_paired_later_gets_it(desk, desk_b, tmp_path,
                                                                                  platform) -> None:
    (a, engine_a), (b, engine_b) = desk, desk_b
    loaded(desk, desk_b)
    boss_a, boss_b = owner(a), owner(b)
    offline = SyncEngine(a, lambda: PlatformClient("http://127.0.0.1:9", sync_state.get(a.conn(), "terminal_id"),
                                                   a.secrets.terminal_secret()))
    for price in (1999, 2345):  # changed twice while offline: the latest is the one that goes up
        set_retail_price(a, product_id=PRODUCT, price_fen=price, staff_id=boss_a.id, approver_id=boss_a.id)
        with pytest.raises(OfflineError):
            offline.sync_once()
    assert outbox.pending_count(a.conn()) == 1
    assert sells_at(a, boss_a) == 2345  # at once on this counter, offline too
    engine_b.sync_once()
    assert sells_at(b, boss_b) != 2345  # it has not gone up yet
    engine_a.sync_once()
    assert outbox.pending_count(a.conn()) == 0
    engine_b.sync_once()
    assert sells_at(b, boss_b) == sells_at(a, boss_a) == 2345

    # A third counter paired afterwards loads the shop's price with its catalog.
    c = Store.open(tmp_path / "desk-c")
    pair_store(c, platform.url, platform.pairing_code(), device_name="前台3号")
    engine_c = SyncEngine(c, lambda: client_for(c))
    try:
        loaded((c, engine_c))
        assert sells_at(c, owner(c)) == 2345
    finally:
        engine_c.stop()
        c.close()
