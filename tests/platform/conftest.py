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
