"""AES-GCM for card codes and terminal secrets at rest; keyed hashes for lookups without decryption."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class Sealer:
    def __init__(self, server_key: bytes) -> None:
        self._aead = AESGCM(hashlib.sha256(b"kameng-seal" + server_key).digest())
        self._mac_key = hashlib.sha256(b"kameng-index" + server_key).digest()

    def seal(self, plaintext: str, context: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext.encode("utf-8"), context.encode())

    def open(self, sealed: bytes, context: str) -> str:
        return self._aead.decrypt(sealed[:12], sealed[12:], context.encode()).decode("utf-8")

    def index(self, value: str) -> str:
        """A stable keyed hash: finds duplicates and pairing codes without storing them readable."""
        return hmac.new(self._mac_key, value.encode("utf-8"), hashlib.sha256).hexdigest()
