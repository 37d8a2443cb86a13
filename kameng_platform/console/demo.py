"""Demo console users, one per role (`kameng-platform serve --demo` and `seed-demo`): new passwords and TOTP
secrets at every seeding, printed once on the console as the demo's pairing code is."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import Connection

from kameng_platform.console import auth
from kameng_platform.console.roles import Role
from kameng_platform.crypto import Sealer
from kameng_platform.seed import DEMO_RESELLER

DEMO_SUPPLIER = "s_demo"
# (user name, role): the reseller user acts for the demo reseller, the supplier user for DEMO_SUPPLIER.
DEMO_USERS = (("admin", Role.OPERATOR), ("finance", Role.FINANCE), ("support", Role.SUPPORT),
              ("supplier", Role.SUPPLIER), ("reseller", Role.RESELLER))


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    password: str
    totp_secret: str | None


def seed_demo_users(conn: Connection, sealer: Sealer) -> list[DemoUser]:
    seeded = []
    for username, role in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        try:
            auth.find_user(conn, username)
        except auth.ConsoleUserError:
            _user, secret = auth.create_user(
                conn, sealer, username=username, role=role, password=password,
                reseller_id=DEMO_RESELLER if role is Role.RESELLER else None,
                supplier_id=DEMO_SUPPLIER if role is Role.SUPPLIER else None)
        else:  # seeded before: its old password and TOTP secret are no longer printed anywhere, so replace them
            auth.set_password(conn, username, password)
            secret = auth.reset_totp(conn, sealer, username) if role.needs_totp else None
        auth.audit(conn, None, "demo_user_seeded", target=username, reason="demo", username="cli", source="cli")
        seeded.append(DemoUser(username, role, password, secret))
    return seeded


def describe(users: list[DemoUser], console_url: str) -> str:
    lines = [f"console: {console_url} (demo users; TOTP secrets for an authenticator app or `oathtool --totp -b`)"]
    for u in users:
        totp = f"  TOTP secret {u.totp_secret}" if u.totp_secret else ""
        lines.append(f"  {u.username:<9} {u.role.value:<9} password {u.password}{totp}")
    return "\n".join(lines)
