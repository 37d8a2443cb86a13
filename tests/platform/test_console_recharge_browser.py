"""A reseller recharging by QR against the sandbox gateway in a real browser (Debian's Chromium, Playwright) and a
real platform on loopback: the reseller asks for ¥100, a second page opens the QR's content (the sandbox pay page)
and pays, the first page's htmx poll shows it credited without a reload, and the portal's balance moved by
exactly 10000 fen; then the same page in English. No CSP violation, no script error on the way."""

from __future__ import annotations

import re

import pytest

from kameng_platform.console.roles import Role
from tests.platform.browser_gate import require_browser
from tests.platform.console_client import ConsoleHarness

browser_support = require_browser()


@pytest.fixture
def console(tmp_path):
    h = ConsoleHarness.start(f"sqlite:///{tmp_path / 'platform.db'}")
    yield h
    h.stop()


def _fen(text: str) -> int:
    """¥5,100.00 as fen."""
    whole, cents = re.fullmatch(r"-?¥([\d,]+)\.(\d\d)", text.strip()).groups()
    return int(whole.replace(",", "")) * 100 + int(cents)


def test_a_reseller_recharges_100_yuan_by_the_sandbox_qr(console, chromium) -> None:
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    browser_support.log_in(page, console.url, console.user(Role.RESELLER))
    errors: list[str] = []  # after the login page (whose favicon.ico the browser asks for, a 404)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{console.url}/console/portal")
    before = _fen(page.inner_text("[data-figure=balance]"))

    page.click("a[href='/console/portal/recharge']")  # the nav link
    page.fill("input[name=amount]", "100")
    page.select_option("select[name=method]", "sandbox")
    page.click("form[action='/console/portal/recharge'] button[type=submit]")
    qr = page.locator("img[data-qr]")
    pay_url = qr.get_attribute("data-qr")
    assert pay_url.startswith(f"{console.url}/pay/rc-")
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the browser drew the QR under the CSP
    assert page.inner_text("[data-recharge-status]") == "等待付款…"

    payer = context.new_page()  # the customer's phone, having scanned the QR
    payer.goto(pay_url)
    assert "100.00" in payer.inner_text("body")
    payer.click("button")
    assert "付款成功" in payer.inner_text("body")

    # The first page polls (every 2 s) and shows the credit without being reloaded.
    page.wait_for_selector("[data-recharge-status=credited]", timeout=15_000)
    credited = page.inner_text("[data-recharge-status]")
    assert credited.startswith("已到账：¥100.00")
    assert _fen(credited.rsplit(" ", 1)[1].rstrip("。")) == before + 10_000
    page.wait_for_timeout(2_500)  # the poll has stopped: the fragment no longer carries hx-trigger
    assert page.locator("[hx-trigger]").count() == 0
    page.reload()  # the list of recent recharges shows it credited too
    assert page.locator("tr[data-recharge-row] td").nth(3).inner_text() == "已到账"

    page.goto(f"{console.url}/console/portal")
    assert _fen(page.inner_text("[data-figure=balance]")) == before + 10_000
    assert "扫码充值" in page.inner_text("table.list")  # the ledger line's reason, in words

    page.goto(f"{console.url}/console/portal/recharge?lang=en")
    assert page.inner_text("h1").startswith("Recharge by QR")
    assert page.locator("tr[data-recharge-row] td").nth(3).inner_text() == "Credited"
    assert page.inner_text("button[type=submit]:has-text('QR')") == "Make the payment QR code"
    assert errors == []
    context.close()
