"""HMAC-SHA256 request signing of the v1 wire contract (pure functions).

message = METHOD \\n path_with_query \\n timestamp \\n nonce \\n hex(sha256(body))
"""

from __future__ import annotations

import hashlib
import hmac
import re

NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def string_to_sign(method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path_with_query, timestamp, nonce, digest]).encode("utf-8")


def sign(secret: str, method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = string_to_sign(method, path_with_query, timestamp, nonce, body)
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secret: str, signature: str, method: str, path_with_query: str, timestamp: str, nonce: str,
           body: bytes) -> bool:
    expected = sign(secret, method, path_with_query, timestamp, nonce, body)
    return hmac.compare_digest(expected, signature.lower())
