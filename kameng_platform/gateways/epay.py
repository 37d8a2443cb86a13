"""易支付-style gateway adapter: MD5-signed form parameters, `mapi` create returning the QR content, a
notify callback to verify, and an order query.

Signing (as the protocol documents it): drop `sign`, `sign_type` and empty values, sort by key, join as
`k=v&k=v`, append the merchant key directly, MD5, lowercase hex. Money travels as 元 strings ("12.50");
we convert from and to integer fen without floats.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

_AMOUNT = re.compile(r"^(\d+)\.(\d{2})$")


class GatewayError(Exception):
    """The gateway could not be asked, or answered something we cannot trust: the outcome is unknown."""


def sign(params: Mapping[str, str], key: str) -> str:
    items = sorted((k, str(v)) for k, v in params.items() if k not in ("sign", "sign_type") and str(v) != "")
    return hashlib.md5(("&".join(f"{k}={v}" for k, v in items) + key).encode("utf-8")).hexdigest()


def fen_to_yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def yuan_to_fen(text: str) -> int:
    match = _AMOUNT.match(text.strip())
    if match is None:
        raise GatewayError("amount is not a 元 string with two decimals")
    return int(match.group(1)) * 100 + int(match.group(2))


@dataclass(frozen=True)
class EpayNotify:
    payment_id: str
    amount_fen: int
    paid: bool


class EpayGateway:
    def __init__(self, base_url: str, pid: str, key: str, notify_url: str, *, timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport)
        self.pid, self._key, self.notify_url = pid, key, notify_url

    def create_params(self, payment_id: str, amount_fen: int, name: str, channel: str, client_ip: str) -> dict:
        params = {"pid": self.pid, "type": channel, "out_trade_no": payment_id, "notify_url": self.notify_url,
                  "name": name, "money": fen_to_yuan(amount_fen), "clientip": client_ip}
        return {**params, "sign": sign(params, self._key), "sign_type": "MD5"}

    def create(self, payment_id: str, amount_fen: int, name: str, channel: str = "alipay",
               client_ip: str = "127.0.0.1") -> str:
        """Returns the QR content for the customer to scan."""
        try:
            body = self._http.post("/mapi.php", data=self.create_params(payment_id, amount_fen, name, channel,
                                                                         client_ip)).json()
        except (httpx.TransportError, ValueError) as exc:
            raise GatewayError(f"gateway unreachable or unreadable: {type(exc).__name__}") from None
        if not isinstance(body, dict) or body.get("code") != 1:
            raise GatewayError(f"gateway refused the payment: {body.get('msg') if isinstance(body, dict) else body}")
        qr = body.get("qrcode") or body.get("payurl")
        if not isinstance(qr, str) or not qr:
            raise GatewayError("gateway answer without QR content")
        return qr

    def verify_notify(self, params: Mapping[str, str]) -> EpayNotify:
        """Check the callback's signature and merchant before anything changes; raises GatewayError."""
        if not hmac.compare_digest(sign(params, self._key), str(params.get("sign", "")).lower()):
            raise GatewayError("notify signature does not verify")
        if params.get("pid") != self.pid:
            raise GatewayError("notify for another merchant")
        return EpayNotify(str(params.get("out_trade_no", "")), yuan_to_fen(str(params.get("money", ""))),
                          params.get("trade_status") == "TRADE_SUCCESS")

    def query(self, payment_id: str) -> bool:
        """True when the gateway says the order is paid (for payments whose notify never came)."""
        try:
            body = self._http.get("/api.php", params={"act": "order", "pid": self.pid, "key": self._key,
                                                      "out_trade_no": payment_id}).json()
        except (httpx.TransportError, ValueError) as exc:
            raise GatewayError(f"gateway unreachable or unreadable: {type(exc).__name__}") from None
        if not isinstance(body, dict) or body.get("code") != 1:
            raise GatewayError("gateway could not find the order")
        return str(body.get("status")) == "1"
