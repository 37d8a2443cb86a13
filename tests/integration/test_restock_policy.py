"""Automatic restock is the owner's opt-in (issue #15): a policy per product, a daily budget, against the real
platform on loopback. Until #15 the engine restocked every card product below its threshold, unasked."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from kameng_desk.sync.pairing import client_for, pair_store
from kameng_desk.usecases import restock_policy
from kameng_desk.usecases.errors import NotOwnerError
from kameng_desk.usecases.syncing import SyncEngine
from local_cache import Store, audit, catalog, codes, sync_state
from tests.factories import make_staff

QB10_COST = 960  # the seeded tier price: 96% of ¥10


@pytest.fixture
def bare_desk(tmp_path, platform):
    """A paired desk exactly as a new shop has it: no policy, no budget."""
    store = Store.open(tmp_path / "desk")
    pair_store(store, platform.url, platform.first_code, device_name="前台")
    engine = SyncEngine(store, lambda: client_for(store))
    yield store, engine, make_staff(store)
    engine.stop()
    store.close()


def auto_entries(store: Store) -> list[audit.AuditEntry]:
    return [e for e in audit.entries(store.conn()) if e.action == restock_policy.AUDIT_ACTION]


def test_without_a_policy_nothing_is_bought_even_below_the_threshold(bare_desk) -> None:
    store, engine, owner = bare_desk
    engine.sync_once()  # the catalog: every card product at 0 codes, below its threshold of 5
    balance = sync_state.get(store.conn(), "balance_fen")
    engine.sync_once()
    assert codes.stock_levels(store.conn()) == {}
    assert sync_state.get(store.conn(), "balance_fen") == balance
    # A budget alone buys nothing either: only the products the owner named.
    restock_policy.set_budget(store, budget_fen=100_000, staff_id=owner.id, approver_id=owner.id)
    engine.sync_once()
    assert codes.stock_levels(store.conn()) == {} and auto_entries(store) == []


def test_a_policy_without_budget_buys_nothing(bare_desk) -> None:
    store, engine, owner = bare_desk
    engine.sync_once()
    restock_policy.set_policy(store, product_id="qb10", keep=12, staff_id=owner.id, approver_id=owner.id)
    engine.sync_once()
    assert codes.available_count(store.conn(), "qb10") == 0


def test_a_policy_restocks_to_its_count_in_steps_and_each_is_audited(bare_desk) -> None:
    store, engine, owner = bare_desk
    engine.sync_once()
    balance = int(sync_state.get(store.conn(), "balance_fen"))
    restock_policy.set_policy(store, product_id="qb10", keep=12, staff_id=owner.id, approver_id=owner.id)
    restock_policy.set_budget(store, budget_fen=100_000, staff_id=owner.id, approver_id=owner.id)
    engine.sync_once()
    conn = store.conn()
    assert codes.stock_levels(conn) == {"qb10": 12}  # the other products have no policy
    entries = auto_entries(store)
    assert [(e.staff_id, e.subject, e.detail["quantity"], e.detail["received"]) for e in entries] == [
        (None, "qb10", 2, 2), (None, "qb10", 10, 10)]  # newest first: one step of 10, then the 2 left
    assert sum(e.detail["charged_fen"] for e in entries) == 12 * QB10_COST
    assert int(sync_state.get(conn, "balance_fen")) == balance - 12 * QB10_COST
    assert restock_policy.overview(conn).spent_today_fen == 12 * QB10_COST
    assert audit.verify(conn).ok
    # A policy's count is kept: what a sale takes is bought again in the next round.
    conn.execute("UPDATE card_codes SET state = 'sold' WHERE id IN "
                 "(SELECT id FROM card_codes WHERE product_id = 'qb10' LIMIT 3)")
    engine.sync_once()
    assert codes.available_count(store.conn(), "qb10") == 12 and len(auto_entries(store)) == 3


def test_the_daily_budget_stops_automatic_restock(bare_desk) -> None:
    store, engine, owner = bare_desk
    engine.sync_once()
    restock_policy.set_policy(store, product_id="qb10", keep=20, staff_id=owner.id, approver_id=owner.id)
    restock_policy.set_budget(store, budget_fen=5 * QB10_COST + 100, staff_id=owner.id, approver_id=owner.id)
    engine.sync_once()
    engine.sync_once()  # the budget is spent: nothing more today
    assert codes.available_count(store.conn(), "qb10") == 5
    plan = restock_policy.overview(store.conn())
    assert (plan.spent_today_fen, plan.left_fen) == (5 * QB10_COST, 100)
    assert restock_policy.next_step(store.conn()) is None
    # The budget is the local day's: tomorrow the same spending leaves it whole.
    tomorrow = datetime.now().astimezone() + timedelta(days=1)
    assert restock_policy.spent_today_fen(store.conn(), now=tomorrow) == 0
    assert restock_policy.next_step(store.conn(), now=tomorrow).quantity == 5  # 5 × 960 + 100 buys 5 more
    # Raising the budget lets the next round go on.
    restock_policy.set_budget(store, budget_fen=100_000, staff_id=owner.id, approver_id=owner.id)
    engine.sync_once()
    assert codes.available_count(store.conn(), "qb10") == 20


def test_a_lost_automatic_answer_is_recovered_and_audited_once(bare_desk) -> None:
    store, engine, owner = bare_desk
    engine.sync_once()
    restock_policy.set_policy(store, product_id="wy50", keep=3, staff_id=owner.id, approver_id=owner.id)
    restock_policy.set_budget(store, budget_fen=100_000, staff_id=owner.id, approver_id=owner.id)
    step = restock_policy.next_step(store.conn())
    with store.transaction() as conn:
        sync_state.put(conn, "restock_pending", '{"request_id": "lost-auto", "product_id": "wy50", "quantity": 3, '
                                                f'"auto": {{"keep": 3, "quote_fen": {step.quote_fen}}}}}')
    engine.client().restock("lost-auto", "wy50", 3)  # the platform commits; the answer is "lost"
    engine.sync_once()  # the round resumes it first, then finds wy50 at its count
    assert codes.available_count(store.conn(), "wy50") == 3
    [entry] = auto_entries(store)
    assert entry.detail["charged_fen"] == step.quote_fen == 3 * 4750


def test_policies_and_budget_are_the_owners_and_audited(bare_desk) -> None:
    store, engine, owner = bare_desk
    engine.sync_once()
    cashier = make_staff(store, "小李", "cashier", "1357")
    with pytest.raises(NotOwnerError):
        restock_policy.set_policy(store, product_id="qb10", keep=5, staff_id=cashier.id, approver_id=cashier.id)
    with pytest.raises(NotOwnerError):
        restock_policy.set_budget(store, budget_fen=1000, staff_id=cashier.id, approver_id=cashier.id)
    for bad in (0, 501, True, "5"):
        with pytest.raises(ValueError):
            restock_policy.set_policy(store, product_id="qb10", keep=bad, staff_id=owner.id, approver_id=owner.id)
    for bad in (-1, 10_000_001, 1.5):
        with pytest.raises(ValueError):
            restock_policy.set_budget(store, budget_fen=bad, staff_id=owner.id, approver_id=owner.id)
    topup = next(p for p in catalog.products(store.conn()) if p.kind == "topup")
    with pytest.raises(ValueError):
        restock_policy.set_policy(store, product_id=topup.id, keep=5, staff_id=owner.id, approver_id=owner.id)
    assert restock_policy.overview(store.conn()).keep == {}  # nothing half-written
    restock_policy.set_policy(store, product_id="qb10", keep=8, staff_id=cashier.id, approver_id=owner.id)
    restock_policy.set_policy(store, product_id="qb10", keep=None, staff_id=owner.id, approver_id=owner.id)
    restock_policy.set_budget(store, budget_fen=3000, staff_id=owner.id, approver_id=owner.id)
    logged = [(e.action, e.staff_id, e.approver_id, e.subject, e.detail) for e in audit.entries(store.conn(), limit=3)]
    assert logged == [("restock_budget", owner.id, owner.id, None, {"from_fen": 0, "to_fen": 3000}),
                      ("restock_policy", owner.id, owner.id, "qb10", {"from": 8, "to": None}),
                      ("restock_policy", cashier.id, owner.id, "qb10", {"from": None, "to": 8})]
    assert restock_policy.overview(store.conn()).keep == {}
