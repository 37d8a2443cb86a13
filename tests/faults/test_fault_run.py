"""The seeded fault run: real processes on loopback, a fault proxy between them, SIGKILLs of the desk
and of the platform. Nothing lost, nothing doubled, every top-up executed at most once.

CI runs a small seed; `python3 dev.py soak` runs >= 1,000 orders with >= 200 injected faults.
"""

from __future__ import annotations

import contextlib
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from kameng_desk.sync.client import PlatformClient
from kameng_desk.sync.engine import SyncEngine
from kameng_desk.sync.errors import SyncError
from kameng_desk.sync.pairing import pair_store
from kameng_platform import admin
from kameng_platform.db import make_engine
from kameng_platform.seed import seed_demo
from kameng_platform.settings import PlatformSettings
from local_cache import Store, outbox, staff, sync_state
from tests.faults.proxy import FaultProxy

ROOT = Path(__file__).resolve().parents[2]
SOAK = os.environ.get("KAMENG_SOAK") == "1"
# Faults are drawn per request, and how many requests a run makes depends on timing: the CI floor leaves room.
ORDERS, MIN_FAULTS, SEED = (1000, 200, 4242) if SOAK else (150, 20, 7)
ORDERS = int(os.environ.get("KAMENG_FAULT_ORDERS", ORDERS))
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PlatformProcess:
    def __init__(self, db: Path, key_hex: str) -> None:
        self.port = free_port()
        self.args = [str(BIN / "kameng-platform"), "serve", "--db", f"sqlite:///{db}", "--port", str(self.port),
                     "--allow-sandbox", "--sandbox-unknown-rate", "0.2"]
        self.env = dict(os.environ, KAMENG_PLATFORM_KEY=key_hex)
        self.proc: subprocess.Popen | None = None
        self.kills = 0

    def start(self) -> None:
        self.proc = subprocess.Popen(self.args, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/v1/time", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("platform did not start")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.kills += 1

    def restart(self) -> None:
        """SIGKILL (whatever it was doing) and start again on the same port."""
        self.kill()
        self.start()


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
@pytest.mark.timeout(1500 if SOAK else 600)
def test_fault_run(tmp_path: Path, memory_keyring) -> None:
    rng = random.Random(SEED)
    key = secrets.token_bytes(32)
    db = tmp_path / "platform.db"
    settings = PlatformSettings(f"sqlite:///{db}", key)
    seed = seed_demo(settings, codes_per_product=ORDERS)
    engine = make_engine(settings.db_url)
    with engine.begin() as conn:
        admin.credit(conn, seed.reseller_id, 100_000_000, "fault-run")
    engine.dispose()
    platform = PlatformProcess(db, key.hex())
    platform.start()
    proxy = FaultProxy(platform.port, seed=SEED, fault_rate=0.25, client_timeout=2.0)

    desk_dir = tmp_path / "desk"
    store = Store.open(desk_dir)
    pair_store(store, f"http://127.0.0.1:{platform.port}", seed.pairing_code)
    with store.transaction() as conn:
        staff.create(conn, "收银员", "cashier", "1234")
    first = SyncEngine(store, lambda: PlatformClient(f"http://127.0.0.1:{platform.port}",
                                                     sync_state.get(store.conn(), "terminal_id"),
                                                     store.secrets.terminal_secret()), restock_quantity=40)
    first.sync_once()  # the catalog and first codes, before the faults start
    first.stop()  # never started as a thread: this closes its HTTP client
    env = dict(os.environ, KAMENG_TEST_DB_KEY=store._key.hex(),
               KAMENG_TEST_TERMINAL_SECRET=store.secrets.terminal_secret(), PYTHONPATH=str(ROOT))
    store.close()

    committed: set[str] = set()
    desk_kills = 0
    finished = False
    while not finished:
        child = subprocess.Popen([sys.executable, "-m", "tests.faults.desk_child", str(desk_dir),
                                  f"http://127.0.0.1:{proxy.port}", str(ORDERS), str(SEED)],
                                 stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        # Now and then the platform dies while the desk is pushing: mid-batch, not between runs.
        bounce = threading.Timer(rng.uniform(0.3, 1.0), platform.restart) if rng.random() < 0.5 else None
        if bounce is not None:
            bounce.start()
        try:
            out, _ = child.communicate(timeout=rng.uniform(0.8, 3.0))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            out, _ = child.communicate()
            desk_kills += 1
        if bounce is not None:
            bounce.cancel()
            bounce.join()
        committed |= {line.split()[1] for line in out.splitlines() if line.startswith("committed ")}
        finished = "done" in out.split()
        check = Store.open(desk_dir)
        assert check.integrity_check() == "ok"
        check.close()

    # Faults stop: the desk drains everything within a bounded time.
    proxy.enabled = False
    store = Store.open(desk_dir)
    terminal_secret = env["KAMENG_TEST_TERMINAL_SECRET"]
    terminal_id = sync_state.get(store.conn(), "terminal_id")
    engine_ = SyncEngine(store, lambda: PlatformClient(f"http://127.0.0.1:{platform.port}", terminal_id,
                                                       terminal_secret))
    start = time.monotonic()
    while True:
        with contextlib.suppress(SyncError):
            engine_.sync_once()
        conn = store.conn()
        waiting = outbox.pending_count(conn)
        open_topups = conn.execute("SELECT count(*) FROM orders WHERE kind = 'topup' "
                                   "AND topup_state NOT IN ('succeeded', 'failed')").fetchone()[0]
        if waiting == 0 and open_topups == 0:
            break
        assert time.monotonic() - start < 120, f"not drained: {waiting} waiting, {open_topups} top-ups open"
        time.sleep(0.5)
    drain_s = time.monotonic() - start

    local = store.conn()
    local_orders = {r[0] for r in local.execute("SELECT id FROM orders")}
    remote = create_engine(f"sqlite:///{db}")
    with remote.connect() as conn:
        platform_orders = {r[0]: r[1] for r in conn.execute(text("SELECT order_id, status FROM orders"))}
        platform_sold = {r[0]: r[1] for r in conn.execute(text("SELECT id, order_id FROM codes WHERE state = 'sold'"))}
        topup_ids = {r[0] for r in conn.execute(text("SELECT order_id FROM orders WHERE kind = 'topup'"))}
        # The sandbox supplier's record, shared by every platform process (one row per order it executed).
        executions = dict(conn.execute(text("SELECT order_id, count(*) FROM sandbox_topups GROUP BY order_id")).all())
    remote.dispose()
    local_sold = dict(local.execute("SELECT id, order_id FROM card_codes WHERE state = 'sold'"))
    # Each sale holds exactly as many codes as it sold, and the platform agrees code by code: no code
    # went to two orders, none is missing on either side.
    short_sales = local.execute(
        "SELECT count(*) FROM orders o WHERE o.kind = 'sale' AND (SELECT coalesce(sum(quantity), 0) FROM order_lines l "
        "WHERE l.order_id = o.id) != (SELECT count(*) FROM card_codes c WHERE c.order_id = o.id AND c.state = 'sold')"
    ).fetchone()[0]
    sold_twice = len(set(local_sold.items()) ^ set(platform_sold.items()))

    # A kill can land between COMMIT and the "committed" line: such an order is durable but unreported, so the
    # platform is checked against every order in the desk's database, not only the reported ones.
    lost = len(local_orders - set(platform_orders))
    duplicated = len(platform_orders) - len(set(platform_orders))
    rejected = sum(1 for s in platform_orders.values() if s != "accepted")
    faults = sum(proxy.injected.values())
    print(f"\nfault run (seed {SEED}): orders committed {len(local_orders)} ({len(committed)} reported before a "
          f"kill), on the platform {len(platform_orders)}, "
          f"lost {lost}, duplicated {duplicated}, rejected {rejected}; top-ups {len(topup_ids)}, "
          f"max supplier executions per top-up {max(executions.values(), default=0)}; codes sold twice "
          f"{sold_twice}, sales without all their codes {short_sales}; injected faults {faults} "
          f"{dict(proxy.injected)}; desk kills "
          f"{desk_kills}, platform kills {platform.kills}; drained in {drain_s:.1f} s")
    engine_.stop()
    proxy.stop()
    platform.kill()
    store.close()

    assert committed <= local_orders and len(local_orders) == ORDERS
    assert lost == 0 and duplicated == 0 and rejected == 0
    assert set(executions) == topup_ids and max(executions.values(), default=1) <= 1
    assert sold_twice == 0 and short_sales == 0 and len(local_sold) == len(platform_sold) > 0
    assert faults >= MIN_FAULTS and desk_kills > 0 and platform.kills > 0
