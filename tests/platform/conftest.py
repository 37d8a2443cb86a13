"""Every platform test runs on SQLite and on PostgreSQL (`db_url` is parametrized)."""

from __future__ import annotations

import pytest

from tests.platform import pg
from tests.platform.client import PlatformHarness

_pg_state: dict[str, str] = {}


@pytest.fixture(scope="session")
def pg_server():
    try:
        with pg.cluster() as url:
            yield url
    except pg.PostgresUnavailable as exc:
        _pg_state["missing"] = str(exc)
        if pg.REQUIRED:
            pytest.fail(f"PostgreSQL is required (KAMENG_REQUIRE_PG=1) but unavailable: {exc}")
        yield None


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'platform.db'}"
        return
    server = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip(f"PostgreSQL half not run: {_pg_state.get('missing')}")
    with pg.fresh_database(server) as url:
        yield url


@pytest.fixture
def pg_url(pg_server):
    """A fresh PostgreSQL database, for tests of several platform processes on one database."""
    if pg_server is None:
        pytest.skip("PostgreSQL not available: two processes on one database need it (SQLite is single-process)")
    with pg.fresh_database(pg_server) as url:
        yield url


@pytest.fixture
def harness(db_url):
    h = PlatformHarness.start(db_url)
    yield h
    h.stop()


def pytest_terminal_summary(terminalreporter):
    if "missing" in _pg_state:
        terminalreporter.write_line(
            f"PostgreSQL half NOT run: {_pg_state['missing']} (set KAMENG_REQUIRE_PG=1 to make this a failure)",
            yellow=True, bold=True)


# -- the console's browser tests (their modules call tests.platform.browser_gate.require_browser() first) ----------

@pytest.fixture(scope="module")
def chromium():
    from tests.platform import console_browser  # Playwright only for the modules that ask for a browser

    with console_browser.browser() as b:
        yield b


def _watched(page):
    """The page's dialogs are dismissed and kept in page.dialogs; what the CSP blocked is in page.csp_errors."""
    page.dialogs, page.csp_errors = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: page.csp_errors.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text else None)
    return page


@pytest.fixture
def page(chromium):
    """A fresh 1366×768 context's page, watched (_watched)."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768})
    yield _watched(context.new_page())
    context.close()


@pytest.fixture
def new_page(chromium):
    """new_page() opens a watched page in a context of its own (another person's browser), downloads allowed."""
    made = []

    def new():
        made.append(chromium.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True))
        return _watched(made[-1].new_page())
    yield new
    for c in made:
        c.close()
