"""Order history with 100,000 orders: first page, count, and filtered pages (issue 8 goal: p99 <= 100 ms).

Baseline in the same run: the same first-page query on a table with 1,000 orders.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

import keyring

from bench.stats import summary_ms, table
from kameng_desk.usecases import history
from local_cache import Store, staff
from local_cache.catalog import Category, Product, upsert_category, upsert_product
from local_cache.ids import format_utc
from local_cache.keystore import MemoryKeyring

ORDERS = int(os.environ.get("KAMENG_BENCH_ORDERS", "100000"))
RUNS = 200
PAGE = 100


def seed(store: Store, n: int) -> tuple[list[str], list[str]]:
    from datetime import UTC, datetime, timedelta

    rng = random.Random(8)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with store.transaction() as conn:
        upsert_category(conn, Category("cat", "点卡", "card"))
        products = [f"p{i}" for i in range(50)]
        for pid in products:
            upsert_product(conn, Product(pid, "cat", f"点卡{pid}", "card", 1000, 1000))
        people = [staff.create(conn, f"staff{i}", "cashier", "1234").id for i in range(5)]
        order_rows, line_rows = [], []
        for i in range(n):
            at = format_utc(start + timedelta(seconds=i * 300))
            oid = f"o{i:07d}"
            order_rows.append((oid, f"KM-{i:07d}", "sale", rng.choice(["fulfilled"] * 9 + ["voided"]),
                               rng.choice(["cash", "cash", "qr_dynamic", "qr_static"]), 1000,
                               rng.choice(people), at, at))
            line_rows.append((oid, 1, rng.choice(products), "点卡", 1, 1000))
        conn.executemany(
            "INSERT INTO orders(id, number, kind, state, payment_method, total_fen, staff_id, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", order_rows)
        conn.executemany(
            "INSERT INTO order_lines(order_id, line_no, product_id, product_name, quantity, unit_price_fen) "
            "VALUES (?, ?, ?, ?, ?, ?)", line_rows)
    return products, people


def measure(store: Store, make_filter, sort: str = "created_at") -> dict[str, float]:
    conn = store.conn()
    samples = []
    for i in range(RUNS):
        f = make_filter(i)
        t0 = time.perf_counter()
        history.count(conn, f)
        history.page(conn, f, offset=0, limit=PAGE, sort=sort)
        samples.append(time.perf_counter() - t0)
    return summary_ms(samples)


def main() -> None:
    keyring.set_keyring(MemoryKeyring())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        small = Store.open(Path(tmp) / "small")
        seed(small, 1000)
        base = measure(small, lambda i: history.OrderFilter())
        rows.append(["baseline: 1,000 orders, first page + count", base["p50"], base["p99"]])
        small.close()

        store = Store.open(Path(tmp) / "big")
        products, people = seed(store, ORDERS)
        cases = [
            ("open: first page + count", lambda i: history.OrderFilter(), "created_at"),
            ("filter: one week", lambda i: history.OrderFilter(start=f"2026-03-{1 + i % 20:02d}",
                                                                 end=f"2026-03-{8 + i % 20:02d}"), "created_at"),
            ("filter: staff", lambda i: history.OrderFilter(staff_id=people[i % 5]), "created_at"),
            ("filter: product", lambda i: history.OrderFilter(product_id=products[i % 50]), "created_at"),
            ("filter: state + payment", lambda i: history.OrderFilter(state="voided", payment_method="cash"),
             "created_at"),
            ("sort by amount", lambda i: history.OrderFilter(), "total_fen"),
        ]
        for label, make, sort in cases:
            s = measure(store, make, sort)
            rows.append([f"{ORDERS:,} orders, {label}", s["p50"], s["p99"]])
        store.close()
    print(table(["history query (count + page of 100)", "p50 ms", "p99 ms"], rows))
    print("goal: p99 <= 100 ms each")


if __name__ == "__main__":
    main()
