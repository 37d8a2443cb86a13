"""QR payments no cashier is waiting for any more are settled by the sync round, against the real platform:
a cancel that could not reach it, a desk process killed with its QR on screen, a customer who paid while the
desk was offline. Each settlement is announced once and recorded; the desk reaches the platform through a real
loopback cable the test pulls."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from kameng_desk.cli import main
from kameng_desk.sync.errors import OfflineError
from kameng_desk.sync.pairing import client_for, pair_store
from kameng_desk.sync.status import PaymentSettled
from kameng_desk.usecases import qr_sale
from kameng_desk.usecases.sell import CartLine
from kameng_desk.usecases.syncing import SyncEngine
from kameng_platform import schema
from local_cache import Store, audit, codes, orders, payments, staff
from tests.integration.stocking import keep_stocked

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def desk(tmp_path, platform, cable):
    """A desk paired through the cable, its engine's announcements collected, its catalog and stock loaded."""
    store = Store.open(tmp_path / "desk")
    pair_store(store, cable.url, platform.first_code, device_name="前台")
    keep_stocked(store, 10)
    engine = SyncEngine(store, lambda: client_for(store))
    told: list = []
    engine.add_event_listener(lambda e: told.append(e) if isinstance(e, PaymentSettled) else None)
    engine.sync_once()
    with store.transaction() as conn:
        who = staff.create(conn, "小李", "cashier", "1234")
    yield store, engine, told, who
    engine.stop()
    store.close()


def pay_on_page(platform, qr_content: str) -> None:
    """The customer's phone reaches the platform directly, whatever the desk's network does."""
    qr = httpx.URL(qr_content)
    page_url = httpx.URL(platform.url).copy_with(path=qr.path, query=qr.query or None)
    page = httpx.get(page_url)
    assert page.status_code == 200 and "付款" in page.text
    action = page.text.split('action="', 1)[1].split('"', 1)[0]
    assert "付款成功" in httpx.post(page_url.join(action)).text


def platform_status(platform, payment_id: str) -> str:
    with platform.engine().connect() as conn:
        return conn.execute(select(schema.payments.c.status).where(
            schema.payments.c.payment_id == payment_id)).scalar_one()


def platform_orders(platform, order_id: str) -> int:
    with platform.engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.orders).where(
            schema.orders.c.order_id == order_id)).scalar_one()


def reserved(store) -> int:
    return store.conn().execute("SELECT count(*) FROM card_codes WHERE state = 'reserved'").fetchone()[0]


@pytest.mark.parametrize("customer_pays", [False, True])
def test_a_cancel_that_could_not_reach_the_platform_is_settled_by_the_next_round(desk, platform, cable,
                                                                                 customer_pays) -> None:
    store, engine, told, who = desk
    stock = codes.available_count(store.conn(), "qb10")
    session = qr_sale.start(store, engine.client(), staff_id=who.id, cart=[CartLine("qb10", 2)], method="sandbox")
    assert session.qr_content
    if customer_pays:
        pay_on_page(platform, session.qr_content)
    cable.plugged = False
    assert qr_sale.cancel(store, engine.client(), session, staff_id=who.id).outcome == "waiting"
    with pytest.raises(OfflineError):
        engine.sync_once()  # still offline: nothing is decided without the platform
    assert reserved(store) == 2 and orders.get(store.conn(), session.order_id).state == "awaiting_payment"
    assert told == []

    cable.plugged = True
    engine.sync_once()
    conn = store.conn()
    order = orders.get(conn, session.order_id)
    flagged = conn.execute("SELECT refund_needed FROM orders WHERE id = ?", (order.id,)).fetchone()[0]
    assert reserved(store) == 0 and codes.available_count(conn, "qb10") == stock
    assert order.state == "cancelled"
    if customer_pays:  # the cashier had given up: the money is on record for a refund
        assert told == [PaymentSettled(order.id, order.number, "refund_needed")]
        assert flagged == 1 and payments.get(conn, session.payment_id).state == "paid"
        assert platform_status(platform, session.payment_id) == "paid"
        [entry] = [e for e in audit.entries(conn) if e.action == "refund_flag"]
    else:
        assert told == [PaymentSettled(order.id, order.number, "released")]
        assert flagged == 0 and payments.get(conn, session.payment_id).state == "cancelled"
        assert platform_status(platform, session.payment_id) == "cancelled"
        [entry] = [e for e in audit.entries(conn) if e.action == "payment_released"]
    assert entry.staff_id is None and entry.subject == order.id  # settled by the round, not by a cashier
    assert audit.verify(conn).ok
    engine.sync_once()
    assert len(told) == 1  # announced once


def kill_desk_with_qr_on_screen(tmp_path, store, who, *, while_offline=None) -> dict:
    """A second desk process starts a QR sale on this folder and is killed with SIGKILL while it waits.
    ``while_offline(session)`` runs after the QR is on screen and before the kill."""
    env = dict(os.environ, KAMENG_TEST_DB_KEY=store._key.hex(),
               KAMENG_TEST_TERMINAL_SECRET=store.secrets.terminal_secret(), PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-m", "tests.integration.qr_child", str(tmp_path / "desk"), who.id,
                              "qb10"], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        session = json.loads(child.stdout.readline())
        if while_offline is not None:
            while_offline(session)
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return session


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_desk_killed_with_its_qr_on_screen_is_settled_when_the_qr_expires(tmp_path, desk, platform) -> None:
    store, engine, told, who = desk
    session = kill_desk_with_qr_on_screen(tmp_path, store, who)
    assert payments.get(store.conn(), session["payment_id"]).state == "pending" and reserved(store) == 1
    engine.sync_once()
    # The QR may still be on the customer's phone: the round asks, it does not cancel behind anyone's back.
    assert told == [] and reserved(store) == 1
    assert platform_status(platform, session["payment_id"]) == "pending"
    with platform.engine().begin() as conn:  # the QR's five minutes pass
        conn.execute(update(schema.payments).where(schema.payments.c.payment_id == session["payment_id"])
                     .values(expires_at=int(time.time()) - 1))
    engine.sync_once()
    order = orders.get(store.conn(), session["order_id"])
    assert told == [PaymentSettled(order.id, order.number, "released")]
    assert order.state == "cancelled" and reserved(store) == 0
    assert payments.get(store.conn(), session["payment_id"]).state == "expired"


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_paid_while_the_desk_was_offline_completes_the_sale_once(tmp_path, desk, platform, cable) -> None:
    store, _engine, told, who = desk

    def customer_pays_while_offline(session: dict) -> None:
        cable.plugged = False
        pay_on_page(platform, session["qr_content"])

    session = kill_desk_with_qr_on_screen(tmp_path, store, who, while_offline=customer_pays_while_offline)
    # The desk restarts (a new store and engine on the folder), still offline, then the network comes back.
    restarted = Store.open(tmp_path / "desk")
    engine2 = SyncEngine(restarted, lambda: client_for(restarted))
    engine2.add_event_listener(lambda e: told.append(e) if isinstance(e, PaymentSettled) else None)
    try:
        with pytest.raises(OfflineError):
            engine2.sync_once()
        assert told == [] and reserved(restarted) == 1
        cable.plugged = True
        engine2.sync_once()
        conn = restarted.conn()
        order = orders.get(conn, session["order_id"])
        assert told == [PaymentSettled(order.id, order.number, "fulfilled")]
        assert order.state == "fulfilled" and reserved(restarted) == 0
        assert [c.state for c in codes.for_order(conn, order.id)] == ["sold"]
        engine2.sync_once()  # the sale goes up; nothing is settled twice
        engine2.sync_once()
        assert len(told) == 1 and orders.get(conn, order.id).sync_state == "accepted"
        assert platform_orders(platform, order.id) == 1
        assert [e.subject for e in audit.entries(conn) if e.action == "sale"] == [order.id]
        assert conn.execute("SELECT count(*) FROM outbox WHERE ref_id = ?", (order.id,)).fetchone()[0] == 1
    finally:
        engine2.stop()
        restarted.close()


def test_sync_once_from_the_command_line_settles_and_says_so(tmp_path, desk, cable, capsys) -> None:
    store, engine, _told, who = desk
    session = qr_sale.start(store, engine.client(), staff_id=who.id, cart=[CartLine("qb10", 1)], method="sandbox")
    cable.plugged = False
    assert qr_sale.cancel(store, engine.client(), session, staff_id=who.id).outcome == "waiting"
    cable.plugged = True
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "desk"), "sync", "--once"]) == 0
    number = orders.get(store.conn(), session.order_id).number
    assert capsys.readouterr().out.splitlines()[0] == f"QR payment of order {number}: released"
    assert reserved(store) == 0
