"""Request signing of wire contract v1, written from the contract (the desk never imports the platform).

message = METHOD \\n path_with_query \\n unix_seconds \\n nonce \\n hex(sha256(body)); HMAC-SHA256 with the
terminal secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time


def signed_headers(terminal_id: str, secret: str, method: str, path_with_query: str, body: bytes,
                   *, now: int | None = None, nonce: str | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()) if now is None else now)
    nonce = nonce or secrets.token_urlsafe(24)
    message = "\n".join([method.upper(), path_with_query, timestamp, nonce, hashlib.sha256(body).hexdigest()])
    signature = hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()
    return {"X-Kameng-Terminal": terminal_id, "X-Kameng-Timestamp": timestamp, "X-Kameng-Nonce": nonce,
            "X-Kameng-Signature": signature}
