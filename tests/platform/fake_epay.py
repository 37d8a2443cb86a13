"""A fake 易支付 panel on loopback, written from the protocol as 彩虹易支付 serves it (a real merchant account cannot
run in a test): `mapi.php` checks the MD5 form signature and opens an order, `api.php?act=order` (GET, pid + key)
reports it, `api.php?act=refund` (POST form, pid + key, trade_no or out_trade_no, money) refunds a paid order once
and marks it refunded (status 2), refusing a second refund, an amount above the order's, an unpaid order, and
any refund while the merchant's 订单退款API is off (`refund_api`). `new_style` answers a refund the way newer
彩虹易支付 versions do (code 0 with the money) instead of code 1. Each order keeps a ledger in fen (`ledger`).
Faults: `down` (nothing answers), `lose_answers` (the call takes effect, its answer is lost as a 502),
`extra_headers` (added to every answer).
"""

from __future__ import annotations

import json
import secrets
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kameng_platform.gateways.epay import EpayGateway, sign

PID = "1001"
KEY = "89unJUB8HZ54Hj7x4nUj56HN4nUzUJ8i"
NOTIFY_URL = "http://platform.example/v1/gateways/epay/notify"


def fen(money: str) -> int | None:
    """The panel's own reading of a 元 amount (two decimals at most), independent of the adapter's."""
    whole, _, cents = money.partition(".")
    if not (whole.isascii() and whole.isdigit() and len(cents) <= 2 and (cents == "" or cents.isdigit())):
        return None
    return int(whole) * 100 + int(cents.ljust(2, "0"))


class FakeEpay:
    def __init__(self) -> None:
        self.orders: dict[str, dict] = {}  # out_trade_no -> {"trade_no", "money", "status", "taken", "returned"}
        self.calls: list[tuple[str, str, dict[str, str]]] = []  # (HTTP method, path with query, form)
        self.refund_api = True
        self.new_style = False
        self.down = False
        self.lose_answers = 0
        self.extra_headers: dict[str, str] = {}  # sent with every answer (a test's broken proxy: Content-Encoding)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, form: dict[str, str]) -> None:
                status, payload = fake.handle(self.command, self.path, form)
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for name, value in fake.extra_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                self._serve({})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
                self._serve(dict(urllib.parse.parse_qsl(body, keep_blank_values=True)))

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def gateway(self, *, key: str = KEY, refund: bool = True, **kwargs) -> EpayGateway:
        return EpayGateway(self.url, PID, key, NOTIFY_URL, refund=refund, timeout=5.0, **kwargs)

    # -- the panel's side ----------------------------------------------------------------------------------

    def handle(self, command: str, path: str, form: dict[str, str]) -> tuple[int, bytes]:
        if self.down:
            return 502, b"<html>Bad Gateway</html>"
        url = urllib.parse.urlsplit(path)
        query = dict(urllib.parse.parse_qsl(url.query))
        with self._lock:
            self.calls.append((command, path, form))
            answer = self._route(command, url.path, query, form)
            if self.lose_answers:
                self.lose_answers -= 1
                return 502, b"<html>Bad Gateway</html>"
        return 200, json.dumps(answer, ensure_ascii=False).encode("utf-8")

    def _route(self, command: str, path: str, query: dict[str, str], form: dict[str, str]) -> dict:
        if path == "/mapi.php" and command == "POST":
            return self.create(form)
        if path == "/api.php" and query.get("act") == "order":
            return self.order(query)
        if path == "/api.php" and query.get("act") == "refund" and command == "POST":  # act in the query string
            return self.refund(form)
        return {"code": -5, "msg": "No Act!"}

    def create(self, form: dict[str, str]) -> dict:
        if form.get("pid") != PID or sign(form, KEY) != form.get("sign"):
            return {"code": -1, "msg": "签名错误"}
        no, money = form.get("out_trade_no", ""), form.get("money", "")
        order = self.orders.setdefault(no, {"trade_no": "2026120112" + secrets.token_hex(5), "money": money,
                                            "status": 0, "taken": 0, "returned": 0})
        return {"code": 1, "msg": "success", "trade_no": order["trade_no"],
                "qrcode": f"https://qr.alipay.com/bax0{order['trade_no'][-8:]}"}

    def merchant_error(self, params: dict[str, str]) -> dict | None:
        if params.get("pid") != PID:
            return {"code": -3, "msg": "商户ID不存在"}
        if params.get("key") != KEY:
            return {"code": -3, "msg": "商户密钥错误"}
        return None

    def order(self, query: dict[str, str]) -> dict:
        if error := self.merchant_error(query):
            return error
        no = query.get("out_trade_no", "")
        order = self.orders.get(no)
        if order is None:
            return {"code": -1, "msg": "订单号不存在"}
        return {"code": 1, "msg": "查询订单号成功！", "trade_no": order["trade_no"], "out_trade_no": no,
                "type": "alipay", "pid": PID, "name": "卡盟", "money": order["money"], "status": order["status"]}

    def refund(self, form: dict[str, str]) -> dict:
        if error := self.merchant_error(form):
            return error
        if not self.refund_api:
            return {"code": -2, "msg": "商户未开启订单退款API接口"}
        amount = fen(form.get("money", "").strip())
        if amount is None:
            return {"code": -1, "msg": "金额输入错误"}
        if form.get("trade_no"):
            found = [no for no, o in self.orders.items() if o["trade_no"] == form["trade_no"]]
        else:
            found = [form["out_trade_no"]] if form.get("out_trade_no") in self.orders else []
        if not form.get("trade_no") and not form.get("out_trade_no"):
            return {"code": -4, "msg": "订单号不能为空"}
        if not found:
            return {"code": -1, "msg": "当前订单不存在！"}
        order = self.orders[found[0]]
        if order["status"] != 1:
            return {"code": -1, "msg": "只支持退款已支付状态的订单"}
        if amount > fen(order["money"]):
            return {"code": -1, "msg": "退款金额不能大于订单金额"}
        order["returned"] += amount
        order["status"] = 2
        if self.new_style:
            return {"code": 0, "msg": f"退款成功！退款金额￥{form['money']}", "uid": PID, "money": form["money"],
                    "reducemoney": form["money"]}
        return {"code": 1, "msg": "退款成功", "money": form["money"]}

    # -- the customer's side -------------------------------------------------------------------------------

    def pay(self, no: str) -> None:
        order = self.orders[no]
        if order["status"] == 0:
            order.update(status=1, taken=fen(order["money"]))

    def notify(self, no: str) -> dict[str, str]:
        order = self.orders[no]
        params = {"pid": PID, "trade_no": order["trade_no"], "out_trade_no": no, "type": "alipay", "name": "卡盟",
                  "money": order["money"], "trade_status": "TRADE_SUCCESS", "sign_type": "MD5"}
        return {**params, "sign": sign(params, KEY)}

    def ledger(self, no: str) -> tuple[int, int]:
        """(fen the customer paid, fen returned to them) for one order."""
        order = self.orders.get(no, {})
        return order.get("taken", 0), order.get("returned", 0)
