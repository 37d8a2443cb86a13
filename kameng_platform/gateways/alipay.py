"""Alipay 当面付 adapter (open platform, public-key mode): `alipay.trade.precreate` returns the `qr_code` the
customer scans, `alipay.trade.pay` (scene bar_code) charges the 付款码 the cashier scanned, `alipay.trade.query`
finds a payment whose notify was lost, `alipay.trade.cancel` stops an unpaid QR order and reverses a code payment,
`alipay.trade.refund` / `alipay.trade.fastpay.refund.query` return money, and the notify is verified with
Alipay's public key before anything changes.

Formats, as the open platform documents them:
- Requests: a form POST to the gateway (https://openapi.alipay.com/gateway.do) with the common parameters
  app_id, method, format=JSON, charset=utf-8, sign_type=RSA2, timestamp "yyyy-MM-dd HH:mm:ss" (Beijing time),
  version=1.0, notify_url, biz_content (JSON). `sign` = base64 SHA256withRSA (PKCS#1 v1.5) by the app private
  key over the parameters other than `sign` with a value, sorted by key, joined as "k=v&k=v" (raw values).
- Answers: {"<method with _>_response": {...}, "sign": "..."}; the signature is over the exact text of the
  response object as sent, by Alipay's key. Business results: code "10000" success, "10003" (alipay.trade.pay
  only) the customer is entering the password, "40004" refused (sub_code tells why), "20000" service
  unavailable.
- Notify: a form POST; the signature is over the parameters other than `sign` and `sign_type`, sorted and
  joined the same way. Answer: the plain text "success" (anything else makes Alipay send it again).

Certificate mode (公钥证书: app_cert_sn/alipay_root_cert_sn parameters, Alipay's key from its certificate) is not
built and not needed for 当面付 and refunds (Alipay requires it only for fund-transfer APIs; an app chooses its
加签方式 in the open platform): it would be a second way of loading `AlipayConfig.alipay_public_key_pem` plus the
two serials in `request_params`. The gateway config refuses the certificate keys with a message saying so.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
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
from kameng_platform.gateways.epay import fen_to_yuan, yuan_to_fen

GATEWAY_URL = "https://openapi.alipay.com/gateway.do"
BEIJING = timezone(timedelta(hours=8))
PAID = ("TRADE_SUCCESS", "TRADE_FINISHED")  # FINISHED: paid and past the refund period
_OUT_TRADE_NO = re.compile(r"^[0-9A-Za-z_]{1,64}$")  # Alipay's rule for 商户订单号
# 40004 answers that do not mean "refused, nothing taken": a system error (call again with the same parameters)
# and, for a repeated alipay.trade.pay of one out_trade_no, "already paid". The query settles them.
_UNCLEAR = ("ACQ.SYSTEM_ERROR", "aop.ACQ.SYSTEM_ERROR", "ACQ.TRADE_HAS_SUCCESS")


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


def _subject(description: str) -> str:
    """The order title the customer sees in Alipay: at most 256 characters, never empty."""
    return description[:256] or "卡盟"


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

    code_apps: tuple[App, ...] = ("alipay",)
    can_refund = True

    def __init__(self, config: AlipayConfig, *, timeout: float = 10.0, transport: httpx.BaseTransport | None = None,
                 cancel_tries: int = 3, cancel_pause_s: float = 2.0) -> None:
        self.config = config
        # Alipay's 当面付 demo cancels up to 3 times 2 s apart while the answer says retry_flag=Y.
        self._cancel_tries, self._cancel_pause_s = cancel_tries, cancel_pause_s
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
        """The verified response object of a business success ("10000"), a payment waiting for the customer's
        password ("10003") or a refusal ("40004"). Errors never repeat the request (it may hold an auth_code)."""
        try:
            reply = self._http.post(self.config.gateway_url, data=self.request_params(method, biz),
                                    headers={"Accept": "application/json"})
        except httpx.RequestError as exc:  # also DecodingError: an answer came back, unreadable (broken gzip)
            raise GatewayUnreachable(f"Alipay unreachable: {type(exc).__name__}") from None
        if reply.status_code >= 500:
            raise GatewayUnreachable(f"Alipay is failing (HTTP {reply.status_code})")
        key = method.replace(".", "_") + "_response"
        try:
            text = reply.content.decode("utf-8")
            doc = json.loads(text)
        except ValueError:
            raise GatewayError(f"Alipay sent an unreadable answer (HTTP {reply.status_code})") from None
        if not isinstance(doc, dict) or not isinstance(doc.get(key), dict):
            error = doc.get("error_response") if isinstance(doc, dict) else None
            code = error.get("code") if isinstance(error, dict) else None
            raise GatewayError(f"Alipay refused the call: {code or 'no ' + key}")
        # What is read is the very text the signature covers: json.loads keeps the last of two objects of one
        # name, and a signed object followed by a forged one of the same name would otherwise pass as signed.
        signed_text = _response_text(text, key)
        response = json.loads(signed_text)
        if not isinstance(response, dict):
            raise GatewayError("Alipay answered without its response object")
        code = response.get("code")
        if code == "20000":
            raise GatewayUnreachable(f"Alipay is failing ({response.get('sub_code')})")
        if code not in ("10000", "10003", "40004"):  # gateway-level errors (40001/40002, bad signature) come unsigned
            raise GatewayError(f"Alipay refused the call: {code} {response.get('sub_code')}")
        signature = doc.get("sign")
        if not isinstance(signature, str):
            raise GatewayError("Alipay sent an unsigned answer")
        self._verify(signed_text.encode("utf-8"), signature)
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
        # TRADE_CLOSED: closed unpaid (timeout, cancel) or paid and then refunded in full; either way no money
        # is, or will be, with the merchant for it.
        return GatewayNotice(out_trade_no, amount, paid, str(data.get("trade_no") or ""),
                             closed=state == "TRADE_CLOSED")

    # -- the Gateway protocol -------------------------------------------------------------------------------

    def create(self, request: PaymentRequest) -> str:
        response = self._call("alipay.trade.precreate", {
            "out_trade_no": request.out_trade_no, "total_amount": fen_to_yuan(request.amount_fen),
            "subject": _subject(request.description),
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

    def pay_code(self, request: CodePaymentRequest) -> CodeResult:
        """alipay.trade.pay with the customer's 付款码. An answer that may hide a charge (no answer, 20000, a system
        error, "already paid" for a repeated out_trade_no) is PAYING: the caller queries and reverses, so no
        trade stays paid at Alipay and unknown here. A forged or unsigned answer raises GatewayError."""
        try:
            response = self._call("alipay.trade.pay", {
                "out_trade_no": request.out_trade_no, "scene": "bar_code", "auth_code": request.auth_code,
                "subject": _subject(request.description), "total_amount": fen_to_yuan(request.amount_fen)})
        except GatewayUnreachable:
            return CodeResult(CodeOutcome.PAYING)
        code, sub_code = response.get("code"), str(response.get("sub_code") or "")
        if code == "40004":
            if not sub_code or sub_code in _UNCLEAR:
                return CodeResult(CodeOutcome.PAYING)
            return self._refused(request.out_trade_no, sub_code)  # e.g. ACQ.PAYMENT_AUTH_CODE_INVALID
        if response.get("out_trade_no") != request.out_trade_no:
            raise GatewayError("Alipay answered about another order")
        trade_no = str(response.get("trade_no") or "")
        if code == "10003":  # ORDER_SUCCESS_PAY_INPROCESS: the customer confirms in the app
            return CodeResult(CodeOutcome.PAYING, trade_no=trade_no)
        total = response.get("total_amount")
        if not trade_no or not isinstance(total, str) or yuan_to_fen(total) != request.amount_fen:
            raise GatewayError("Alipay's payment answer lacks trade_no or names another amount")
        return CodeResult(CodeOutcome.PAID, trade_no=trade_no)

    def _refused(self, out_trade_no: str, sub_code: str) -> CodeResult:
        """A refusal speaks for this request only: an earlier one with the same out_trade_no may have charged the
        customer (ACQ.CONTEXT_INCONSISTENT: the number again with other content). So FAILED only once Alipay's
        trade says nothing is paid or waiting (none, or closed); otherwise PAYING for the query and cancel."""
        notice = self.query(out_trade_no)
        if notice is None or notice.closed:
            return CodeResult(CodeOutcome.FAILED, reason=sub_code)
        return CodeResult(CodeOutcome.PAYING)

    def reverse(self, out_trade_no: str) -> None:
        """alipay.trade.cancel, meant here: a code payment the counter gave up on is closed if unpaid and its
        money returned if paid. While Alipay answers retry_flag=Y (or not at all) the cancel is sent again, a
        few times; it returns only once Alipay confirmed (code 10000, retry_flag N), else raises GatewayError."""
        unreachable: GatewayUnreachable | None = None
        for attempt in range(self._cancel_tries):
            if attempt:
                time.sleep(self._cancel_pause_s)
            try:
                response = self._call("alipay.trade.cancel", {"out_trade_no": out_trade_no})
            except GatewayUnreachable as exc:
                unreachable = exc
                continue
            unreachable = None
            if response.get("retry_flag") == "Y":
                continue
            if response.get("code") != "10000":  # e.g. ACQ.TRADE_CANCEL_TIME_OUT after 24 h: refund instead
                raise GatewayError(f"Alipay did not cancel the trade: {response.get('sub_code')}")
            if response.get("out_trade_no") not in (None, out_trade_no):
                raise GatewayError("Alipay answered about another order")
            return
        if unreachable is not None:
            raise unreachable
        raise GatewayError(f"Alipay still asks to retry the cancel after {self._cancel_tries} tries")

    def refund(self, request: RefundRequest) -> RefundResult:
        """alipay.trade.refund with out_request_no = our refund number: Alipay refunds one number at most once,
        so sending it again after a lost answer is harmless. fund_change=Y means money went back in this call;
        N (a repeat, or not yet done) is settled by asking alipay.trade.fastpay.refund.query."""
        biz: dict[str, Any] = {"out_trade_no": request.out_trade_no, "out_request_no": request.out_refund_no,
                               "refund_amount": fen_to_yuan(request.amount_fen)}
        if request.trade_no:
            biz["trade_no"] = request.trade_no
        if request.reason:
            biz["refund_reason"] = request.reason[:256]
        response = self._call("alipay.trade.refund", biz)
        sub_code = str(response.get("sub_code") or "")
        if response.get("code") == "40004":
            if not sub_code or sub_code in _UNCLEAR:
                raise GatewayUnreachable(f"Alipay could not refund now ({sub_code or 'no sub_code'})")
            return RefundResult(request.out_refund_no, RefundState.FAILED, request.amount_fen, reason=sub_code)
        if response.get("out_trade_no") not in (None, request.out_trade_no):
            raise GatewayError("Alipay answered about another order")
        if response.get("fund_change") == "Y":
            return RefundResult(request.out_refund_no, RefundState.SUCCEEDED, request.amount_fen)
        found = self.refund_status(request.out_refund_no, request.out_trade_no)
        if found is not None and found.state is RefundState.SUCCEEDED:
            if found.amount_fen != request.amount_fen:
                raise GatewayError("Alipay holds this refund number with another amount")
            return found
        return RefundResult(request.out_refund_no, RefundState.PROCESSING, request.amount_fen)

    def refund_status(self, out_refund_no: str, out_trade_no: str) -> RefundResult | None:
        """alipay.trade.fastpay.refund.query: refund_status REFUND_SUCCESS is done. Without it Alipay has not
        received the refund or not executed it (its docs: ask again, or send the same out_request_no again):
        None. A trade Alipay does not know has no refund either."""
        response = self._call("alipay.trade.fastpay.refund.query",
                              {"out_trade_no": out_trade_no, "out_request_no": out_refund_no})
        sub_code = str(response.get("sub_code") or "")
        if response.get("code") == "40004":
            if sub_code == "ACQ.TRADE_NOT_EXIST":
                return None
            if not sub_code or sub_code in _UNCLEAR:
                raise GatewayUnreachable(f"Alipay could not answer the refund query ({sub_code or 'no sub_code'})")
            raise GatewayError(f"Alipay refused the refund query: {sub_code}")
        state = response.get("refund_status")
        if state is None:
            return None
        if response.get("out_request_no") != out_refund_no or response.get("out_trade_no") not in (None, out_trade_no):
            raise GatewayError("Alipay answered about another refund")
        amount = response.get("refund_amount")
        if not isinstance(amount, str):
            raise GatewayError("Alipay's refund answer lacks refund_amount")
        done = RefundState.SUCCEEDED if state == "REFUND_SUCCESS" else RefundState.PROCESSING
        return RefundResult(out_refund_no, done, yuan_to_fen(amount))

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
