"""Drain 10,000 queued orders to a local platform through the sync engine, next to a bare httpx loop
posting the same kind of batches (signed, 200 orders each) from a second terminal, in one run.

Goal (issue 4): engine time <= 1.3 x baseline.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
from pathlib import Path

import httpx
import keyring

from bench.stats import table
from kameng_desk.sync.pairing import client_for, pair_store
from kameng_desk.sync.signing import signed_headers
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.syncing import BATCH, SyncEngine
from kameng_platform import admin, terminals
from kameng_platform.crypto import Sealer
from kameng_platform.db import make_engine
from kameng_platform.seed import seed_demo
from kameng_platform.server import serve_in_thread
from kameng_platform.settings import sandbox_settings
from local_cache import Store, outbox, staff, sync_state
from local_cache.keystore import MemoryKeyring

ORDERS = int(os.environ.get("KAMENG_BENCH_ORDERS", "10000"))
PRODUCTS = ["qb10", "qb30", "wy50", "jw50", "sd30"]


def queued_desk(folder: Path, url: str, code: str) -> tuple[Store, SyncEngine]:
    store = Store.open(folder)
    pair_store(store, url, code)
    engine = SyncEngine(store, lambda: client_for(store))
    engine.sync_once()
    per = ORDERS // len(PRODUCTS) + 1
    for product in PRODUCTS:
        for _ in range(0, per, 500):
            engine.restock(product, 500)
    with store.transaction() as conn:
        cashier = staff.create(conn, "bench", "cashier", "1234").id
    for n in range(ORDERS):
        sell_codes(store, staff_id=cashier, cart=[CartLine(PRODUCTS[n % len(PRODUCTS)], 1)])
    return store, engine


def bare_loop(store: Store, url: str) -> float:
    conn = store.conn()
    terminal_id, secret = sync_state.get(conn, "terminal_id"), store.secrets.terminal_secret()
    payloads = [i.payload for i in outbox.pending(conn, "order", ORDERS)]
    with httpx.Client(base_url=url, timeout=60) as http:
        start = time.perf_counter()
        for i in range(0, len(payloads), BATCH):
            body = json.dumps({"orders": payloads[i:i + BATCH]}, ensure_ascii=False, separators=(",", ":")).encode()
            headers = signed_headers(terminal_id, secret, "POST", b"/v1/orders/batch", body)
            headers["Content-Type"] = "application/json"
            http.post("/v1/orders/batch", content=body, headers=headers).raise_for_status()
        return time.perf_counter() - start


def main() -> None:
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory() as tmp:
        settings = sandbox_settings(f"sqlite:///{tmp}/platform.db", secrets.token_bytes(32))
        seed = seed_demo(settings, codes_per_product=2 * (ORDERS // len(PRODUCTS) + 600))
        db = make_engine(settings.db_url)
        with db.begin() as conn:
            admin.credit(conn, seed.reseller_id, 500_000_000, "bench")
            second_code = terminals.create_pairing_code(conn, Sealer(settings.server_key), seed.reseller_id, 3600)
        db.dispose()
        server = serve_in_thread(settings)
        try:
            engine_store, engine = queued_desk(Path(tmp) / "engine", server.base_url, seed.pairing_code)
            bare_store, _ = queued_desk(Path(tmp) / "bare", server.base_url, second_code)
            baseline = bare_loop(bare_store, server.base_url)
            start = time.perf_counter()
            engine._push_orders(engine.client())
            engine_s = time.perf_counter() - start
            assert outbox.pending_count(engine_store.conn()) == 0
            engine.stop()
        finally:
            server.stop()
    rows = [["bare httpx loop (baseline)", ORDERS, baseline, ORDERS / baseline],
            ["sync engine (push + local bookkeeping)", ORDERS, engine_s, ORDERS / engine_s]]
    print(table(["drain queued orders", "orders", "seconds", "orders/s"], rows))
    print(f"engine / baseline: {engine_s / baseline:.2f} (goal <= 1.3)")


if __name__ == "__main__":
    main()
