"""Request signing of wire contract v1, written from the contract (the desk never imports the platform).

message = METHOD \\n target \\n unix_seconds \\n nonce \\n hex(sha256(body)), as bytes; HMAC-SHA256 with the
terminal secret. `target` is the request target exactly as it goes on the request line: the percent-encoded
path, then `?` and the encoded query when there is one (httpx's `request.url.raw_path`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time


def signed_headers(terminal_id: str, secret: str, method: str, target: bytes, body: bytes,
                   *, now: int | None = None, nonce: str | None = None) -> dict[str, str]:
    timestamp = str(int(time.time()) if now is None else now)
    nonce = nonce or secrets.token_urlsafe(24)
    message = b"\n".join([method.upper().encode("ascii"), target, timestamp.encode("ascii"), nonce.encode("ascii"),
                          hashlib.sha256(body).hexdigest().encode("ascii")])
    signature = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return {"X-Kameng-Terminal": terminal_id, "X-Kameng-Timestamp": timestamp, "X-Kameng-Nonce": nonce,
            "X-Kameng-Signature": signature}
