"""The sandbox gateway: its QR content is the URL of a pay page on the platform (at the configured public
URL); pressing 付款 there records the payment in the sandbox's own record and hands the platform what a
verified notify would say, in process. Its notify route also takes signed notifies, as a real gateway's
would (tests forge and replay them). The record (in memory, per process) answers queries.

Never enable it on a platform that takes real money: anyone who opens the pay page can "pay". The platform
offers it only with the sandbox opt-in (settings.allow_sandbox, `serve --allow-sandbox`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Mapping

from kameng_platform.gateways.base import (
    App,
    GatewayError,
    GatewayNotice,
    NotifyReply,
    PaymentRequest,
    WithoutCounterCalls,
)


class SandboxGateway(WithoutCounterCalls):
    name = "sandbox"
    apps: tuple[App, ...] = ("wechat", "alipay")

    def __init__(self, server_key: bytes) -> None:
        self._key = hashlib.sha256(b"kameng-sandbox-gateway" + server_key).digest()
        self._paid: dict[str, int] = {}
        self._lock = threading.Lock()

    def out_trade_no(self, payment_id: str) -> str:
        return payment_id

    def create(self, request: PaymentRequest) -> str:
        return f"{request.public_url.rstrip('/')}/pay/{request.payment_id}"

    def sign_notify(self, payment_id: str, amount_fen: int, status: str) -> str:
        message = f"{payment_id}|{amount_fen}|{status}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def customer_paid(self, payment_id: str, amount_fen: int) -> GatewayNotice:
        """The pay page's 付款: record it in the sandbox's record, and return what its notify would say."""
        with self._lock:
            self._paid[payment_id] = amount_fen
        return GatewayNotice(payment_id, amount_fen, True)

    def verify_notify(self, method: str, headers: Mapping[str, str], query: str, body: bytes) -> GatewayNotice:
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
        payment_id, amount, status, sign = (form.get(k, "") for k in ("payment_id", "amount_fen", "status", "sign"))
        # ASCII digits only: "²".isdigit() is true, and int() refuses it.
        if not (amount.isascii() and amount.isdigit()) or status != "paid":
            raise GatewayError("the sandbox notify is malformed")
        # As bytes: compare_digest refuses str with non-ASCII characters (a forged `sign` must not raise).
        if not hmac.compare_digest(self.sign_notify(payment_id, int(amount), status).encode(), sign.encode()):
            raise GatewayError("the sandbox notify signature does not verify")
        return GatewayNotice(payment_id, int(amount), True)

    def query(self, out_trade_no: str) -> GatewayNotice | None:
        with self._lock:
            amount = self._paid.get(out_trade_no)
        return None if amount is None else GatewayNotice(out_trade_no, amount, True)

    def close(self, out_trade_no: str) -> None:
        """The sandbox plays a gateway that cannot close orders, the worst case: its pay page still takes money
        after a cancel, so the late-money path (refund to the customer) stays easy to try."""

    def ack(self) -> NotifyReply:
        return NotifyReply(200, b"success", "text/plain")

    def refuse(self, reason: str) -> NotifyReply:
        # The platform's own error shape: the sandbox is ours, and the desk-side tests read it.
        return NotifyReply(400, json.dumps({"error": {"code": "bad_notify", "message": reason}}).encode(),
                           "application/json")
