"""The console's dashboard on PostgreSQL with a big platform: 1,000,000 orders over a year, 500,000 payments,
100,000 restocks and 10,000,000 codes of 100 card products (KAMENG_BENCH_ORDERS and KAMENG_BENCH_CODES change
the sizes). The rows are made by generate_series in SQL. Measured: GET /console/dashboard through the real server
(login, session, CSRF-free GET, rendering) against the same SQL run directly on a connection; goal p99 ≤ 300 ms.
Then the same SQL once more without migration 0012's indexes, to show what they are worth."""

from __future__ import annotations

import os
import time

from sqlalchemy import text

from bench.stats import summary_ms, table
from kameng_platform import admin, clock
from kameng_platform.console import dashboard_queries
from kameng_platform.console.roles import Role
from kameng_platform.db import make_engine
from tests.platform import pg
from tests.platform.console_client import ConsoleHarness

ORDERS = int(os.environ.get("KAMENG_BENCH_ORDERS", "1000000"))
CODES = int(os.environ.get("KAMENG_BENCH_CODES", "10000000"))
PRODUCTS = 100
RESELLERS = 200
RUNS = 50
YEAR_S = 365 * 86400
INDEXES_0012 = ("orders_received_at", "payments_created_at", "allocations_created_at", "codes_stock_expiry")


def fill(conn, reseller_id: str) -> None:
    now = clock.now()
    for i in range(PRODUCTS):
        admin.upsert_product(conn, product_id=f"bp{i:03d}", category_id="game", name=f"基准卡 {i}", kind="card",
                             face_value_fen=1000, suggested_retail_fen=1000, tier_prices={"standard": 900})
    for i in range(RESELLERS):
        admin.create_reseller(conn, f"基准代理 {i}", reseller_id=f"br{i:03d}")
    # Orders spread over a year (newest now), 5% top-ups (a tenth of them failed), 2% rejected, 1% voided.
    conn.execute(text("""
        INSERT INTO orders (order_id, terminal_id, reseller_id, payload_hash, kind, number, status, total_fen,
                            cost_fen, voided, topup_state, topup_product_id, created_at, received_at)
        SELECT 'bo' || i, 'bt' || (i % 400), 'br' || lpad((i % :resellers)::text, 3, '0'), md5(i::text),
               CASE WHEN i % 20 = 0 THEN 'topup' ELSE 'sale' END, 'N-' || i,
               CASE WHEN i % 50 = 0 THEN 'rejected' ELSE 'accepted' END, 500 + i % 5000, 400 + i % 4000,
               i % 100 = 1, CASE WHEN i % 20 = 0 THEN (CASE WHEN i % 200 = 0 THEN 'failed' ELSE 'succeeded' END) END,
               CASE WHEN i % 20 = 0 THEN 'qb10' END, '2026-01-01T00:00:00Z', :now - (i::bigint * :year / :n)
        FROM generate_series(1, :n) AS i"""), {"n": ORDERS, "now": now, "year": YEAR_S, "resellers": RESELLERS})
    conn.execute(text("""
        INSERT INTO payments (payment_id, terminal_id, order_id, amount_fen, method, status, expires_at, created_at,
                              kind)
        SELECT 'bp' || i, 'bt' || (i % 400), 'bo' || (2 * i), 500 + i % 5000,
               (ARRAY['wechat', 'alipay', 'epay'])[1 + i % 3],
               (ARRAY['paid', 'paid', 'paid', 'expired', 'cancelled', 'pending'])[1 + i % 6],
               :now - (i::bigint * :year / :n) + 300, :now - (i::bigint * :year / :n), 'qr'
        FROM generate_series(1, :n) AS i"""), {"n": ORDERS // 2, "now": now, "year": YEAR_S})
    conn.execute(text("""
        INSERT INTO allocations (request_id, terminal_id, product_id, quantity, charged_fen, created_at)
        SELECT 'ba' || i, 'bt' || (i % 400), 'bp' || lpad((i % :products)::text, 3, '0'), 10, 9000,
               :now - (i::bigint * :year / :n)
        FROM generate_series(1, :n) AS i"""), {"n": ORDERS // 10, "now": now, "year": YEAR_S, "products": PRODUCTS})
    # Codes: 70% sold or assigned, 30% in stock; 1% of the stock expires within 30 days; product bp099 sold out.
    # A bulk load: the secondary indexes are dropped and built again after the rows are in (one sort each
    # instead of 10,000,000 random inserts into the card number's unique index); the same indexes result.
    conn.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
    rebuild = conn.execute(text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'codes' "
                                "AND indexname <> 'codes_pkey'")).all()
    constraints = conn.execute(text("SELECT conname FROM pg_constraint WHERE conrelid = 'codes'::regclass "
                                    "AND contype = 'u'")).scalars().all()
    for name in constraints:
        conn.execute(text(f'ALTER TABLE codes DROP CONSTRAINT "{name}"'))
    for name, _definition in rebuild:
        conn.execute(text(f'DROP INDEX IF EXISTS "{name}"'))
    conn.execute(text("""
        INSERT INTO codes (id, product_id, card_no_index, card_no_sealed, secret_sealed, expires_on, state,
                           import_batch)
        SELECT 'bc' || i, 'bp' || lpad((i % (:products - 1))::text, 3, '0'), md5('c' || i), '\\x00', '\\x00',
               CASE WHEN i % 100 = 3 THEN to_char(now() + (i % 60) * interval '1 day', 'YYYY-MM-DD')
                    WHEN i % 10 = 3 THEN '2099-12-31' END,
               CASE WHEN i % 10 < 3 THEN 'stock' WHEN i % 10 < 8 THEN 'sold' ELSE 'assigned' END, 'bench'
        FROM generate_series(1, :n) AS i"""), {"n": CODES, "products": PRODUCTS})
    for name in constraints:
        conn.execute(text(f'ALTER TABLE codes ADD CONSTRAINT "{name}" UNIQUE (card_no_index)'))
    for name, definition in rebuild:
        if name not in constraints:
            conn.execute(text(definition))


def direct(conn) -> None:
    """What the dashboard route reads, on a plain connection: the baseline."""
    dashboard_queries.overview(conn, 7)


def timed(work, runs: int = RUNS) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return samples


def run(url: str) -> None:
    harness = ConsoleHarness.start(url)
    engine = make_engine(url)
    try:
        start = time.perf_counter()
        with engine.begin() as conn:
            fill(conn, harness.platform.reseller_id)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        print(f"{ORDERS:,} orders, {ORDERS // 2:,} payments, {ORDERS // 10:,} restocks, {CODES:,} codes: "
              f"made in {time.perf_counter() - start:.0f} s", flush=True)
        client = harness.logged_in(harness.user(Role.OPERATOR))
        assert client.http.get("/console/dashboard").status_code == 200  # warm-up (and the pages render)
        page = summary_ms(timed(lambda: client.http.get("/console/dashboard").raise_for_status()))
        with engine.connect() as conn:
            direct(conn)
            sql = summary_ms(timed(lambda: direct(conn)))
            conn.rollback()
        with engine.begin() as conn:
            for name in INDEXES_0012:
                conn.execute(text(f"DROP INDEX {name}"))
        with engine.connect() as conn:
            bare = summary_ms(timed(lambda: direct(conn), runs=5))
        rows = [["GET /console/dashboard", round(page["p50"], 1), round(page["p99"], 1)],
                ["same SQL, direct", round(sql["p50"], 1), round(sql["p99"], 1)],
                ["same SQL, without 0012's indexes (5 runs)", round(bare["p50"], 1), round(bare["p99"], 1)]]
        print(table(["dashboard (PostgreSQL)", "p50 ms", "p99 ms"], rows))
        print(f"goal p99 ≤ 300 ms: {'met' if page['p99'] <= 300 else 'NOT met'}")
    finally:
        engine.dispose()
        harness.stop()


def main() -> None:
    try:
        with pg.cluster() as server, pg.fresh_database(server) as url:
            run(url)
    except pg.PostgresUnavailable as exc:
        print(f"PostgreSQL unavailable, skipped: {exc}")
