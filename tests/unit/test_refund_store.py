"""The refunds table (local migration 10): an old file's hand-backs carried over, the refund state machine, and the
money rule the schema holds for every writer."""

from __future__ import annotations

from pathlib import Path

import pytest

from kameng_desk.usecases import refunds as refund_use
from local_cache import Store, audit, migrations, orders, refunds, staff
from local_cache.connection import DatabaseError, open_connection
from local_cache.errors import InvalidTransitionError
from local_cache.orders import Order, OrderLine
from tests.unit.test_migrations import db_at_version


def _order(conn, order_id: str, number: str, owner_id: str, **extra) -> Order:
    order = Order(order_id, number, extra.pop("kind", "topup"), "fulfilled", "cash", 5000, owner_id,
                  "2026-01-01T00:00:00.000000Z", (OrderLine("p", "话费50元", 1, 5000),), **extra)
    orders.insert(conn, order)
    return order


def test_version_9_hand_backs_become_cash_refunds(tmp_path: Path) -> None:
    db_at_version(tmp_path, 9)
    conn = open_connection(tmp_path / "kameng.db", bytes(range(32)))
    owner = staff.create(conn, "老王", "owner", "2468")
    handed = _order(conn, "o-handed", "KM-260101-0001", owner.id, topup_state="failed")
    waiting = _order(conn, "o-waiting", "KM-260101-0002", owner.id, topup_state="failed")
    audit.append(conn, "refund", staff_id=owner.id, approver_id=owner.id, subject=handed.id,
                 detail={"number": handed.number, "total_fen": 5000, "payment_method": "cash"})
    conn.close()

    store = Store.open(tmp_path)
    conn = store.conn()
    assert migrations.current_version(conn) == migrations.LATEST >= 10
    (carried,) = refunds.for_order(conn, handed.id)
    assert (carried.method, carried.status, carried.amount_fen, carried.approver_id) == ("cash", "succeeded", 5000,
                                                                                          owner.id)
    assert refunds.for_order(conn, waiting.id) == []
    with pytest.raises(refund_use.NotRefundableError, match="already"):  # once, across the upgrade
        refund_use.refund_order(store, None, order_id=handed.id, staff_id=owner.id, approver_id=owner.id)
    refund_use.refund_order(store, None, order_id=waiting.id, staff_id=owner.id, approver_id=owner.id)
    assert [r.status for r in refunds.for_order(conn, waiting.id)] == ["succeeded"]
    store.close()


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    yield s
    s.close()


def test_refund_states_move_only_forward(store) -> None:
    with store.transaction() as conn:
        owner = staff.create(conn, "老王", "owner", "2468")
        order = _order(conn, "o-1", "KM-260101-0001", owner.id, topup_state="failed")
        a = refunds.create(conn, refund_id="r-a", order_id=order.id, payment_id="pay-1", amount_fen=2000,
                           method="gateway", reason="", staff_id=owner.id, approver_id=owner.id)
        assert a.status == "pending" and a.finished_at is None
        assert refunds.finish(conn, "r-a", "succeeded") and not refunds.finish(conn, "r-a", "succeeded")
        with pytest.raises(InvalidTransitionError):
            refunds.finish(conn, "r-a", "failed")
        refunds.create(conn, refund_id="r-b", order_id=order.id, payment_id="pay-1", amount_fen=1000,
                       method="gateway", reason="", staff_id=owner.id, approver_id=owner.id)
        refunds.finish(conn, "r-b", "failed", failure="refund_unsupported")
        with pytest.raises(InvalidTransitionError):
            refunds.finish(conn, "r-b", "succeeded")
        assert refunds.get(conn, "r-b").failure == "refund_unsupported"
        assert refunds.committed_fen(conn, order.id) == 2000
        assert [r.refund_id for r in refunds.pending(conn)] == []


def test_the_schema_refuses_more_than_the_order_and_keeps_the_facts(store) -> None:
    with store.transaction() as conn:
        owner = staff.create(conn, "老王", "owner", "2468")
        order = _order(conn, "o-1", "KM-260101-0001", owner.id, topup_state="failed")
        refunds.create(conn, refund_id="r-a", order_id=order.id, payment_id=None, amount_fen=4000, method="cash",
                       reason="", staff_id=owner.id, approver_id=owner.id)
    for bad in ({"amount_fen": 1001, "method": "cash", "payment_id": None},  # 4000 + 1001 > 5000
                {"amount_fen": 0, "method": "cash", "payment_id": None},
                {"amount_fen": 100, "method": "gateway", "payment_id": None},  # a gateway refund names its payment
                {"amount_fen": 100, "method": "cheque", "payment_id": None}):
        with pytest.raises(DatabaseError), store.transaction() as conn:
            refunds.create(conn, refund_id="r-x", order_id=order.id, reason="", staff_id=owner.id,
                           approver_id=owner.id, **bad)
    conn = store.conn()
    assert refunds.find(conn, "r-x") is None and refunds.committed_fen(conn, order.id) == 4000
    with pytest.raises(DatabaseError, match="keeps its amount"), store.transaction() as tx:
        tx.execute("UPDATE refunds SET amount_fen = 1 WHERE refund_id = 'r-a'")
    with store.transaction() as conn:  # a failed refund frees its amount for the next one
        refunds.finish(conn, "r-a", "failed")
        refunds.create(conn, refund_id="r-c", order_id=order.id, payment_id=None, amount_fen=5000, method="cash",
                       reason="", staff_id=owner.id, approver_id=owner.id)
    assert refunds.committed_fen(store.conn(), order.id) == 5000
