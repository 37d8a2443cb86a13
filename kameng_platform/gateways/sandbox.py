"""The sandbox gateway: its QR content is the URL of a pay page on the platform; pressing 付款 there sends
the platform a signed notify, exactly as a real gateway's server would."""

from __future__ import annotations

import hashlib
import hmac


class SandboxGateway:
    def __init__(self, server_key: bytes) -> None:
        self._key = hashlib.sha256(b"kameng-sandbox-gateway" + server_key).digest()

    def qr_content(self, public_url: str, payment_id: str) -> str:
        return f"{public_url.rstrip('/')}/pay/{payment_id}"

    def sign_notify(self, payment_id: str, amount_fen: int, status: str) -> str:
        message = f"{payment_id}|{amount_fen}|{status}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def verify_notify(self, payment_id: str, amount_fen: int, status: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign_notify(payment_id, amount_fen, status), signature)
