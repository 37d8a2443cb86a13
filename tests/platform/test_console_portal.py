"""The reseller's portal pages over HTTP against a real platform on loopback (SQLite and PostgreSQL): the price list
at its tier is what the signed API charges, the counters' stock follows a real restock and a real sale, top-ups
show their states with the account masked, a reseller sees only its own whatever the query names, and the
pairing code's QR decodes to the platform address and the code and is never cached or logged."""

from __future__ import annotations

import base64
import csv
import html
import io
import logging
import re
import urllib.parse

import httpx
import openpyxl
import pytest

from kameng_platform import admin
from kameng_platform.console.portal_queries import pairing_link
from kameng_platform.console.roles import Role
from tests.platform.console_client import ConsoleHarness, new_reseller
from tests.platform.qr_decode import decode_svg_qr

PHONE = "13812345678"


@pytest.fixture
def console(db_url):
    h = ConsoleHarness.start(db_url)
    yield h
    h.stop()


def change(h: ConsoleHarness, work) -> None:
    engine = h.platform.engine()
    try:
        with engine.begin() as conn:
            work(conn)
    finally:
        engine.dispose()


def topup(order_id: str, account: str, product: str = "hf50", face_fen: int = 5000) -> dict:
    return {"order_id": order_id, "number": f"T-{order_id}", "kind": "topup",
            "created_at": "2026-12-01T03:00:00.000000Z", "payment_method": "cash",
            "lines": [{"product_id": product, "quantity": 1, "unit_price_fen": face_fen}], "total_fen": face_fen,
            "topup": {"account": account}}


def sale(order_id: str, product: str, code_ids: list[str], unit_fen: int = 1000) -> dict:
    return {"order_id": order_id, "number": f"T-{order_id}", "kind": "sale",
            "created_at": "2026-12-01T03:00:00.000000Z", "payment_method": "cash",
            "lines": [{"product_id": product, "quantity": len(code_ids), "unit_price_fen": unit_fen,
                       "code_ids": code_ids}], "total_fen": unit_fen * len(code_ids)}


def push(terminal, *orders: dict) -> list[dict]:
    reply = terminal.request("POST", "/v1/orders/batch", {"orders": list(orders)})
    assert reply.status_code == 200, reply.text
    return reply.json()["results"]


def stock_cells(page: str) -> dict[str, tuple[int, str]]:
    """product id → (codes held, level) of the page's rows (one counter in these tests)."""
    return {m.group(2): (int(m.group(4)), m.group(3)) for m in re.finditer(
        r'data-stock="([^:"]+):([^"]+)" data-level="(\w+)">.*?data-held="(\d+)"', page, re.S)}


def test_the_tier_price_is_what_the_signed_restock_charges(console) -> None:
    def gold(conn) -> None:  # r_demo buys at its own tier: gold prices for two products, the rest not sold to it
        admin.set_tier(conn, console.platform.reseller_id, "gold")
        admin.set_price(conn, "qb10", "gold", 888)
        admin.set_price(conn, "hf50", "gold", 4_850)
        admin.set_price(conn, "qb30", "gold", 2_800)
        admin.set_active(conn, "qb30", False)
    change(console, gold)
    client = console.logged_in(console.user(Role.RESELLER))
    page = client.http.get("/console/portal/prices")
    assert page.status_code == 200 and 'data-tier="gold"' in page.text
    listed = dict(re.findall(r'data-price="([^"]+)">.*?data-fen="(\d+)"', page.text, re.S))
    assert listed == {"qb10": "888", "hf50": "4850"}  # off sale (qb30) and unpriced at gold (wy50, …) not listed
    assert "¥10.00" in page.text and "腾讯 Q币" in page.text and "话费直充" in page.text  # suggested retail, categories

    t = console.platform.pair()
    got = t.request("POST", "/v1/restock", {"request_id": "portal-restock-1", "product_id": "qb10", "quantity": 3})
    assert got.status_code == 200 and got.json()["charged_fen"] == 3 * int(listed["qb10"])
    assert t.request("POST", "/v1/restock", {"request_id": "portal-restock-2", "product_id": "wy50",
                                             "quantity": 1}).status_code == 404  # not listed: not sold to it
    # The shop's own retail price, set on a desk, is shown beside the suggestion.
    assert t.request("PUT", "/v1/retail-prices/qb10", {"retail_fen": 1_250, "changed_at":
                                                         "2026-12-01T03:00:00.000000Z"}).status_code == 200
    assert "¥12.50" in client.http.get("/console/portal/prices").text

    export = client.http.get("/console/portal/prices/export?format=csv")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["分类", "商品编号", "商品", "面值（元）", "进货价（元）", "建议零售价（元）", "本店零售价（元）"]
    assert ["腾讯 Q币", "qb10", "Q币 10元", "10.00", "8.88", "10.00", "12.50"] in rows and len(rows) == 3
    book = openpyxl.load_workbook(io.BytesIO(client.http.get("/console/portal/prices/export").content))
    [qb10] = [row for row in book["价目表"].iter_rows() if row[1].value == "qb10"]
    assert (qb10[4].value, qb10[4].number_format) == (8.88, "0.00")  # a number of yuan, shown with 2 decimals
    english = client.http.get("/console/portal/prices/export?format=csv&lang=en").content.decode("utf-8-sig")
    assert english.splitlines()[0].startswith("Category,Product ID,Product,")
    assert client.http.get("/console/portal/prices/export?format=pdf").status_code == 400


def test_a_reseller_sees_only_its_own_whatever_the_query_names(console) -> None:
    other = new_reseller(console, "隔壁网吧")

    def theirs(conn) -> None:
        admin.set_tier(conn, other, "vip")
        admin.set_price(conn, "qb10", "vip", 777)
        admin.set_price(conn, "hf50", "vip", 4_900)
        admin.credit(conn, other, 100_000, "bank-other")
    change(console, theirs)
    boss = console.logged_in(console.user(Role.OPERATOR))
    code = re.search(r'data-pairing-code="([A-Z0-9-]+)"', boss.http.post(
        "/console/terminals/pairing-code", data={"csrf": boss.csrf(), "reseller": other}).text).group(1)
    their_counter = console.platform.pair(code, name="隔壁一号机")
    assert their_counter.request("POST", "/v1/restock", {"request_id": "other-restock", "product_id": "qb10",
                                                         "quantity": 2}).status_code == 200
    assert push(their_counter, topup("their-topup", "13900001111"))[0]["status"] == "accepted"

    owner = console.logged_in(console.user(Role.RESELLER))
    for path in ("/console/portal/prices", "/console/portal/stock", "/console/portal/topups",
                 "/console/portal/prices/export?format=csv"):
        mine = owner.http.get(path)
        asked = owner.http.get(path + ("&" if "?" in path else "?") + urllib.parse.urlencode({"reseller": other}))
        assert (asked.status_code, asked.content) == (200, mine.content), path  # the query's reseller is ignored
        assert "隔壁" not in asked.text and "7.77" not in asked.text and 'data-fen="777"' not in asked.text, path
        assert "their-topup" not in asked.text and "139****1111" not in asked.text, path
    # Staff name the reseller whose pages they open; with none named they are asked to choose.
    finance = console.logged_in(console.user(Role.FINANCE))
    theirs_page = finance.http.get(f"/console/portal/prices?reseller={other}").text
    assert 'data-tier="vip"' in theirs_page and 'data-fen="777"' in theirs_page
    assert "隔壁一号机" in finance.http.get(f"/console/portal/stock?reseller={other}").text
    assert "139****1111" in finance.http.get(f"/console/portal/topups?reseller={other}").text
    chooser = finance.http.get("/console/portal/prices")
    assert chooser.status_code == 200 and "请先选择一个代理" in chooser.text and "data-price" not in chooser.text
    assert finance.http.get("/console/portal/stock?reseller=nobody").status_code == 404
    assert console.logged_in(console.user(Role.SUPPORT)).http.get("/console/portal/prices").status_code == 403


def test_counter_stock_follows_a_real_restock_and_a_sale(console) -> None:
    client = console.logged_in(console.user(Role.RESELLER))
    assert "没有在用的收银终端" in client.http.get("/console/portal/stock").text
    t = console.platform.pair(name="前台1号")
    before = stock_cells(client.http.get("/console/portal/stock").text)
    assert before["qb10"] == (0, "empty") and "hf50" not in before  # card products only: top-ups hold nothing
    got = t.request("POST", "/v1/restock", {"request_id": "stock-restock", "product_id": "qb10", "quantity": 6})
    ids = [c["id"] for c in got.json()["codes"]]
    page = client.http.get("/console/portal/stock").text
    assert stock_cells(page)["qb10"] == (6, "ok")
    assert page.index('data-level="empty"') < page.index('data-level="ok"')  # empty ones first
    assert [r["status"] for r in push(t, sale("stock-sale", "qb10", ids[:2]))] == ["accepted"]
    assert stock_cells(client.http.get("/console/portal/stock").text)["qb10"] == (4, "low")  # fewer than 5
    assert stock_cells(client.http.get("/console/portal/stock?threshold=4").text)["qb10"] == (4, "ok")
    voided = t.request("POST", "/v1/orders/stock-sale/void", {"voided_at": "2026-12-01T04:00:00Z"})
    assert voided.json()["codes_returned"] == 2  # they are the counter's again
    assert stock_cells(client.http.get("/console/portal/stock").text)["qb10"] == (6, "ok")
    # Sold out (it had some) comes before never restocked, both before low and enough.
    one = t.request("POST", "/v1/restock", {"request_id": "stock-restock-2", "product_id": "qb30", "quantity": 1})
    assert push(t, sale("stock-sale-2", "qb30", [one.json()["codes"][0]["id"]], 3000))[0]["status"] == "accepted"
    page = client.http.get("/console/portal/stock").text
    listed = re.findall(r'data-stock="[^:"]+:([^"]+)" data-level="(\w+)"', page)
    assert listed[0] == ("qb30", "empty") and listed[-1] == ("qb10", "ok") and "已售罄" in page and "未进货" in page
    # A product taken off sale still shows what the counter holds of it; a revoked counter holds nothing any more.
    change(console, lambda conn: admin.set_active(conn, "qb10", False))
    assert stock_cells(client.http.get("/console/portal/stock").text)["qb10"] == (6, "ok")
    for bad in ("0", "abc", "-1"):
        assert client.http.get(f"/console/portal/stock?threshold={bad}").status_code == 400
    done = client.http.post("/console/terminals/revoke", data={"csrf": client.csrf(), "terminal": t.terminal_id,
                                                               "reason": "丢了"})
    assert done.status_code == 303
    assert stock_cells(client.http.get("/console/portal/stock").text) == {}


def test_topups_with_their_states_and_the_account_masked(console) -> None:
    console.platform.server._workers.topups.stop()  # the sandbox supplier is never asked: people give the answers
    t = console.platform.pair()
    results = push(t, topup("tp-queued", PHONE), topup("tp-failed", "13987654321"),
                   topup("tp-game", "123456789", product="wzry60", face_fen=600),
                   topup("tp-bad", PHONE, product="nothing"))
    assert [r["status"] for r in results] == ["accepted", "accepted", "accepted", "rejected"]
    support = console.logged_in(console.user(Role.SUPPORT))
    failed = support.http.post("/console/support/topup/failed", data={
        "csrf": support.csrf(), "order_id": "tp-failed", "reason": "供货商后台查无此单"})
    succeeded = support.http.post("/console/support/topup/succeeded", data={
        "csrf": support.csrf(), "order_id": "tp-game", "reference": "SUP-1", "reason": "供货商后台显示已到账"})
    assert (failed.status_code, succeeded.status_code) == (303, 303)

    client = console.logged_in(console.user(Role.RESELLER))
    page = client.http.get("/console/portal/topups").text
    states = dict(re.findall(r'data-topup="([^"]+)" data-state="(\w+)"', page))
    assert states == {"tp-queued": "queued", "tp-failed": "failed", "tp-game": "succeeded", "tp-bad": "rejected"}
    assert "138****5678" in page and "139****4321" in page and "12*****89" in page
    assert "充值排队中" in page and "充值失败" in page and "充值成功" in page and "已拒绝" in page
    english = client.http.get("/console/portal/topups?lang=en").text
    assert "Top-up queued" in english and "Top-up failed" in english and "充值排队中" not in english
    client.http.get("/console/portal/topups?lang=zh_CN")  # the language cookie back to Chinese
    only = client.http.get("/console/portal/topups?state=failed").text
    assert re.findall(r'data-topup="([^"]+)"', only) == ["tp-failed"]
    assert re.findall(r'data-topup="([^"]+)"', client.http.get("/console/portal/topups?since=2999-01-01").text) == []
    for bad in ("state=accepted", "state=voided", "since=2026-13-01", "until=tomorrow"):
        refused = client.http.get(f"/console/portal/topups?{bad}")
        assert refused.status_code == 400 and "筛选条件有误" in refused.text, bad

    # No page a reseller opens shows a full account (the orders list, the portal, the statement neither).
    for path in ("/console/portal", "/console/portal/prices", "/console/portal/stock", "/console/portal/topups",
                 "/console/orders", "/console/statement", "/console/portal/topups?state=queued"):
        text = client.http.get(path).text
        assert PHONE not in text and "13987654321" not in text and "123456789" not in text, path


def test_topups_page_back_through_all_of_them(console, monkeypatch) -> None:
    from kameng_platform.console import portal_pages, portal_queries, queries

    for module in (queries, portal_queries, portal_pages):
        monkeypatch.setattr(module, "PAGE", 2)
    console.platform.server._workers.topups.stop()
    push(console.platform.pair(), *(topup(f"tp-{i}", PHONE) for i in range(5)))
    client = console.logged_in(console.user(Role.RESELLER))
    seen, url = [], "/console/portal/topups?state=queued"
    while url:
        page = client.http.get(url).text
        seen.append(re.findall(r'data-topup="([^"]+)"', page))
        more = re.search(r'<a href="([^"]+)" data-next>', page)
        url = html.unescape(more.group(1)) if more else None
    assert [len(p) for p in seen] == [2, 2, 1] and sorted(o for p in seen for o in p) == [f"tp-{i}" for i in range(5)]
    assert client.http.get("/console/portal/topups?before=x").status_code == 400


def test_the_pairing_codes_qr_decodes_to_the_address_and_code_and_is_never_cached_or_logged(
        console, caplog) -> None:
    client = console.logged_in(console.user(Role.RESELLER))
    csrf = client.csrf("/console/terminals")
    with caplog.at_level(logging.DEBUG):
        page = client.http.post("/console/terminals/pairing-code", data={"csrf": csrf})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    code = re.search(r'data-pairing-code="([A-Z0-9-]+)"', page.text).group(1)
    src = re.search(r'<img class="pairing-qr" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', page.text).group(1)
    text = decode_svg_qr(base64.b64decode(src).decode())
    assert text == pairing_link(console.url, code)
    link = urllib.parse.urlsplit(text)
    assert (link.scheme, link.netloc) == ("kameng", "pair")
    assert urllib.parse.parse_qs(link.query) == {"url": [console.url], "code": [code]}
    assert all(code not in record.getMessage() for record in caplog.records)
    # What the QR says pairs a counter, once; the list afterwards shows neither the code nor a QR.
    assert httpx.post(console.url + "/v1/pair", json={"pairing_code": urllib.parse.parse_qs(link.query)["code"][0],
                                                      "device_name": "扫码机"}).status_code == 200
    listed = client.http.get("/console/terminals").text
    assert code not in listed and "pairing-qr" not in listed and "扫码机" in listed
