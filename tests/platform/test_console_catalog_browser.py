"""The catalog pages and the dashboard's charts in a real browser (Debian's Chromium, Playwright) against a real
platform on loopback: a supplier imports a CSV through the file input and reads the per-line report, the
dashboard's Chart.js canvases draw 30 points under CSP script-src 'self', and a product named <script> stays
text on every new page."""

from __future__ import annotations

import pytest

from kameng_platform import admin
from kameng_platform.console.roles import Role
from tests.platform.browser_gate import require_browser
from tests.platform.console_client import ConsoleHarness

browser_support = require_browser()

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def console(tmp_path):
    h = ConsoleHarness.start(f"sqlite:///{tmp_path / 'platform.db'}")
    engine = h.platform.engine()
    with engine.begin() as conn:
        admin.upsert_product(conn, product_id="sa1", category_id="game", name=SCRIPT, kind="card",
                             face_value_fen=1000, suggested_retail_fen=1000, tier_prices={"standard": 900})
        admin.set_supplier(conn, "sa1", "s_a")
    engine.dispose()
    yield h
    h.stop()


def test_a_supplier_imports_codes_and_reads_the_report(console, page, tmp_path) -> None:
    browser_support.log_in(page, console.url, console.user(Role.SUPPLIER, supplier_id="s_a"))
    assert page.url.endswith("/console/supplier")
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text("AAAA1111,SECRET01\nAAAA1111,SECRET02\n", encoding="utf-8")
    good.write_text("卡号,卡密\nAAAA1111,SECRET01\nAAAA2222,SECRET02,2099-01-01\n", encoding="utf-8-sig")
    page.goto(f"{console.url}/console/codes")
    page.set_input_files("input[name=file]", str(bad))
    page.click("form[action='/console/codes/import'] button[type=submit]")
    assert page.locator("tr[data-line]").all_inner_texts() == ["2\tduplicate of line 1"]
    page.set_input_files("input[name=file]", str(good))
    page.click("form[action='/console/codes/import'] button[type=submit]")
    assert page.get_attribute("section.report", "data-imported") == "2"
    assert page.locator("tr[data-stock=sa1] td").nth(2).inner_text() == "2"
    page.goto(f"{console.url}/console/supplier")
    assert page.locator("tr[data-product=sa1] td").first.inner_text() == SCRIPT  # shown as text
    assert page.dialogs == []


def test_the_dashboard_draws_its_charts_and_new_pages_keep_script_as_text(console, page) -> None:
    browser_support.log_in(page, console.url, console.user(Role.OPERATOR))
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{console.url}/console/dashboard")
    page.wait_for_selector("#chart-money[data-points]")
    for chart in ("chart-money", "chart-orders", "chart-rates"):
        assert page.get_attribute(f"#{chart}", "data-points") == "30"
        width = page.evaluate(f"document.getElementById('{chart}').width")
        assert width > 100  # Chart.js sized and drew the canvas
    assert page.evaluate("Chart.getChart('chart-money').data.datasets.length") == 3
    for path in ("dashboard", "catalog", "codes", "suppliers", "supplier?supplier=s_a"):
        page.goto(f"{console.url}/console/{path}")
        assert SCRIPT in page.inner_text("main"), path
    assert page.dialogs == [] and not [e for e in errors if "Content Security Policy" in e]
