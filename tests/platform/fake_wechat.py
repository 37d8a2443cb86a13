"""A fake WeChat Pay (APIv3) server on loopback, written from the published formats (a real merchant account
cannot run in a test): it checks each request's Authorization with the merchant's public key, keeps orders,
code payments and refunds, signs every answer with its platform key (Wechatpay-* headers) and makes notifies
encrypted with the APIv3 key (AEAD_AES_256_GCM), as WeChat Pay does.

The customer's side: `pay` confirms a Native QR order; `issue_code` hands out a payment code (付款码) with a balance,
which asks for the password `password_asks` times (each codepay or query answer while it waits says USERPAYING)
before it pays. `reverse` (撤销) closes an unpaid code order and returns the money of a paid one; refunds start
PROCESSING and end as `refund_outcome` at their next query (or by `settle_refund`), at most 50 per trade and never
more than was paid. `ledger` keeps the money per trade: paid, refunded, reversed; `kept` is what the merchant holds.

Faults: `down` (every request gets its connection dropped unanswered), `queries_down` (only GETs),
`lose_answers` (the next N requests are carried out but their answers are lost), `error_after` (the next request
is carried out and then answered with that HTTP status and error code, as WeChat's SYSTEM_ERROR can be).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kameng_platform.gateways.wechat import WechatConfig, WechatGateway
from tests.platform.rsa_keys import private_pem, public_pem, rsa_key

MCHID, APPID, MERCHANT_SERIAL, PLATFORM_SERIAL = "1900000109", "wx8888888888888888", "5157F09EFDC096DE", \
    "PUB_KEY_ID_0119000001092025"
NOTIFY_URL = "https://platform.example/v1/gateways/wechat/notify"
STAMP = "2026-11-23T13:29:35+08:00"
_OUT_TRADE_NO = re.compile(r"[0-9A-Za-z_*-]{6,32}")
_OUT_REFUND_NO = re.compile(r"[0-9A-Za-z_|*@-]{1,64}")
MAX_REFUNDS = 50  # WeChat: a trade can be refunded in at most 50 parts

Answer = tuple[int, dict[str, str], bytes]


def rsa_sign(key: rsa.RSAPrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


@dataclass
class CustomerCode:
    balance_fen: int
    password_asks: int  # USERPAYING answers before the password goes through
    used: bool = False  # a payment code pays once


@dataclass
class Ledger:
    paid: int = 0
    refunded: int = 0
    reversed: int = 0

    @property
    def kept(self) -> int:
        return self.paid - self.refunded - self.reversed


class FakeWechat:
    def __init__(self, apiv3_key: bytes) -> None:
        self.apiv3_key = apiv3_key
        self.merchant_public = rsa_key("merchant").public_key()
        self.platform_key = rsa_key("platform")
        self.answer_key = self.platform_key  # a test swaps it to forge answers
        self.orders: dict[str, dict] = {}
        self.codes: dict[str, CustomerCode] = {}
        self.refunds: dict[str, dict] = {}
        self.ledger: dict[str, Ledger] = {}
        self.refund_outcome: str | None = "SUCCESS"  # what a PROCESSING refund is at its next query (None: still)
        self.calls: list[str] = []
        self.bodies: list[dict] = []  # the JSON bodies received, in order
        self.attempts = 0  # requests tried, answered or not
        self.down = False
        self.queries_down = False  # only GETs fail: the close answers, the query does not
        self.lose_answers = 0
        self.error_after: tuple[int, str] | None = None
        self._lock = threading.RLock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def serve(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer = fake.handle(self.command, self.path, dict(self.headers.items()), body)
                if answer is None:  # the connection closes without an answer
                    self.close_connection = True
                    return
                status, headers, payload = answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = serve

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def config(self, **changes) -> WechatConfig:
        fields = dict(mchid=MCHID, appid=APPID, merchant_serial=MERCHANT_SERIAL,
                      merchant_key_pem=private_pem(rsa_key("merchant")),
                      platform_keys={PLATFORM_SERIAL: public_pem(self.platform_key)}, apiv3_key=self.apiv3_key,
                      notify_url=NOTIFY_URL, base_url=self.url)
        return WechatConfig(**{**fields, **changes})

    def gateway(self, **changes) -> WechatGateway:
        return WechatGateway(self.config(**changes), timeout=5.0)

    # -- signing -------------------------------------------------------------------------------------------

    def signed_headers(self, body: bytes, *, key: rsa.RSAPrivateKey | None = None, serial: str = PLATFORM_SERIAL,
                       timestamp: int | None = None) -> dict[str, str]:
        ts, nonce = str(int(time.time()) if timestamp is None else timestamp), secrets.token_hex(16)
        message = f"{ts}\n{nonce}\n".encode() + body + b"\n"
        return {"Wechatpay-Serial": serial, "Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce,
                "Wechatpay-Signature": rsa_sign(key or self.platform_key, message),
                "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048", "Request-ID": uuid.uuid4().hex}

    def answer(self, status: int, data: dict | None) -> Answer:
        body = b"" if data is None else json.dumps(data, ensure_ascii=False).encode()
        return status, {"Content-Type": "application/json", **self.signed_headers(body, key=self.answer_key)}, body

    def refusal(self, status: int, code: str, message: str) -> Answer:
        return self.answer(status, {"code": code, "message": message})

    def check_authorization(self, method: str, target: str, headers: dict[str, str], body: bytes) -> bool:
        header = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
        scheme, _, params = header.partition(" ")
        fields = dict(re.findall(r'(\w+)="([^"]*)"', params))
        if scheme != "WECHATPAY2-SHA256-RSA2048" or fields.get("mchid") != MCHID \
                or fields.get("serial_no") != MERCHANT_SERIAL or not fields.get("timestamp", "").isascii() \
                or not fields.get("timestamp", "").isdigit() or abs(time.time() - int(fields["timestamp"])) > 300:
            return False
        message = f"{method}\n{target}\n{fields['timestamp']}\n{fields.get('nonce_str', '')}\n".encode() + body + b"\n"
        try:
            self.merchant_public.verify(base64.b64decode(fields.get("signature", "")), message, padding.PKCS1v15(),
                                        hashes.SHA256())
        except (InvalidSignature, ValueError):
            return False
        return True

    # -- WeChat Pay's side ---------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer | None:
        with self._lock:
            self.attempts += 1
            if self.down or (self.queries_down and method == "GET"):
                return None
            path = urllib.parse.urlsplit(target).path
            self.calls.append(f"{method} {path}")
            if not self.check_authorization(method, target, headers, body):
                return self.refusal(401, "SIGN_ERROR", "签名错误")
            try:
                data = json.loads(body) if body else {}
            except ValueError:
                return self.refusal(400, "PARAM_ERROR", "请求体不是JSON")
            if body:
                self.bodies.append(data)
            answer = self.route(method, target, path, data)
            if self.lose_answers:
                self.lose_answers -= 1
                return None
            if self.error_after:
                (status, code), self.error_after = self.error_after, None
                return self.refusal(status, code, "系统繁忙,请稍后重试")
            return answer

    def route(self, method: str, target: str, path: str, data: Any) -> Answer:
        if not isinstance(data, dict):
            return self.refusal(400, "PARAM_ERROR", "参数错误")
        if method == "POST" and path == "/v3/pay/transactions/native":
            return self.native(data)
        if method == "POST" and path == "/v3/pay/transactions/codepay":
            return self.codepay(data)
        if method == "POST" and path == "/v3/refund/domestic/refunds":
            return self.refund(data)
        if method == "GET" and (match := re.fullmatch(r"/v3/refund/domestic/refunds/([^/]+)", path)):
            return self.refund_query(urllib.parse.unquote(match.group(1)))
        if method == "POST" and (match := re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)/close", path)):
            return self.close(match.group(1), data)
        if method == "POST" and (match := re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)/reverse", path)):
            return self.reverse(match.group(1), data)
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(target).query))
        if method == "GET" and query.get("mchid") == MCHID \
                and (match := re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)", path)):
            return self.query(match.group(1))
        return self.refusal(404, "NOT_FOUND", "no such API")

    def _order(self, no: str, total: int, kind: str, body: dict, state: str) -> dict:
        order = {"total": total, "state": state, "body": body, "kind": kind,
                 "transaction_id": "42000" + secrets.token_hex(11), "asks": 0}
        self.orders[no] = order
        self.ledger[no] = Ledger()
        return order

    def _settle(self, no: str) -> None:
        """The money leaves the customer: the order is paid."""
        order = self.orders[no]
        order["state"] = "SUCCESS"
        self.ledger[no].paid += order["total"]

    def native(self, body: dict) -> Answer:
        no, total = body.get("out_trade_no", ""), body.get("amount", {}).get("total")
        try:
            expires = datetime.fromisoformat(body["time_expire"]).utcoffset()
        except (KeyError, TypeError, ValueError):
            expires = None
        ok = (body.get("mchid") == MCHID and body.get("appid") == APPID and type(total) is int and total > 0
              and body["amount"].get("currency") == "CNY" and _OUT_TRADE_NO.fullmatch(no)
              and expires is not None and expires.total_seconds() == 8 * 3600
              and 0 < len(body.get("description", "").encode()) <= 127
              and body.get("notify_url", "").startswith("https://"))
        if not ok:
            return self.refusal(400, "PARAM_ERROR", "参数错误")
        if no in self.orders and self.orders[no]["total"] != total:
            return self.refusal(400, "INVALID_REQUEST", "201 商户订单号重复")
        if no not in self.orders:
            self._order(no, total, "NATIVE", body, "NOTPAY")
        return self.answer(200, {"code_url": f"weixin://wxpay/bizpayurl?pr={no[:7]}"})

    def codepay(self, body: dict) -> Answer:
        no, amount = body.get("out_trade_no", ""), body.get("amount")
        total = amount.get("total") if isinstance(amount, dict) else None
        auth_code = (body.get("payer") or {}).get("auth_code")
        store = ((body.get("scene_info") or {}).get("store_info") or {}).get("out_id")
        ok = (body.get("mchid") == MCHID and body.get("appid") == APPID and type(total) is int and total > 0
              and amount.get("currency") == "CNY" and _OUT_TRADE_NO.fullmatch(no) and isinstance(auth_code, str)
              and 0 < len(body.get("description", "").encode()) <= 127 and isinstance(store, str) and store
              and "notify_url" not in body)  # a code payment has no notify
        if not ok:
            return self.refusal(400, "PARAM_ERROR", "参数错误")
        if no in self.orders:  # the same request again (a lost answer): its order as it is now
            order = self.orders[no]
            if order["kind"] != "MICROPAY" or order["body"]["payer"] != body["payer"] or order["total"] != total:
                return self.refusal(400, "INVALID_REQUEST", "商户订单号重复")
            return self.code_answer(no)
        customer = self.codes.get(auth_code)
        if customer is None or customer.used:
            return self.refusal(403, "AUTH_CODE_INVALID", "付款码无效,请重新扫码")
        customer.used = True
        order = self._order(no, total, "MICROPAY", body, "USERPAYING")
        if customer.balance_fen < total:
            order["state"] = "PAYERROR"
            return self.refusal(403, "NOT_ENOUGH", "用户余额不足")
        customer.balance_fen -= total
        order["asks"] = customer.password_asks
        return self.code_answer(no)

    def code_answer(self, no: str) -> Answer:
        order = self.orders[no]
        if order["state"] == "USERPAYING":
            self._ask_password(no)
        if order["state"] == "USERPAYING":
            return self.answer(202, {"trade_state": "USERPAYING"})  # only this, as WeChat answers it
        return self.answer(200, self.transaction(no))

    def _ask_password(self, no: str) -> None:
        """Each answer while the customer types the password is one ask; after the last one it pays."""
        order = self.orders[no]
        if order["asks"] > 0:
            order["asks"] -= 1
        else:
            self._settle(no)

    def query(self, no: str) -> Answer:
        if no not in self.orders:
            return self.refusal(404, "ORDER_NOT_EXIST", "订单不存在")
        if self.orders[no]["state"] == "USERPAYING":
            self._ask_password(no)
        return self.answer(200, self.transaction(no))

    def close(self, no: str, body: dict) -> Answer:
        if body != {"mchid": MCHID}:
            return self.refusal(400, "PARAM_ERROR", "参数错误")
        order = self.orders.get(no)
        if order is not None and order["state"] in ("SUCCESS", "REFUND"):
            return self.refusal(400, "ORDERPAID", "订单已支付")
        if order is not None:
            order["state"] = "CLOSED"
        return self.answer(204, None)  # also for an order it does not know, as WeChat does

    def reverse(self, no: str, body: dict) -> Answer:
        if body != {"appid": APPID, "mchid": MCHID}:
            return self.refusal(400, "PARAM_ERROR", "参数错误")
        order = self.orders.get(no)
        if order is None:
            return self.refusal(404, "ORDER_NOT_EXIST", "订单不存在")
        if order["kind"] != "MICROPAY":
            return self.refusal(400, "INVALID_REQUEST", "非付款码订单不能撤销")
        if any(r["out_trade_no"] == no for r in self.refunds.values()):
            return self.refusal(403, "TRADE_ERROR", "订单已发生退款,不能撤销")
        if order["state"] == "SUCCESS":
            self.ledger[no].reversed += order["total"]  # the customer gets the money back
        order["state"] = "REVOKED"
        return self.answer(200, {"appid": APPID, "mchid": MCHID, "out_trade_no": no})

    def refund(self, body: dict) -> Answer:
        number, amount = body.get("out_refund_no"), body.get("amount")
        refund = amount.get("refund") if isinstance(amount, dict) else None
        total = amount.get("total") if isinstance(amount, dict) else None
        ok = (isinstance(number, str) and _OUT_REFUND_NO.fullmatch(number) and type(refund) is int and refund > 0
              and type(total) is int and amount.get("currency") == "CNY"
              and len(body.get("reason", "").encode()) <= 80
              and body.get("notify_url", "https://").startswith("https://")
              and ("transaction_id" in body) != ("out_trade_no" in body))
        if not ok:
            return self.refusal(400, "PARAM_ERROR", "参数错误")
        no = body.get("out_trade_no") or next(
            (n for n, o in self.orders.items() if o["transaction_id"] == body["transaction_id"]), None)
        order = self.orders.get(no or "")
        if order is None:
            return self.refusal(404, "RESOURCE_NOT_EXISTS", "订单不存在")
        if number in self.refunds:  # the same out_refund_no is the same refund
            known = self.refunds[number]
            if known["out_trade_no"] != no or known["refund"] != refund:
                return self.refusal(400, "INVALID_REQUEST", "退款单号重复")
            return self.answer(200, self.refund_object(number))
        if order["state"] not in ("SUCCESS", "REFUND"):
            return self.refusal(400, "INVALID_REQUEST", "订单未支付或已撤销")
        if total != order["total"]:
            return self.refusal(400, "INVALID_REQUEST", "订单金额与退款总金额不一致")
        earlier = [r for r in self.refunds.values() if r["out_trade_no"] == no]
        if len(earlier) >= MAX_REFUNDS:
            return self.refusal(400, "INVALID_REQUEST", "一笔订单最多退款50次")
        if sum(r["refund"] for r in earlier if r["status"] != "CLOSED") + refund > order["total"]:
            return self.refusal(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额")
        self.refunds[number] = {"out_trade_no": no, "refund": refund, "status": "PROCESSING", "body": body,
                                "refund_id": "50300" + secrets.token_hex(12)}
        return self.answer(200, self.refund_object(number))

    def refund_query(self, number: str) -> Answer:
        if number not in self.refunds:
            return self.refusal(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
        if self.refunds[number]["status"] == "PROCESSING" and self.refund_outcome:
            self.settle_refund(number, self.refund_outcome)
        return self.answer(200, self.refund_object(number))

    def settle_refund(self, number: str, status: str = "SUCCESS") -> None:
        """WeChat finishes a PROCESSING refund: SUCCESS (the money reaches the customer), ABNORMAL or CLOSED."""
        with self._lock:
            refund = self.refunds[number]
            assert refund["status"] == "PROCESSING" and status in ("SUCCESS", "ABNORMAL", "CLOSED")
            refund["status"] = status
            if status == "SUCCESS":
                self.ledger[refund["out_trade_no"]].refunded += refund["refund"]
                self.orders[refund["out_trade_no"]]["state"] = "REFUND"

    def resolve_abnormal(self, number: str) -> None:
        """The merchant sends an ABNORMAL refund on (商户平台, or 发起异常退款 to the customer's other card): the money
        waiting in WeChat's refund account reaches the customer and the refund turns SUCCESS."""
        with self._lock:
            refund = self.refunds[number]
            assert refund["status"] == "ABNORMAL"
            refund["status"] = "PROCESSING"
        self.settle_refund(number)

    def refund_object(self, number: str) -> dict:
        refund = self.refunds[number]
        no = refund["out_trade_no"]
        order = self.orders[no]
        data = {"refund_id": refund["refund_id"], "out_refund_no": number, "transaction_id": order["transaction_id"],
                "out_trade_no": no, "channel": "ORIGINAL", "user_received_account": "支付用户零钱",
                "create_time": STAMP, "status": refund["status"], "funds_account": "AVAILABLE",
                "amount": {"total": order["total"], "refund": refund["refund"], "payer_total": order["total"],
                           "payer_refund": refund["refund"], "settlement_total": order["total"],
                           "settlement_refund": refund["refund"], "discount_refund": 0, "currency": "CNY",
                           "refund_fee": 0}}
        if refund["status"] == "SUCCESS":
            data["success_time"] = STAMP
        return data

    def transaction(self, out_trade_no: str, /, **changes) -> dict:
        order = self.orders[out_trade_no]
        data = {"mchid": MCHID, "appid": APPID, "out_trade_no": out_trade_no, "trade_type": order["kind"],
                "trade_state": order["state"], "trade_state_desc": "", "attach": "",
                "amount": {"total": order["total"], "currency": "CNY"}}
        if order["state"] in ("SUCCESS", "REFUND"):
            data.update(transaction_id=order["transaction_id"], bank_type="OTHERS", payer={"openid": "oUpF8u"},
                        success_time=STAMP)
            data["amount"].update(payer_total=order["total"], payer_currency="CNY")
        return {**data, **changes}

    # -- the customer's side -------------------------------------------------------------------------------

    def pay(self, out_trade_no: str) -> bool:
        """The customer confirms a Native QR order in WeChat: refused once the merchant closed the order."""
        with self._lock:
            order = self.orders[out_trade_no]
            if order["state"] != "NOTPAY":
                return order["state"] == "SUCCESS"
            self._settle(out_trade_no)
            return True

    def issue_code(self, *, balance_fen: int = 1_000_000, password_asks: int = 0) -> str:
        """The 18-digit payment code the customer's WeChat shows (10-15 first, as WeChat's are)."""
        with self._lock:
            code = "13" + "".join(secrets.choice("0123456789") for _ in range(16))
            self.codes[code] = CustomerCode(balance_fen, password_asks)
            return code

    def kept(self, out_trade_no: str) -> int:
        """The money the merchant holds for this trade: paid, less refunded and reversed."""
        return self.ledger[out_trade_no].kept

    # -- notifies ------------------------------------------------------------------------------------------

    def _event(self, event_type: str, summary: str, original_type: str, plain: dict,
               apiv3_key: bytes | None) -> tuple[dict, bytes]:
        text = json.dumps(plain, ensure_ascii=False).encode()
        nonce = secrets.token_hex(6)  # 12 characters, as WeChat's nonces are
        ciphertext = AESGCM(apiv3_key or self.apiv3_key).encrypt(nonce.encode(), text, original_type.encode())
        body = json.dumps({
            "id": str(uuid.uuid4()), "create_time": STAMP, "resource_type": "encrypt-resource",
            "event_type": event_type, "summary": summary,
            "resource": {"original_type": original_type, "algorithm": "AEAD_AES_256_GCM",
                         "ciphertext": base64.b64encode(ciphertext).decode(), "associated_data": original_type,
                         "nonce": nonce}}, ensure_ascii=False).encode()
        return self.signed_headers(body), body

    def notify(self, out_trade_no: str, /, *, apiv3_key: bytes | None = None, **changes) -> tuple[dict, bytes]:
        """The TRANSACTION.SUCCESS callback WeChat Pay sends: headers and body."""
        return self._event("TRANSACTION.SUCCESS", "支付成功", "transaction",
                           self.transaction(out_trade_no, **changes), apiv3_key)

    def refund_notify(self, out_refund_no: str, /, *, apiv3_key: bytes | None = None,
                      event_type: str | None = None, **changes) -> tuple[dict, bytes]:
        """The REFUND.SUCCESS / REFUND.ABNORMAL / REFUND.CLOSED callback for a settled refund."""
        refund = self.refunds[out_refund_no]
        order = self.orders[refund["out_trade_no"]]
        plain = {"mchid": MCHID, "out_trade_no": refund["out_trade_no"], "transaction_id": order["transaction_id"],
                 "out_refund_no": out_refund_no, "refund_id": refund["refund_id"], "refund_status": refund["status"],
                 "user_received_account": "支付用户零钱",
                 "amount": {"total": order["total"], "refund": refund["refund"], "payer_total": order["total"],
                            "payer_refund": refund["refund"]}}
        if refund["status"] == "SUCCESS":
            plain["success_time"] = STAMP
        plain.update(changes)
        summary = {"SUCCESS": "退款成功", "ABNORMAL": "退款异常", "CLOSED": "退款关闭"}.get(plain["refund_status"], "")
        return self._event(event_type or f"REFUND.{plain['refund_status']}", summary, "refund", plain, apiv3_key)
