"""HMAC-SHA256 request signing of the v1 wire contract (pure functions).

message = METHOD \\n target \\n timestamp \\n nonce \\n hex(sha256(body)), as bytes, where target is the request
target exactly as sent on the request line: the raw (still percent-encoded) path, then `?` and the raw query
when there is one. Signing the decoded path would let `/v1/%63atalog` pass as `/v1/catalog`.

Every header is checked for its format before anything is computed from it: only ASCII digits, hex and the
nonce alphabet pass (`str.isdigit()` accepts '²', and comparing a non-ASCII str raises).
"""

from __future__ import annotations

import hashlib
import hmac
import re

NONCE_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
TERMINAL_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
TIMESTAMP_RE = re.compile(r"[0-9]{1,12}")
SIGNATURE_RE = re.compile(r"[0-9a-fA-F]{64}")


def request_target(raw_path: bytes, query_string: bytes) -> bytes:
    """The target as the ASGI server saw it on the request line (it splits it at the first `?`)."""
    return raw_path + b"?" + query_string if query_string else raw_path


def string_to_sign(method: str, target: bytes, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return b"\n".join([method.upper().encode("ascii"), target, timestamp.encode("ascii"), nonce.encode("ascii"),
                       digest.encode("ascii")])


def sign(secret: str, method: str, target: bytes, timestamp: str, nonce: str, body: bytes) -> str:
    message = string_to_sign(method, target, timestamp, nonce, body)
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(secret: str, signature: str, method: str, target: bytes, timestamp: str, nonce: str,
           body: bytes) -> bool:
    """`signature` must have passed SIGNATURE_RE (ASCII hex), so it encodes and compares as bytes."""
    expected = sign(secret, method, target, timestamp, nonce, body)
    return hmac.compare_digest(expected.encode("ascii"), signature.lower().encode("ascii"))
