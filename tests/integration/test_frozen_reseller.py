"""A reseller the operator froze on the platform: the desk says so in the owner's words, not the platform's
English (its restock is refused, a top-up recorded meanwhile is rejected), and sales of codes it holds go on."""

from __future__ import annotations

import pytest

from kameng_desk.gui.messages import describe, rejection_words
from kameng_desk.sync.errors import PlatformRefusedError
from kameng_desk.sync.status import OrderRejected
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from kameng_platform import admin
from local_cache import orders, staff

FROZEN = "平台已冻结本店的账户"


def _freeze(platform, frozen: bool = True) -> None:
    db = platform.engine()
    with db.begin() as conn:
        admin.set_frozen(conn, platform.reseller_id, frozen)
    db.dispose()


def test_a_frozen_account_is_said_in_the_owners_words(desk, platform, qapp) -> None:
    store, engine = desk
    engine.sync_once()
    with store.transaction() as conn:
        owner = staff.create(conn, "老王", "owner", "2468")
    _freeze(platform)
    with pytest.raises(PlatformRefusedError) as refused:
        engine.restock("qb10", 1)
    assert refused.value.code == "reseller_frozen" and describe(refused.value).startswith(FROZEN)
    seen: list[OrderRejected] = []
    engine.add_event_listener(lambda event: seen.append(event) if isinstance(event, OrderRejected) else None)
    topup = record_topup(store, staff_id=owner.id, product_id="hf50", account="13912345678")
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine("qb10", 1)])  # a code it holds: paid for already
    engine.sync_once()
    assert orders.get(store.conn(), topup.id).sync_state == "rejected"
    assert orders.get(store.conn(), sale.order.id).sync_state == "accepted"
    assert [e.order_id for e in seen] == [topup.id]
    assert (rejection_words(seen[0].reason) or "").startswith(FROZEN)
    assert rejection_words("total 1 does not equal the sum of the lines (2)") is None  # the operator's words
