"""Platform settings. The server key (encrypting codes and terminal secrets at rest) never lives in the DB."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class ServerKeyError(Exception):
    pass


@dataclass(frozen=True)
class PlatformSettings:
    db_url: str
    server_key: bytes
    body_limit: int = 1024 * 1024
    max_skew_s: int = 300
    max_batch: int = 200
    pairing_ttl_s: int = 24 * 3600
    public_url: str = ""  # where the sandbox pay page is reachable; set by the server once bound
    supplier: str = "sandbox"
    sandbox_db: str = ":memory:"  # the sandbox supplier's own record (a file survives platform restarts)
    sandbox_delay_s: float = 0.0
    sandbox_failure_rate: float = 0.0
    sandbox_unknown_rate: float = 0.0
    topup_interval_s: float = 1.0

    def __post_init__(self) -> None:
        if len(self.server_key) != 32:
            raise ServerKeyError("the server key must be 32 bytes (64 hex digits)")


def load_server_key(path: str | None) -> bytes:
    """From a key file (64 hex digits) or env KAMENG_PLATFORM_KEY; never from the database."""
    text = Path(path).read_text().strip() if path else os.environ.get("KAMENG_PLATFORM_KEY", "")
    if not text:
        raise ServerKeyError("no server key: pass --key-file FILE or set KAMENG_PLATFORM_KEY "
                             "(create one with `kameng-platform new-key`)")
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise ServerKeyError("the server key is not hex") from None
    if len(key) != 32:
        raise ServerKeyError("the server key must be 32 bytes (64 hex digits)")
    return key
