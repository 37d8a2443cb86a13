"""Alipay 当面付 adapter (open platform, public-key mode): `alipay.trade.precreate` returns the `qr_code` the
customer scans, `alipay.trade.query` finds a payment whose notify was lost, `alipay.trade.cancel` stops an
unpaid order, and the notify is verified with Alipay's public key before anything changes.

Formats, as the open platform documents them:
- Requests: a form POST to the gateway (https://openapi.alipay.com/gateway.do) with the common parameters
  app_id, method, format=JSON, charset=utf-8, sign_type=RSA2, timestamp "yyyy-MM-dd HH:mm:ss" (Beijing time),
  version=1.0, notify_url, biz_content (JSON). `sign` = base64 SHA256withRSA (PKCS#1 v1.5) by the app private
  key over the parameters other than `sign` with a value, sorted by key, joined as "k=v&k=v" (raw values).
- Answers: {"<method with _>_response": {...}, "sign": "..."}; the signature is over the exact text of the
  response object as sent, by Alipay's key. Business results: code "10000" success, "40004" refused
  (sub_code tells why), "20000" service unavailable.
- Notify: a form POST; the signature is over the parameters other than `sign` and `sign_type`, sorted and
  joined the same way. Answer: the plain text "success" (anything else makes Alipay send it again).

Certificate mode (公钥证书: app_cert_sn/alipay_root_cert_sn parameters, Alipay's key from its certificate) is not
built: it would be a second way of loading `AlipayConfig.alipay_public_key_pem` plus the two serials in `_common`.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kameng_platform.gateways.base import (
    App,
    GatewayConfigError,
    GatewayError,
    GatewayNotice,
    GatewayUnreachable,
    NotifyReply,
    PaymentRequest,
    WithoutCounterCalls,
    fitted_out_trade_no,
)
from kameng_platform.gateways.epay import fen_to_yuan, yuan_to_fen

GATEWAY_URL = "https://openapi.alipay.com/gateway.do"
BEIJING = timezone(timedelta(hours=8))
PAID = ("TRADE_SUCCESS", "TRADE_FINISHED")  # FINISHED: paid and past the refund period
_OUT_TRADE_NO = re.compile(r"^[0-9A-Za-z_]{1,64}$")  # Alipay's rule for 商户订单号


@dataclass(frozen=True)
class AlipayConfig:
    app_id: str
    app_private_key_pem: bytes = field(repr=False)  # 应用私钥 (PEM, or the bare base64 Alipay's key tool writes)
    alipay_public_key_pem: bytes = field(repr=False)  # 支付宝公钥 (PEM or bare base64)
    notify_url: str
    gateway_url: str = GATEWAY_URL


def _key_bytes(text: bytes) -> tuple[bytes, bool]:
    """(key, is_pem): Alipay's key tool writes keys as bare base64 without the PEM lines."""
    if b"-----BEGIN" in text:
        return text, True
    return base64.b64decode(b"".join(text.split()), validate=True), False


def _private_key(text: bytes) -> rsa.RSAPrivateKey:
    try:
        data, pem = _key_bytes(text)
        key = (serialization.load_pem_private_key(data, password=None) if pem
               else serialization.load_der_private_key(data, password=None))
    except (ValueError, TypeError, binascii.Error):
        raise GatewayConfigError("the Alipay app private key is not an unencrypted RSA key (PEM or base64)") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise GatewayConfigError("the Alipay app private key is not an RSA key")
    return key


def _public_key(text: bytes) -> rsa.RSAPublicKey:
    try:
        data, pem = _key_bytes(text)
        key = serialization.load_pem_public_key(data) if pem else serialization.load_der_public_key(data)
    except (ValueError, binascii.Error):
        raise GatewayConfigError("the Alipay public key is not an RSA public key (PEM or base64)") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise GatewayConfigError("the Alipay public key is not an RSA key")
    return key


def sign_content(params: Mapping[str, str], *, drop: tuple[str, ...] = ("sign",)) -> bytes:
    """The signed string: requests drop only `sign`; notifies drop `sign` and `sign_type`."""
    items = sorted((k, v) for k, v in params.items() if k not in drop and v != "")
    return "&".join(f"{k}={v}" for k, v in items).encode("utf-8")


def _response_text(text: str, key: str) -> str:
    """The exact text of the `key` object in Alipay's answer: what its signature covers."""
    found = re.search(rf'"{re.escape(key)}"\s*:\s*', text)
    if found is None:
        raise GatewayError("Alipay answered without its response object")
    try:
        _, end = json.JSONDecoder().raw_decode(text, found.end())
    except ValueError:
        raise GatewayError("Alipay sent an unreadable answer") from None
    return text[found.end():end]


class AlipayGateway(WithoutCounterCalls):
    name = "alipay"
    apps: tuple[App, ...] = ("alipay",)

    def __init__(self, config: AlipayConfig, *, timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.config = config
        self._key = _private_key(config.app_private_key_pem)
        self._alipay = _public_key(config.alipay_public_key_pem)
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return f"AlipayGateway(app_id={self.config.app_id!r})"

    # -- our side of the protocol ---------------------------------------------------------------------------

    def out_trade_no(self, payment_id: str) -> str:
        """At most 64 of [0-9A-Za-z_]: a UUID payment id loses its dashes, anything else unfit is hashed."""
        return fitted_out_trade_no(payment_id, _OUT_TRADE_NO)

    def sign(self, params: Mapping[str, str]) -> str:
        return base64.b64encode(self._key.sign(sign_content(params), padding.PKCS1v15(), hashes.SHA256())).decode()

    def _verify(self, content: bytes, signature: str) -> None:
        try:
            self._alipay.verify(base64.b64decode(signature, validate=True), content, padding.PKCS1v15(),
                                hashes.SHA256())
        except (ValueError, InvalidSignature):
            raise GatewayError("the Alipay signature does not verify") from None

    def request_params(self, method: str, biz: dict[str, Any], *, now: datetime | None = None) -> dict[str, str]:
        params = {"app_id": self.config.app_id, "method": method, "format": "JSON", "charset": "utf-8",
                  "sign_type": "RSA2", "version": "1.0",
                  "timestamp": (now or datetime.now(BEIJING)).astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
                  "notify_url": self.config.notify_url,
                  "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":"))}
        return {**params, "sign": self.sign(params)}

    def _call(self, method: str, biz: dict[str, Any]) -> dict[str, Any]:
        """The verified response object of a business success ("10000") or refusal ("40004")."""
        try:
            reply = self._http.post(self.config.gateway_url, data=self.request_params(method, biz),
                                    headers={"Accept": "application/json"})
        except httpx.TransportError as exc:
            raise GatewayUnreachable(f"Alipay unreachable: {type(exc).__name__}") from None
        if reply.status_code >= 500:
            raise GatewayUnreachable(f"Alipay is failing (HTTP {reply.status_code})")
        key = method.replace(".", "_") + "_response"
        try:
            text = reply.content.decode("utf-8")
            doc = json.loads(text)
            response = doc.get(key) if isinstance(doc, dict) else None
        except ValueError:
            raise GatewayError(f"Alipay sent an unreadable answer (HTTP {reply.status_code})") from None
        if not isinstance(response, dict):
            error = doc.get("error_response") if isinstance(doc, dict) else None
            code = error.get("code") if isinstance(error, dict) else None
            raise GatewayError(f"Alipay refused the call: {code or 'no ' + key}")
        code = response.get("code")
        if code == "20000":
            raise GatewayUnreachable(f"Alipay is failing ({response.get('sub_code')})")
        if code not in ("10000", "40004"):  # gateway-level errors (40001/40002, bad signature) come unsigned
            raise GatewayError(f"Alipay refused the call: {code} {response.get('sub_code')}")
        signature = doc.get("sign")
        if not isinstance(signature, str):
            raise GatewayError("Alipay sent an unsigned answer")
        self._verify(_response_text(text, key).encode("utf-8"), signature)
        return response

    def _trade(self, data: Mapping[str, Any]) -> GatewayNotice:
        """A trade (query answer or notify), as a notice."""
        out_trade_no, state = data.get("out_trade_no"), data.get("trade_status")
        if not isinstance(out_trade_no, str) or not isinstance(state, str):
            raise GatewayError("the Alipay trade lacks out_trade_no or trade_status")
        total = data.get("total_amount")
        paid = state in PAID
        if paid and not isinstance(total, str):
            raise GatewayError("a paid Alipay trade without total_amount")
        amount = yuan_to_fen(total) if isinstance(total, str) else 0
        return GatewayNotice(out_trade_no, amount, paid, str(data.get("trade_no") or ""))

    # -- the Gateway protocol -------------------------------------------------------------------------------

    def create(self, request: PaymentRequest) -> str:
        response = self._call("alipay.trade.precreate", {
            "out_trade_no": request.out_trade_no, "total_amount": fen_to_yuan(request.amount_fen),
            "subject": request.description[:256] or "卡盟",
            "time_expire": datetime.fromtimestamp(request.expires_at, BEIJING).strftime("%Y-%m-%d %H:%M:%S")})
        if response.get("code") != "10000":
            raise GatewayError(f"Alipay refused the order: {response.get('sub_code')}")
        qr_code = response.get("qr_code")
        if not isinstance(qr_code, str) or not qr_code:
            raise GatewayError("Alipay answered without qr_code")
        return qr_code

    def query(self, out_trade_no: str) -> GatewayNotice | None:
        response = self._call("alipay.trade.query", {"out_trade_no": out_trade_no})
        if response.get("code") == "40004":
            # A precreated trade exists at Alipay only once the customer scanned the QR.
            if response.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
                return None
            raise GatewayError(f"Alipay refused the query: {response.get('sub_code')}")
        notice = self._trade(response)
        if notice.out_trade_no != out_trade_no:
            raise GatewayError("Alipay answered about another order")
        return notice

    def close(self, out_trade_no: str) -> None:
        """alipay.trade.cancel closes an unpaid trade, also one nobody scanned yet (alipay.trade.close cannot:
        TRADE_NOT_EXIST), but REFUNDS a paid one. So the trade is asked first and a paid one is left alone: the
        caller's query then sees it paid and the payment stays paid. A payment landing between the query and the
        cancel is refunded by Alipay and the trade ends TRADE_CLOSED: the customer keeps their money, the
        payment is not paid, both sides agree."""
        notice = self.query(out_trade_no)
        if notice is not None and notice.paid:
            return
        response = self._call("alipay.trade.cancel", {"out_trade_no": out_trade_no})
        if response.get("code") != "10000":
            raise GatewayError(f"Alipay did not cancel the order: {response.get('sub_code')}")

    def verify_notify(self, method: str, headers: Mapping[str, str], query: str, body: bytes) -> GatewayNotice:
        try:
            pairs = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            raise GatewayError("the notify is not an Alipay form") from None
        params = dict(pairs)
        if len(params) != len(pairs):
            raise GatewayError("the Alipay notify repeats a parameter")
        if params.get("sign_type") != "RSA2":
            raise GatewayError("the Alipay notify is not signed with RSA2")
        self._verify(sign_content(params, drop=("sign", "sign_type")), params.get("sign", ""))
        if params.get("app_id") != self.config.app_id:
            raise GatewayError("the Alipay notify belongs to another app")
        return self._trade(params)

    def ack(self) -> NotifyReply:
        return NotifyReply(200, b"success", "text/plain")

    def refuse(self, reason: str) -> NotifyReply:
        return NotifyReply(400, b"fail", "text/plain")
