"""The console's tables, on the platform's shared metadata (migration 0011 creates them).

Secrets are never stored readable: passwords as argon2 hashes, TOTP secrets sealed with the server key, session
tokens as their SHA-256 (a copy of the database opens no session)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text

from kameng_platform.schema import Id, metadata

console_users = Table(
    "console_users", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # roles.Role
    # The one reseller or supplier a reseller or supplier user acts for (NULL for the platform's own staff).
    Column("reseller_id", Id, ForeignKey("resellers.id")),
    Column("supplier_id", Id),
    Column("password_hash", String(200), nullable=False),
    Column("totp_sealed", LargeBinary),
    # The last TOTP time step accepted: a code is good once (a code seen over a shoulder cannot be replayed).
    Column("totp_last_step", BigInteger),
    Column("created_at", BigInteger, nullable=False),
    Column("disabled_at", BigInteger),
)

# Only the token's hash is kept; the cookie holds the token. Expiry: idle (last_seen_at) and absolute (expires_at).
console_sessions = Table(
    "console_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("console_users.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("last_seen_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("ended_at", BigInteger),
    Column("source", String(64), nullable=False),
)

# Failed logins per bucket ("user:NAME" or "source:ADDRESS") in a fixed window; a bucket over its limit is locked
# until locked_until, whatever password comes next. Shared by every platform process through the database.
console_login_failures = Table(
    "console_login_failures", metadata,
    Column("bucket", String(120), primary_key=True),
    Column("window_start", BigInteger, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("locked_until", BigInteger),
)

# Every console action: who, when, what (action and target), why (the reason a person gave, where one is asked).
console_audit = Table(
    "console_audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", BigInteger, nullable=False),
    Column("user_id", Integer),
    Column("username", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("source", String(64), nullable=False),
    Index("console_audit_at", "at"),
)
