"""QR payments against the real platform and its sandbox gateway: pay page, signed notify, the
cancel-versus-pay race, and notifies that must change nothing."""

from __future__ import annotations

import random
import re
import threading

import httpx
import pytest

from kameng_desk.usecases import qr_sale
from kameng_desk.usecases.sell import CartLine
from local_cache import codes, orders, staff


def cashier(store):
    with store.transaction() as conn:
        return staff.create(conn, "小李", "cashier", "1234")


def pay_on_page(qr_content: str) -> None:
    page = httpx.get(qr_content)
    assert page.status_code == 200 and "付款" in page.text
    action = re.search(r'action="([^"]+)"', page.text).group(1)
    assert "付款成功" in httpx.post(str(httpx.URL(qr_content).join(action))).text


def test_customer_pays_on_the_sandbox_page(desk) -> None:
    store, engine = desk
    engine.sync_once()
    who = cashier(store)
    client = engine.client()
    session = qr_sale.start(store, client, staff_id=who.id, cart=[CartLine("qb10", 2)], method="sandbox")
    assert session.qr_content.startswith("http") and session.expires_at
    assert qr_sale.poll(store, client, session, staff_id=who.id).outcome == "waiting"
    pay_on_page(session.qr_content)
    settled = qr_sale.poll(store, client, session, staff_id=who.id)
    assert settled.outcome == "fulfilled" and len(settled.sale.codes) == 2
    engine.sync_once()
    assert orders.get(store.conn(), session.order_id).sync_state == "accepted"


def test_bad_notifies_change_nothing(desk, platform) -> None:
    store, engine = desk
    engine.sync_once()
    who = cashier(store)
    client = engine.client()
    session = qr_sale.start(store, client, staff_id=who.id, cart=[CartLine("qb10", 1)], method="sandbox")
    notify = platform.url + "/v1/gateways/sandbox/notify"
    from kameng_platform.gateways.sandbox import SandboxGateway

    gateway = SandboxGateway(platform.settings.server_key, platform.engine())  # for its notify signatures
    good = {"payment_id": session.payment_id, "amount_fen": str(session.amount_fen), "status": "paid"}
    bad = [
        {**good, "sign": "0" * 64},  # wrong signature
        {**good, "amount_fen": "1", "sign": gateway.sign_notify(session.payment_id, 1, "paid")},  # wrong amount
        {**good, "payment_id": "nope", "sign": gateway.sign_notify("nope", session.amount_fen, "paid")},  # unknown
    ]
    for form in bad:
        reply = httpx.post(notify, data=form)
        assert reply.status_code == 400 and reply.json()["error"]["code"] == "bad_notify"
    assert client.payment_status(session.payment_id) == "pending"
    signed = {**good, "sign": gateway.sign_notify(session.payment_id, session.amount_fen, "paid")}
    assert httpx.post(notify, data=signed).text == "success"
    assert httpx.post(notify, data=signed).text == "success"  # a replayed notify is harmless
    assert qr_sale.poll(store, client, session, staff_id=who.id).outcome == "fulfilled"


@pytest.mark.parametrize("seed", range(8))
def test_cancel_versus_pay_race_on_the_real_platform(desk, seed: int) -> None:
    """The customer pays while the cashier cancels (and sometimes the desk drops off): every order ends
    fulfilled with its codes, or released, or flagged for refund; never paid without goods or a record."""
    rng = random.Random(seed)
    store, engine = desk
    engine.sync_once()
    who = cashier(store)
    client = engine.client()
    session = qr_sale.start(store, client, staff_id=who.id, cart=[CartLine("qb10", 1)], method="sandbox")
    pays = rng.random() < 0.7
    delay = rng.uniform(0, 0.05)

    def customer() -> None:
        threading.Event().wait(delay)
        if pays:
            pay_on_page(session.qr_content)

    t = threading.Thread(target=customer)
    t.start()
    threading.Event().wait(rng.uniform(0, 0.05))
    qr_sale.cancel(store, client, session, staff_id=who.id)
    t.join()
    engine.sync_once()  # the round settles what the cancel left open
    qr_sale.apply_status(store, session.payment_id, client.payment_status(session.payment_id), staff_id=who.id)
    conn = store.conn()
    order = orders.get(conn, session.order_id)
    flagged = conn.execute("SELECT refund_needed FROM orders WHERE id = ?", (session.order_id,)).fetchone()[0]
    sold = [c for c in codes.for_order(conn, session.order_id) if c.state == "sold"]
    if client.payment_status(session.payment_id) == "paid":
        assert (order.state == "fulfilled" and len(sold) == 1) or (order.state == "cancelled" and flagged)
    else:
        assert order.state == "cancelled" and not sold and not flagged
    assert conn.execute("SELECT count(*) FROM card_codes WHERE state = 'reserved'").fetchone()[0] == 0


def test_the_desk_uses_the_platforms_default_gateway(desk) -> None:
    store, engine = desk
    engine.sync_once()
    client = engine.client()
    assert client.payment_methods() == ["sandbox"]
    session = qr_sale.start(store, client, staff_id=cashier(store).id, cart=[CartLine("qb10", 1)])
    assert session.method == "sandbox" and session.qr_content.startswith("http")
