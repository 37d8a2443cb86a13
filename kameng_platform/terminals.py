"""Terminals: one-time pairing codes, pairing, request authentication, revocation."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from kameng_platform import clock, signing
from kameng_platform.crypto import Sealer
from kameng_platform.errors import ApiError, not_found
from kameng_platform.schema import nonces, pairing_codes, resellers, terminals

PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud over the phone


@dataclass(frozen=True)
class Terminal:
    id: str
    reseller_id: str
    tier: str
    name: str


def create_pairing_code(conn: Connection, sealer: Sealer, reseller_id: str, ttl_s: int) -> str:
    if conn.execute(select(resellers.c.id).where(resellers.c.id == reseller_id)).first() is None:
        raise not_found("no such reseller")
    code = "-".join("".join(secrets.choice(PAIRING_ALPHABET) for _ in range(4)) for _ in range(3))
    conn.execute(insert(pairing_codes).values(code_index=sealer.index(code), reseller_id=reseller_id,
                                              expires_at=clock.now() + ttl_s))
    return code


def pair(conn: Connection, sealer: Sealer, code: str, device_name: str) -> dict:
    now = clock.now()
    row = conn.execute(
        select(pairing_codes.c.reseller_id, pairing_codes.c.expires_at, pairing_codes.c.used_at)
        .where(pairing_codes.c.code_index == sealer.index(code.strip().upper())).with_for_update()
    ).first()
    if row is None or row.used_at is not None or row.expires_at < now:
        raise ApiError(403, "pairing_code_invalid", "This pairing code is unknown, used or expired.")
    conn.execute(update(pairing_codes).where(pairing_codes.c.code_index == sealer.index(code.strip().upper()))
                 .values(used_at=now))
    reseller = conn.execute(select(resellers.c.name).where(resellers.c.id == row.reseller_id)).one()
    terminal_id = "t_" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    for _ in range(20):
        prefix = "".join(secrets.choice(string.ascii_uppercase) for _ in range(3))
        try:
            with conn.begin_nested():
                conn.execute(insert(terminals).values(
                    id=terminal_id, reseller_id=row.reseller_id, name=device_name, prefix=prefix,
                    secret_sealed=sealer.seal(secret, "terminal:" + terminal_id), created_at=now))
            break
        except IntegrityError:
            continue
    return {"terminal_id": terminal_id, "terminal_secret": secret, "reseller_id": row.reseller_id,
            "reseller_name": reseller.name, "terminal_prefix": prefix}


def authenticate(conn: Connection, sealer: Sealer, *, terminal_id: str | None, timestamp: str | None,
                 nonce: str | None, signature: str | None, method: str, path: str, body: bytes,
                 max_skew_s: int) -> Terminal:
    if not (terminal_id and timestamp and nonce and signature):
        raise ApiError(401, "bad_signature", "The request is not signed.")
    if not timestamp.isdigit() or not signing.NONCE_RE.match(nonce) or len(signature) != 64:
        raise ApiError(401, "bad_signature", "The signature headers are malformed.")
    if abs(clock.now() - int(timestamp)) > max_skew_s:
        raise ApiError(401, "clock_skew", "The terminal clock is off by more than 5 minutes; set the time.")
    row = conn.execute(
        select(terminals.c.id, terminals.c.reseller_id, terminals.c.name, terminals.c.secret_sealed,
               terminals.c.revoked_at, resellers.c.tier)
        .join(resellers, resellers.c.id == terminals.c.reseller_id).where(terminals.c.id == terminal_id)
    ).first()
    if row is None:
        raise ApiError(401, "unknown_terminal", "This terminal is not known to the platform; pair it again.")
    secret = sealer.open(row.secret_sealed, "terminal:" + terminal_id)
    if not signing.verify(secret, signature, method, path, timestamp, nonce, body):
        raise ApiError(401, "bad_signature", "The request signature does not match.")
    if row.revoked_at is not None:
        raise ApiError(401, "terminal_revoked", "This terminal was revoked by the operator.")
    try:
        with conn.begin_nested():
            conn.execute(insert(nonces).values(terminal_id=terminal_id, nonce=nonce, seen_at=clock.now()))
    except IntegrityError:
        raise ApiError(401, "replayed_nonce", "This request was already received (replayed nonce).") from None
    return Terminal(row.id, row.reseller_id, row.tier, row.name)


def revoke(conn: Connection, terminal_id: str) -> None:
    done = conn.execute(update(terminals).where(terminals.c.id == terminal_id, terminals.c.revoked_at.is_(None))
                        .values(revoked_at=clock.now()))
    if done.rowcount == 0:
        raise not_found("no such active terminal")


def list_terminals(conn: Connection) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(
        select(terminals.c.id, terminals.c.reseller_id, terminals.c.name, terminals.c.prefix,
               terminals.c.created_at, terminals.c.revoked_at).order_by(terminals.c.created_at))]
