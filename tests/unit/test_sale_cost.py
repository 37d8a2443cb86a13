"""Cost and profit (毛利): each sale line keeps what its codes cost at restock; reports and the Z report show it."""

from __future__ import annotations

from datetime import datetime

import pytest

from kameng_desk.usecases import reports
from kameng_desk.usecases.cash_shift import close_shift, open_shift
from kameng_desk.usecases.handover import void_sale
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, codes, migrations
from local_cache.codes import NewCode
from local_cache.connection import open_connection
from local_cache.keystore import Secrets
from local_cache.store import read_or_create_store_id
from tests.factories import HF50, QB10, WY50, make_staff, seed_catalog


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=0)
    with s.transaction() as conn:
        # Two restocks of Q币10元 at different tier prices (the platform charged 900, later 950 a code).
        codes.add(conn, [NewCode(f"old-{n}", QB10.id, f"CN-OLD-{n}", f"S-OLD-{n}") for n in range(2)],
                  unit_cost_fen=900)
        codes.add(conn, [NewCode(f"new-{n}", QB10.id, f"CN-NEW-{n}", f"S-NEW-{n}") for n in range(5)],
                  unit_cost_fen=950)
        codes.add(conn, [NewCode(f"wy-{n}", WY50.id, f"CN-WY-{n}", f"S-WY-{n}") for n in range(3)])  # catalog 4800
    yield s
    s.close()


def line_costs(store, order_id: str) -> list[int | None]:
    return [r[0] for r in store.conn().execute(
        "SELECT cost_fen FROM order_lines WHERE order_id = ? ORDER BY line_no", (order_id,))]


def test_each_sale_line_costs_what_its_codes_cost_at_restock(store) -> None:
    owner = make_staff(store, "老王", "owner", "2468")
    cashier = make_staff(store, "小李", "cashier", "1357")
    open_shift(store, staff_id=cashier.id, float_fen=0)
    # The oldest codes go first: 900 + 900 + 950, not three times the catalog's 950.
    three = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 3), CartLine(WY50.id, 1)])
    assert line_costs(store, three.order.id) == [900 + 900 + 950, 4800]
    top = record_topup(store, staff_id=owner.id, product_id=HF50.id, account="13812345678")
    assert line_costs(store, top.id) == [HF50.cost_price_fen]  # a top-up costs the tier price charged
    voided = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)], payment_method="qr_static")
    void_sale(store, order_id=voided.order.id, staff_id=cashier.id, approver_id=owner.id)

    report = reports.sales_report(store.conn(), "2000-01-01", "9999-01-01")
    revenue = three.order.total_fen + top.total_fen
    cost = 900 + 900 + 950 + 4800 + HF50.cost_price_fen
    assert (report.total_fen, report.cost_fen, report.profit_fen) == (revenue, cost, revenue - cost)
    assert report.margin == pytest.approx((revenue - cost) / revenue)
    qb = next(r for r in report.by_product if r.key == QB10.id)
    assert (qb.amount_fen, qb.cost_fen, qb.profit_fen) == (3000, 2750, 250)  # the voided sale is not counted
    assert {r.label: (r.amount_fen, r.cost_fen) for r in report.by_staff} == {
        "小李": (three.order.total_fen, 900 + 900 + 950 + 4800), "老王": (top.total_fen, HF50.cost_price_fen)}
    today = datetime.now().astimezone().date().isoformat()
    assert [(r.key, r.amount_fen, r.cost_fen) for r in report.by_day] == [(today, revenue, cost)]
    days = reports.last_days(store.conn(), 30)
    assert len(days) == 30 and days[-1].key == today and days[-1].profit_fen == revenue - cost
    assert all(d.amount_fen == 0 for d in days[:-1])

    z = close_shift(store, staff_id=cashier.id, counts={})
    assert (z.cost_fen, z.profit_fen) == (cost, revenue - cost)
    assert {p.product_id: p.cost_fen for p in z.sales_by_product} == {
        QB10.id: 2750, WY50.id: 4800, HF50.id: HF50.cost_price_fen}
    assert {s.name: s.profit_fen for s in z.by_staff} == {
        "小李": three.order.total_fen - 7550, "老王": top.total_fen - HF50.cost_price_fen}
    assert [(v.number, v.amount_fen) for v in z.voids] == [(voided.order.number, voided.order.total_fen)]


def test_migration_7_gives_codes_and_past_sales_the_catalog_cost(tmp_path) -> None:
    key = bytes(range(32))
    Secrets(read_or_create_store_id(tmp_path)).set_db_key(key)
    conn = open_connection(tmp_path / "kameng.db", key)
    migrations.migrate(conn, target=5)
    conn.execute("BEGIN")
    # Written as the version-5 schema holds them (catalog's writes use the newest schema's columns).
    conn.execute("INSERT INTO categories(id, name, kind) VALUES ('c-card', '点卡', 'card')")
    conn.execute("INSERT INTO products(id, category_id, name, kind, face_value_fen, retail_price_fen, "
                 "cost_price_fen, updated_at) VALUES (?, 'c-card', 'Q币10元', 'card', 1000, 1000, ?, '2025')",
                 (QB10.id, QB10.cost_price_fen))
    conn.execute("INSERT INTO card_codes(id, product_id, card_no, card_secret, state, allocated_at) "
                 "VALUES ('c1', ?, 'n', 's', 'available', '2025-01-01')", (QB10.id,))
    conn.execute("INSERT INTO orders(id, number, kind, state, payment_method, total_fen, staff_id, created_at, "
                 "updated_at) VALUES ('o1', 'KM-1', 'sale', 'fulfilled', 'cash', 2000, 's', '2025', '2025')")
    conn.execute("INSERT INTO order_lines VALUES ('o1', 1, ?, 'Q币10元', 2, 1000)", (QB10.id,))
    conn.execute("COMMIT")
    conn.close()
    store = Store.open(tmp_path)
    c = store.conn()
    assert c.execute("SELECT cost_fen FROM card_codes").fetchone()[0] == QB10.cost_price_fen
    assert c.execute("SELECT cost_fen FROM order_lines").fetchone()[0] == 2 * QB10.cost_price_fen
    store.close()


def test_a_cost_must_be_whole_fen(store) -> None:
    with pytest.raises(ValueError, match="integer fen"), store.transaction() as conn:
        codes.add(conn, [NewCode("x", QB10.id, "n", "s")], unit_cost_fen=-1)
