"""补单 in a real browser (Debian's Chromium, Playwright) against a real platform on loopback: a desk's top-up
left without an answer resolved by a person, two people resolving the same one at once, a reconciliation
exported as XLSX and read back with openpyxl, and the screenshots of these pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from kameng_platform import clock, ledger
from kameng_platform.console.queries import CST
from kameng_platform.console.roles import Role
from kameng_platform.console.tables import console_audit
from kameng_platform.schema import orders
from tests.platform.browser_gate import require_browser
from tests.platform.console_client import ConsoleHarness
from tests.platform.support_data import push_topup

browser_support = require_browser()

from tests.platform import console_support_browser  # noqa: E402  (it imports playwright)

log_in = browser_support.log_in


@pytest.fixture
def console(tmp_path):
    h = ConsoleHarness.start(f"sqlite:///{tmp_path / 'platform.db'}")
    h.platform.server._workers.topups.stop()  # the sandbox supplier is never asked: the top-up stays pending
    yield h
    h.stop()


def state_of(console: ConsoleHarness, order_id: str) -> str:
    engine = console.platform.engine()
    try:
        with engine.connect() as conn:
            return conn.execute(select(orders.c.topup_state).where(orders.c.order_id == order_id)).scalar_one()
    finally:
        engine.dispose()


def audit_actions(console: ConsoleHarness, target: str) -> list[tuple[str, str]]:
    engine = console.platform.engine()
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(select(console_audit.c.username, console_audit.c.action)
                                                   .where(console_audit.c.target == target))]
    finally:
        engine.dispose()


def test_support_resolves_a_stuck_topup_in_the_browser(console, new_page) -> None:
    order_id = push_topup(console)
    page = new_page()
    log_in(page, console.url, console.user(Role.SUPPORT, username="客服小周"))
    page.click("nav a[href='/console/support']")
    page.fill("input[name=minutes]", "0")
    page.click("form.filters button")
    row = page.locator(f"tr[data-order='{order_id}']")
    assert "充值已提交" in row.inner_text()
    succeeded = row.locator("form[action='/console/support/topup/succeeded']")
    succeeded.locator("input[name=reference]").fill("SP-2026-0001")
    succeeded.locator("input[name=reason]").fill("供货商后台已到账")
    succeeded.locator("button").click()
    page.wait_for_load_state()
    assert "/console/support/order?" in page.url
    assert page.inner_text("#order-state") == "充值成功"
    assert "已标记充值成功" in page.inner_text(".notice")
    assert "供货商后台已到账 [ref SP-2026-0001]" in page.inner_text("table.audit")
    assert state_of(console, order_id) == "succeeded"
    assert audit_actions(console, order_id) == [("客服小周", "topup_marked_succeeded")]


def test_two_operators_resolving_the_same_topup_at_once_change_it_once(console, new_page) -> None:
    order_id = push_topup(console)
    before = _balance(console)
    pages = []
    for n in range(2):
        page = new_page()
        log_in(page, console.url, console.user(Role.OPERATOR, username=f"站长{n}"))
        page.goto(console.url + "/console/support?minutes=0")
        form = page.locator(f"tr[data-order='{order_id}'] form[action='/console/support/topup/failed']")
        form.locator("input[name=reason]").fill(f"供货商说没充 {n}")
        pages.append(page)
    # Both forms sent before either answer arrives (requestSubmit returns at once), as two people clicking.
    selector = f"tr[data-order='{order_id}'] form[action='/console/support/topup/failed']"
    for page in pages:
        page.eval_on_selector(selector, "form => form.requestSubmit()")
    for page in pages:
        page.wait_for_load_state()
        page.wait_for_selector(".notice")
    notices = sorted(p.inner_text(".notice") for p in pages)
    assert any("已标记充值失败" in n for n in notices) and any("什么都没有改动" in n for n in notices), notices
    assert state_of(console, order_id) == "failed"
    assert _balance(console) == before + 4950  # the reseller's charge back once
    assert [a[1] for a in audit_actions(console, order_id)] == ["topup_marked_failed"]


def _balance(console: ConsoleHarness) -> int:
    engine = console.platform.engine()
    try:
        with engine.connect() as conn:
            return ledger.balance(conn, console.platform.reseller_id)
    finally:
        engine.dispose()


def test_finance_exports_the_reconciliation_as_xlsx_and_the_figures_read_back(console, new_page, tmp_path) -> None:
    order_id = push_topup(console)
    page = new_page()
    log_in(page, console.url, console.user(Role.FINANCE), lang="en")
    page.goto(console.url + "/console/support?minutes=0")
    form = page.locator(f"tr[data-order='{order_id}'] form[action='/console/support/topup/failed']")
    form.locator("input[name=reason]").fill("not executed")
    form.locator("button").click()
    page.wait_for_load_state()
    page.click("nav a[href='/console/reconciliation']")
    today = dt.datetime.fromtimestamp(clock.now(), CST).date().isoformat()
    page.fill("input[name=since]", today)
    page.fill("input[name=until]", today)
    page.click("form.filters button")
    row = page.locator(f"tr[data-reseller='{console.platform.reseller_id}']")
    shown_closing = row.locator("td.closing").inner_text()
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename == f"reconciliation-{today}-{today}.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    header = [c.value for c in sheet[1]]
    line = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    closing = _balance(console)
    assert line["Date"] == today and line["Reseller id"] == console.platform.reseller_id
    assert Decimal(str(line["Closing balance (yuan)"])).quantize(Decimal("0.01")) == Decimal(closing).scaleb(-2)
    assert Decimal(str(line["Top-up charges (yuan)"])) == Decimal("-49.5")
    assert Decimal(str(line["Refunded to balance (yuan)"])) == Decimal("49.5")
    assert (line["Top-up failed"], line["Top-ups open"]) == (1, 0)
    assert shown_closing == f"¥{closing // 100:,}.{closing % 100:02d}"  # the page says what the file says


def test_screenshots_of_the_support_pages_in_both_languages(console, chromium, tmp_path) -> None:
    ids = {"order": push_topup(console), "payment": console_support_browser.paid_without_order(console)}
    written = console_support_browser.screenshots(console, chromium, tmp_path / "shots", ids)
    assert len(written) == 10 and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in written)
    # The checked-in ones (python -m tests.platform.console_support_browser) are the same set of pages.
    assert sorted(p.name for p in console_support_browser.FOLDER.glob("*.png")) == sorted(p.name for p in written)
