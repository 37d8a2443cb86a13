"""The console's catalog, codes, resellers, suppliers and supplier pages over HTTP against a real platform on
loopback (SQLite and PostgreSQL): every change goes through kameng_platform.admin, is audited with its reason,
and a supplier sees and stocks its own products only."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from kameng_platform import admin, ledger
from kameng_platform.console.roles import Role
from kameng_platform.console.tables import console_audit
from kameng_platform.schema import codes, prices, products
from tests.platform.console_client import ConsoleHarness

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def console(db_url):
    h = ConsoleHarness.start(db_url)
    engine = h.platform.engine()
    with engine.begin() as conn:  # two suppliers' card products, one named like a script
        for pid, supplier, name in (("sa1", "s_a", SCRIPT), ("sb1", "s_b", "B 的卡")):
            admin.upsert_product(conn, product_id=pid, category_id="game", name=name, kind="card",
                                 face_value_fen=1000, suggested_retail_fen=1000, tier_prices={"standard": 900})
            admin.set_supplier(conn, pid, supplier)
    engine.dispose()
    yield h
    h.stop()


def stock(h: ConsoleHarness, product_id: str) -> int:
    return h.read(select(func.count()).where(codes.c.product_id == product_id, codes.c.state == "stock"))[0][0]


def audits(h: ConsoleHarness, action: str) -> list:
    return h.read(select(console_audit).where(console_audit.c.action == action))


def upload(client, product: str, text: str):
    return client.http.post("/console/codes/import", data={"csrf": client.csrf(), "product": product},
                            files={"file": ("codes.csv", text.encode(), "text/csv")})


def test_a_supplier_imports_into_its_own_product_with_the_clis_per_line_report(console) -> None:
    supplier = console.logged_in(console.user(Role.SUPPLIER, supplier_id="s_a"))
    bad = upload(supplier, "sa1", "card_no,card_secret\nAAAA1111,SECRET01\nx,y\nAAAA1111,SECRET02\n")
    assert bad.status_code == 400
    assert re.findall(r'data-line="(\d+)"', bad.text) == ["3", "4"]  # the CLI's report: line 3 bad, 4 a duplicate
    assert "duplicate of line 2" in bad.text and stock(console, "sa1") == 0  # all or nothing
    good = upload(supplier, "sa1", "AAAA1111,SECRET01,2099-01-01\nAAAA2222,SECRET02\n")
    assert good.status_code == 200 and 'data-imported="2"' in good.text and stock(console, "sa1") == 2
    assert [(a.target, a.reason) for a in audits(console, "codes_imported")] == [("sa1", "2")]
    page = supplier.http.get("/console/supplier").text
    assert 'data-product="sa1"' in page and 'data-product="sb1"' not in page
    assert "&lt;script&gt;" in page and SCRIPT not in page


def test_another_suppliers_product_is_not_there_for_a_supplier(console) -> None:
    supplier = console.logged_in(console.user(Role.SUPPLIER, supplier_id="s_a"))
    assert upload(supplier, "sb1", "BBBB1111,SECRET01\n").status_code == 404
    assert upload(supplier, "qb10", "BBBB1111,SECRET01\n").status_code == 404  # the platform's own product too
    assert stock(console, "sb1") == 0 and audits(console, "codes_imported") == []
    codes_page = supplier.http.get("/console/codes").text
    assert 'value="sa1"' in codes_page and 'value="sb1"' not in codes_page
    assert supplier.http.get("/console/supplier?supplier=s_b").text.count('data-product="sb1"') == 0
    assert supplier.http.get("/console/catalog").status_code == 403
    assert supplier.http.post("/console/codes/revoke", data={"csrf": supplier.csrf(), "code": "x",
                                                             "reason": "r"}).status_code == 403


def test_bulk_edit_changes_only_what_differs_all_audited_with_the_reason(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    page = boss.http.get("/console/catalog").text
    assert "&lt;script&gt;" in page and SCRIPT not in page
    form = {"csrf": boss.csrf(), "product": ["sa1", "sb1"], "price:sa1:standard": "9.50",
            "price:sb1:standard": "9.00", "active:sa1": "on", "reason": "十一月调价"}
    assert boss.http.post("/console/catalog/bulk", data={**form, "reason": ""}).status_code == 400
    assert boss.http.post("/console/catalog/bulk", data={**form, "price:sb1:standard": "9.001"}).status_code == 400
    assert console.read(select(prices.c.price_fen).where(prices.c.product_id == "sa1"))[0][0] == 900
    done = boss.http.post("/console/catalog/bulk", data=form)
    assert (done.status_code, done.headers["location"]) == (303, "/console/catalog?changed=2")
    assert console.read(select(prices.c.price_fen).where(prices.c.product_id == "sa1"))[0][0] == 950
    assert console.read(select(products.c.active).where(products.c.id == "sb1"))[0][0] is False
    assert [(a.target, a.reason) for a in audits(console, "price_changed")] == [
        ("sa1 standard", "十一月调价 (900 → 950 fen)")]
    assert [a.target for a in audits(console, "product_disabled")] == ["sb1"]


def test_finance_credits_and_debits_with_a_reference_never_below_zero(console) -> None:
    money = console.logged_in(console.user(Role.FINANCE))
    reseller = console.platform.reseller_id
    engine = console.platform.engine()
    with engine.connect() as conn:
        before = ledger.balance(conn, reseller)
    engine.dispose()

    def move(direction: str, amount: str, reference: str = "BANK-1"):
        return money.http.post("/console/resellers/money", data={
            "csrf": money.csrf(), "reseller": reseller, "direction": direction, "amount": amount,
            "reference": reference, "reason": "对账"})

    assert move("credit", "12.34").status_code == 303
    assert move("debit", f"{(before + 1234) / 100 + 1:.2f}").status_code == 409  # more than the balance
    assert move("debit", "0.34", reference="").status_code == 400
    assert move("debit", "0.34").status_code == 303
    engine = console.platform.engine()
    with engine.connect() as conn:
        assert ledger.balance(conn, reseller) == before + 1200
    engine.dispose()
    assert [a.reason for a in audits(console, "reseller_credit")] == ["对账 (1234 fen, BANK-1)"]
    assert len(audits(console, "reseller_debit")) == 1
    assert money.http.post("/console/resellers/create", data={"csrf": money.csrf(), "name": "x", "tier": "standard",
                                                              "reason": "r"}).status_code == 403


def test_revoking_a_code_asks_a_reason_and_is_audited(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    code_id = console.read(select(codes.c.id).where(codes.c.product_id == "qb10").limit(1))[0][0]
    assert boss.http.post("/console/codes/revoke", data={"csrf": boss.csrf(), "code": code_id,
                                                         "reason": " "}).status_code == 400
    assert console.read(select(codes.c.state).where(codes.c.id == code_id))[0][0] == "stock"
    assert boss.http.post("/console/codes/revoke", data={"csrf": boss.csrf(), "code": code_id,
                                                         "reason": "泄露"}).status_code == 303
    assert console.read(select(codes.c.state).where(codes.c.id == code_id))[0][0] == "revoked"
    assert [(a.target, a.reason) for a in audits(console, "code_revoked")] == [(code_id, "泄露 (stock)")]
    assert boss.http.post("/console/codes/revoke", data={"csrf": boss.csrf(), "code": "c_none",
                                                         "reason": "x"}).status_code == 404


def test_dashboard_charts_rankings_and_stock_alerts(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    t = console.platform.pair()
    got = t.request("POST", "/v1/restock", {"request_id": "r" * 10, "product_id": "qb10", "quantity": 2}).json()
    sale = {"order_id": "sale-1", "number": "T-1", "kind": "sale", "created_at": "2026-11-23T03:00:00.000000Z",
            "payment_method": "cash", "lines": [{"product_id": "qb10", "quantity": 2, "unit_price_fen": 1050,
                                                 "code_ids": [c["id"] for c in got["codes"]]}], "total_fen": 2100}
    assert t.request("POST", "/v1/orders/batch", {"orders": [sale]}).json()["results"][0]["status"] == "accepted"
    page = boss.http.get("/console/dashboard?period=1")
    assert page.status_code == 200 and "script-src 'self'" in page.headers["content-security-policy"]
    chart = json.loads(re.search(r"data-chart='([^']+)'", page.text).group(1))
    assert len(chart["labels"]) == len(chart["gmv"]) == 30  # 30 daily points, today last
    assert chart["orders"] == [0] * 29 + [1] and chart["gmv"][-1] == 21.0
    assert 'data-rank="qb10"' in page.text  # the restock ranks the product
    assert 'data-rank="' + console.platform.reseller_id + '"' in page.text
    sold_out = re.search(r'data-alert="sold-out">(.*?)</table>', page.text, re.S).group(1)
    assert 'data-product="sa1"' in sold_out and 'data-product="qb10"' not in sold_out
    assert "&lt;script&gt;" in page.text and SCRIPT not in page.text
    assert "<script>" not in re.sub(r'<script src="/console/static/[^"]+" defer></script>', "", page.text)
    assert boss.http.get("/console/dashboard?period=3").status_code == 400


def test_a_frozen_reseller_can_neither_restock_nor_top_up_until_thawed(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    reseller = console.platform.reseller_id
    t = console.platform.pair()

    def freeze(flag: str, reason: str = "欠款未结"):
        return boss.http.post("/console/resellers/freeze", data={"csrf": boss.csrf(), "reseller": reseller,
                                                                 "frozen": flag, "reason": reason})

    assert freeze("1", reason="").status_code == 400  # no reason: nothing frozen
    assert t.request("POST", "/v1/restock", {"request_id": "f" * 10, "product_id": "qb10",
                                             "quantity": 1}).status_code == 200
    assert freeze("1").status_code == 303
    assert 'data-frozen="1"' in boss.http.get("/console/resellers").text
    refused = t.request("POST", "/v1/restock", {"request_id": "g" * 10, "product_id": "qb10", "quantity": 1})
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "reseller_frozen")
    topup = {"order_id": "tu-1", "number": "T-2", "kind": "topup", "created_at": "2026-11-23T03:00:00.000000Z",
             "payment_method": "cash", "lines": [{"product_id": "hf50", "quantity": 1, "unit_price_fen": 5000}],
             "total_fen": 5000, "topup": {"account": "13812345678"}}
    [result] = t.request("POST", "/v1/orders/batch", {"orders": [topup]}).json()["results"]
    assert result["status"] == "rejected" and result["reason"].startswith("reseller_frozen")
    assert freeze("0", reason="已结清").status_code == 303
    assert t.request("POST", "/v1/restock", {"request_id": "h" * 10, "product_id": "qb10",
                                             "quantity": 1}).status_code == 200
    assert [a.reason for a in audits(console, "reseller_frozen")] == ["欠款未结"]
    assert [a.reason for a in audits(console, "reseller_thawed")] == ["已结清"]


def test_bad_numbers_and_a_taken_id_get_a_page_never_json_or_500(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    for url in ("/console/dashboard?period=abc", "/console/dashboard?threshold=0", "/console/codes?days=x",
                "/console/codes?days=99999"):
        reply = boss.http.get(url)
        assert reply.status_code == 400 and reply.headers["content-type"].startswith("text/html"), url
    assert boss.http.post("/console/catalog/category", data={"csrf": boss.csrf(), "id": "c1", "name": "n",
                                                             "kind": "card", "sort": "x", "reason": "r"}
                          ).status_code == 400
    taken = boss.http.post("/console/catalog/product", data={
        "csrf": boss.csrf(), "id": "sa1", "category": "game", "name": "覆盖", "kind": "card", "face": "1",
        "retail": "1", "price": "1", "reason": "r"})
    assert taken.status_code == 409
    assert console.read(select(products.c.name).where(products.c.id == "sa1"))[0][0] == SCRIPT  # not overwritten


def test_a_days_orders_and_restocks_add_up_whatever_second_they_came(console) -> None:
    """The day is an integer division of the time: with true division (SQLAlchemy 2's `/`) PostgreSQL grouped
    per second and the dashboard and the settlement showed one order of the day."""
    from kameng_platform.console import catalog_queries, dashboard_queries
    from kameng_platform.console.queries import day_start, today
    from kameng_platform.schema import allocations, orders

    start = day_start(today())
    engine = console.platform.engine()
    with engine.begin() as conn:  # three sales and two restocks of sa1 earlier today, seconds apart
        for i in range(3):
            conn.execute(orders.insert().values(
                order_id=f"o{i}", terminal_id="t", reseller_id=console.platform.reseller_id, payload_hash="h",
                kind="sale", number=f"N{i}", status="accepted", total_fen=100 * (i + 1), cost_fen=10, voided=False,
                created_at="2026-12-01T00:00:00Z", received_at=start + i * 7))
        for i in range(2):
            conn.execute(allocations.insert().values(request_id=f"a{i}", terminal_id="t", product_id="sa1",
                                                     quantity=2, charged_fen=1800, created_at=start + 3 + i * 5))
    with engine.connect() as conn:
        day = dashboard_queries.series(conn)[-1]
        settled = catalog_queries.settlement(conn, "s_a")
    engine.dispose()
    assert (day.orders, day.gmv_fen, day.cost_fen) == (3, 600, 30)
    assert [(s.product_id, s.codes, s.charged_fen) for s in settled] == [("sa1", 4, 3600)]
