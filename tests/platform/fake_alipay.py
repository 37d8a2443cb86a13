"""A fake Alipay open-platform gateway on loopback, written from the published protocol (a real app cannot run in
a test): it checks each request's RSA2 signature with the app's public key, keeps 当面付 trades, answers in
Alipay's JSON with `sign` over the exact response text, and signs notifies with its own key.

A precreated trade exists at Alipay only once the customer scans the QR (`scan`, or `pay`), as with the real
one: until then the query says ACQ.TRADE_NOT_EXIST. `alipay.trade.cancel` closes an unpaid or unknown trade and
refunds a paid one (action "refund"), as Alipay documents; `refunded` records the money that went back.

Counter calls: `issue_code` hands out a customer's 付款码 (one use, with a balance, asking for the password on
the first N queries or never); `alipay.trade.pay` (scene bar_code) charges it: 10000 paid, 10003 waiting for
the password, 40004 ACQ.PAYMENT_AUTH_CODE_INVALID / ACQ.BUYER_BALANCE_NOT_ENOUGH / ACQ.TRADE_HAS_CLOSE /
ACQ.TRADE_HAS_SUCCESS (the same out_trade_no again). `alipay.trade.refund` keeps one refund per out_request_no
(the same number again changes nothing: fund_change N), never more than was paid; `alipay.trade.fastpay.refund.
query` reports them. Every trade keeps a ledger in fen (`ledger`): taken from the customer, returned by refunds
and by a cancel. Faults: `down` (502 before anything happens), `lose_answers` (the call takes effect, its answer
is lost as a 502), `cancel_retries` (cancels answered retry_flag=Y, doing nothing), `slow_refunds` (accepted
with fund_change N, done only at `settle_refunds`), `extra_headers` (added to every answer).
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import urllib.parse
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kameng_platform.gateways.alipay import AlipayConfig, AlipayGateway
from tests.platform.rsa_keys import private_pem, public_pem, rsa_key

APP_ID = "2021000000000001"
BEIJING = timezone(timedelta(hours=8))
NOTIFY_URL = "https://platform.example/v1/gateways/alipay/notify"


def signed_string(params: dict[str, str], drop: tuple[str, ...]) -> bytes:
    """The documented string, written out here independently of the adapter's sign_content."""
    keys = sorted(k for k in params if k not in drop and params[k])
    return "&".join(k + "=" + params[k] for k in keys).encode("utf-8")


def fen(total: str) -> int | None:
    """The fake's own reading of an amount in 元 with two decimals (None: not one)."""
    whole, dot, cents = total.partition(".")
    if not (whole.isascii() and whole.isdigit() and dot and len(cents) == 2 and cents.isascii() and cents.isdigit()):
        return None
    return int(whole) * 100 + int(cents)


def yuan(amount: int) -> str:
    return f"{amount // 100}.{amount % 100:02d}"


def rsa2(key: rsa.RSAPrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


class FakeAlipay:
    def __init__(self) -> None:
        self.app_public = rsa_key("app").public_key()
        self.alipay_key = rsa_key("alipay")
        self.answer_key = self.alipay_key  # a test swaps it to forge answers
        self.orders: dict[str, dict] = {}
        self.calls: list[str] = []
        self.requests: list[dict[str, str]] = []
        self.refunded: dict[str, str] = {}  # out_trade_no -> 元 returned to the customer by a cancel
        self.codes: dict[str, dict] = {}  # auth_code -> {"balance": fen, "asks": password queries left or None}
        self.refunds: dict[tuple[str, str], dict] = {}  # (out_trade_no, out_request_no) -> {"fen", "done"}
        self.down = False
        self.lose_answers = 0
        self.cancel_retries = 0
        self.slow_refunds = False
        self.extra_headers: dict[str, str] = {}  # sent with every answer (a test's broken proxy: Content-Encoding)
        self._lock = threading.Lock()  # the server is threaded; one call at a time keeps the ledger exact
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, payload = fake.handle(self.path, self.headers.get("Content-Type", ""), body)
                self.send_response(status)
                self.send_header("Content-Type", "text/html;charset=utf-8")  # what Alipay sends
                for name, value in fake.extra_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/gateway.do"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def config(self, **changes) -> AlipayConfig:
        fields = dict(app_id=APP_ID, app_private_key_pem=private_pem(rsa_key("app")),
                      alipay_public_key_pem=public_pem(self.alipay_key), notify_url=NOTIFY_URL, gateway_url=self.url)
        return AlipayConfig(**{**fields, **changes})

    def gateway(self, **changes) -> AlipayGateway:
        return AlipayGateway(self.config(**changes), timeout=5.0)

    # -- the gateway's side --------------------------------------------------------------------------------

    def answer(self, method: str, response: dict, *, signed: bool = True) -> tuple[int, bytes]:
        key = method.replace(".", "_") + "_response"
        text = json.dumps(response, ensure_ascii=False, separators=(",", ":"))
        doc = f'{{"{key}":{text}'
        if signed:
            doc += f',"sign":"{rsa2(self.answer_key, text.encode())}"'
        return 200, (doc + "}").encode("utf-8")

    def check_request(self, params: dict[str, str]) -> bool:
        try:
            signature = base64.b64decode(params.get("sign", ""), validate=True)
            self.app_public.verify(signature, signed_string(params, ("sign",)), padding.PKCS1v15(), hashes.SHA256())
            sent = datetime.strptime(params["timestamp"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
        except (ValueError, KeyError, InvalidSignature):
            return False
        return (params.get("app_id") == APP_ID and params.get("format") == "JSON" and params.get("charset") == "utf-8"
                and params.get("sign_type") == "RSA2" and params.get("version") == "1.0"
                and abs(time.time() - sent.timestamp()) < 900)

    def handle(self, path: str, content_type: str, body: bytes) -> tuple[int, bytes]:
        if self.down:
            return 502, b"Bad Gateway"
        with self._lock:
            answer = self._handle(content_type, body)
            if self.lose_answers:
                self.lose_answers -= 1
                return 502, b"Bad Gateway"
            return answer

    def _handle(self, content_type: str, body: bytes) -> tuple[int, bytes]:
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return 400, b"not a form"
        params = dict(urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        method = params.get("method", "")
        self.calls.append(method)
        self.requests.append(params)
        if not self.check_request(params):  # Alipay answers a bad signature unsigned
            return self.answer(method, {"code": "40002", "msg": "Invalid Arguments",
                                        "sub_code": "isv.invalid-signature", "sub_msg": "验签出错"}, signed=False)
        biz = json.loads(params["biz_content"])
        no = biz.get("out_trade_no", "")
        if method == "alipay.trade.precreate":
            total = biz.get("total_amount", "")
            whole, _, cents = total.partition(".")
            if not (whole.isdigit() and len(cents) == 2 and cents.isdigit() and total != "0.00") or not biz.get(
                    "subject") or params.get("notify_url") != NOTIFY_URL:
                return self.answer(method, {"code": "40004", "msg": "Business Failed",
                                            "sub_code": "ACQ.INVALID_PARAMETER"})
            order = self.orders.setdefault(no, {"total": total, "state": "WAIT_BUYER_PAY", "scanned": False,
                                                "trade_no": "2026120122001" + secrets.token_hex(6), "biz": biz,
                                                "taken": 0, "returned": 0})
            if order["total"] != total:
                return self.answer(method, {"code": "40004", "msg": "Business Failed",
                                            "sub_code": "ACQ.CONTEXT_INCONSISTENT"})
            return self.answer(method, {"code": "10000", "msg": "Success", "out_trade_no": no,
                                        "qr_code": f"https://qr.alipay.com/bax0{no[:8]}"})
        if method == "alipay.trade.pay":
            return self.bar_code_pay(method, params, biz)
        if method == "alipay.trade.query":
            order = self.orders.get(no)
            if order is None or not order["scanned"]:
                return self.answer(method, {"code": "40004", "msg": "Business Failed",
                                            "sub_code": "ACQ.TRADE_NOT_EXIST", "sub_msg": "交易不存在"})
            if order.get("asks") is not None and order["state"] == "WAIT_BUYER_PAY":
                if order["asks"] == 0:  # the customer has entered the password
                    self.pay(no)
                else:
                    order["asks"] -= 1
            return self.answer(method, {"code": "10000", "msg": "Success", **self.trade(no)})
        if method == "alipay.trade.cancel":
            if self.cancel_retries:
                self.cancel_retries -= 1
                return self.answer(method, {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.SYSTEM_ERROR",
                                            "out_trade_no": no, "retry_flag": "Y"})
            order = self.orders.setdefault(no, {"total": "0.00", "state": "WAIT_BUYER_PAY", "scanned": False,
                                                "trade_no": "", "taken": 0, "returned": 0})
            action = "close"
            if order["state"] == "TRADE_SUCCESS":
                action, self.refunded[no] = "refund", order["total"]
                order["returned"] = order["taken"]  # what earlier partial refunds left goes back too
            order["state"] = "TRADE_CLOSED"
            return self.answer(method, {"code": "10000", "msg": "Success", "out_trade_no": no,
                                        "trade_no": order["trade_no"], "retry_flag": "N", "action": action})
        if method == "alipay.trade.refund":
            return self.refund(method, biz)
        if method == "alipay.trade.fastpay.refund.query":
            order = self.orders.get(no)
            if order is None or not order["scanned"]:
                return self.failed(method, "ACQ.TRADE_NOT_EXIST")
            refund = self.refunds.get((no, biz.get("out_request_no", "")))
            found = {"out_trade_no": no, "trade_no": order["trade_no"]}
            if refund is not None and refund["done"]:  # not yet done: Alipay answers without the refund
                found.update(out_request_no=biz["out_request_no"], refund_amount=yuan(refund["fen"]),
                             total_amount=order["total"], refund_status="REFUND_SUCCESS")
            return self.answer(method, {"code": "10000", "msg": "Success", **found})
        return self.answer(method, {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.UNKNOWN_METHOD"})

    def failed(self, method: str, sub_code: str) -> tuple[int, bytes]:
        return self.answer(method, {"code": "40004", "msg": "Business Failed", "sub_code": sub_code,
                                    "sub_msg": "业务失败"})

    def bar_code_pay(self, method: str, params: dict[str, str], biz: dict) -> tuple[int, bytes]:
        no, total, code = biz.get("out_trade_no", ""), biz.get("total_amount", ""), biz.get("auth_code", "")
        if (biz.get("scene") != "bar_code" or fen(total) is None or not biz.get("subject")
                or params.get("notify_url") != NOTIFY_URL):
            return self.failed(method, "ACQ.INVALID_PARAMETER")
        order = self.orders.get(no)
        if order is not None:  # the same out_trade_no again: the trade it already is
            if order["total"] != total:
                return self.failed(method, "ACQ.CONTEXT_INCONSISTENT")
            if order["state"] == "TRADE_CLOSED":
                return self.failed(method, "ACQ.TRADE_HAS_CLOSE")
            if order["state"] == "TRADE_SUCCESS":
                return self.failed(method, "ACQ.TRADE_HAS_SUCCESS")
            return self.answer(method, {"code": "10003", "msg": "Business Failed", "out_trade_no": no,
                                        "trade_no": order["trade_no"], "total_amount": total})
        wallet = self.codes.pop(code, None)  # a 付款码 pays once
        if wallet is None:
            return self.failed(method, "ACQ.PAYMENT_AUTH_CODE_INVALID")
        if wallet["balance"] < fen(total):
            return self.failed(method, "ACQ.BUYER_BALANCE_NOT_ENOUGH")
        self.orders[no] = {"total": total, "state": "WAIT_BUYER_PAY", "scanned": True, "biz": biz,
                           "trade_no": "2026120122001" + secrets.token_hex(6), "asks": wallet["asks"],
                           "taken": 0, "returned": 0}
        if wallet["asks"] is not None and wallet["asks"] == 0:
            self.pay(no)
            return self.answer(method, {"code": "10000", "msg": "Success", **self.trade(no),
                                        "gmt_payment": datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S")})
        return self.answer(method, {"code": "10003", "msg": " order success pay inprocess", "out_trade_no": no,
                                    "trade_no": self.orders[no]["trade_no"], "total_amount": total})

    def refund(self, method: str, biz: dict) -> tuple[int, bytes]:
        no, number, amount = biz.get("out_trade_no", ""), biz.get("out_request_no", ""), fen(
            biz.get("refund_amount", ""))
        order = self.orders.get(no)
        if amount is None or amount == 0 or not number:
            return self.failed(method, "ACQ.INVALID_PARAMETER")
        if order is None or not order["scanned"]:
            return self.failed(method, "ACQ.TRADE_NOT_EXIST")
        if biz.get("trade_no") not in (None, order["trade_no"]):
            return self.failed(method, "ACQ.TRADE_NOT_EXIST")
        earlier = self.refunds.get((no, number))
        if earlier is not None:  # one out_request_no is one refund
            if earlier["fen"] != amount:
                return self.failed(method, "ACQ.DISCORDANT_REPEAT_REQUEST")
            return self.answer(method, self.refund_answer(no, "N"))
        if order["state"] != "TRADE_SUCCESS":
            return self.failed(method, "ACQ.TRADE_STATUS_ERROR")
        if order["returned"] + amount > order["taken"]:
            return self.failed(method, "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL")
        self.refunds[(no, number)] = {"fen": amount, "done": False}
        if self.slow_refunds:
            return self.answer(method, self.refund_answer(no, "N"))
        self.settle(no, number)
        return self.answer(method, self.refund_answer(no, "Y"))

    def settle(self, no: str, number: str) -> None:
        refund, order = self.refunds[(no, number)], self.orders[no]
        refund["done"] = True
        order["returned"] += refund["fen"]
        if order["returned"] == order["taken"]:
            order["state"] = "TRADE_CLOSED"  # refunded in full, as Alipay shows it

    def settle_refunds(self) -> None:
        with self._lock:
            for (no, number), refund in self.refunds.items():
                if not refund["done"]:
                    self.settle(no, number)

    def refund_answer(self, no: str, fund_change: str) -> dict:
        order = self.orders[no]
        return {"code": "10000", "msg": "Success", "trade_no": order["trade_no"], "out_trade_no": no,
                "buyer_logon_id": "159****5620", "fund_change": fund_change,
                "refund_fee": yuan(order["returned"]), "send_back_fee": yuan(order["returned"])}

    def trade(self, no: str) -> dict[str, str]:
        order = self.orders[no]
        return {"trade_no": order["trade_no"], "out_trade_no": no, "buyer_logon_id": "159****5620",
                "trade_status": order["state"], "total_amount": order["total"]}

    # -- the customer's side -------------------------------------------------------------------------------

    def scan(self, no: str) -> None:
        self.orders[no]["scanned"] = True

    def pay(self, no: str) -> bool:
        """The customer confirms in Alipay: refused once the merchant cancelled the trade."""
        order = self.orders[no]
        if order["state"] == "TRADE_CLOSED":
            return False
        if order["state"] != "TRADE_SUCCESS":
            order["taken"] = order.get("taken", 0) + fen(order["total"])
        order.update(scanned=True, state="TRADE_SUCCESS")
        return True

    def issue_code(self, *, balance_fen: int = 1_000_000, password_asks: int | None = 0) -> str:
        """A customer's 付款码 (28 + 16 digits, the published format): the first `password_asks` queries find the
        trade waiting for the password, then it is paid; None: the customer never enters it."""
        code = "28" + "".join(secrets.choice("0123456789") for _ in range(16))
        self.codes[code] = {"balance": balance_fen, "asks": password_asks}
        return code

    def ledger(self, no: str) -> tuple[int, int]:
        """(fen taken from the customer, fen returned to them) for one trade."""
        order = self.orders.get(no, {})
        return order.get("taken", 0), order.get("returned", 0)

    def notify(self, no: str, /, *, key: rsa.RSAPrivateKey | None = None, **changes: str) -> dict[str, str]:
        """The trade_status_sync notify Alipay posts, as form fields (signed after `changes`)."""
        order = self.orders[no]
        params = {"notify_time": datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
                  "notify_type": "trade_status_sync", "notify_id": secrets.token_hex(16), "app_id": APP_ID,
                  "charset": "utf-8", "version": "1.0", "sign_type": "RSA2", "trade_no": order["trade_no"],
                  "out_trade_no": no, "trade_status": order["state"], "total_amount": order["total"],
                  "receipt_amount": order["total"], "buyer_pay_amount": order["total"], "subject": "卡盟",
                  "gmt_payment": datetime.now(BEIJING).strftime("%Y-%m-%d %H:%M:%S"), "buyer_logon_id": "159****5620",
                  **changes}
        params["sign"] = rsa2(key or self.alipay_key, signed_string(params, ("sign", "sign_type")))
        return params
