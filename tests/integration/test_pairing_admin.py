"""Moving a counter between platforms from the settings: a wrong code changes nothing; waiting orders block it."""

from __future__ import annotations

import pytest

from kameng_desk.sync.errors import SyncError
from kameng_desk.sync.pairing import client_for
from kameng_desk.usecases import shop_admin
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.syncing import SyncEngine
from local_cache import Store, audit, catalog, sync_state
from tests.factories import make_staff
from tests.integration.stocking import keep_stocked


@pytest.fixture
def owner_store(tmp_path):
    store = Store.open(tmp_path / "desk")
    owner = make_staff(store, "老王", "owner", "2468")
    yield store, owner
    store.close()


def test_pair_then_move_to_another_terminal(owner_store, platform) -> None:
    store, owner = owner_store
    assert shop_admin.pair(store, platform.url, platform.first_code, staff_id=owner.id, approver_id=owner.id)
    first = sync_state.get(store.conn(), "terminal_id")
    with pytest.raises(SyncError):
        shop_admin.pair(store, platform.url, "NOT-A-CODE", staff_id=owner.id, approver_id=owner.id)
    assert sync_state.get(store.conn(), "terminal_id") == first  # the old pairing is untouched
    shop_admin.pair(store, platform.url, platform.pairing_code(), staff_id=owner.id, approver_id=owner.id)
    second = sync_state.get(store.conn(), "terminal_id")
    assert second and second != first
    assert store.secrets.terminal_secret()
    assert [e.action for e in audit.entries(store.conn(), limit=2)] == ["pair", "pair"]


def test_moving_is_refused_while_orders_wait(owner_store, platform) -> None:
    store, owner = owner_store
    shop_admin.pair(store, platform.url, platform.first_code, staff_id=owner.id, approver_id=owner.id)
    keep_stocked(store, 2)
    SyncEngine(store, lambda: client_for(store)).sync_once()
    card = next(p for p in catalog.products(store.conn()) if p.kind == "card")
    sell_codes(store, staff_id=owner.id, cart=[CartLine(card.id, 1)], cash_received_fen=None)
    with pytest.raises(shop_admin.UnsyncedOrdersError):
        shop_admin.pair(store, platform.url, platform.pairing_code(), staff_id=owner.id, approver_id=owner.id)
