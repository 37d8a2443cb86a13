"""Chromium driven by Playwright for the console's browser tests and screenshots: Debian's chromium (installed
by dev.py), never a browser Playwright downloads."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from kameng_platform.console.roles import Role
from tests.platform.console_client import Account, ConsoleHarness

CHROMIUM = os.environ.get("KAMENG_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots" / "console"


def chromium_missing() -> str | None:
    return None if Path(CHROMIUM).exists() or shutil.which(CHROMIUM) else f"no Chromium at {CHROMIUM}"


@contextlib.contextmanager
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


def log_in(page: Page, base_url: str, account: Account, *, lang: str = "zh_CN") -> None:
    page.goto(f"{base_url}/console/login?lang={lang}")
    page.fill("input[name=username]", account.username)
    page.fill("input[name=password]", account.password)
    if account.totp_secret:
        page.fill("input[name=totp]", account.code())
    page.click("form[action='/console/login'] button[type=submit]")
    page.wait_for_load_state()


def screenshots(harness: ConsoleHarness, chromium: Browser, folder: Path) -> list[Path]:
    """Each page in zh_CN and en, as an operator (and the portal as its reseller) sees it, 1366×768."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    pages = {Role.OPERATOR: ("dashboard", "orders", "audit", "account", "catalog", "codes", "resellers", "suppliers",
                             "users", "suppliers/payouts"),
             Role.RESELLER: ("portal", "terminals", "portal/prices", "portal/stock", "portal/topups",
                             "portal/recharge"),
             Role.SUPPLIER: ("supplier", "supplier/settlement")}
    for lang in ("zh_CN", "en"):
        # The browser's own locale too: it writes the date inputs' placeholders.
        view = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN" if lang == "zh_CN" else "en-US"}
        page = chromium.new_page(**view)
        page.goto(f"{harness.url}/console/login?lang={lang}")
        written.append(folder / f"login_{lang}.png")
        page.screenshot(path=written[-1], full_page=True)
        page.close()
        for role, names in pages.items():
            context = chromium.new_context(**view)
            page = context.new_page()
            log_in(page, harness.url, harness.user(role, username=f"{role.value}_{lang}_shot"), lang=lang)
            for name in names:
                page.goto(f"{harness.url}/console/{name}")
                written.append(folder / f"{name.replace('/', '_')}_{lang}.png")
                page.screenshot(path=written[-1], full_page=True)
            context.close()
    return written


def demo_activity(harness: ConsoleHarness) -> None:
    """A few orders and logins, so the pages show something (qb10 is the test supplier's, for its page)."""
    from kameng_platform import admin, supplier_settlement

    engine = harness.platform.engine()
    with engine.begin() as conn:
        admin.set_supplier(conn, "qb10", "s_test")
        supplier_settlement.set_supply_price(conn, "qb10", 920)
    engine.dispose()
    t = harness.platform.pair()
    got = t.request("POST", "/v1/restock", {"request_id": "shot-restock", "product_id": "qb10", "quantity": 3}).json()
    for i, code in enumerate(got["codes"]):
        sale = {"order_id": f"shot-{i}", "number": f"T-{i + 1}", "kind": "sale",
                "created_at": "2026-12-01T03:00:00.000000Z", "payment_method": "cash",
                "lines": [{"product_id": "qb10", "quantity": 1, "unit_price_fen": 1000, "code_ids": [code["id"]]}],
                "total_fen": 1000}
        t.request("POST", "/v1/orders/batch", {"orders": [sale]})
    topup = {"order_id": "shot-topup", "number": "T-9", "kind": "topup", "created_at": "2026-12-01T03:00:00.000000Z",
             "payment_method": "cash", "lines": [{"product_id": "hf50", "quantity": 1, "unit_price_fen": 5000}],
             "total_fen": 5000, "topup": {"account": "13812345678"}}
    t.request("POST", "/v1/orders/batch", {"orders": [topup]})


def main() -> int:
    """`python -m tests.platform.console_browser`: regenerate docs/screenshots/console/."""
    import tempfile

    if (missing := chromium_missing()) is not None:
        print(missing, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        harness = ConsoleHarness.start(f"sqlite:///{Path(folder) / 'platform.db'}")
        try:
            demo_activity(harness)
            with browser() as chromium:
                for path in screenshots(harness, chromium, SHOTS):
                    print(path.relative_to(ROOT))
        finally:
            harness.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
