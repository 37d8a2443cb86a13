"""易支付-style gateway adapter: MD5-signed form parameters, `mapi` create returning the QR content, a
notify callback to verify (sent as GET query or POST form), an order query, and refunds where the panel has them.

Refunds (`POST api.php?act=refund` with pid, key, trade_no / out_trade_no, money; 彩虹易支付 and the panels built
on it): only when the config says this panel has them (`refund = true`; the panel's 商户 must also have 订单退款API
enabled). The protocol has no refund number and the panel marks an order refunded (status 2) after its first
refund, refusing any further one. So this adapter refunds a payment once and in full: a repeated request (after a
lost answer) is refused by the panel and the order's status 2 then proves the refund; a partial refund is
refused here (FAILED PARTIAL_REFUND_UNSUPPORTED) and the desk gives that money back in cash.

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
from decimal import Decimal

import httpx

from kameng_platform.gateways.base import (
    App,
    GatewayError,
    GatewayNotice,
    GatewayUnreachable,
    NotifyReply,
    PaymentRequest,
    RefundRequest,
    RefundResult,
    RefundState,
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


def _answer_fen(value: object) -> int | None:
    """An amount a panel answered, as "12.50", "12.5" or 12.5 (PHP's json_encode of a number): fen, or None."""
    try:
        fen = Decimal(str(value)) * 100
        whole = fen.is_finite() and fen >= 0 and fen == fen.to_integral_value()
    except ArithmeticError:  # not a number, or a signalling NaN
        return None
    return int(fen) if whole else None


@dataclass(frozen=True)
class EpayConfig:
    base_url: str
    pid: str
    key: str = field(repr=False)
    notify_url: str
    channel: str = "alipay"  # the 易支付 `type`: alipay | wxpay | qqpay
    refund: bool = False  # this panel offers api.php?act=refund (not every 易支付 does): off unless configured


_REFUNDED = "2"  # the order status 彩虹易支付 sets once an order was refunded (1 paid, 0 unpaid)


class EpayGateway(WithoutCounterCalls):
    name = "epay"

    def __init__(self, base_url: str, pid: str, key: str, notify_url: str, *, channel: str = "alipay",
                 refund: bool = False, timeout: float = 10.0, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport)
        self.pid, self._key, self.notify_url, self.channel = pid, key, notify_url, channel
        self.can_refund = refund
        # The channel names the app whose QR the 易支付 merchant hands out (alipay, wxpay, qqpay).
        self.apps: tuple[App, ...] = {"alipay": ("alipay",), "wxpay": ("wechat",)}.get(channel, ())

    @classmethod
    def from_config(cls, config: EpayConfig) -> EpayGateway:
        return cls(config.base_url, config.pid, config.key, config.notify_url, channel=config.channel,
                   refund=config.refund)

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
        except httpx.RequestError as exc:  # also DecodingError: an answer came back, unreadable (broken gzip)
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

    def _order(self, out_trade_no: str) -> dict | None:
        """The panel's record of an order; None when it answers that it has none for us."""
        body = self._json("GET", "/api.php", params={"act": "order", "pid": self.pid, "key": self._key,
                                                     "out_trade_no": out_trade_no})
        if body.get("code") != 1:
            return None
        if str(body.get("out_trade_no", out_trade_no)) != out_trade_no:
            raise GatewayError("gateway answered about another order")
        return body

    def query(self, out_trade_no: str) -> GatewayNotice | None:
        """What the gateway says about an order whose notify never came."""
        body = self._order(out_trade_no)
        if body is None:
            raise GatewayError("gateway could not find the order")
        paid = str(body.get("status")) == "1"
        amount = yuan_to_fen(str(body.get("money", ""))) if paid or body.get("money") else 0
        return GatewayNotice(out_trade_no, amount, paid, str(body.get("trade_no", "")))

    def close(self, out_trade_no: str) -> None:
        """易支付 has no call to close an order: money paid after a cancel arrives as a late notify."""

    def refund(self, request: RefundRequest) -> RefundResult:
        if not self.can_refund:
            return super().refund(request)  # GatewayUnsupported: the desk gives the money back in cash
        if request.amount_fen != request.total_fen:
            return RefundResult(request.out_refund_no, RefundState.FAILED, request.amount_fen,
                                reason="PARTIAL_REFUND_UNSUPPORTED")
        form = {"pid": self.pid, "key": self._key, "out_trade_no": request.out_trade_no,
                "money": fen_to_yuan(request.amount_fen)}
        if request.trade_no:
            form["trade_no"] = request.trade_no
        # The key travels in the POST body, never in the URL (httpx logs URLs).
        body = self._json("POST", "/api.php", params={"act": "refund"}, data=form)
        code, money = body.get("code"), body.get("money")
        # Success is code 1 in the older panels and code 0 with the refunded money in 彩虹易支付's newer ones.
        if code == 1 or (code == 0 and money is not None):
            if money is not None and _answer_fen(money) != request.amount_fen:
                raise GatewayError("gateway refunded another amount")
            return RefundResult(request.out_refund_no, RefundState.SUCCEEDED, request.amount_fen)
        if not isinstance(code, int) or code >= 0:
            raise GatewayError(f"gateway answered the refund with code {code!r}")
        # Refused. A refund this same request made earlier (its answer lost) is refused too: the order's status
        # tells them apart, since an order is refunded at most once and only in full.
        if self.refund_status(request.out_refund_no, request.out_trade_no) is not None:
            return RefundResult(request.out_refund_no, RefundState.SUCCEEDED, request.amount_fen)
        return RefundResult(request.out_refund_no, RefundState.FAILED, request.amount_fen,
                            reason=str(body.get("msg") or code)[:200])

    def refund_status(self, out_refund_no: str, out_trade_no: str) -> RefundResult | None:
        """易支付 has no refund query: the order's status 2 (refunded) is the one, full refund of it."""
        if not self.can_refund:
            return super().refund_status(out_refund_no, out_trade_no)
        body = self._order(out_trade_no)
        if body is None or str(body.get("status")) != _REFUNDED:
            return None
        return RefundResult(out_refund_no, RefundState.SUCCEEDED, yuan_to_fen(str(body.get("money", ""))))

    def ack(self) -> NotifyReply:
        return NotifyReply(200, b"success", "text/plain")

    def refuse(self, reason: str) -> NotifyReply:
        return NotifyReply(400, b"fail", "text/plain")
