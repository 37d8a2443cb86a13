"""Terminals: one-time pairing codes, pairing (rate-limited), request authentication, revocation."""

from __future__ import annotations

import ipaddress
import logging
import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from kameng_platform import clock, signing
from kameng_platform.crypto import Sealer
from kameng_platform.errors import ApiError, not_found
from kameng_platform.schema import nonces, pairing_attempts, pairing_codes, resellers, terminals

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class SignatureHeaders:
    terminal_id: str
    timestamp: str
    nonce: str
    signature: str


class ReplayGuard:
    """The checks on a signed request's headers, and the nonces seen within the replay window.

    A request is accepted only while |now - timestamp| <= max_skew_s, so a nonce first seen at `seen_at` can be
    replayed with a passing timestamp until seen_at + 2 * max_skew_s at the latest: older nonces are deleted,
    once per `prune_every_s` in each process, inside the transaction that records a new one (no background
    pass, so it works the same with one API process or several)."""

    def __init__(self, max_skew_s: int, prune_every_s: int = 60) -> None:
        self.max_skew_s, self.prune_every_s = max_skew_s, prune_every_s
        self._next_prune = 0  # two threads racing here prune twice, which is harmless

    def check_headers(self, headers: Mapping[str, str]) -> SignatureHeaders:
        """The cheap checks, made before any body byte is read: present, ASCII-formed, timestamp in the window."""
        terminal_id, timestamp, nonce, signature = (
            headers.get(f"x-kameng-{name}") for name in ("terminal", "timestamp", "nonce", "signature"))
        if not (terminal_id and timestamp and nonce and signature):
            raise ApiError(401, "bad_signature", "The request is not signed.")
        if not (signing.TERMINAL_RE.fullmatch(terminal_id) and signing.TIMESTAMP_RE.fullmatch(timestamp)
                and signing.NONCE_RE.fullmatch(nonce) and signing.SIGNATURE_RE.fullmatch(signature)):
            raise ApiError(401, "bad_signature", "The signature headers are malformed.")
        if abs(clock.now() - int(timestamp)) > self.max_skew_s:
            raise ApiError(401, "clock_skew", "The terminal clock is off by more than "
                                              f"{self.max_skew_s // 60} minutes; set the time.")
        return SignatureHeaders(terminal_id, timestamp, nonce, signature)

    def remember(self, conn: Connection, terminal_id: str, nonce: str) -> None:
        now = clock.now()
        if now >= self._next_prune:
            self._next_prune = now + self.prune_every_s
            conn.execute(delete(nonces).where(nonces.c.seen_at < now - 2 * self.max_skew_s))
        try:
            with conn.begin_nested():
                conn.execute(insert(nonces).values(terminal_id=terminal_id, nonce=nonce, seen_at=now))
        except IntegrityError:
            raise ApiError(401, "replayed_nonce", "This request was already received (replayed nonce).") from None


def authenticate(conn: Connection, sealer: Sealer, guard: ReplayGuard, headers: Mapping[str, str], *,
                 method: str, target: bytes, body: bytes) -> Terminal:
    """`target` is the request target exactly as sent (signing.request_target)."""
    signed = guard.check_headers(headers)
    row = conn.execute(
        select(terminals.c.id, terminals.c.reseller_id, terminals.c.name, terminals.c.secret_sealed,
               terminals.c.revoked_at, resellers.c.tier)
        .join(resellers, resellers.c.id == terminals.c.reseller_id).where(terminals.c.id == signed.terminal_id)
    ).first()
    if row is None:
        raise ApiError(401, "unknown_terminal", "This terminal is not known to the platform; pair it again.")
    secret = sealer.open(row.secret_sealed, "terminal:" + signed.terminal_id)
    if not signing.verify(secret, signed.signature, method, target, signed.timestamp, signed.nonce, body):
        raise ApiError(401, "bad_signature", "The request signature does not match.")
    if row.revoked_at is not None:
        raise ApiError(401, "terminal_revoked", "This terminal was revoked by the operator.")
    guard.remember(conn, signed.terminal_id, signed.nonce)
    return Terminal(row.id, row.reseller_id, row.tier, row.name)


@dataclass(frozen=True)
class PairingLimits:
    per_source: int
    total: int
    window_s: int


def source_bucket(host: str | None) -> str:
    """An IPv4 address counts alone; IPv6 by its /64, which one subscriber usually holds whole."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return "source:" + (host or "unknown")[:60]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return "source:" + str(address.ipv4_mapped)
        return "source:" + str(ipaddress.ip_network(f"{address}/64", strict=False))
    return "source:" + str(address)


def count_pairing_attempt(conn: Connection, host: str | None, limits: PairingLimits) -> int | None:
    """Counts one attempt against its source and, if that is within its limit, against all sources; returns
    None to go on, or the seconds until the window ends when a count is over its limit. The counts live in the
    database (fixed windows), so several API processes share them; the caller commits them even when it
    refuses, or a refused attempt would not count."""
    now = clock.now()
    start = now - now % limits.window_s
    conn.execute(delete(pairing_attempts).where(pairing_attempts.c.window_start < start))
    for bucket, limit in ((source_bucket(host), limits.per_source), ("total", limits.total)):
        count = _bump(conn, bucket, start)
        if count > limit:
            retry_after = start + limits.window_s - now
            if count == limit + 1:  # once per window and bucket: the operator sees it, the log is not flooded
                log.warning("pairing refused for %ss: %s made more than %d attempts in %d s",
                            retry_after, "all sources together" if bucket == "total" else bucket[7:], limit,
                            limits.window_s)
            return retry_after
    return None


def _bump(conn: Connection, bucket: str, start: int) -> int:
    t = pairing_attempts
    bump = (update(t).where(t.c.bucket == bucket)
            .values(attempts=case((t.c.window_start == start, t.c.attempts + 1), else_=1), window_start=start)
            .returning(t.c.attempts))
    count = conn.execute(bump).scalar()
    if count is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(t).values(bucket=bucket, window_start=start, attempts=1))
            return 1
        except IntegrityError:  # another process inserted it first
            count = conn.execute(bump).scalar_one()
    return count


def revoke(conn: Connection, terminal_id: str) -> None:
    done = conn.execute(update(terminals).where(terminals.c.id == terminal_id, terminals.c.revoked_at.is_(None))
                        .values(revoked_at=clock.now()))
    if done.rowcount == 0:
        raise not_found("no such active terminal")


def list_terminals(conn: Connection) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(
        select(terminals.c.id, terminals.c.reseller_id, terminals.c.name, terminals.c.prefix,
               terminals.c.created_at, terminals.c.revoked_at).order_by(terminals.c.created_at))]
