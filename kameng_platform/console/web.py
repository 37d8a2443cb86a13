"""The console's web layer: pages rendered on the server (Jinja2, autoescaped), htmx for partial reloads, every
route gated by the roles that may use it (`allow`), every form carrying a CSRF token checked here.

Routes are plain `def`s (FastAPI runs them in its threadpool), each doing its reads in one transaction, as the
API's routes do (routes/deps.py); the gate is `async` and hops to the threadpool only for its one session read.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
import urllib.parse
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from kameng_platform import clock, terminals
from kameng_platform.console import auth, dashboard_queries, qr, queries, support_queries
from kameng_platform.console.catalog_queries import int_in
from kameng_platform.console.i18n import LANGS, environment
from kameng_platform.console.portal_queries import pairing_link
from kameng_platform.console.roles import STAFF, Role
from kameng_platform.errors import ApiError
from kameng_platform.routes.deps import Services, ServicesDep
from kameng_platform.schema import terminals as terminals_t

HERE = Path(__file__).parent
PREFIX = "/console"
SESSION_COOKIE = "kc_session"
LOGIN_COOKIE = "kc_login"  # the login form's CSRF token: there is no session yet to hold one
LANG_COOKIE = "lang"
SAFE_METHODS = ("GET", "HEAD")
# No script or style from anywhere but the console itself, no inline script, no framing (clickjacking).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
LANDING = {Role.OPERATOR: "/dashboard", Role.FINANCE: "/dashboard", Role.SUPPORT: "/orders",
           Role.RESELLER: "/portal", Role.SUPPLIER: "/supplier"}


class NotLoggedIn(Exception):
    """No live session: the browser is sent to the login page."""


class Denied(Exception):
    """A session whose role may not use this route, or a form without its CSRF token: 403."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why  # "role" | "csrf"


class BadInput(Exception):
    """A query or form value with a control character (PostgreSQL cannot even store NUL): 400, nothing read."""


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Gate:
    """The one dependency every console route declares: the roles that may use it (None: anyone, the login page).

    For every route it refuses control characters in the query and form (else BadInput); for a gated route it
    finds the session (else NotLoggedIn), checks the role (else Denied) and, for anything but GET/HEAD, the
    form's CSRF token against the session's (else Denied): on the server, for every request."""

    def __init__(self, roles: frozenset[Role] | None) -> None:
        self.roles = roles

    async def __call__(self, request: Request) -> auth.Session | None:
        values = list(request.query_params.values())
        if request.method not in SAFE_METHODS:
            values += [v for v in (await request.form()).values() if isinstance(v, str)]
        if any(CONTROL.search(value) for value in values):
            raise BadInput()
        if self.roles is None:
            return None
        platform: Services = request.app.state.services
        token = request.cookies.get(SESSION_COOKIE, "")
        session = await run_in_threadpool(platform.in_transaction, auth.session_for, token,
                                          request.app.state.console_policy) if token else None
        if session is None:
            raise NotLoggedIn()
        request.state.session = session
        if session.user.role not in self.roles:
            raise Denied("role")
        if request.method not in SAFE_METHODS:
            sent = (await request.form()).get("csrf") or request.headers.get("X-CSRF-Token") or ""
            if not isinstance(sent, str) or not same_token(sent, session.csrf_token):
                raise Denied("csrf")
        return session


def same_token(sent: str, expected: str) -> bool:
    """Constant time, as bytes: compare_digest refuses a str with non-ASCII characters (a TypeError, a 500)."""
    return hmac.compare_digest(sent.encode(), expected.encode())


def allow(*roles: Role) -> Any:
    return Depends(Gate(frozenset(roles)))


PUBLIC = Depends(Gate(None))
EVERYONE = tuple(Role)

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def lang_of(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "")
    return asked if asked in LANGS else LANGS[0]


def yuan(fen: int | None) -> str:
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"


def when(ts: int | None) -> str:
    return "" if ts is None else dt.datetime.fromtimestamp(ts, queries.CST).strftime("%Y-%m-%d %H:%M:%S")


def secure_cookies(request: Request) -> bool:
    """Secure cookies when the platform's public URL is https (TLS at a reverse proxy in front of it)."""
    return request.app.state.services.settings.public_url.startswith("https://")


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    session: auth.Session | None = getattr(request.state, "session", None)
    html = environment(lang).get_template(template).render(
        lang=lang, session=session, user=session.user if session else None, path=request.url.path,
        query=request.url.query, yuan=yuan, when=when, roles=Role, prefix=PREFIX, **context)
    response = HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path=PREFIX + "/", samesite="lax",
                            secure=secure_cookies(request))
    return response


def _source(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _login_page(request: Request, status: int = 200, error: str = "", retry_after_s: int = 0,
                username: str = "") -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", status, csrf=token, error=error,
                      retry_minutes=-(-retry_after_s // 60), username=username,
                      next=request.query_params.get("next", ""))
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path=PREFIX + "/",
                        secure=secure_cookies(request))
    if retry_after_s:
        response.headers["Retry-After"] = str(retry_after_s)
    return response


def _safe_next(target: str) -> str | None:
    """Where to go after logging in: only a console path of this origin (no open redirect)."""
    parts = urllib.parse.urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(PREFIX + "/") or "\\" in target:
        return None
    return target


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, _gate: Annotated[None, PUBLIC]) -> HTMLResponse:
    return _login_page(request)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, platform: ServicesDep, _gate: Annotated[None, PUBLIC],
          username: Annotated[str, Form(max_length=200)] = "", password: Annotated[str, Form(max_length=1000)] = "",
          totp: Annotated[str, Form(max_length=20)] = "", csrf: Annotated[str, Form(max_length=100)] = "",
          next: Annotated[str, Form(max_length=500)] = "") -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not same_token(csrf, expected):
        return _login_page(request, 403, error="csrf", username=username)
    result = platform.in_transaction(auth.log_in, platform.sealer, username=username.strip(), password=password,
                                     totp_code=totp, source=_source(request),
                                     policy=request.app.state.console_policy)
    if result.outcome is not auth.LoginOutcome.OK:
        return _login_page(request, 429 if result.outcome is auth.LoginOutcome.LOCKED else 401,
                           error=result.outcome.value, retry_after_s=result.retry_after_s, username=username)
    response = RedirectResponse(_safe_next(next) or PREFIX + LANDING[result.user.role], status_code=303)
    response.set_cookie(SESSION_COOKIE, result.token, httponly=True, samesite="lax", path=PREFIX + "/",
                        secure=secure_cookies(request))
    response.delete_cookie(LOGIN_COOKIE, path=PREFIX + "/")
    return response


@router.post("/logout")
def logout(request: Request, platform: ServicesDep, session: Annotated[auth.Session, allow(*EVERYONE)]) -> Response:
    platform.in_transaction(auth.log_out, session, _source(request))
    response = RedirectResponse(PREFIX + "/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=PREFIX + "/")
    return response


@router.get("/")
def home(session: Annotated[auth.Session, allow(*EVERYONE)]) -> Response:
    return RedirectResponse(PREFIX + LANDING[session.user.role], status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, _session: Annotated[auth.Session, allow(*EVERYONE)]) -> HTMLResponse:
    return render(request, "account.html")


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, platform: ServicesDep,
              _session: Annotated[auth.Session, allow(Role.OPERATOR, Role.FINANCE)],
              period: str = "", threshold: str = "", expiry_days: str = "") -> HTMLResponse:
    asked = {"period": int_in(period, 7, 1, 30), "threshold": int_in(threshold, dashboard_queries.THRESHOLD, 1,
                                                                      100_000),
             "expiry_days": int_in(expiry_days, dashboard_queries.EXPIRY_DAYS, 1, 3650)}
    if asked["period"] not in (1, 7, 30):
        asked["period"] = None
    wrong = [name for name, value in asked.items() if value is None]
    if wrong:
        return render(request, "error.html", 400, error="filter", field=wrong[0])

    overview = platform.in_transaction(dashboard_queries.overview, asked["period"], asked["threshold"],
                                       asked["expiry_days"])
    return render(request, "dashboard.html", periods=[overview.figures(days) for days in (1, 7, 30)],
                  overview=overview, page=queries.PAGE, stuck_minutes=support_queries.STUCK_AFTER_MIN,
                  lost_days=dashboard_queries.LOST_WINDOW_DAYS)


@router.get("/orders", response_class=HTMLResponse)
def orders(request: Request, platform: ServicesDep,
           session: Annotated[auth.Session, allow(*STAFF, Role.RESELLER)],
           since: str = "", until: str = "", reseller: str = "", state: str = "", before: str = "") -> HTMLResponse:
    own = session.user.reseller_id  # a reseller sees its own orders only, whatever the query asks
    try:
        where = queries.OrderFilter.parse(since, until, own or reseller, state, before)
    except queries.FilterError as exc:
        return render(request, "error.html", 400, error="filter", field=str(exc))

    def read(conn):
        return queries.order_rows(conn, where), ([] if own else queries.reseller_choices(conn))
    rows, choices = platform.in_transaction(read)
    partial = request.headers.get("HX-Request") == "true"
    return render(request, "_order_rows.html" if partial else "orders.html", rows=rows, where=where,
                  resellers=choices, states=queries.ORDER_STATES, page=queries.PAGE,
                  next_page=queries.next_page(rows))


@router.get("/portal", response_class=HTMLResponse)
def portal(request: Request, platform: ServicesDep,
           session: Annotated[auth.Session, allow(Role.RESELLER, Role.OPERATOR, Role.FINANCE)],
           reseller: str = "") -> HTMLResponse:
    reseller_id = session.user.reseller_id or reseller  # staff name a reseller; a reseller sees its own
    view = platform.in_transaction(queries.portal, reseller_id) if reseller_id else None
    if view is None:
        return render(request, "error.html", 404, error="no_reseller")
    return render(request, "portal.html", view=view, page=queries.PAGE)


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, platform: ServicesDep,
              _session: Annotated[auth.Session, allow(Role.OPERATOR, Role.FINANCE)],
              username: str = "", action: str = "") -> HTMLResponse:
    rows = platform.in_transaction(queries.audit_rows, username, action)
    return render(request, "audit.html", rows=rows, username=username, action=action, page=queries.PAGE)


def _reseller_scope(session: auth.Session, asked: str) -> str:
    """The reseller a page or form acts for: a reseller's own, whatever was asked; staff name one."""
    return session.user.reseller_id or asked


def _terminals_page(request: Request, platform: Services, reseller_id: str, status: int = 200,
                    **context: Any) -> HTMLResponse:
    def read(conn):
        return ([t for t in terminals.list_terminals(conn) if not reseller_id or t["reseller_id"] == reseller_id],
                [] if request.state.session.user.reseller_id else queries.reseller_choices(conn))
    rows, choices = platform.in_transaction(read)
    return render(request, "terminals.html", status, rows=rows, reseller_id=reseller_id, resellers=choices,
                  **{"error": "", "pairing_code": None, **context})


@router.get("/terminals", response_class=HTMLResponse)
def terminals_list(request: Request, platform: ServicesDep,
                   session: Annotated[auth.Session, allow(Role.RESELLER, Role.OPERATOR)],
                   reseller: str = "") -> HTMLResponse:
    return _terminals_page(request, platform, _reseller_scope(session, reseller))


@router.post("/terminals/pairing-code", response_class=HTMLResponse)
def pairing_code(request: Request, platform: ServicesDep,
                 session: Annotated[auth.Session, allow(Role.RESELLER, Role.OPERATOR)],
                 reseller: Annotated[str, Form(max_length=64)] = "") -> HTMLResponse:
    """A one-time pairing code for a new counter, shown once (the platform keeps only its keyed hash)."""
    reseller_id = _reseller_scope(session, reseller)
    settings = platform.settings

    def create(conn):
        code = terminals.create_pairing_code(conn, platform.sealer, reseller_id, settings.pairing_ttl_s)
        auth.audit(conn, session.user, "pairing_code", target=reseller_id, source=_source(request))
        return code
    try:
        code = platform.in_transaction(create) if reseller_id else None
    except ApiError:  # no such reseller
        code = None
    if code is None:
        return _terminals_page(request, platform, "", 404, error="no_reseller")
    # The QR carries the code too: like the page it is shown once, never cached (no-store) and never logged.
    return _terminals_page(request, platform, reseller_id, pairing_code=code, platform_url=settings.public_url,
                           expires_at=clock.now() + settings.pairing_ttl_s,
                           pairing_qr=qr.data_uri(pairing_link(settings.public_url, code)))


@router.post("/terminals/revoke", response_class=HTMLResponse)
def revoke_terminal(request: Request, platform: ServicesDep,
                    session: Annotated[auth.Session, allow(Role.RESELLER, Role.OPERATOR)],
                    terminal: Annotated[str, Form(max_length=64)] = "",
                    reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Revoke a lost or stolen counter: its signature stops working at once. A reason is asked and audited."""
    own = session.user.reseller_id
    if not reason.strip():
        return _terminals_page(request, platform, own or "", 400, error="reason")

    def revoke(conn) -> str | None:
        """The revoked terminal's reseller, or None: no such active terminal (for this user)."""
        row = conn.execute(select(terminals_t.c.reseller_id).where(terminals_t.c.id == terminal)).first()
        if row is None or (own and row.reseller_id != own):  # another reseller's counter is not there for them
            return None
        try:
            terminals.revoke(conn, terminal)
        except ApiError:  # revoked already
            return None
        auth.audit(conn, session.user, "terminal_revoked", target=terminal, reason=reason.strip(),
                   source=_source(request))
        return row.reseller_id
    reseller_id = platform.in_transaction(revoke)
    if reseller_id is None:
        return _terminals_page(request, platform, own or "", 404, error="no_terminal")
    back = "" if own else "?" + urllib.parse.urlencode({"reseller": reseller_id})
    return RedirectResponse(PREFIX + "/terminals" + back, status_code=303)


def mount(app: FastAPI) -> None:
    """Serve the console at /console/ on this app (create_app calls it when the settings turn the console on)."""
    app.state.console_policy = auth.Policy()
    app.include_router(router)
    from kameng_platform.console import users_pages  # the users page (operator): built on this module's gate
    app.include_router(users_pages.router)
    from kameng_platform.console import catalog_pages  # it builds on this module's gate and render
    app.include_router(catalog_pages.router)
    from kameng_platform.console import payout_pages  # its routes use this module's gate: imported after it
    app.include_router(payout_pages.router)
    app.mount(PREFIX + "/static", StaticFiles(directory=HERE / "static"), name="console-static")
    from kameng_platform.console import support_pages  # its routes use this module's gate: imported after it
    app.include_router(support_pages.router)
    from kameng_platform.console import recharge_pages  # its routes use this module's gate: imported after it
    app.include_router(recharge_pages.router)

    from kameng_platform.console import portal_pages  # its routes use this module's gate: imported after it
    app.include_router(portal_pages.router)

    @app.exception_handler(NotLoggedIn)
    async def _not_logged_in(request: Request, _exc: NotLoggedIn) -> Response:
        if request.headers.get("HX-Request") == "true":  # htmx swaps the answer in: have it load the page instead
            return Response(status_code=401, headers={"HX-Redirect": PREFIX + "/login"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        query = urllib.parse.urlencode({"next": target}) if request.method in SAFE_METHODS else ""
        return RedirectResponse(PREFIX + "/login" + (f"?{query}" if query else ""), status_code=303)

    @app.exception_handler(BadInput)
    async def _bad_input(request: Request, _exc: BadInput) -> Response:
        return render(request, "error.html", 400, error="control")

    @app.exception_handler(Denied)
    async def _denied(request: Request, exc: Denied) -> Response:
        return render(request, "error.html", 403, error=exc.why)
