"""Platform throughput on SQLite and PostgreSQL, each next to a trivial endpoint on the same server:
order push (orders/s in batches of 200) and restock latency with 100 simulated terminals."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from bench.stats import summary_ms, table
from kameng_platform import admin
from kameng_platform.db import make_engine
from tests.platform import pg
from tests.platform.client import PlatformHarness

TERMINALS = 100
PUSHERS = 5
ORDERS_EACH = 400
BATCH = 200
WORKERS = 16


def run_backend(label: str, url: str) -> list[list[object]]:
    # 100 terminals paired from one address: more than a production platform lets one address try.
    h = PlatformHarness.start(url, codes_per_product=PUSHERS * ORDERS_EACH + 2 * TERMINALS,
                              pair_attempts_per_source=TERMINALS, pair_attempts_total=TERMINALS)
    engine = make_engine(url)
    with engine.begin() as conn:
        admin.credit(conn, h.reseller_id, 10_000_000, "bench")
    engine.dispose()
    try:
        terminals = [h.pair(name=f"T{i}") for i in range(TERMINALS)]
        rows: list[list[object]] = []

        client = httpx.Client(timeout=30)
        def trivial(_):
            t0 = time.perf_counter()
            client.get(h.url + "/v1/time").raise_for_status()
            return time.perf_counter() - t0
        with ThreadPoolExecutor(WORKERS) as pool:
            t0 = time.perf_counter()
            base = list(pool.map(trivial, range(1000)))
            base_rate = len(base) / (time.perf_counter() - t0)
        s = summary_ms(base)
        rows.append([label, "baseline GET /v1/time", f"{base_rate:.0f} req/s", s["p50"], s["p99"]])

        def restock(t):
            t0 = time.perf_counter()
            r = t.request("POST", "/v1/restock", {"request_id": str(uuid.uuid4()), "product_id": "qb10",
                                                  "quantity": 1})
            r.raise_for_status()
            return time.perf_counter() - t0
        with ThreadPoolExecutor(WORKERS) as pool:
            t0 = time.perf_counter()
            lat = list(pool.map(restock, terminals + terminals))
            rate = len(lat) / (time.perf_counter() - t0)
        s = summary_ms(lat)
        rows.append([label, f"restock x1, {TERMINALS} terminals", f"{rate:.0f} req/s", s["p50"], s["p99"]])

        pushers = terminals[:PUSHERS]
        batches = []
        for t in pushers:
            got = t.request("POST", "/v1/restock", {"request_id": str(uuid.uuid4()), "product_id": "qb10",
                                                    "quantity": ORDERS_EACH}).json()
            orders = [{"order_id": str(uuid.uuid4()), "number": f"B-{n}", "kind": "sale",
                       "created_at": "2026-11-23T03:00:00.000000Z", "payment_method": "cash",
                       "lines": [{"product_id": "qb10", "quantity": 1, "unit_price_fen": 1000,
                                  "code_ids": [c["id"]]}], "total_fen": 1000}
                      for n, c in enumerate(got["codes"])]
            batches += [(t, orders[i:i + BATCH]) for i in range(0, len(orders), BATCH)]

        def push(tb):
            t0 = time.perf_counter()
            r = tb[0].request("POST", "/v1/orders/batch", {"orders": tb[1]})
            r.raise_for_status()
            assert all(x["status"] == "accepted" for x in r.json()["results"])
            return time.perf_counter() - t0
        with ThreadPoolExecutor(PUSHERS) as pool:
            t0 = time.perf_counter()
            lat = list(pool.map(push, batches))
            elapsed = time.perf_counter() - t0
        s = summary_ms(lat)
        total = sum(len(b) for _, b in batches)
        rows.append([label, f"order push, batches of {BATCH}", f"{total / elapsed:.0f} orders/s", s["p50"], s["p99"]])
        return rows
    finally:
        h.stop()


def main() -> None:
    os.environ.setdefault("KAMENG_PLATFORM_KEY", secrets.token_hex(32))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += run_backend("SQLite", f"sqlite:///{tmp}/bench.db")
    try:
        with pg.cluster() as server, pg.fresh_database(server) as url:
            rows += run_backend("PostgreSQL", url)
    except pg.PostgresUnavailable as exc:
        print(f"PostgreSQL not measured: {exc}")
    print(table(["backend", "operation", "throughput", "p50 ms", "p99 ms"], rows))



if __name__ == "__main__":
    main()
