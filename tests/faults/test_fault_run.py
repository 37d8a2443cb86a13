"""The seeded fault run: real processes on loopback, a fault proxy between them, SIGKILLs of the desk
and of the platform. Nothing lost, nothing doubled, every top-up executed at most once, the balance what the
ledger says and what the orders and restocks say.

Two modes: one platform process on SQLite, and two platform processes on one PostgreSQL behind the proxy
(requests spread over both, duplicates delivered to both at once, one of them killed and restarted now and
then; SQLite deployments are single-process). CI runs a small seed; `python3 dev.py soak` runs >= 1,000
orders with >= 200 injected faults in each mode.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from kameng_desk.sync.client import PlatformClient
from kameng_desk.sync.errors import SyncError
from kameng_desk.sync.pairing import pair_store
from kameng_desk.usecases.syncing import SyncEngine
from kameng_platform import admin, topups
from kameng_platform.db import make_engine
from kameng_platform.seed import seed_demo
from kameng_platform.settings import PlatformSettings
from local_cache import Store, outbox, staff, sync_state
from tests.faults.proxy import FaultProxy
from tests.integration.stocking import keep_stocked
from tests.platform import pg
from tests.platform.client import Terminal
from tests.platform.processes import PlatformProcess

ROOT = Path(__file__).resolve().parents[2]
SOAK = os.environ.get("KAMENG_SOAK") == "1"
# Faults are drawn per request, and how many requests a run makes depends on timing: the CI floor leaves room.
ORDERS, MIN_FAULTS, SEED = (1000, 200, 4242) if SOAK else (150, 20, 7)
ORDERS = int(os.environ.get("KAMENG_FAULT_ORDERS", ORDERS))


@pytest.fixture(params=[1, 2], ids=["one-process-sqlite", "two-processes-postgres"])
def platform_db(request, tmp_path: Path):
    """(how many platform processes, the database they share)."""
    if request.param == 1:
        yield 1, f"sqlite:///{tmp_path / 'platform.db'}"
        return
    try:
        with pg.cluster() as server, pg.fresh_database(server) as url:
            yield 2, url
    except pg.PostgresUnavailable as exc:
        if pg.REQUIRED:
            pytest.fail(f"PostgreSQL is required (KAMENG_REQUIRE_PG=1) but unavailable: {exc}")
        pytest.skip(f"two-process fault run not run: {exc}")


@pytest.fixture
def spawned():
    """Platform processes a test starts: killed at the end even when the test fails half-way."""
    processes: list[PlatformProcess] = []
    yield processes
    for p in processes:
        if p.proc is not None and p.proc.poll() is None:
            p.kill()


def platform_balance(url: str, terminal_id: str, secret: str) -> int:
    terminal = Terminal(url, terminal_id, secret, "")
    try:
        return terminal.request("GET", "/v1/catalog").json()["balance_fen"]
    finally:
        terminal.http.close()


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
@pytest.mark.timeout(1500 if SOAK else 600)
def test_fault_run(tmp_path: Path, memory_keyring, platform_db, spawned) -> None:
    processes, db_url = platform_db
    rng = random.Random(SEED)
    key = secrets.token_bytes(32)
    settings = PlatformSettings(db_url, key)
    seed = seed_demo(settings, codes_per_product=ORDERS)
    engine = make_engine(settings.db_url)
    with engine.begin() as conn:
        admin.credit(conn, seed.reseller_id, 100_000_000, "fault-run")
    engine.dispose()
    logs = [tmp_path / f"platform{i}.log" for i in range(processes)]
    platforms = [PlatformProcess(db_url, key.hex(), "--allow-sandbox", "--sandbox-unknown-rate", "0.2", log=log)
                 for log in logs]
    spawned.extend(platforms)
    for p in platforms:
        p.start()
    platform = platforms[0]  # the one the setup and the drain talk to without faults
    proxy = FaultProxy([p.port for p in platforms], seed=SEED, fault_rate=0.25, client_timeout=2.0)

    desk_dir = tmp_path / "desk"
    store = Store.open(desk_dir)
    pair_store(store, f"http://127.0.0.1:{platform.port}", seed.pairing_code)
    with store.transaction() as conn:
        staff.create(conn, "收银员", "cashier", "1234")
    keep_stocked(store, 40)  # the first codes now, and the child's sales restocked as they go
    first = SyncEngine(store, lambda: PlatformClient(f"http://127.0.0.1:{platform.port}",
                                                     sync_state.get(store.conn(), "terminal_id"),
                                                     store.secrets.terminal_secret()))
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
        bounce = (threading.Timer(rng.uniform(0.3, 1.0), rng.choice(platforms).restart) if rng.random() < 0.5
                  else None)
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
        # A top-up leased by a killed process waits out its lease (topups.LEASE_S) first.
        assert time.monotonic() - start < 120 + topups.LEASE_S, \
            f"not drained: {waiting} waiting, {open_topups} top-ups open"
        time.sleep(0.5)
    drain_s = time.monotonic() - start

    local = store.conn()
    local_orders = {r[0] for r in local.execute("SELECT id FROM orders")}
    remote = create_engine(db_url)
    with remote.connect() as conn:
        platform_rows = conn.execute(text("SELECT order_id, status FROM orders")).all()
        platform_orders = dict(platform_rows)
        platform_sold = {r[0]: r[1] for r in conn.execute(text("SELECT id, order_id FROM codes WHERE state = 'sold'"))}
        topup_ids = {r[0] for r in conn.execute(text("SELECT order_id FROM orders WHERE kind = 'topup'"))}
        ledger_sum = conn.execute(text("SELECT sum(amount_fen) FROM ledger")).scalar()
        # What the ledger must say, from the business rows: credits, less every restock and top-up charged,
        # plus the failed top-ups refunded.
        expected = conn.execute(text(
            "SELECT (SELECT sum(amount_fen) FROM ledger WHERE reason = 'credit')"
            " - (SELECT coalesce(sum(charged_fen), 0) FROM allocations)"
            " - (SELECT coalesce(sum(cost_fen), 0) FROM orders WHERE kind = 'topup' AND status = 'accepted')"
            " + (SELECT coalesce(sum(cost_fen), 0) FROM orders WHERE kind = 'topup' AND topup_state = 'failed')"
        )).scalar()
        top_up_workers = {r[0] for r in conn.execute(text("SELECT claimed_by FROM orders WHERE kind = 'topup'"))}
        # The sandbox supplier's record, shared by every platform process: how often each order was submitted
        # (it executes an order once whatever happens; a second submission is the platform sending it again).
        executions = dict(conn.execute(text("SELECT order_id, submissions FROM sandbox_topups")).all())
    remote.dispose()
    balance = platform_balance(platform.url, terminal_id, terminal_secret)
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
    duplicated = len(platform_rows) - len(platform_orders)
    rejected = sum(1 for s in platform_orders.values() if s != "accepted")
    faults = sum(proxy.injected.values())
    # The platform's own answers (its access log; the proxy's injected 503s are not in it) and its errors.
    log_text = "".join(log.read_text(errors="replace") for log in logs)
    server_5xx = len(re.findall(r'HTTP/1\.1" 5\d\d ', log_text))
    tracebacks = log_text.count("Traceback")
    print(f"\nfault run (seed {SEED}): orders committed {len(local_orders)} ({len(committed)} reported before a "
          f"kill), on the platform {len(platform_orders)}, "
          f"lost {lost}, duplicated {duplicated}, rejected {rejected}; top-ups {len(topup_ids)}, "
          f"max supplier executions per top-up {max(executions.values(), default=0)}; codes sold twice "
          f"{sold_twice}, sales without all their codes {short_sales}; injected faults {faults} "
          f"{dict(proxy.injected)}; desk kills "
          f"{desk_kills}, platform kills {[p.kills for p in platforms]} ({processes} process(es)); balance "
          f"{balance} fen, ledger sum {ledger_sum}, expected {expected}; top-ups worked by {len(top_up_workers)} "
          f"worker(s); drained in {drain_s:.1f} s; platform 5xx answers {server_5xx}, tracebacks "
          f"logged {tracebacks}")
    engine_.stop()
    proxy.stop()
    store.close()

    assert committed <= local_orders and len(local_orders) == ORDERS
    assert lost == 0 and duplicated == 0 and rejected == 0
    assert set(executions) == topup_ids and max(executions.values(), default=1) <= 1
    assert sold_twice == 0 and short_sales == 0 and len(local_sold) == len(platform_sold) > 0
    assert balance == ledger_sum == expected
    assert server_5xx == 0 and tracebacks == 0
    assert faults >= MIN_FAULTS and desk_kills > 0 and sum(p.kills for p in platforms) > 0
