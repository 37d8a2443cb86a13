"""The users page's reads: every console user with when they last logged in and whether failed logins have locked
their name. No secret is read: whether a TOTP secret is set, never the sealed secret or the password hash."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select, union

from kameng_platform import clock
from kameng_platform.console import auth
from kameng_platform.console.roles import Role
from kameng_platform.console.tables import console_login_failures, console_sessions, console_users
from kameng_platform.schema import products


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    role: Role
    reseller_id: str | None
    supplier_id: str | None
    has_totp: bool
    created_at: int
    disabled_at: int | None
    last_login_at: int | None  # the newest session it opened (every login opens one)
    failures: int  # failed logins of this name in the current window
    locked_until: int | None  # set while failed logins keep this name locked


def user_rows(conn: Connection, policy: auth.Policy) -> list[UserRow]:
    now = clock.now()
    users = conn.execute(select(console_users.c.id, console_users.c.username, console_users.c.role,
                                console_users.c.reseller_id, console_users.c.supplier_id,
                                console_users.c.totp_sealed.is_not(None).label("has_totp"),
                                console_users.c.created_at, console_users.c.disabled_at)
                         .order_by(console_users.c.id)).all()
    last_login = dict(conn.execute(select(console_sessions.c.user_id, func.max(console_sessions.c.created_at))
                                   .group_by(console_sessions.c.user_id)).all())
    buckets = {auth.user_bucket(u.username): u.id for u in users}
    failures = {buckets[r.bucket]: r for r in conn.execute(
        select(console_login_failures).where(console_login_failures.c.bucket.in_(list(buckets))))}
    rows = []
    for u in users:
        bucket = failures.get(u.id)
        in_window = bucket is not None and now - bucket.window_start < policy.window_s
        locked = bucket.locked_until if bucket is not None and (bucket.locked_until or 0) > now else None
        rows.append(UserRow(u.id, u.username, Role(u.role), u.reseller_id, u.supplier_id, bool(u.has_totp),
                            u.created_at, u.disabled_at, last_login.get(u.id),
                            bucket.failures if in_window else 0, locked))
    return rows


def supplier_ids(conn: Connection) -> list[str]:
    """The suppliers there are: every id a product or a console user names (there is no table of suppliers)."""
    named = union(select(products.c.supplier_id).where(products.c.supplier_id.is_not(None)),
                  select(console_users.c.supplier_id).where(console_users.c.supplier_id.is_not(None)))
    return sorted(conn.execute(named).scalars())
