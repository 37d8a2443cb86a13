"""易支付-style gateway adapter: MD5-signed form parameters, `mapi` create returning the QR content, a
notify callback to verify (sent as GET query or POST form), and an order query.

Signing (as the protocol documents it): drop `sign`, `sign_type` and empty values, sort by key, join as
`k=v&k=v`, append the merchant key directly, MD5, lowercase hex. Money travels as 元 strings ("12.50");
we convert from and to integer fen without floats. The notify is answered with the plain text "success".
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from kameng_platform.gateways.base import (
    App,
    GatewayError,
    GatewayNotice,
    GatewayUnreachable,
    NotifyReply,
    PaymentRequest,
    WithoutCounterCalls,
)

__all__ = ["EpayConfig", "EpayGateway", "GatewayError", "fen_to_yuan", "sign", "yuan_to_fen"]

_AMOUNT = re.compile(r"^([0-9]+)\.([0-9]{2})$")  # ASCII digits: \d would take "١٢.٥٠"


class _HideKey(logging.Filter):
    """The order query carries the merchant key in its URL (the protocol's choice); httpx logs request URLs
    at INFO, so the key is masked before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(a.copy_set_param("key", "***") if isinstance(a, httpx.URL) and "key" in a.params
                                else a for a in record.args)
        return True


logging.getLogger("httpx").addFilter(_HideKey())


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
class EpayConfig:
    base_url: str
    pid: str
    key: str = field(repr=False)
    notify_url: str
    channel: str = "alipay"  # the 易支付 `type`: alipay | wxpay | qqpay


class EpayGateway(WithoutCounterCalls):
    name = "epay"

    def __init__(self, base_url: str, pid: str, key: str, notify_url: str, *, channel: str = "alipay",
                 timeout: float = 10.0, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport)
        self.pid, self._key, self.notify_url, self.channel = pid, key, notify_url, channel
        # The channel names the app whose QR the 易支付 merchant hands out (alipay, wxpay, qqpay).
        self.apps: tuple[App, ...] = {"alipay": ("alipay",), "wxpay": ("wechat",)}.get(channel, ())

    @classmethod
    def from_config(cls, config: EpayConfig) -> EpayGateway:
        return cls(config.base_url, config.pid, config.key, config.notify_url, channel=config.channel)

    def __repr__(self) -> str:
        return f"EpayGateway(pid={self.pid!r})"

    def out_trade_no(self, payment_id: str) -> str:
        return payment_id

    def create_params(self, payment_id: str, amount_fen: int, name: str, channel: str, client_ip: str) -> dict:
        params = {"pid": self.pid, "type": channel, "out_trade_no": payment_id, "notify_url": self.notify_url,
                  "name": name, "money": fen_to_yuan(amount_fen), "clientip": client_ip}
        return {**params, "sign": sign(params, self._key), "sign_type": "MD5"}

    def _json(self, method: str, path: str, **kwargs) -> dict:
        try:
            reply = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise GatewayUnreachable(f"gateway unreachable: {type(exc).__name__}") from None
        try:
            body = reply.json()
        except ValueError:
            raise GatewayError(f"gateway answer unreadable (HTTP {reply.status_code})") from None
        if not isinstance(body, dict):
            raise GatewayError("gateway answer is not a JSON object")
        return body

    def create(self, request: PaymentRequest) -> str:
        """Returns the QR content for the customer to scan. The customer's IP is unknown (they scan with
        their phone), so the platform's loopback address stands in, as 易支付 merchants commonly do."""
        params = self.create_params(request.out_trade_no, request.amount_fen, request.description or "卡盟",
                                    self.channel, "127.0.0.1")
        body = self._json("POST", "/mapi.php", data=params)
        if body.get("code") != 1:
            raise GatewayError(f"gateway refused the payment: {body.get('msg')}")
        qr = body.get("qrcode") or body.get("payurl")
        if not isinstance(qr, str) or not qr:
            raise GatewayError("gateway answer without QR content")
        return qr

    def check_params(self, params: Mapping[str, str]) -> GatewayNotice:
        """Check a callback's signature and merchant before anything changes; raises GatewayError."""
        # As bytes: compare_digest refuses str with non-ASCII characters (a forged `sign` must not raise).
        if not hmac.compare_digest(sign(params, self._key).encode(), str(params.get("sign", "")).lower().encode()):
            raise GatewayError("notify signature does not verify")
        if params.get("pid") != self.pid:
            raise GatewayError("notify for another merchant")
        return GatewayNotice(str(params.get("out_trade_no", "")), yuan_to_fen(str(params.get("money", ""))),
                             params.get("trade_status") == "TRADE_SUCCESS", str(params.get("trade_no", "")))

    def verify_notify(self, method: str, headers: Mapping[str, str], query: str, body: bytes) -> GatewayNotice:
        text = query if method == "GET" else body.decode("utf-8", "replace")
        return self.check_params(dict(urllib.parse.parse_qsl(text, keep_blank_values=True)))

    def query(self, out_trade_no: str) -> GatewayNotice | None:
        """What the gateway says about an order whose notify never came."""
        body = self._json("GET", "/api.php", params={"act": "order", "pid": self.pid, "key": self._key,
                                                     "out_trade_no": out_trade_no})
        if body.get("code") != 1:
            raise GatewayError("gateway could not find the order")
        if str(body.get("out_trade_no", out_trade_no)) != out_trade_no:
            raise GatewayError("gateway answered about another order")
        paid = str(body.get("status")) == "1"
        amount = yuan_to_fen(str(body.get("money", ""))) if paid or body.get("money") else 0
        return GatewayNotice(out_trade_no, amount, paid, str(body.get("trade_no", "")))

    def close(self, out_trade_no: str) -> None:
        """易支付 has no call to close an order: money paid after a cancel arrives as a late notify."""

    def ack(self) -> NotifyReply:
        return NotifyReply(200, b"success", "text/plain")

    def refuse(self, reason: str) -> NotifyReply:
        return NotifyReply(400, b"fail", "text/plain")
