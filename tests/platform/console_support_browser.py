"""Screenshots of the 补单, order, payment, reconciliation and statement pages in zh_CN and en
(`python -m tests.platform.console_support_browser` writes them into docs/screenshots/console/support/, a folder
of their own beside the other pages' set)."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser

from kameng_platform import clock
from kameng_platform.console.queries import CST
from kameng_platform.console.roles import Role
from tests.platform.console_browser import ROOT, SHOTS, browser, chromium_missing, log_in
from tests.platform.console_client import ConsoleHarness
from tests.platform.support_data import paid_without_order, push_topup

FOLDER = SHOTS / "support"
PAGES = ("support", "support_order", "support_payment", "reconciliation", "statement")


def support_activity(harness: ConsoleHarness) -> dict[str, str]:
    """A stuck top-up and a 掉单 payment (the top-up worker stopped: nothing gets an answer by itself)."""
    harness.platform.server._workers.topups.stop()
    return {"order": push_topup(harness), "payment": paid_without_order(harness)}


def screenshots(harness: ConsoleHarness, chromium: Browser, folder: Path, ids: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    today = dt.datetime.fromtimestamp(clock.now(), CST).date().isoformat()
    urls = {"support": "/console/support?minutes=0", "support_order": f"/console/support/order?id={ids['order']}",
            "support_payment": f"/console/support/payment?id={ids['payment']}",
            "reconciliation": f"/console/reconciliation?since={today}",
            "statement": f"/console/statement?reseller={harness.platform.reseller_id}&since={today}"}
    written = []
    for lang in ("zh_CN", "en"):
        context = chromium.new_context(viewport={"width": 1366, "height": 768},
                                       locale="zh-CN" if lang == "zh_CN" else "en-US")
        page = context.new_page()
        log_in(page, harness.url, harness.user(Role.OPERATOR, username=f"support_shots_{lang}"), lang=lang)
        for name in PAGES:
            page.goto(harness.url + urls[name])
            written.append(folder / f"{name}_{lang}.png")
            page.screenshot(path=written[-1], full_page=True)
        context.close()
    return written


def main() -> int:
    if (missing := chromium_missing()) is not None:
        print(missing, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        harness = ConsoleHarness.start(f"sqlite:///{Path(folder) / 'platform.db'}")
        try:
            ids = support_activity(harness)
            with browser() as chromium:
                for path in screenshots(harness, chromium, FOLDER, ids):
                    print(path.relative_to(ROOT))
        finally:
            harness.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
