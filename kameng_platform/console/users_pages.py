"""The console's users page (issue #18: the operator manages users and roles): every console user with their role,
link, TOTP, state, last login and lockout; add a user, change a role, reset a password or TOTP, disable and enable.

Every change goes through kameng_platform.console.auth, the functions the `console-user` CLI calls, so the
password policy and the guard rails (nobody disables or demotes themself, the last enabled operator stays one)
are one rule in one place; each is an audit entry with the reason the operator typed, in the same transaction.
A new password or TOTP secret is shown once, in the answer to the form (never in a URL, a log or the audit
entry); every console page is sent `Cache-Control: no-store`, so the browser keeps no copy of it either."""

from __future__ import annotations

import secrets
import urllib.parse
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Connection

from kameng_platform.console import auth, qr, queries, users_queries
from kameng_platform.console.roles import Role
from kameng_platform.console.web import PREFIX, _source, allow, render
from kameng_platform.routes.deps import Services, ServicesDep

router = APIRouter(prefix=PREFIX, include_in_schema=False)
Session = auth.Session
OPERATOR = allow(Role.OPERATOR)
ConsoleUserError = auth.ConsoleUserError
STATUS = {"no_user": 404, "taken": 409}  # any other refusal is a 400
GENERATED_BYTES = 12  # a generated password: 16 URL-safe characters, 96 random bits


@dataclass(frozen=True)
class Shown:
    """What the operator sees once after an action: a generated password, a new TOTP secret and its QR code."""
    username: str
    password: str | None
    totp_secret: str | None

    @property
    def totp_uri(self) -> str:
        return auth.provisioning_uri(self.username, self.totp_secret) if self.totp_secret else ""

    @property
    def totp_qr(self) -> str:
        """The provisioning URI as an SVG QR code in a data: URI (the CSP allows img data:; no file, no script)."""
        return qr.data_uri(self.totp_uri)


def _users_page(request: Request, platform: Services, status: int = 200, **context: Any) -> HTMLResponse:
    def read(conn):
        return (users_queries.user_rows(conn, request.app.state.console_policy), queries.reseller_choices(conn),
                users_queries.supplier_ids(conn))
    rows, resellers, suppliers = platform.in_transaction(read)
    context = {"error": "", "done": "", "shown": None, "selected": "", **context}
    return render(request, "users.html", status, rows=rows, resellers=resellers, suppliers=suppliers,
                  min_password=auth.MIN_PASSWORD, picked=next((r for r in rows if r.username == context["selected"]),
                                                              None), **context)


def _refused(request: Request, platform: Services, exc: ConsoleUserError, username: str) -> HTMLResponse:
    """The page again with the rule that refused the change, worded in the page's language; nothing was written."""
    return _users_page(request, platform, STATUS.get(exc.code, 400), error=exc.code, selected=username)


def _back(username: str, done: str) -> Response:
    return RedirectResponse(PREFIX + "/users?" + urllib.parse.urlencode({"user": username, "done": done}),
                            status_code=303)


def _reason(reason: str, password: str = "") -> str:
    """The reason the audit entry keeps: required, and never the password just typed (it would be kept readable)."""
    if not reason.strip():
        raise ConsoleUserError("a reason is required", "reason")
    if password and password in reason:
        raise ConsoleUserError("the reason must not contain the password", "reason_secret")
    return reason.strip()


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise ConsoleUserError(f"no role {value!r}", "role") from None


def _new_password(generate: str, password: str, again: str) -> tuple[str, bool]:
    """(the password, whether it was generated): typed twice, or generated (the policy is auth's, checked when
    it is set)."""
    if generate == "1":
        return secrets.token_urlsafe(GENERATED_BYTES), True
    if password != again:
        raise ConsoleUserError("the two passwords differ", "passwords_differ")
    return password, False


def _link(conn: Connection, role: Role, reseller: str, supplier: str) -> dict[str, str | None]:
    """The reseller or supplier the role acts for, from the form's two lists (the one the role does not use is
    ignored). A reseller must exist (auth checks it); a supplier must be one a product or a user names already."""
    reseller_id = reseller.strip() if role.link == "reseller" else ""
    supplier_id = supplier.strip() if role.link == "supplier" else ""
    if supplier_id and supplier_id not in users_queries.supplier_ids(conn):
        raise ConsoleUserError(f"no supplier {supplier_id!r}", "no_supplier")
    return {"reseller_id": reseller_id or None, "supplier_id": supplier_id or None}


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, platform: ServicesDep, _s: Annotated[Session, OPERATOR], user: str = "",
               done: str = "") -> HTMLResponse:
    return _users_page(request, platform, selected=user, done=done)


@router.post("/users/add", response_class=HTMLResponse)
def add_user(request: Request, platform: ServicesDep, session: Annotated[Session, OPERATOR],
             username: Annotated[str, Form(max_length=200)] = "", role: Annotated[str, Form(max_length=16)] = "",
             reseller: Annotated[str, Form(max_length=64)] = "", supplier: Annotated[str, Form(max_length=64)] = "",
             password: Annotated[str, Form(max_length=1000)] = "",
             password2: Annotated[str, Form(max_length=1000)] = "", generate: Annotated[str, Form(max_length=1)] = "",
             reason: Annotated[str, Form(max_length=500)] = "") -> HTMLResponse:
    """A new user with a password typed twice or generated, and a TOTP secret when the role needs one: both
    shown once, on this answer."""
    try:
        why, new_role = _reason(reason, password), _role(role)
        chosen, generated = _new_password(generate, password, password2)

        def create(conn) -> tuple[auth.ConsoleUser, str | None]:
            user, secret = auth.create_user(conn, platform.sealer, username=username, role=new_role,
                                            password=chosen, **_link(conn, new_role, reseller, supplier))
            auth.audit(conn, session.user, "user_added", target=f"{user.username} ({user.role})", reason=why,
                       source=_source(request))
            return user, secret
        user, secret = platform.in_transaction(create)
    except ConsoleUserError as exc:
        return _refused(request, platform, exc, "")
    return _users_page(request, platform, selected=user.username, done="added",
                       shown=Shown(user.username, chosen if generated else None, secret))


@router.post("/users/role", response_class=HTMLResponse)
def change_role(request: Request, platform: ServicesDep, session: Annotated[Session, OPERATOR],
                username: Annotated[str, Form(max_length=64)] = "", role: Annotated[str, Form(max_length=16)] = "",
                reseller: Annotated[str, Form(max_length=64)] = "",
                supplier: Annotated[str, Form(max_length=64)] = "",
                reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """A new role: the user's sessions end; to operator or finance, a new TOTP secret, shown once."""
    try:
        why, new_role = _reason(reason), _role(role)

        def change(conn) -> str | None:
            before = auth.find_user(conn, username)
            link = _link(conn, new_role, reseller, supplier)
            secret = auth.set_role(conn, platform.sealer, username, new_role, by=session.user, **link)
            acts_for = link["reseller_id"] or link["supplier_id"]
            auth.audit(conn, session.user, "user_role", target=username, source=_source(request),
                       reason=f"{why} ({before.role} → {new_role}{' ' + acts_for if acts_for else ''})")
            return secret
        secret = platform.in_transaction(change)
    except ConsoleUserError as exc:
        return _refused(request, platform, exc, username)
    if secret is None:
        return _back(username, "role")
    return _users_page(request, platform, selected=username, done="role", shown=Shown(username, None, secret))


@router.post("/users/reset-totp", response_class=HTMLResponse)
def reset_totp(request: Request, platform: ServicesDep, session: Annotated[Session, OPERATOR],
               username: Annotated[str, Form(max_length=64)] = "",
               reason: Annotated[str, Form(max_length=500)] = "") -> HTMLResponse:
    """A lost phone: a new TOTP secret, shown once; the old authenticator entry and every session stop working."""
    try:
        why = _reason(reason)

        def reset(conn) -> str:
            secret = auth.reset_totp(conn, platform.sealer, username)
            auth.audit(conn, session.user, "totp_reset", target=username, reason=why, source=_source(request))
            return secret
        secret = platform.in_transaction(reset)
    except ConsoleUserError as exc:
        return _refused(request, platform, exc, username)
    return _users_page(request, platform, selected=username, done="totp", shown=Shown(username, None, secret))


@router.post("/users/reset-password", response_class=HTMLResponse)
def reset_password(request: Request, platform: ServicesDep, session: Annotated[Session, OPERATOR],
                   username: Annotated[str, Form(max_length=64)] = "",
                   password: Annotated[str, Form(max_length=1000)] = "",
                   password2: Annotated[str, Form(max_length=1000)] = "",
                   generate: Annotated[str, Form(max_length=1)] = "",
                   reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """A forgotten or leaked password: a new one (typed twice, or generated and shown once); sessions end."""
    try:
        why = _reason(reason, password)
        chosen, generated = _new_password(generate, password, password2)

        def reset(conn) -> None:
            auth.set_password(conn, username, chosen)
            auth.audit(conn, session.user, "password_reset", target=username, reason=why, source=_source(request))
        platform.in_transaction(reset)
    except ConsoleUserError as exc:
        return _refused(request, platform, exc, username)
    if not generated:
        return _back(username, "password")
    return _users_page(request, platform, selected=username, done="password", shown=Shown(username, chosen, None))


@router.post("/users/disable", response_class=HTMLResponse)
def disable_user(request: Request, platform: ServicesDep, session: Annotated[Session, OPERATOR],
                 username: Annotated[str, Form(max_length=64)] = "",
                 reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """A person who left: they can no longer log in, and a session they have open stops working at once."""
    try:
        why = _reason(reason)

        def disable(conn) -> None:
            auth.disable_user(conn, username, by=session.user)
            auth.audit(conn, session.user, "user_disabled", target=username, reason=why, source=_source(request))
        platform.in_transaction(disable)
    except ConsoleUserError as exc:
        return _refused(request, platform, exc, username)
    return _back(username, "disabled")


@router.post("/users/enable", response_class=HTMLResponse)
def enable_user(request: Request, platform: ServicesDep, session: Annotated[Session, OPERATOR],
                username: Annotated[str, Form(max_length=64)] = "",
                reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    try:
        why = _reason(reason)

        def enable(conn) -> None:
            auth.enable_user(conn, username)
            auth.audit(conn, session.user, "user_enabled", target=username, reason=why, source=_source(request))
        platform.in_transaction(enable)
    except ConsoleUserError as exc:
        return _refused(request, platform, exc, username)
    return _back(username, "enabled")
