"""The desk's sync engine against the real platform on loopback."""

from __future__ import annotations

import http.server
import threading

import pytest

from kameng_desk.sync.client import PlatformClient
from kameng_desk.sync.errors import BadReplyError, OfflineError, PlatformRefusedError
from kameng_desk.sync.status import CodeRevoked, OrderRejected, StockRestocked, TopupStateChanged
from kameng_desk.usecases.errors import ProductUnavailableError
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import codes, orders, outbox, staff, sync_state


def owner(store):
    with store.transaction() as conn:
        return staff.create(conn, "老王", "owner", "2468")


def test_first_sync_loads_catalog_restocks_and_pushes_sales(desk, platform) -> None:
    store, engine = desk
    events = []
    engine.add_event_listener(events.append)
    engine.sync_once()
    conn = store.conn()
    assert conn.execute("SELECT count(*) FROM products").fetchone()[0] == 12
    assert codes.available_count(conn, "qb10") == 10  # auto-restocked below the threshold
    assert any(isinstance(e, StockRestocked) for e in events)
    assert sync_state.get(conn, "terminal_prefix") and int(sync_state.get(conn, "balance_fen")) < 500_000
    who = owner(store)
    sale = sell_codes(store, staff_id=who.id, cart=[CartLine("qb10", 2)], cash_received_fen=2000)
    assert sale.order.number.startswith(sync_state.get(conn, "terminal_prefix"))
    engine.sync_once()
    assert outbox.pending_count(store.conn()) == 0
    assert orders.get(store.conn(), sale.order.id).sync_state == "accepted"
    status = engine.status()
    assert status.online and status.orders_waiting == 0 and status.last_sync_at


def test_offline_sale_waits_then_goes_up(desk, platform) -> None:
    store, engine = desk
    engine.sync_once()
    who = owner(store)
    target = {"url": "http://127.0.0.1:9"}  # nothing listens on the discard port
    offline = type(engine)(store, lambda: PlatformClient(target["url"], sync_state.get(store.conn(), "terminal_id"),
                                                         store.secrets.terminal_secret()))
    sale = sell_codes(store, staff_id=who.id, cart=[CartLine("qb10", 1)])
    with pytest.raises(OfflineError):
        offline.sync_once()
    assert not offline.status().online and offline.status().orders_waiting == 1
    assert orders.get(store.conn(), sale.order.id).sync_state == "pending"
    engine.sync_once()
    assert orders.get(store.conn(), sale.order.id).sync_state == "accepted"


def test_lost_restock_answer_is_recovered_without_double_charge(desk, platform) -> None:
    store, engine = desk
    engine.sync_once()
    balance = int(sync_state.get(store.conn(), "balance_fen"))
    with store.transaction() as conn:
        sync_state.put(conn, "restock_pending", '{"request_id": "lost-1", "product_id": "wy50", "quantity": 5}')
    engine.client().restock("lost-1", "wy50", 5)  # the platform commits; the answer is "lost"
    before = codes.available_count(store.conn(), "wy50")
    assert engine._resume_restock(engine.client()) == 5
    assert codes.available_count(store.conn(), "wy50") == before + 5
    assert int(sync_state.get(store.conn(), "balance_fen")) == balance - 5 * 4750


def test_revocations_quarantine_or_flag_after_sales(desk, platform) -> None:
    from kameng_platform import admin

    store, engine = desk
    engine.sync_once()
    who = owner(store)
    sale = sell_codes(store, staff_id=who.id, cart=[CartLine("qb30", 1)])
    sold_id = sale.codes[0].id
    shelf_id = store.conn().execute(
        "SELECT id FROM card_codes WHERE product_id = 'qb30' AND state = 'available'").fetchone()[0]
    engine_db = platform.engine()
    with engine_db.begin() as conn:
        admin.revoke_code(conn, sold_id)
        admin.revoke_code(conn, shelf_id)
    engine_db.dispose()
    events = []
    engine.add_event_listener(events.append)
    engine.sync_once()
    outcomes = {e.code_id: e.outcome for e in events if isinstance(e, CodeRevoked)}
    assert outcomes == {sold_id: "after_sales", shelf_id: "quarantined"}
    assert [c.id for c in codes.after_sales(store.conn())] == [sold_id]


def test_rejected_order_stays_visible_with_reason(desk, platform) -> None:
    store, engine = desk
    engine.sync_once()
    who = owner(store)
    sale = sell_codes(store, staff_id=who.id, cart=[CartLine("qb10", 1)])
    with store.transaction() as conn:  # the code belongs to nobody on the platform: a forged sale
        conn.execute("UPDATE outbox SET payload = replace(payload, ?, 'forged-code') WHERE ref_id = ?",
                     (sale.codes[0].id, sale.order.id))
    events = []
    engine.add_event_listener(events.append)
    engine.sync_once()
    order = orders.get(store.conn(), sale.order.id)
    assert order.sync_state == "rejected" and "not assigned" in order.status_reason
    assert [type(e) for e in events if isinstance(e, OrderRejected)] == [OrderRejected]
    assert engine.status().rejected_orders == 1


def test_deactivated_product_stops_selling(desk, platform) -> None:
    from kameng_platform import admin

    store, engine = desk
    engine.sync_once()
    db = platform.engine()
    with db.begin() as conn:
        admin.set_active(conn, "wy100", False)
    db.dispose()
    engine.sync_once()
    with pytest.raises(ProductUnavailableError):
        sell_codes(store, staff_id=owner(store).id, cart=[CartLine("wy100", 1)])


def test_topup_recorded_offline_is_accepted_and_charged(desk, platform) -> None:
    store, engine = desk
    engine.sync_once()
    balance = int(sync_state.get(store.conn(), "balance_fen"))
    order = record_topup(store, staff_id=owner(store).id, product_id="hf50", account="13912345678")
    engine.sync_once()
    assert orders.get(store.conn(), order.id).sync_state == "accepted"
    assert int(sync_state.get(store.conn(), "balance_fen")) == balance - 4950


def test_void_reaches_the_platform(desk, platform) -> None:
    from kameng_desk.usecases.handover import void_sale

    store, engine = desk
    engine.sync_once()
    who = owner(store)
    sale = sell_codes(store, staff_id=who.id, cart=[CartLine("qb10", 1)])
    engine.sync_once()
    void_sale(store, order_id=sale.order.id, staff_id=who.id, approver_id=who.id)
    engine.sync_once()
    assert outbox.pending_count(store.conn()) == 0
    # The platform took the code back: it can be sold again.
    resale = sell_codes(store, staff_id=who.id, cart=[CartLine("qb10", 10)])
    engine.sync_once()
    assert orders.get(store.conn(), resale.order.id).sync_state == "accepted"


class Garbage(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<html>captive portal</html>")

    do_POST = do_GET

    def log_message(self, *args):
        pass


def test_malformed_replies_lose_nothing(desk) -> None:
    store, engine = desk
    engine.sync_once()
    sale = sell_codes(store, staff_id=owner(store).id, cart=[CartLine("qb10", 1)])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        garbled = type(engine)(store, lambda: PlatformClient(
            f"http://127.0.0.1:{server.server_port}", "t", "s"))
        with pytest.raises(BadReplyError):
            garbled.sync_once()
        with pytest.raises(BadReplyError):
            garbled.client().changes(0)
    finally:
        server.shutdown()
    assert outbox.pending_count(store.conn()) == 1
    assert "cannot read" in garbled.status().last_error
    engine.sync_once()
    assert orders.get(store.conn(), sale.order.id).sync_state == "accepted"


def test_refusals_are_specific(desk, platform) -> None:
    _, engine = desk
    engine.sync_once()
    with pytest.raises(PlatformRefusedError) as info:
        engine.client().restock("big-1", "qb10", 60)
    assert info.value.code == "out_of_stock"


def wait_for_topup(engine, order_id: str, seconds: float = 15.0) -> list:
    import time

    events: list = []
    engine.add_event_listener(events.append)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        engine.sync_once()
        if any(isinstance(e, TopupStateChanged) and e.order_id == order_id and e.state in ("succeeded", "failed")
               for e in events):
            return events
        time.sleep(0.3)
    raise AssertionError("the top-up did not reach a final state")


def test_offline_topup_succeeds_after_the_platform_comes_back(desk, platform) -> None:
    store, engine = desk
    engine.sync_once()
    offline = type(engine)(store, lambda: PlatformClient("http://127.0.0.1:9", "t", "s"))
    order = record_topup(store, staff_id=owner(store).id, product_id="hf50", account="13912345678")
    with pytest.raises(OfflineError):
        offline.sync_once()
    assert orders.get(store.conn(), order.id).topup_state == "queued"
    events = wait_for_topup(engine, order.id)
    assert orders.get(store.conn(), order.id).topup_state == "succeeded"
    assert [e.state for e in events if isinstance(e, TopupStateChanged)][-1] == "succeeded"


def test_failed_topup_is_refunded_and_shown(tmp_path) -> None:
    import dataclasses

    from kameng_desk.sync.pairing import client_for, pair_store
    from kameng_desk.usecases.syncing import SyncEngine
    from kameng_platform.server import serve_in_thread
    from local_cache import Store
    from tests.platform.client import PlatformHarness

    base = PlatformHarness.start(f"sqlite:///{tmp_path / 'p.db'}")
    base.server.stop()  # restart the same platform with a supplier that always fails
    settings = dataclasses.replace(base.settings, sandbox_failure_rate=1.0)
    server = serve_in_thread(settings)
    store = Store.open(tmp_path / "desk")
    engine = SyncEngine(store, lambda: client_for(store))
    try:
        pair_store(store, server.base_url, base.first_code)
        engine.sync_once()
        balance = int(sync_state.get(store.conn(), "balance_fen"))
        order = record_topup(store, staff_id=owner(store).id, product_id="hf50", account="13912345678")
        wait_for_topup(engine, order.id)
        assert orders.get(store.conn(), order.id).topup_state == "failed"
        assert int(sync_state.get(store.conn(), "balance_fen")) == balance  # charged, then refunded
    finally:
        engine.stop()
        store.close()
        server.stop()
