"""Console users, logins and sessions: plain Python on a connection, called by the web routes and the CLI.

- Passwords: argon2id (argon2-cffi's defaults). An unknown user name costs the same hash check as a known one,
  so the answer's timing does not tell which names exist.
- TOTP (RFC 6238, pyotp) for the roles that need it; each time step is accepted once per user.
- Failed logins are counted per user name and per source address (IPv6 by /64) in a fixed window; past the
  limit the bucket is locked, and while it is locked even the right password is refused (guessing stays slow).
- Sessions: a random token in the cookie, its SHA-256 in the database; idle and absolute expiry; logout ends it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, insert, select, update

from kameng_platform import clock, terminals
from kameng_platform.console.roles import Role
from kameng_platform.console.tables import console_audit, console_login_failures, console_sessions, console_users
from kameng_platform.crypto import Sealer
from kameng_platform.db import insert_once
from kameng_platform.schema import resellers

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))  # checked against when the user name is unknown
MIN_PASSWORD = 10
TOTP_ISSUER = "卡盟平台"


class ConsoleUserError(Exception):
    """A user cannot be created or changed as asked: the message says why (the CLI prints it), `code` names the
    rule that refused it (the console's users page words it in the page's language)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Policy:
    """Login limits and session lifetimes (docs/console.md)."""
    user_failures: int = 5  # failed logins of one user name per window before it is locked
    source_failures: int = 20  # failed logins from one address per window before it is locked
    window_s: int = 15 * 60
    lockout_s: int = 15 * 60
    idle_s: int = 30 * 60  # a session unused this long is over
    absolute_s: int = 12 * 3600  # and any session after this long, used or not
    touch_every_s: int = 60  # last_seen_at is written at most this often (one write per minute, not per request)


@dataclass(frozen=True)
class ConsoleUser:
    id: int
    username: str
    role: Role
    reseller_id: str | None
    supplier_id: str | None
    has_totp: bool
    disabled: bool = False


@dataclass(frozen=True)
class Session:
    user: ConsoleUser
    token_hash: str
    csrf_token: str


class LoginOutcome(StrEnum):
    OK = "ok"
    BAD = "bad"  # wrong user name, password or TOTP code: one answer for all, so none is confirmed
    LOCKED = "locked"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    token: str | None = None  # the new session's token, for the cookie
    user: ConsoleUser | None = None
    retry_after_s: int = 0


def _user(row) -> ConsoleUser:
    return ConsoleUser(row.id, row.username, Role(row.role), row.reseller_id, row.supplier_id,
                       row.totp_sealed is not None, row.disabled_at is not None)


def _totp_context(username: str) -> str:
    return "console-totp:" + username


def audit(conn: Connection, user: ConsoleUser | None, action: str, target: str = "", reason: str = "", *,
          source: str, username: str | None = None) -> None:
    """One audit entry, in the caller's transaction: it is written exactly when the action is."""
    conn.execute(insert(console_audit).values(
        at=clock.now(), user_id=user.id if user else None, username=user.username if user else (username or ""),
        action=action, target=target[:200], reason=reason, source=source[:64]))


def create_user(conn: Connection, sealer: Sealer, *, username: str, role: Role, password: str,
                reseller_id: str | None = None, supplier_id: str | None = None) -> tuple[ConsoleUser, str | None]:
    """The new user, and its TOTP secret when its role needs one (shown once, to put into an authenticator)."""
    username = username.strip()
    if not username or len(username) > 64 or not username.isprintable():
        raise ConsoleUserError("the user name must be 1 to 64 printable characters", "username")
    check_password(password)
    _check_link(conn, role, reseller_id, supplier_id)
    secret = pyotp.random_base32() if role.needs_totp else None
    if not insert_once(conn, console_users, username=username, role=role.value, reseller_id=reseller_id,
                       supplier_id=supplier_id, password_hash=_hasher.hash(password),
                       totp_sealed=sealer.seal(secret, _totp_context(username)) if secret else None,
                       created_at=clock.now()):
        raise ConsoleUserError(f"the user name {username!r} is taken", "taken")
    return find_user(conn, username), secret


def check_password(password: str) -> None:
    """The password policy, for every way a password is set."""
    if len(password) < MIN_PASSWORD:
        raise ConsoleUserError(f"the password must be at least {MIN_PASSWORD} characters", "password")


def _check_link(conn: Connection, role: Role, reseller_id: str | None, supplier_id: str | None) -> None:
    """A reseller or supplier user names the one it acts for (a reseller that exists); staff name none."""
    for kind, value in {"reseller": reseller_id, "supplier": supplier_id}.items():
        if (role.link == kind) != bool(value):
            raise ConsoleUserError(f"a {role} user needs --{kind} ID" if role.link == kind
                                   else f"--{kind} is only for {kind} users", "link")
    if reseller_id and conn.execute(select(resellers.c.id).where(resellers.c.id == reseller_id)).first() is None:
        raise ConsoleUserError(f"no reseller {reseller_id!r}", "no_reseller")


def find_user(conn: Connection, username: str) -> ConsoleUser:
    row = conn.execute(select(console_users).where(console_users.c.username == username)).first()
    if row is None:
        raise ConsoleUserError(f"no console user {username!r}", "no_user")
    return _user(row)


def list_users(conn: Connection) -> list[ConsoleUser]:
    return [_user(r) for r in conn.execute(select(console_users).order_by(console_users.c.id))]


def set_password(conn: Connection, username: str, password: str) -> None:
    """A new password; the user's sessions end (a password is reset because it was forgotten or leaked), and the
    lock that failed logins put on the name is lifted (they were tries at the old password; the new one logs in
    at once, and guessing it starts the count again)."""
    check_password(password)
    user = find_user(conn, username)
    conn.execute(update(console_users).where(console_users.c.id == user.id)
                 .values(password_hash=_hasher.hash(password)))
    end_sessions(conn, user.id)
    conn.execute(update(console_login_failures).where(console_login_failures.c.bucket == user_bucket(username))
                 .values(failures=0, locked_until=None))


def user_bucket(username: str) -> str:
    """The bucket of failed logins of one user name (console_login_failures)."""
    return "user:" + username[:100]


def reset_totp(conn: Connection, sealer: Sealer, username: str) -> str:
    """A new TOTP secret (the old authenticator entry stops working) and every session of the user ended."""
    user = find_user(conn, username)
    if not user.role.needs_totp:
        raise ConsoleUserError(f"{user.role} users have no TOTP", "no_totp")
    secret = pyotp.random_base32()
    conn.execute(update(console_users).where(console_users.c.id == user.id)
                 .values(totp_sealed=sealer.seal(secret, _totp_context(username)), totp_last_step=None))
    end_sessions(conn, user.id)
    return secret


def disable_user(conn: Connection, username: str, *, by: ConsoleUser | None = None) -> None:
    """The user can no longer log in (a person who left); their sessions end now. The row stays for the audit.
    `by`: the console user doing it (None: the CLI), who cannot disable themself."""
    user = find_user(conn, username)
    if user.disabled:
        raise ConsoleUserError(f"console user {username!r} is disabled already", "already_disabled")
    _keep_an_operator(conn, user, by, "disable")
    conn.execute(update(console_users).where(console_users.c.id == user.id).values(disabled_at=clock.now()))
    end_sessions(conn, user.id)


def enable_user(conn: Connection, username: str) -> None:
    """A disabled user can log in again, with the password and TOTP secret they had."""
    user = find_user(conn, username)
    if not user.disabled:
        raise ConsoleUserError(f"console user {username!r} is not disabled", "not_disabled")
    conn.execute(update(console_users).where(console_users.c.id == user.id).values(disabled_at=None))


def set_role(conn: Connection, sealer: Sealer, username: str, role: Role, *, reseller_id: str | None = None,
             supplier_id: str | None = None, by: ConsoleUser | None = None) -> str | None:
    """A new role (and the reseller or supplier it acts for); the user's sessions end, so they log in again as it.
    The new TOTP secret when the role needs one (shown once): a new one even if they had one, so the new powers
    start with an authenticator entry set up for them, not one that may have been shared or copied before."""
    user = find_user(conn, username)
    if (role, reseller_id or None, supplier_id or None) == (user.role, user.reseller_id, user.supplier_id):
        raise ConsoleUserError(f"console user {username!r} is a {role} already", "same_role")
    if user.role is Role.OPERATOR and role is not Role.OPERATOR:
        _keep_an_operator(conn, user, by, "demote")
    _check_link(conn, role, reseller_id, supplier_id)
    secret = pyotp.random_base32() if role.needs_totp else None
    conn.execute(update(console_users).where(console_users.c.id == user.id).values(
        role=role.value, reseller_id=reseller_id or None, supplier_id=supplier_id or None, totp_last_step=None,
        totp_sealed=sealer.seal(secret, _totp_context(username)) if secret else None))
    end_sessions(conn, user.id)
    return secret


def _keep_an_operator(conn: Connection, user: ConsoleUser, by: ConsoleUser | None, what: str) -> None:
    """Nobody disables or demotes themself, and the last enabled operator stays one: else nobody is left who can
    manage users (short of the CLI on the server)."""
    if by is not None and by.id == user.id:
        raise ConsoleUserError(f"you cannot {what} yourself", "self")
    if user.role is not Role.OPERATOR or user.disabled:
        return
    # Every enabled operator's row locked, in id order: two operators disabling each other at once are
    # serialised, and the second finds itself the last one (PostgreSQL re-reads a row changed under the lock).
    operators = conn.execute(select(console_users.c.id).where(
        console_users.c.role == Role.OPERATOR.value, console_users.c.disabled_at.is_(None))
        .order_by(console_users.c.id).with_for_update()).scalars().all()
    if [i for i in operators if i != user.id] == []:
        raise ConsoleUserError(f"{user.username!r} is the last enabled operator: add or enable another first",
                               "last_operator")


def provisioning_uri(username: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)


def end_sessions(conn: Connection, user_id: int) -> None:
    conn.execute(update(console_sessions).where(console_sessions.c.user_id == user_id,
                                                console_sessions.c.ended_at.is_(None)).values(ended_at=clock.now()))


def _locked_for(conn: Connection, buckets: list[str], now: int) -> int:
    rows = conn.execute(select(console_login_failures.c.locked_until)
                        .where(console_login_failures.c.bucket.in_(buckets))).all()
    return max([r.locked_until - now for r in rows if r.locked_until and r.locked_until > now], default=0)


def _count_failure(conn: Connection, bucket: str, limit: int, policy: Policy, now: int) -> None:
    insert_once(conn, console_login_failures, bucket=bucket, window_start=now, failures=0)
    row = conn.execute(select(console_login_failures).where(console_login_failures.c.bucket == bucket)
                       .with_for_update()).one()
    failures = 1 if now - row.window_start >= policy.window_s else row.failures + 1
    start = now if failures == 1 else row.window_start
    conn.execute(update(console_login_failures).where(console_login_failures.c.bucket == bucket).values(
        window_start=start, failures=failures,
        locked_until=now + policy.lockout_s if failures >= limit else row.locked_until))


def _totp_step(totp: pyotp.TOTP, code: str, last_step: int | None, now: int) -> int | None:
    """The time step `code` belongs to (the current one or one either side, for clocks a little apart), if it is
    later than the last one accepted."""
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if (last_step is None or step > last_step) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def log_in(conn: Connection, sealer: Sealer, *, username: str, password: str, totp_code: str, source: str,
           policy: Policy) -> LoginResult:
    """Check a login and open a session; every attempt is an audit entry. Run in one transaction."""
    now = clock.now()
    # The source as pairing counts it: IPv6 by its /64, which one subscriber usually holds whole.
    buckets = [user_bucket(username), terminals.source_bucket(source)]
    if (wait := _locked_for(conn, buckets, now)) > 0:
        audit(conn, None, "login_locked", username=username[:64], source=source)
        return LoginResult(LoginOutcome.LOCKED, retry_after_s=wait)
    # Locked: two logins racing with one TOTP code are serialised, and the second finds its step used.
    row = conn.execute(select(console_users).where(console_users.c.username == username,
                                                   console_users.c.disabled_at.is_(None)).with_for_update()).first()
    try:
        ok = _hasher.verify(row.password_hash if row else _DUMMY_HASH, password) and row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    step = None
    if ok and row.totp_sealed is not None:
        totp = pyotp.TOTP(sealer.open(row.totp_sealed, _totp_context(row.username)))
        step = _totp_step(totp, totp_code.strip(), row.totp_last_step, now)
        ok = step is not None
    elif ok and Role(row.role).needs_totp:
        ok = False  # a role that needs TOTP without a secret (never made so here) does not log in on a password
    if not ok:
        _count_failure(conn, buckets[0], policy.user_failures, policy, now)
        _count_failure(conn, buckets[1], policy.source_failures, policy, now)
        audit(conn, None, "login_failed", username=username[:64], source=source)
        wait = _locked_for(conn, buckets, now)
        return LoginResult(LoginOutcome.LOCKED if wait else LoginOutcome.BAD, retry_after_s=wait)
    if step is not None:
        conn.execute(update(console_users).where(console_users.c.id == row.id).values(totp_last_step=step))
    if _hasher.check_needs_rehash(row.password_hash):
        conn.execute(update(console_users).where(console_users.c.id == row.id)
                     .values(password_hash=_hasher.hash(password)))
    conn.execute(update(console_login_failures).where(console_login_failures.c.bucket == buckets[0])
                 .values(failures=0, locked_until=None))
    token = secrets.token_urlsafe(32)
    conn.execute(insert(console_sessions).values(
        token_hash=token_hash(token), user_id=row.id, csrf_token=secrets.token_urlsafe(32), created_at=now,
        last_seen_at=now, expires_at=now + policy.absolute_s, source=source[:64]))
    user = _user(row)
    audit(conn, user, "login", source=source)
    return LoginResult(LoginOutcome.OK, token=token, user=user)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_for(conn: Connection, token: str, policy: Policy) -> Session | None:
    """The live session this token opens (its idle time restarted), or None: unknown, ended or expired."""
    now = clock.now()
    digest = token_hash(token)
    row = conn.execute(select(console_sessions, console_users).join(
        console_users, console_users.c.id == console_sessions.c.user_id).where(
        console_sessions.c.token_hash == digest, console_sessions.c.ended_at.is_(None),
        console_users.c.disabled_at.is_(None))).first()
    if row is None or now >= row.expires_at or now - row.last_seen_at > policy.idle_s:
        return None
    if now - row.last_seen_at >= policy.touch_every_s:
        conn.execute(update(console_sessions).where(console_sessions.c.token_hash == digest)
                     .values(last_seen_at=now))
    user = ConsoleUser(row.user_id, row.username, Role(row.role), row.reseller_id, row.supplier_id,
                       row.totp_sealed is not None)
    return Session(user, digest, row.csrf_token)


def log_out(conn: Connection, session: Session, source: str) -> None:
    conn.execute(update(console_sessions).where(console_sessions.c.token_hash == session.token_hash)
                 .values(ended_at=clock.now()))
    audit(conn, session.user, "logout", source=source)
