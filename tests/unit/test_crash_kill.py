"""SIGKILL in the middle of sales: the database stays consistent and every confirmed sale survives."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from local_cache import Store, audit, orders
from tests.factories import QB10, make_staff, seed_catalog

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("KAMENG_CRASH_RUNS", "12"))


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_mid_sale_leaves_whole_or_absent_transactions(tmp_path: Path, memory_keyring) -> None:
    rng = random.Random(20261123)
    store = Store.open(tmp_path)
    seed_catalog(store, stock=4000)
    owner = make_staff(store)
    key_hex = store._key.hex()
    store.close()
    env = dict(os.environ, KAMENG_TEST_DB_KEY=key_hex, PYTHONPATH=str(ROOT))
    confirmed: set[str] = set()
    for _ in range(RUNS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.unit.crash_child", str(tmp_path), owner.id, QB10.id],
            stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.25))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        confirmed.update(line for line in out.split() if line)

        store = Store.open(tmp_path)
        conn = store.conn()
        assert store.integrity_check() == "ok"
        ids = {r[0] for r in conn.execute("SELECT id FROM orders")}
        assert confirmed <= ids, "a sale reported as committed was lost"
        # Whole or absent: every order has its two codes, its outbox row and its audit entry; no orphans.
        assert conn.execute(
            "SELECT count(*) FROM orders o WHERE (SELECT count(*) FROM card_codes c "
            "WHERE c.order_id = o.id AND c.state = 'sold') != 2").fetchone()[0] == 0
        assert conn.execute(
            "SELECT count(*) FROM card_codes WHERE state = 'sold' AND order_id NOT IN (SELECT id FROM orders)"
        ).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == len(ids)
        assert audit.verify(conn).ok and audit.verify(conn).checked == len(ids)
        store.close()
    assert len(confirmed) > RUNS  # the kills really landed among many sales
    assert orders.count(Store.open(tmp_path).conn()) >= len(confirmed)
