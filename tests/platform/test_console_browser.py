"""The console in a real browser (Debian's Chromium, driven by Playwright) against a real platform on loopback:
login with a TOTP code computed by pyotp, the dashboard after a sale pushed through the signed API, a product
named <script> shown as text, CSRF refusal, lockout, role refusal, the htmx filter, and the screenshots."""

from __future__ import annotations

import re

import pytest

from kameng_platform import admin
from kameng_platform.console.roles import Role
from tests.platform.browser_gate import require_browser
from tests.platform.console_client import ConsoleHarness

browser_support = require_browser()

log_in = browser_support.log_in


@pytest.fixture
def console(tmp_path):
    h = ConsoleHarness.start(f"sqlite:///{tmp_path / 'platform.db'}")
    yield h
    h.stop()


def push_sale(console: ConsoleHarness, order_id: str, unit_fen: int) -> None:
    t = console.platform.pair()
    [code] = t.request("POST", "/v1/restock", {"request_id": "b-" + order_id, "product_id": "qb10",
                                                "quantity": 1}).json()["codes"]
    sale = {"order_id": order_id, "number": "T-1", "kind": "sale", "created_at": "2026-12-01T03:00:00.000000Z",
            "payment_method": "cash", "total_fen": unit_fen,
            "lines": [{"product_id": "qb10", "quantity": 1, "unit_price_fen": unit_fen, "code_ids": [code["id"]]}]}
    assert t.request("POST", "/v1/orders/batch", {"orders": [sale]}).json()["results"][0]["status"] == "accepted"


def test_login_with_totp_and_the_dashboard_moves_after_a_sale(console, page) -> None:
    boss = console.user(Role.OPERATOR, username="王站长")
    log_in(page, console.url, boss)
    assert page.url.endswith("/console/dashboard")
    assert page.inner_text("[data-figure=gmv-1]") == "¥0.00"
    push_sale(console, "sale-browser", 1050)
    page.reload()
    assert page.inner_text("[data-figure=gmv-1]") == "¥10.50" and page.inner_text("[data-figure=orders-1]") == "1"
    body = page.inner_text("body")
    assert "王站长" in body and not re.search(r"[A-Za-z]{2,}", body.replace("English", ""))  # no English in zh


def test_a_product_named_script_shows_as_text(console, page) -> None:
    script = "<script>window.__xss = 1; alert('xss')</script>"
    engine = console.platform.engine()
    with engine.begin() as conn:
        admin.upsert_product(conn, product_id="xss", category_id="phone", name=script, kind="topup",
                             face_value_fen=100, suggested_retail_fen=100, tier_prices={"standard": 99},
                             account_rule="phone")
    engine.dispose()
    t = console.platform.pair()
    order = {"order_id": "x-1", "number": "<img src=x onerror=alert(2)>", "kind": "topup",
             "created_at": "2026-12-01T03:00:00.000000Z", "payment_method": "cash", "total_fen": 100,
             "lines": [{"product_id": "xss", "quantity": 1, "unit_price_fen": 100}],
             "topup": {"account": "13812345678"}}
    assert t.request("POST", "/v1/orders/batch", {"orders": [order]}).json()["results"][0]["status"] == "accepted"
    log_in(page, console.url, console.user(Role.SUPPORT))
    row = page.locator("tr[data-order='x-1']")
    assert row.locator("td").nth(4).inner_text() == script
    assert row.locator("td").nth(1).inner_text() == "<img src=x onerror=alert(2)>"
    assert page.evaluate("window.__xss") is None and page.dialogs == [] and page.locator("main img").count() == 0


def test_a_form_with_a_forged_csrf_token_is_refused(console, page) -> None:
    log_in(page, console.url, console.user(Role.SUPPORT))
    page.eval_on_selector("form.logout input[name=csrf]", "input => input.value = 'forged'")
    page.click("form.logout button")
    assert "请求被拒绝" in page.inner_text("h1")
    page.goto(console.url + "/console/orders")
    assert page.url.endswith("/console/orders")  # still logged in: the forged logout changed nothing


def test_five_bad_passwords_lock_the_user(console, page) -> None:
    helper = console.user(Role.SUPPORT)
    wrong = type(helper)(helper.username, helper.role, "wrong password", None)
    for _ in range(4):
        log_in(page, console.url, wrong)
        assert "用户名、密码或动态口令不对" in page.inner_text(".error")
    log_in(page, console.url, wrong)
    assert "已暂时锁定" in page.inner_text(".error")
    log_in(page, console.url, helper)  # the right password, while locked
    assert "已暂时锁定" in page.inner_text(".error") and page.url.split("?")[0].endswith("/console/login")


def test_a_reseller_cannot_open_an_operator_page(console, page) -> None:
    log_in(page, console.url, console.user(Role.RESELLER))
    assert page.url.endswith("/console/portal") and "¥5,000.00" in page.inner_text("[data-figure=balance]")
    for path in ("/console/dashboard", "/console/audit"):
        reply = page.goto(console.url + path)
        assert reply.status == 403 and page.inner_text("h1") == "无权访问"
    assert page.locator("nav a[href='/console/dashboard']").count() == 0


def test_the_orders_filter_reloads_the_rows_with_htmx(console, page) -> None:
    push_sale(console, "sale-a", 1000)
    log_in(page, console.url, console.user(Role.SUPPORT), lang="en")
    assert page.locator("table.list").get_attribute("data-rows") == "1"
    with page.expect_response(lambda r: "state=rejected" in r.url and r.request.headers.get("hx-request") == "true"):
        page.select_option("select[name=state]", "rejected")
    page.wait_for_selector("table.list[data-rows='0']")
    assert "state=rejected" in page.url  # hx-push-url: the filtered list can be bookmarked and reloaded
    assert page.evaluate("document.querySelectorAll('header').length") == 1  # rows swapped, not a page in a page
    assert "No orders match." in page.inner_text("#order-rows")


def test_screenshots_of_every_page_in_both_languages(console, chromium, tmp_path) -> None:
    browser_support.demo_activity(console)
    written = browser_support.screenshots(console, chromium, tmp_path / "shots")
    names = sorted(p.name for p in written)
    assert len(names) == 38 and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in written)
    # The checked-in ones (python -m tests.platform.console_browser) are the same set of pages.
    assert sorted(p.name for p in browser_support.SHOTS.glob("*.png")) == names
