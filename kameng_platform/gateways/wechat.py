"""WeChat Pay (APIv3) adapter: Native QR orders, 付款码 code payments and their reverse (撤销), refunds and refund
notifies. The notify and every answer are checked against WeChat Pay's public key; the notify's `resource` is
decrypted with the APIv3 key; a lost notify is recovered with the order or refund query.

Formats, as WeChat Pay documents them:
- Request signature: SHA256-with-RSA (PKCS#1 v1.5) by the merchant API key over
  "METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n", sent as
  `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`.
- Answers and notifies: `Wechatpay-Serial/-Timestamp/-Nonce/-Signature` headers, the signature over
  "TIMESTAMP\\nNONCE\\nBODY\\n" by the platform certificate's key or the 微信支付公钥 named by the serial.
- Notify resource: AEAD_AES_256_GCM with the 32-byte APIv3 key, `nonce` and `associated_data`; the
  plaintext is the transaction (mchid, appid, out_trade_no, transaction_id, trade_state, amount.total in fen)
  for TRANSACTION.SUCCESS, the refund (mchid, out_refund_no, refund_id, refund_status, amount.refund) for
  REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED.
- Notify answer: HTTP 204 when handled; 4XX with {"code": "FAIL", "message": …} makes WeChat send it again.
- Native: `POST /v3/pay/transactions/native` returns the `code_url` the customer scans.
- 付款码: `POST /v3/pay/transactions/codepay` {appid, mchid, description, out_trade_no, payer.auth_code,
  amount{total, currency}, scene_info.store_info.out_id}: 200 with the transaction when paid at once, 202
  {"trade_state": "USERPAYING"} while the customer enters the password. A code payment has no notify: the order
  query (`GET /v3/pay/transactions/out-trade-no/{no}?mchid=`) tells how it ended.
- 撤销: `POST /v3/pay/transactions/out-trade-no/{no}/reverse` {appid, mchid} answers 200 {appid, mchid,
  out_trade_no}: an unpaid order is closed, a paid one's money goes back to the customer; retried until confirmed.
- Refunds: `POST /v3/refund/domestic/refunds` {transaction_id or out_trade_no, out_refund_no, reason, notify_url,
  amount{refund, total, currency}}, `GET /v3/refund/domestic/refunds/{out_refund_no}`; `status` SUCCESS /
  PROCESSING / ABNORMAL (still open: the merchant sends the money on) / CLOSED. The same out_refund_no is the
  same refund; at most 50 refunds per payment, a minute apart (FREQUENCY_LIMITED otherwise: raised, and the same
  refund is sent again later).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
import urllib.parse
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
    CodeOutcome,
    CodePaymentRequest,
    CodeResult,
    GatewayConfigError,
    GatewayError,
    GatewayNotice,
    GatewayUnreachable,
    NotifyReply,
    PaymentRequest,
    RefundRequest,
    RefundResult,
    RefundState,
    WithoutCounterCalls,
    fitted_out_trade_no,
)

SCHEME = "WECHATPAY2-SHA256-RSA2048"
BEIJING = timezone(timedelta(hours=8))
_OUT_TRADE_NO = re.compile(r"^[0-9A-Za-z_*-]{6,32}$")  # WeChat's rule for 商户订单号
_OUT_REFUND_NO = re.compile(r"^[0-9A-Za-z_|*@-]{1,64}$")  # WeChat's rule for 商户退款单号
_ASCII_SECONDS = re.compile(r"[0-9]{1,12}")  # str.isdigit() also takes "²" and full-width digits

_TRADE_PAID = frozenset({"SUCCESS", "REFUND"})  # REFUND (转入退款): it was paid, then (partly) refunded
_TRADE_CLOSED = frozenset({"CLOSED", "REVOKED", "PAYERROR"})  # will never be paid
# 付款码 refusals that leave the outcome open: the customer is entering the password, WeChat or the bank failed
# mid-way ("ask again"), we were told to slow down, or an earlier attempt with this number paid: the query decides.
_CODE_OPEN = frozenset({"USERPAYING", "SYSTEM_ERROR", "SYSTEMERROR", "BANK_ERROR", "BANKERROR", "ORDERPAID",
                        "ORDER_PAID", "FREQUENCY_LIMITED"})
# ABNORMAL (退款异常: the customer's card was frozen or closed) is not a failure: the money has left the merchant
# and waits in WeChat's refund account until the merchant sends it on (商户平台 or 发起异常退款), when the refund
# turns SUCCESS. Read as FAILED it would invite a second refund of the same money; it stays open, its reason said.
_REFUND_STATES = {"SUCCESS": RefundState.SUCCEEDED, "PROCESSING": RefundState.PROCESSING,
                  "ABNORMAL": RefundState.PROCESSING, "CLOSED": RefundState.FAILED}
_REFUND_REASONS = frozenset({"ABNORMAL", "CLOSED"})  # statuses the operator is told by name
_REFUND_EVENTS = frozenset(f"REFUND.{status}" for status in ("SUCCESS", "ABNORMAL", "CLOSED"))
_REFUND_TRY_AGAIN = frozenset({"SYSTEM_ERROR", "FREQUENCY_LIMITED"})  # the refund was not taken yet: send it again
# The request never left this machine: no WeChat order can exist because of it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


@dataclass(frozen=True)
class WechatConfig:
    mchid: str
    appid: str
    merchant_serial: str  # 商户API证书序列号
    merchant_key_pem: bytes = field(repr=False)  # 商户API私钥 (apiclient_key.pem)
    platform_keys: Mapping[str, bytes] = field(repr=False)  # Wechatpay-Serial -> public key or certificate PEM
    apiv3_key: bytes = field(repr=False)  # APIv3密钥, 32 bytes
    notify_url: str  # payment and refund notifies both come here
    base_url: str = "https://api.mch.weixin.qq.com"
    store_id: str = "0001"  # 商户侧门店编号, the 付款码 scene_info.store_info.out_id WeChat requires


@dataclass(frozen=True)
class _Answer:
    status: int
    data: dict[str, Any]
    verified: bool  # signed by WeChat Pay (every 2xx must be; a refusal is trusted only when it is)


class _AnswerLost(GatewayUnreachable):
    """The request may have reached WeChat Pay but no answer came back (timeout, dropped connection)."""


def _clip(text: str, limit: int) -> str:
    """At most `limit` UTF-8 bytes, cut between characters: WeChat's string(n) lengths are safe either way
    (a 30-character Chinese refund reason is 90 bytes, over reason's 80)."""
    return text.encode()[:limit].decode(errors="ignore")


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
    code_apps: tuple[App, ...] = ("wechat",)
    can_refund = True

    def __init__(self, config: WechatConfig, *, timeout: float = 10.0, max_skew_s: int = 300) -> None:
        if len(config.apiv3_key) != 32:
            raise GatewayConfigError("the WeChat Pay APIv3 key must be 32 bytes")
        if not config.platform_keys:
            raise GatewayConfigError("no WeChat Pay platform public key is configured")
        self.config = config
        self._key = _private_key(config.merchant_key_pem)
        self._platform = {serial: _public_key(pem) for serial, pem in config.platform_keys.items()}
        self._aead = AESGCM(config.apiv3_key)
        self._max_skew_s = max_skew_s
        self._http = httpx.Client(base_url=config.base_url.rstrip("/"), timeout=timeout)

    def __repr__(self) -> str:
        return f"WechatGateway(mchid={self.config.mchid!r})"

    # -- our side of the protocol ---------------------------------------------------------------------------

    def out_trade_no(self, payment_id: str) -> str:
        """At most 32 of [0-9A-Za-z_-*]: a UUID payment id loses its dashes, anything else longer is hashed."""
        return fitted_out_trade_no(payment_id, _OUT_TRADE_NO)

    def out_refund_no(self, refund_id: str) -> str:
        """At most 64 of [0-9A-Za-z_-|*@]: a refund id that fits (a UUID does, dashes and all) is sent as it is;
        refund() and refund_status() apply this, so their results and the refund notify carry this number."""
        return fitted_out_trade_no(refund_id, _OUT_REFUND_NO)

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

    def _send(self, method: str, path: str, payload: dict[str, Any] | None = None) -> httpx.Response:
        """One signed request. Errors name no body: the body of a code payment holds the customer's auth_code."""
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {"Authorization": self.authorization(method, path, body), "Accept": "application/json"}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        try:
            return self._http.request(method, path, content=body or None, headers=headers)
        except _NOT_SENT as exc:
            raise GatewayUnreachable(f"WeChat Pay unreachable: {type(exc).__name__}") from None
        except httpx.RequestError as exc:  # also DecodingError: an answer came back, unreadable (broken gzip)
            raise _AnswerLost(f"WeChat Pay unreachable: {type(exc).__name__}") from None

    def _answer(self, reply: httpx.Response) -> _Answer:
        """The answer as a JSON object; a 2xx must verify, and so must any answer that carries a signature."""
        signed = reply.is_success or "wechatpay-signature" in reply.headers
        if signed:
            self.verify_signature(reply.headers, reply.content)
        if reply.status_code == 204:  # no body (close), still signed
            return _Answer(204, {}, signed)
        try:
            data = reply.json()
        except ValueError:
            raise GatewayError(f"WeChat Pay sent an unreadable answer (HTTP {reply.status_code})") from None
        if not isinstance(data, dict):
            raise GatewayError("WeChat Pay sent an answer that is not a JSON object")
        return _Answer(reply.status_code, data, signed)

    def _call(self, method: str, path: str, payload: dict[str, Any] | None = None) -> _Answer:
        reply = self._send(method, path, payload)
        if reply.status_code >= 500:
            raise GatewayUnreachable(f"WeChat Pay is failing (HTTP {reply.status_code})")
        return self._answer(reply)

    def _transaction(self, data: dict[str, Any]) -> GatewayNotice:
        """A transaction object (query answer, code payment answer or decrypted notify), checked to be ours."""
        if data.get("mchid") != self.config.mchid or data.get("appid") != self.config.appid:
            raise GatewayError("the transaction belongs to another merchant or app")
        out_trade_no, state = data.get("out_trade_no"), data.get("trade_state")
        amount = data.get("amount")
        total = amount.get("total") if isinstance(amount, dict) else None
        if not isinstance(out_trade_no, str) or not isinstance(state, str):
            raise GatewayError("the transaction lacks out_trade_no or trade_state")
        paid = state in _TRADE_PAID
        if paid and (type(total) is not int or total < 1):
            raise GatewayError("a paid transaction without an integer amount.total")
        return GatewayNotice(out_trade_no, total if type(total) is int else 0, paid,
                             str(data.get("transaction_id") or ""), closed=state in _TRADE_CLOSED)

    def _refund(self, data: dict[str, Any], status_key: str) -> RefundResult:
        """A refund object (refund answer or query: `status`; decrypted refund notify: `refund_status`)."""
        number, status, amount = data.get("out_refund_no"), data.get(status_key), data.get("amount")
        refund = amount.get("refund") if isinstance(amount, dict) else None
        if not isinstance(number, str) or status not in _REFUND_STATES or type(refund) is not int or refund < 1:
            raise GatewayError("the refund lacks out_refund_no, a known status or an integer amount.refund")
        state = _REFUND_STATES[status]
        return RefundResult(number, state, refund, str(data.get("refund_id") or ""),
                            status if status in _REFUND_REASONS else "")

    def _decrypt(self, body: bytes) -> tuple[str, dict[str, Any]]:
        """The notify's event_type and its decrypted resource."""
        try:
            event = json.loads(body)
            event_type, resource = event["event_type"], event["resource"]
            if resource["algorithm"] != "AEAD_AES_256_GCM":
                raise GatewayError("the notify resource uses an unknown algorithm")
            plain = self._aead.decrypt(resource["nonce"].encode(), base64.b64decode(resource["ciphertext"]),
                                       (resource.get("associated_data") or "").encode())
            content = json.loads(plain)
        except InvalidTag:
            raise GatewayError("the notify resource does not decrypt with our APIv3 key") from None
        except (ValueError, KeyError, TypeError, AttributeError):
            raise GatewayError("the notify is not a WeChat Pay resource") from None
        if not isinstance(event_type, str) or not isinstance(content, dict):
            raise GatewayError("the notify resource is not a transaction or a refund")
        return event_type, content

    # -- the Gateway protocol -------------------------------------------------------------------------------

    def create(self, request: PaymentRequest) -> str:
        payload = {
            "appid": self.config.appid, "mchid": self.config.mchid,
            "description": _clip(request.description, 127) or "-",
            "out_trade_no": request.out_trade_no, "notify_url": self.config.notify_url,
            "time_expire": datetime.fromtimestamp(request.expires_at, BEIJING).isoformat(timespec="seconds"),
            "amount": {"total": request.amount_fen, "currency": "CNY"},
        }
        answer = self._call("POST", "/v3/pay/transactions/native", payload)
        if answer.status != 200:
            raise GatewayError(f"WeChat Pay refused the order: {answer.data.get('code')} {answer.data.get('message')}")
        code_url = answer.data.get("code_url")
        if not isinstance(code_url, str) or not code_url:
            raise GatewayError("WeChat Pay answered without code_url")
        return code_url

    def query(self, out_trade_no: str) -> GatewayNotice | None:
        """A code trade is paid on SUCCESS, still open on USERPAYING / NOTPAY, closed on CLOSED / REVOKED /
        PAYERROR (WeChat asks for a reverse after PAYERROR: the money may have been taken)."""
        answer = self._call("GET", f"/v3/pay/transactions/out-trade-no/{out_trade_no}?mchid={self.config.mchid}")
        if answer.status == 404 and answer.data.get("code") == "ORDER_NOT_EXIST" and answer.verified:
            return None
        if answer.status != 200:
            raise GatewayError(f"WeChat Pay refused the query: {answer.data.get('code')}")
        return self._transaction(answer.data)

    def close(self, out_trade_no: str) -> None:
        """WeChat answers 204 even for an order it does not know or closed before; a paid order stays paid,
        which the query after the close tells."""
        answer = self._call("POST", f"/v3/pay/transactions/out-trade-no/{out_trade_no}/close",
                            {"mchid": self.config.mchid})
        if answer.status != 204:
            raise GatewayError(f"WeChat Pay did not close the order: {answer.data.get('code')}")

    def pay_code(self, request: CodePaymentRequest) -> CodeResult:
        payload = {
            "appid": self.config.appid, "mchid": self.config.mchid,
            "description": _clip(request.description, 127) or "-",
            "out_trade_no": request.out_trade_no, "payer": {"auth_code": request.auth_code},
            "amount": {"total": request.amount_fen, "currency": "CNY"},
            "scene_info": {"store_info": {"out_id": self.config.store_id}},
        }
        try:
            reply = self._send("POST", "/v3/pay/transactions/codepay", payload)
        except _AnswerLost:
            return CodeResult(CodeOutcome.PAYING)  # it may have been charged: the query (and the reverse) settle it
        if reply.status_code >= 500:
            return CodeResult(CodeOutcome.PAYING)  # SYSTEM_ERROR / BANK_ERROR: WeChat says ask again
        answer = self._answer(reply)
        if answer.status == 200:
            return self._code_paid(request, answer.data)
        code = str(answer.data.get("code") or answer.data.get("trade_state") or "")[:64]
        if answer.status == 202 or code in _CODE_OPEN:
            return CodeResult(CodeOutcome.PAYING)
        if not answer.verified:  # a forged "refused" would leave a charged customer unknown to us
            raise GatewayError(f"WeChat Pay refused the code payment in an unsigned answer ({code or answer.status})")
        if 400 <= answer.status < 500 and code:
            return self._refused(request.out_trade_no, code)
        raise GatewayError(f"WeChat Pay answered the code payment with HTTP {answer.status}")

    def _refused(self, out_trade_no: str, code: str) -> CodeResult:
        """A signed refusal speaks for this request only: an earlier one with the same out_trade_no (its answer
        lost, then sent again with a fresh code: INVALID_REQUEST 商户订单号重复) may have charged the customer. So
        FAILED only once WeChat's order record says nothing is paid or waiting; otherwise PAYING, and the caller's
        query and reverse settle it."""
        notice = self.query(out_trade_no)
        if notice is None or notice.closed:
            return CodeResult(CodeOutcome.FAILED, reason=code)
        return CodeResult(CodeOutcome.PAYING)

    def _code_paid(self, request: CodePaymentRequest, data: dict[str, Any]) -> CodeResult:
        if data.get("trade_state") != "SUCCESS":
            return CodeResult(CodeOutcome.PAYING)  # USERPAYING, or PAYERROR: the query and the reverse settle it
        notice = self._transaction(data)
        if notice.out_trade_no != request.out_trade_no or notice.amount_fen != request.amount_fen \
                or not notice.trade_no:
            raise GatewayError("WeChat Pay confirmed a code payment for another order or amount, or without its "
                               "transaction_id")
        return CodeResult(CodeOutcome.PAID, trade_no=notice.trade_no)

    def reverse(self, out_trade_no: str) -> None:
        """撤销: WeChat closes the order if unpaid and returns the money if paid; an order WeChat never took
        (ORDER_NOT_EXIST, signed) leaves nothing to undo. Anything else raises, and the caller calls again."""
        answer = self._call("POST", f"/v3/pay/transactions/out-trade-no/{out_trade_no}/reverse",
                            {"appid": self.config.appid, "mchid": self.config.mchid})
        if answer.status == 200 and answer.data.get("out_trade_no") == out_trade_no \
                and answer.data.get("mchid") == self.config.mchid:
            return
        if answer.status == 404 and answer.data.get("code") == "ORDER_NOT_EXIST" and answer.verified:
            return
        raise GatewayError(f"WeChat Pay did not confirm the reverse: {answer.data.get('code') or answer.status}")

    def refund(self, request: RefundRequest) -> RefundResult:
        number = self.out_refund_no(request.out_refund_no)
        payload: dict[str, Any] = ({"transaction_id": request.trade_no} if request.trade_no
                                   else {"out_trade_no": request.out_trade_no})
        payload.update(out_refund_no=number, notify_url=self.config.notify_url,
                       amount={"refund": request.amount_fen, "total": request.total_fen, "currency": "CNY"})
        if request.reason:
            payload["reason"] = _clip(request.reason, 80)
        answer = self._call("POST", "/v3/refund/domestic/refunds", payload)
        if answer.status == 200:
            result = self._refund(answer.data, "status")
            if result.out_refund_no != number or result.amount_fen != request.amount_fen:
                raise GatewayError("WeChat Pay answered for another refund or amount")
            return result
        code = str(answer.data.get("code") or "")[:64]
        if answer.verified and 400 <= answer.status < 500 and code and code not in _REFUND_TRY_AGAIN:
            # WeChat's refund guide: after any answer but 200, ask the refund query whether the refund was taken
            # after all (an earlier try's, or this one's before the error). Only "no such refund" is FAILED.
            found = self.refund_status(request.out_refund_no, request.out_trade_no)
            if found is None:
                return RefundResult(number, RefundState.FAILED, request.amount_fen, reason=code)
            if found.amount_fen != request.amount_fen:
                raise GatewayError("WeChat Pay holds this refund number with another amount")
            return found
        raise GatewayError(f"WeChat Pay did not take the refund: {code or answer.status}")

    def refund_status(self, out_refund_no: str, out_trade_no: str) -> RefundResult | None:
        number = self.out_refund_no(out_refund_no)
        answer = self._call("GET", f"/v3/refund/domestic/refunds/{urllib.parse.quote(number, safe='')}")
        if answer.status == 404 and answer.data.get("code") == "RESOURCE_NOT_EXISTS" and answer.verified:
            return None
        if answer.status != 200:
            raise GatewayError(f"WeChat Pay refused the refund query: {answer.data.get('code')}")
        result = self._refund(answer.data, "status")
        if result.out_refund_no != number or answer.data.get("out_trade_no") != out_trade_no:
            raise GatewayError("WeChat Pay answered for another refund or payment")
        return result

    def verify_notify(self, method: str, headers: Mapping[str, str], query: str,
                      body: bytes) -> GatewayNotice | RefundResult:
        self.verify_signature(headers, body)
        event_type, content = self._decrypt(body)
        if event_type.startswith("TRANSACTION."):
            return self._transaction(content)
        if event_type not in _REFUND_EVENTS:
            raise GatewayError("the notify is neither a payment nor a refund event")
        if content.get("mchid") != self.config.mchid:
            raise GatewayError("the refund belongs to another merchant")
        result = self._refund(content, "refund_status")
        if event_type != f"REFUND.{content['refund_status']}":
            raise GatewayError("the refund notify's event and its refund_status disagree")
        return result

    def ack(self) -> NotifyReply:
        return NotifyReply(204, b"", "application/json")

    def refuse(self, reason: str) -> NotifyReply:
        return NotifyReply(400, json.dumps({"code": "FAIL", "message": reason}, ensure_ascii=False).encode(),
                           "application/json")
