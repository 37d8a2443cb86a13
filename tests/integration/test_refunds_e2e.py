"""Refunds against the real embedded platform and its sandbox gateway (issue #17): a QR sale paid on the sandbox
page goes back to that payment, once, however often the desk asks; and a desk killed between storing the refund
and recording the platform's answer finishes it after a restart, with the platform executing it once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kameng_desk.sync.pairing import client_for
from kameng_desk.usecases import handover, history, qr_sale, refunds
from kameng_desk.usecases.sell import CartLine
from local_cache import audit, codes, orders, staff
from local_cache import refunds as refund_rows
from tests.integration.test_qr_settle import pay_on_page

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def paid_sale(desk, platform):
    """A QR card sale paid on the sandbox page, pushed to the platform; its owner and client."""
    store, engine = desk
    engine.sync_once()
    client = engine.client()
    with store.transaction() as conn:
        owner = staff.create(conn, "老王", "owner", "2468")
    session = qr_sale.start(store, client, staff_id=owner.id, cart=[CartLine("qb10", 2)], method="sandbox")
    pay_on_page(platform, session.qr_content)
    assert qr_sale.poll(store, client, session, staff_id=owner.id).outcome == "fulfilled"
    engine.sync_once()
    return store, engine, client, owner, session


def settle(engine, store, refund_id: str) -> str:
    """The sync rounds a gateway that answers later needs (the feed's refund row, or asking again)."""
    for _ in range(10):
        status = refund_rows.get(store.conn(), refund_id).status
        if status != "pending":
            return status
        engine.sync_once()
    return refund_rows.get(store.conn(), refund_id).status


def test_a_qr_sale_goes_back_to_its_payment_once(paid_sale) -> None:
    store, engine, client, owner, session = paid_sale
    before = codes.available_count(store.conn(), "qb10")
    result = refunds.refund_order(store, client, order_id=session.order_id, staff_id=owner.id,
                                  approver_id=owner.id, reason="顾客退货")
    assert result.outcome in ("succeeded", "pending") and result.refund.method == "gateway"
    assert settle(engine, store, result.refund.refund_id) == "succeeded"
    conn = store.conn()
    assert orders.get(conn, session.order_id).state == "voided"
    assert codes.available_count(conn, "qb10") == before + 2
    # The same refund asked again is the same refund: the platform keeps one, for the whole amount.
    again = client.refund_payment(payment_id=session.payment_id, refund_id=result.refund.refund_id,
                                  amount_fen=session.amount_fen, reason="顾客退货")
    assert again.refund_id == result.refund.refund_id
    on_platform = client.refunds(session.payment_id)
    assert [(r.refund_id, r.amount_fen, r.status) for r in on_platform] == [
        (result.refund.refund_id, session.amount_fen, "succeeded")]
    with pytest.raises(refunds.NotRefundableError):
        refunds.refund_order(store, client, order_id=session.order_id, staff_id=owner.id, approver_id=owner.id)


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("when", ["before_send", "after_answer"])
def test_a_desk_killed_mid_refund_finishes_it_after_restart_once(tmp_path, paid_sale, when) -> None:
    store, engine, client, owner, session = paid_sale
    env = dict(os.environ, KAMENG_TEST_DB_KEY=store._key.hex(),
               KAMENG_TEST_TERMINAL_SECRET=store.secrets.terminal_secret(), PYTHONPATH=str(ROOT))
    child = subprocess.run([sys.executable, "-m", "tests.integration.refund_child", str(tmp_path / "desk"),
                            owner.id, session.order_id, when], capture_output=True, text=True, env=env, cwd=ROOT,
                           timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    (stored,) = refund_rows.for_order(store.conn(), session.order_id)
    assert stored.status == "pending"  # stored before the platform was asked, and nothing recorded since
    assert orders.get(store.conn(), session.order_id).state == "voided"  # with its void, in one transaction
    seen = [r.refund_id for r in client.refunds(session.payment_id)]
    assert seen == ([] if when == "before_send" else [stored.refund_id])
    assert settle(engine, store, stored.refund_id) == "succeeded"  # the restarted desk's sync round finishes it
    on_platform = client.refunds(session.payment_id)
    assert [(r.refund_id, r.amount_fen, r.status) for r in on_platform] == [
        (stored.refund_id, session.amount_fen, "succeeded")]
    assert [e.action for e in audit.entries(store.conn()) if e.subject == session.order_id].count("refund") == 1


def test_the_client_sees_no_refunds_of_a_payment_without_any(desk, platform) -> None:
    """GET /v1/payments/{id} of a platform before the refunds part answers no "refunds": none, not an error."""
    store, engine = desk
    engine.sync_once()
    client = client_for(store)
    with store.transaction() as conn:
        owner = staff.create(conn, "老王", "owner", "2468")
    session = qr_sale.start(store, client, staff_id=owner.id, cart=[CartLine("qb10", 1)], method="sandbox")
    assert client.refunds(session.payment_id) == []


def test_a_voided_qr_sale_is_refunded_in_parts_never_above_the_payment(paid_sale) -> None:
    """The void of a QR-paid sale flags the refund it owes; the owner gives it back in two parts (empty reason:
    the desk's default goes up), and a third is refused here before the platform is asked."""
    store, engine, client, owner, session = paid_sale
    handover.void_sale(store, order_id=session.order_id, staff_id=owner.id, approver_id=owner.id)
    assert history.detail(store.conn(), session.order_id).refund_owed
    first = refunds.refund_order(store, client, order_id=session.order_id, staff_id=owner.id,
                                 approver_id=owner.id, amount_fen=500, reason="")
    assert settle(engine, store, first.refund.refund_id) == "succeeded"
    rest = refunds.refund_order(store, client, order_id=session.order_id, staff_id=owner.id, approver_id=owner.id)
    assert settle(engine, store, rest.refund.refund_id) == "succeeded"
    assert rest.refund.amount_fen == session.amount_fen - 500
    with pytest.raises(refunds.NotRefundableError) as refused:
        refunds.refund_order(store, client, order_id=session.order_id, staff_id=owner.id, approver_id=owner.id,
                             amount_fen=1)
    assert refused.value.why == "refunded"
    assert sorted(r.amount_fen for r in client.refunds(session.payment_id)) == sorted(
        [500, session.amount_fen - 500])
    assert not history.detail(store.conn(), session.order_id).refund_owed
