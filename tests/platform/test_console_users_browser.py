"""The users page in a real browser (Debian's Chromium, Playwright) against a real platform on loopback: the
operator logs in with TOTP, adds a finance user and reads the secret off the page (the QR drawn under the CSP),
a second browser context logs in as that user with a code made from it; a disabled user's other browser is sent
to the login page on its next click."""

from __future__ import annotations

import pytest

from kameng_platform.console.roles import Role
from tests.platform.browser_gate import require_browser
from tests.platform.console_client import Account, ConsoleHarness

browser_support = require_browser()

PASSWORD = "会计的 long password"


@pytest.fixture
def console(tmp_path):
    h = ConsoleHarness.start(f"sqlite:///{tmp_path / 'platform.db'}")
    yield h
    h.stop()


def test_the_operator_adds_a_finance_user_who_logs_in_with_the_totp_shown(console, new_page) -> None:
    boss = new_page()
    browser_support.log_in(boss, console.url, console.user(Role.OPERATOR))
    boss.click("header nav a[href='/console/users']")
    assert boss.url.endswith("/console/users")
    form = boss.locator("form[action='/console/users/add']")
    form.locator("input[name=username]").fill("会计小张")
    form.locator("select[name=role]").select_option("finance")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("input[name=reason]").fill("新来的会计")
    form.locator("button[type=submit]").click()
    boss.wait_for_load_state()
    secret = boss.inner_text("[data-totp-secret]")
    assert len(secret) == 32 and secret == boss.get_attribute("[data-totp-secret]", "data-totp-secret")
    # The QR is drawn (a data: image the CSP allows), not blocked.
    assert boss.evaluate("document.querySelector('img.qr').naturalWidth") > 100
    assert boss.csp_errors == []
    boss.goto(f"{console.url}/console/users")
    assert boss.locator("[data-totp-secret]").count() == 0 and secret not in boss.content()

    newcomer = new_page()
    browser_support.log_in(newcomer, console.url, Account("会计小张", Role.FINANCE, PASSWORD, secret))
    assert newcomer.url.endswith("/console/dashboard")
    assert newcomer.inner_text("header .who") == "会计小张"


def test_a_disabled_users_other_browser_is_sent_to_the_login_page(console, new_page) -> None:
    leaver_account = console.user(Role.SUPPORT, username="离职客服")
    leaver = new_page()
    browser_support.log_in(leaver, console.url, leaver_account)
    assert leaver.url.endswith("/console/orders")
    boss = new_page()
    browser_support.log_in(boss, console.url, console.user(Role.OPERATOR))
    boss.goto(f"{console.url}/console/users")
    boss.click("tr[data-user='离职客服'] a")
    panel = boss.locator("form[action='/console/users/disable']")
    panel.locator("input[name=reason]").fill("离职")
    panel.locator("button[type=submit]").click()
    boss.wait_for_load_state()
    assert boss.get_attribute("tr[data-user='离职客服']", "data-disabled") == "1"
    assert boss.locator("p.done[data-done=disabled]").count() == 1

    leaver.click("header nav a[href='/console/orders']")  # the next click of the open page
    leaver.wait_for_load_state()
    assert "/console/login" in leaver.url and leaver.locator("input[name=password]").count() == 1
    browser_support.log_in(leaver, console.url, leaver_account)  # and logging in again is refused
    assert "/console/login" in leaver.url
