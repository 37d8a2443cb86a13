"""The sale transaction with 1,000,000 cached codes: SQLCipher against plain sqlite3 (same schema and
settings), p50/p99 over many sales; and database open time with the raw key.

Goals (issue 2): p99 <= 10 ms, SQLCipher/plain <= 1.5 at p50, open <= 50 ms.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path

import keyring

from bench.stats import summary_ms, table
from kameng_desk.usecases.sell import CartLine, sell_codes
from local_cache import Store, migrations, staff
from local_cache.catalog import Category, Product, upsert_category, upsert_product
from local_cache.connection import BUSY_TIMEOUT_MS, SETTINGS, open_connection
from local_cache.keystore import MemoryKeyring

CODES = int(os.environ.get("KAMENG_BENCH_CODES", "1000000"))
SALES = int(os.environ.get("KAMENG_BENCH_SALES", "2000"))
PRODUCTS = 20


class PlainStore(Store):
    """The same Store code on stdlib sqlite3 with the same pragmas: the baseline without encryption."""

    def conn(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
            for pragma in SETTINGS:
                conn.execute(f"PRAGMA {pragma}")
            self._local.conn = conn
        return conn


def seed(store: Store) -> str:
    with store.transaction() as conn:
        upsert_category(conn, Category("cat", "点卡", "card"))
        for p in range(PRODUCTS):
            upsert_product(conn, Product(f"p{p}", "cat", f"点卡{p}", "card", 1000, 1000))
        per = CODES // PRODUCTS
        conn.executemany(
            "INSERT INTO card_codes(id, product_id, card_no, card_secret, state, allocated_at) "
            "VALUES (?, ?, ?, ?, 'available', ?)",
            ((f"c{n:08d}", f"p{n // per % PRODUCTS}", f"{n:016d}", f"S{n:019d}", f"2026-01-01T00:00:{n % 60:02d}")
             for n in range(CODES)),
        )
        return staff.create(conn, "bench", "owner", "2468").id


def run_sales(stores: list[tuple[Store, str]]) -> list[list[float]]:
    """Sales alternate between the stores, so both see the same machine (disk, caches, other load)."""
    samples: list[list[float]] = [[] for _ in stores]
    for n in range(SALES):
        for (store, staff_id), out in zip(stores, samples, strict=True):
            start = time.perf_counter()
            sell_codes(store, staff_id=staff_id, cart=[CartLine(f"p{n % PRODUCTS}", 1)])
            out.append(time.perf_counter() - start)
    return samples


def open_times(data_dir: Path, key: bytes, runs: int = 30) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        conn = open_connection(data_dir / "kameng.db", key)
        conn.execute("SELECT count(*) FROM products").fetchone()
        samples.append(time.perf_counter() - start)
        conn.close()
    return samples


def main() -> None:
    keyring.set_keyring(MemoryKeyring())
    with tempfile.TemporaryDirectory(dir=os.environ.get("KAMENG_BENCH_DIR")) as tmp:
        (Path(tmp) / "plain").mkdir()
        plain = PlainStore(Path(tmp) / "plain", None, b"")  # type: ignore[arg-type]
        migrations.migrate(plain.conn())
        cipher = Store.open(Path(tmp) / "cipher")
        seeded = []
        for store in (plain, cipher):
            t0 = time.perf_counter()
            seeded.append((store, seed(store), time.perf_counter() - t0))
        samples = run_sales([(store, staff_id) for store, staff_id, _ in seeded])
        rows = []
        results = {}
        for label, (_, _, seed_s), sales in zip(("plain sqlite3", "SQLCipher 4"), seeded, samples, strict=True):
            results[label] = summary_ms(sales)
            rows.append([label, CODES, SALES, results[label]["p50"], results[label]["p99"], seed_s])
        key = cipher._key
        plain.close()
        cipher.close()
        ratio = results["SQLCipher 4"]["p50"] / results["plain sqlite3"]["p50"]
        opened = summary_ms(open_times(Path(tmp) / "cipher", key))
    print(table(["sale transaction", "codes", "sales", "p50 ms", "p99 ms", "seed s"], rows))
    print(f"SQLCipher/plain at p50: {ratio:.2f} (goal <= 1.5); p99 goal <= 10 ms")
    print(f"open with raw key: p50 {opened['p50']:.2f} ms, p99 {opened['p99']:.2f} ms (goal <= 50 ms)")


if __name__ == "__main__":
    main()
