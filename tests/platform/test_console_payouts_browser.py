"""Supplier payouts in a real browser (Debian's Chromium, Playwright) against a real platform on loopback: a
supplier reads what it is owed for codes a counter restocked through the signed API, finance logs in with TOTP and
records a bank transfer from the nav's page (an amount above the balance is refused until confirmed as an
advance), and the supplier's balance owed drops by it."""

from __future__ import annotations

import pytest

from kameng_platform import admin, supplier_settlement
from kameng_platform.console.roles import Role
from kameng_platform.crypto import Sealer
from tests.platform.browser_gate import require_browser
from tests.platform.console_client import ConsoleHarness

browser_support = require_browser()


@pytest.fixture
def console(tmp_path):
    h = ConsoleHarness.start(f"sqlite:///{tmp_path / 'platform.db'}")
    engine = h.platform.engine()
    with engine.begin() as conn:  # s_a's card at a supply price of ¥8.00, ten codes in stock
        admin.upsert_product(conn, product_id="sa1", category_id="game", name="供货A 的卡", kind="card",
                             face_value_fen=1000, suggested_retail_fen=1000, tier_prices={"standard": 900})
        admin.set_supplier(conn, "sa1", "s_a")
        admin.import_codes(conn, Sealer(h.platform.settings.server_key), "sa1",
                           "".join(f"SA{i:06d},SECRET{i:04d}\n" for i in range(10)))
        supplier_settlement.set_supply_price(conn, "sa1", 800)
    engine.dispose()
    yield h
    h.stop()


def test_finance_records_a_payout_and_the_supplier_sees_the_balance_drop(console, new_page) -> None:
    reply = console.platform.pair().request("POST", "/v1/restock", {"request_id": "r" * 12, "product_id": "sa1",
                                                                    "quantity": 5})
    assert reply.status_code == 200  # five codes at ¥8.00: ¥40.00 owed to s_a

    supplier = new_page()
    browser_support.log_in(supplier, console.url, console.user(Role.SUPPLIER, supplier_id="s_a"))
    supplier.click("#settlement-link")
    assert supplier.get_attribute("#closing", "data-fen") == "4000"
    assert supplier.inner_text("#closing") == "¥40.00"

    finance = new_page()
    browser_support.log_in(finance, console.url, console.user(Role.FINANCE))  # with its TOTP code
    finance.click("nav a[href='/console/suppliers/payouts']")
    assert finance.get_attribute("tr[data-supplier=s_a] td[data-balance]", "data-balance") == "4000"

    def send(amount: str, reference: str, *, advance: bool = False) -> None:
        form = finance.locator("#payout-form")
        form.locator("select[name=supplier]").select_option("s_a")
        form.locator("input[name=amount]").fill(amount)
        form.locator("input[name=reference]").fill(reference)
        form.locator("input[name=reason]").fill("十二月货款")
        form.locator("input[name=advance]").set_checked(advance)
        form.locator("button[type=submit]").click()
        finance.wait_for_load_state()

    send("45", "ICBC-20261201-1")  # more than owed, not confirmed as an advance: refused, nothing recorded
    assert "这是预付款" in finance.inner_text("p.error")
    send("25.50", "ICBC-20261201-1")
    assert finance.get_attribute("tr[data-supplier=s_a] td[data-balance]", "data-balance") == "1450"
    assert "s_a" in finance.inner_text("p.notice")

    supplier.reload()
    assert supplier.inner_text("#closing") == "¥14.50"
    assert supplier.locator("tr[data-reference='ICBC-20261201-1'] td").nth(1).inner_text() == "¥25.50"
