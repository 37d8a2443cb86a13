"""WeChat Pay Native (APIv3) adapter: `POST /v3/pay/transactions/native` returns the `code_url` the customer
scans; the notify and every answer are checked against WeChat Pay's public key; the notify's `resource` is
decrypted with the APIv3 key; a lost notify is recovered with the order query.

Formats, as WeChat Pay documents them:
- Request signature: SHA256-with-RSA (PKCS#1 v1.5) by the merchant API key over
  "METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n", sent as
  `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`.
- Answers and notifies: `Wechatpay-Serial/-Timestamp/-Nonce/-Signature` headers, the signature over
  "TIMESTAMP\\nNONCE\\nBODY\\n" by the platform certificate's key or the 微信支付公钥 named by the serial.
- Notify resource: AEAD_AES_256_GCM with the 32-byte APIv3 key, `nonce` and `associated_data`; the
  plaintext is the transaction (mchid, appid, out_trade_no, transaction_id, trade_state, amount.total in fen).
- Notify answer: HTTP 204 when handled; 4XX with {"code": "FAIL", "message": …} makes WeChat send it again.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509 import load_pem_x509_certificate

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

SCHEME = "WECHATPAY2-SHA256-RSA2048"
BEIJING = timezone(timedelta(hours=8))
_OUT_TRADE_NO = re.compile(r"^[0-9A-Za-z_*-]{6,32}$")  # WeChat's rule for 商户订单号
_ASCII_SECONDS = re.compile(r"[0-9]{1,12}")  # str.isdigit() also takes "²" and full-width digits


@dataclass(frozen=True)
class WechatConfig:
    mchid: str
    appid: str
    merchant_serial: str  # 商户API证书序列号
    merchant_key_pem: bytes = field(repr=False)  # 商户API私钥 (apiclient_key.pem)
    platform_keys: Mapping[str, bytes] = field(repr=False)  # Wechatpay-Serial -> public key or certificate PEM
    apiv3_key: bytes = field(repr=False)  # APIv3密钥, 32 bytes
    notify_url: str
    base_url: str = "https://api.mch.weixin.qq.com"


def _public_key(pem: bytes) -> rsa.RSAPublicKey:
    try:
        key = (load_pem_x509_certificate(pem).public_key() if b"CERTIFICATE" in pem
               else serialization.load_pem_public_key(pem))
    except ValueError:
        raise GatewayConfigError("a WeChat Pay platform key is not a PEM public key or certificate") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise GatewayConfigError("a WeChat Pay platform key is not an RSA key")
    return key


def _private_key(pem: bytes) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError):
        raise GatewayConfigError("the WeChat Pay merchant key is not an unencrypted PEM private key") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise GatewayConfigError("the WeChat Pay merchant key is not an RSA key")
    return key


class WechatGateway(WithoutCounterCalls):
    name = "wechat"
    apps: tuple[App, ...] = ("wechat",)

    def __init__(self, config: WechatConfig, *, timeout: float = 10.0, max_skew_s: int = 300,
                 transport: httpx.BaseTransport | None = None) -> None:
        if len(config.apiv3_key) != 32:
            raise GatewayConfigError("the WeChat Pay APIv3 key must be 32 bytes")
        if not config.platform_keys:
            raise GatewayConfigError("no WeChat Pay platform public key is configured")
        self.config = config
        self._key = _private_key(config.merchant_key_pem)
        self._platform = {serial: _public_key(pem) for serial, pem in config.platform_keys.items()}
        self._aead = AESGCM(config.apiv3_key)
        self._max_skew_s = max_skew_s
        self._http = httpx.Client(base_url=config.base_url.rstrip("/"), timeout=timeout, transport=transport)

    def __repr__(self) -> str:
        return f"WechatGateway(mchid={self.config.mchid!r})"

    # -- our side of the protocol ---------------------------------------------------------------------------

    def out_trade_no(self, payment_id: str) -> str:
        """At most 32 of [0-9A-Za-z_-*]: a UUID payment id loses its dashes, anything else longer is hashed."""
        return fitted_out_trade_no(payment_id, _OUT_TRADE_NO)

    def authorization(self, method: str, path: str, body: bytes, *, timestamp: int | None = None,
                      nonce: str | None = None) -> str:
        timestamp = int(time.time()) if timestamp is None else timestamp
        nonce = nonce or secrets.token_hex(16).upper()
        message = f"{method}\n{path}\n{timestamp}\n{nonce}\n".encode() + body + b"\n"
        signature = base64.b64encode(self._key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()
        return (f'{SCHEME} mchid="{self.config.mchid}",nonce_str="{nonce}",signature="{signature}",'
                f'timestamp="{timestamp}",serial_no="{self.config.merchant_serial}"')

    def verify_signature(self, headers: Mapping[str, str], body: bytes) -> None:
        """Raises GatewayError unless the Wechatpay-* headers sign this body, recently, with a key we hold."""
        h = {k.lower(): v for k, v in headers.items()}
        key = self._platform.get(h.get("wechatpay-serial", ""))
        if key is None:
            raise GatewayError("signed with a WeChat Pay key this platform does not know (check the serial)")
        timestamp, nonce = h.get("wechatpay-timestamp", ""), h.get("wechatpay-nonce", "")
        if not _ASCII_SECONDS.fullmatch(timestamp) or abs(time.time() - int(timestamp)) > self._max_skew_s:
            raise GatewayError("the WeChat Pay timestamp is missing or too far from our clock")
        try:
            signature = base64.b64decode(h.get("wechatpay-signature", ""), validate=True)
            key.verify(signature, f"{timestamp}\n{nonce}\n".encode() + body + b"\n", padding.PKCS1v15(),
                       hashes.SHA256())
        except (ValueError, InvalidSignature):
            raise GatewayError("the WeChat Pay signature does not verify") from None

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {"Authorization": self.authorization(method, path, body), "Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        try:
            reply = self._http.request(method, path, content=body or None, headers=headers)
        except httpx.TransportError as exc:
            raise GatewayUnreachable(f"WeChat Pay unreachable: {type(exc).__name__}") from None
        if reply.status_code >= 500:
            raise GatewayUnreachable(f"WeChat Pay is failing (HTTP {reply.status_code})")
        if reply.status_code == 204:  # no body (close), still signed
            self.verify_signature(reply.headers, reply.content)
            return 204, {}
        try:
            data = reply.json()
        except ValueError:
            raise GatewayError(f"WeChat Pay sent an unreadable answer (HTTP {reply.status_code})") from None
        if not isinstance(data, dict):
            raise GatewayError("WeChat Pay sent an answer that is not a JSON object")
        if reply.is_success:
            self.verify_signature(reply.headers, reply.content)
        return reply.status_code, data

    def _transaction(self, data: dict[str, Any]) -> GatewayNotice:
        """A transaction object (query answer or decrypted notify), checked to be ours."""
        if data.get("mchid") != self.config.mchid or data.get("appid") != self.config.appid:
            raise GatewayError("the transaction belongs to another merchant or app")
        out_trade_no, state = data.get("out_trade_no"), data.get("trade_state")
        amount = data.get("amount")
        total = amount.get("total") if isinstance(amount, dict) else None
        if not isinstance(out_trade_no, str) or not isinstance(state, str):
            raise GatewayError("the transaction lacks out_trade_no or trade_state")
        paid = state == "SUCCESS"
        if paid and (type(total) is not int or total < 1):
            raise GatewayError("a paid transaction without an integer amount.total")
        return GatewayNotice(out_trade_no, total if type(total) is int else 0, paid,
                             str(data.get("transaction_id") or ""))

    # -- the Gateway protocol -------------------------------------------------------------------------------

    def create(self, request: PaymentRequest) -> str:
        payload = {
            "appid": self.config.appid, "mchid": self.config.mchid, "description": request.description[:127] or "-",
            "out_trade_no": request.out_trade_no, "notify_url": self.config.notify_url,
            "time_expire": datetime.fromtimestamp(request.expires_at, BEIJING).isoformat(timespec="seconds"),
            "amount": {"total": request.amount_fen, "currency": "CNY"},
        }
        status, data = self._call("POST", "/v3/pay/transactions/native", payload)
        if status != 200:
            raise GatewayError(f"WeChat Pay refused the order: {data.get('code')} {data.get('message')}")
        code_url = data.get("code_url")
        if not isinstance(code_url, str) or not code_url:
            raise GatewayError("WeChat Pay answered without code_url")
        return code_url

    def query(self, out_trade_no: str) -> GatewayNotice | None:
        status, data = self._call(
            "GET", f"/v3/pay/transactions/out-trade-no/{out_trade_no}?mchid={self.config.mchid}")
        if status == 404 and data.get("code") == "ORDER_NOT_EXIST":
            return None
        if status != 200:
            raise GatewayError(f"WeChat Pay refused the query: {data.get('code')}")
        return self._transaction(data)

    def close(self, out_trade_no: str) -> None:
        """WeChat answers 204 even for an order it does not know or closed before; a paid order stays paid,
        which the query after the close tells."""
        status, data = self._call("POST", f"/v3/pay/transactions/out-trade-no/{out_trade_no}/close",
                                  {"mchid": self.config.mchid})
        if status != 204:
            raise GatewayError(f"WeChat Pay did not close the order: {data.get('code')}")

    def verify_notify(self, method: str, headers: Mapping[str, str], query: str, body: bytes) -> GatewayNotice:
        self.verify_signature(headers, body)
        try:
            resource = json.loads(body)["resource"]
            if resource["algorithm"] != "AEAD_AES_256_GCM":
                raise GatewayError("the notify resource uses an unknown algorithm")
            plain = self._aead.decrypt(resource["nonce"].encode(), base64.b64decode(resource["ciphertext"]),
                                       (resource.get("associated_data") or "").encode())
            transaction = json.loads(plain)
        except InvalidTag:
            raise GatewayError("the notify resource does not decrypt with our APIv3 key") from None
        except (ValueError, KeyError, TypeError, AttributeError):
            raise GatewayError("the notify is not a WeChat Pay resource") from None
        if not isinstance(transaction, dict):
            raise GatewayError("the notify resource is not a transaction")
        return self._transaction(transaction)

    def ack(self) -> NotifyReply:
        return NotifyReply(204, b"", "application/json")

    def refuse(self, reason: str) -> NotifyReply:
        return NotifyReply(400, json.dumps({"code": "FAIL", "message": reason}, ensure_ascii=False).encode(),
                           "application/json")
