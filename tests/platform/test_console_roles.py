"""Every console route × every role, generated from the app's route table: allowed, or 403 (and anyone without
a session is sent to the login page). A console route that declares no rule fails here."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Mount

from kameng_platform.app import create_app
from kameng_platform.console import web
from kameng_platform.console.roles import Role
from kameng_platform.console.web import PREFIX, Gate
from kameng_platform.settings import sandbox_settings
from tests.platform.console_client import ConsoleHarness

# Filled in for routes with path parameters (none yet); a new parameter without a value here fails the test.
PATH_VALUES: dict[str, str] = {}
# What a route needs to show its page rather than an empty one (staff name the reseller whose portal they open).
QUERIES = {"/console/portal": "?reseller=r_demo", "/console/terminals": "?reseller=r_demo",
           "/console/portal/prices": "?reseller=r_demo", "/console/portal/prices/export": "?reseller=r_demo",
           "/console/portal/stock": "?reseller=r_demo", "/console/portal/topups": "?reseller=r_demo"}
FORMS = {"/console/terminals/pairing-code": {"reseller": "r_demo"}}


def routes(table: list[BaseRoute]) -> Iterator[BaseRoute]:
    """The app's routes, those of included routers too (FastAPI 0.165 keeps an included router whole)."""
    for route in table:
        included = getattr(route, "original_router", None)
        yield from routes(included.routes) if included is not None else (route,)


def console_rules(app: FastAPI) -> dict[tuple[str, str], frozenset[Role] | None]:
    """(method, path) → the roles its Gate allows (None: public); AssertionError naming any route without one."""
    rules, ungated = {}, []
    for route in routes(app.routes):
        if not route.path.startswith(PREFIX):
            continue
        if isinstance(route, Mount):
            assert route.path == PREFIX + "/static", f"unexpected mount {route.path}"
            continue
        assert isinstance(route, APIRoute), f"{route.path}: not an APIRoute, so no role rule can be read"
        gates = [d.call for d in route.dependant.dependencies if isinstance(d.call, Gate)]
        if len(gates) != 1:
            ungated.append(f"{sorted(route.methods)} {route.path}")
            continue
        for method in route.methods:
            rules[(method, route.path)] = gates[0].roles
    assert not ungated, f"console routes without exactly one role rule (web.allow or web.PUBLIC): {ungated}"
    return rules


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> FastAPI:
    db = tmp_path_factory.mktemp("roles") / "p.db"
    return create_app(sandbox_settings(f"sqlite:///{db}", secrets.token_bytes(32), console=True))


def test_a_console_route_without_a_rule_fails_the_check(app) -> None:
    assert console_rules(app)  # the real table passes
    extra = FastAPI()
    extra.include_router(web.router)

    @extra.get(PREFIX + "/forgotten")
    def forgotten() -> str:
        return "no gate"

    with pytest.raises(AssertionError, match=r"\['GET'\] /console/forgotten"):
        console_rules(extra)


def test_route_role_matrix(app, tmp_path) -> None:
    rules = console_rules(app)
    harness = ConsoleHarness.start(f"sqlite:///{tmp_path / 'platform.db'}")
    try:
        anonymous = harness.client()
        readers = {role: harness.logged_in(harness.user(role)) for role in Role}
        outcomes = {}
        for (method, path), allowed in sorted(rules.items()):
            url = path.format(**PATH_VALUES) + QUERIES.get(path, "")
            if allowed is None:  # the login page: anyone, and no session asked
                assert anonymous.http.request(method, url, data={}).status_code in (200, 403), url
                continue
            gone = anonymous.http.request(method, url)
            assert (gone.status_code, gone.headers["location"].split("?")[0]) == (303, "/console/login"), url
            for role in Role:
                # A state-changing route gets a session of its own (it may end it: logout), with a valid token.
                client = readers[role] if method in ("GET", "HEAD") else harness.logged_in(harness.user(role))
                data = None if method in ("GET", "HEAD") else {"csrf": client.csrf(), **FORMS.get(path, {})}
                status = client.http.request(method, url, data=data).status_code
                outcomes[(method, path, role.value)] = status
                if role in allowed:  # the gate let it through: what the route answers then is its own business
                    assert status != 403 and status < 500, (method, path, role, status)
                else:
                    assert status == 403, (method, path, role, status)
        # The matrix covered every gated route for every role (and these rules are the documented ones).
        assert len(outcomes) == len(Role) * sum(1 for roles in rules.values() if roles is not None)
        assert rules[("GET", "/console/dashboard")] == {Role.OPERATOR, Role.FINANCE}
        assert rules[("GET", "/console/audit")] == {Role.OPERATOR, Role.FINANCE}
        assert outcomes[("GET", "/console/dashboard", "reseller")] == 403
        portal = {"reseller", "operator", "finance"}  # the portal's pages: a reseller its own, staff name one
        for path in ("/console/portal/prices", "/console/portal/prices/export", "/console/portal/stock",
                     "/console/portal/topups"):
            assert rules[("GET", path)] == {Role(r) for r in portal}
            assert {r for (m, p, r), status in outcomes.items() if p == path and status == 200} == portal, path
    finally:
        harness.stop()
