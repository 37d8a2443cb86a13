"""The reseller's portal in a real browser (Debian's Chromium, Playwright) against a real platform on loopback: a
reseller opens its price list, its counters' stock and its top-ups from the navigation in zh_CN and en, and
generates a pairing code whose QR image the browser shows under the console's CSP and zxing-cpp reads back."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from kameng_platform.console.portal_queries import pairing_link
from kameng_platform.console.roles import Role
from tests.platform.browser_gate import require_browser
from tests.platform.console_client import ConsoleHarness

browser_support = require_browser()

NAV = {"zh_CN": ("价目表", "门店库存", "充值记录"), "en": ("Price list", "Counter stock", "Top-ups")}


@pytest.fixture
def console(tmp_path):
    """A counter that restocked 3 codes of qb10 and sold one, and a top-up for a phone number."""
    h = ConsoleHarness.start(f"sqlite:///{tmp_path / 'platform.db'}")
    h.platform.server._workers.topups.stop()  # the top-up stays queued: the page shows one known state
    t = h.platform.pair(name="前台1号")
    got = t.request("POST", "/v1/restock", {"request_id": "browser-restock", "product_id": "qb10", "quantity": 3})
    code = got.json()["codes"][0]["id"]
    orders = [{"order_id": "b-sale", "number": "T-1", "kind": "sale", "created_at": "2026-12-01T03:00:00.000000Z",
               "payment_method": "cash", "total_fen": 1000,
               "lines": [{"product_id": "qb10", "quantity": 1, "unit_price_fen": 1000, "code_ids": [code]}]},
              {"order_id": "b-topup", "number": "T-2", "kind": "topup", "created_at": "2026-12-01T03:00:00.000000Z",
               "payment_method": "cash", "total_fen": 5000, "topup": {"account": "13812345678"},
               "lines": [{"product_id": "hf50", "quantity": 1, "unit_price_fen": 5000}]}]
    assert [r["status"] for r in t.request("POST", "/v1/orders/batch", {"orders": orders}).json()["results"]] == [
        "accepted", "accepted"]
    yield h
    h.stop()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_a_reseller_opens_prices_stock_and_topups(console, page, lang) -> None:
    browser_support.log_in(page, console.url, console.user(Role.RESELLER), lang=lang)
    assert page.url.endswith("/console/portal")
    prices, stock, topups = NAV[lang]
    page.click(f"header nav a:text-is('{prices}')")
    assert page.url.endswith("/console/portal/prices")
    assert page.locator("tr[data-price=qb10] td").nth(4).inner_text() == "¥9.60"  # the standard tier's 96 %
    page.click(f"header nav a:text-is('{stock}')")
    assert page.locator("tr[data-stock$=':qb10'] td[data-held]").inner_text() == "2"
    assert page.locator("tr[data-stock$=':qb10']").get_attribute("data-level") == "low"
    assert page.locator("tr[data-level=empty]").first.is_visible()  # the empty ones are listed first
    page.click(f"header nav a:text-is('{topups}')")
    row = page.locator("tr[data-topup=b-topup]")
    assert row.locator("td.account").inner_text() == "138****5678"
    assert row.get_attribute("data-state") == "queued"
    assert ("充值排队中" if lang == "zh_CN" else "Top-up queued") in row.inner_text()
    assert "13812345678" not in page.content()
    page.select_option("select[name=state]", "failed")
    page.click("main form.filters button[type=submit]")
    assert page.locator("tr[data-topup]").count() == 0 and "state=failed" in page.url
    assert page.dialogs == [] and page.csp_errors == []


def test_a_reseller_generates_a_pairing_code_and_sees_its_qr(console, page) -> None:
    browser_support.log_in(page, console.url, console.user(Role.RESELLER))
    page.goto(f"{console.url}/console/terminals")
    page.click("form[action='/console/terminals/pairing-code'] button[type=submit]")
    qr = page.locator("img.pairing-qr")
    qr.wait_for()
    assert page.evaluate("document.querySelector('img.pairing-qr').naturalWidth") > 0  # drawn under the CSP
    code = page.get_attribute("section.pairing", "data-pairing-code")
    [found] = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert found.text == pairing_link(console.url, code)
    assert page.dialogs == [] and page.csp_errors == []
