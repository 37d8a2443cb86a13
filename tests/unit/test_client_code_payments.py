"""The sync client's counter-payment calls (payment_options, pay_code, code_payment) over real HTTP on loopback.

The server answers as the wire contract (kameng_desk/records/payment_port.py) says, including its refusals and an
older platform's reply without options; what it received is kept to check the request. The real platform's side is
exercised by tests/integration/test_code_payments.py.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kameng_desk.records.payment_port import (
    CodePayment,
    PaymentOption,
    PlatformUnreachableError,
    UnknownPaymentCodeError,
)
from kameng_desk.sync.client import PlatformClient
from kameng_desk.sync.errors import PlatformRefusedError

AUTH_CODE = "134567890123456789"


class Platform(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.replies: dict[tuple[str, str], tuple[int, object]] = {}
        self.received: list[tuple[str, str, dict | None]] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Platform

    def _reply(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.server.received.append((self.command, self.path, body))
        status, reply = self.server.replies[(self.command, self.path)]
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _reply

    def log_message(self, *_args) -> None:  # quiet
        pass


@pytest.fixture
def platform():
    server = Platform()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def client(platform):
    c = PlatformClient(platform.url, "term-1", "secret")
    yield c
    c.close()


def test_payment_options_say_which_apps_pay_and_what_each_gateway_does(platform, client) -> None:
    platform.replies[("GET", "/v1/payment-methods")] = (200, {
        "methods": ["wechat", "alipay", "epay"],
        "options": [{"method": "wechat", "apps": ["wechat"], "code_apps": ["wechat"], "can_refund": True},
                    {"method": "alipay", "apps": ["alipay", "unionpay"], "code_apps": [], "can_refund": True}]})
    assert client.payment_options() == [PaymentOption("wechat", ("wechat",), ("wechat",), True),
                                        PaymentOption("alipay", ("alipay",), (), True),  # no mark for unionpay
                                        PaymentOption("epay", (), (), False)]  # not described: nothing assumed
    assert client.payment_methods() == ["wechat", "alipay", "epay"]
    assert len(platform.received) == 1  # asked once for both


def test_an_older_platform_without_options_offers_its_methods_without_marks(platform, client) -> None:
    platform.replies[("GET", "/v1/payment-methods")] = (200, {"methods": ["sandbox"]})
    assert client.payment_options() == [PaymentOption("sandbox", (), (), False)]


def test_malformed_options_are_an_unreadable_reply(platform, client) -> None:
    platform.replies[("GET", "/v1/payment-methods")] = (200, {"methods": ["wechat"], "options": [{"apps": []}]})
    with pytest.raises(PlatformUnreachableError):
        client.payment_options()


def test_pay_code_sends_a_code_payment_and_reads_the_answer(platform, client) -> None:
    platform.replies[("POST", "/v1/payments")] = (200, {
        "payment_id": "pay-1", "status": "pending", "kind": "code", "method": "wechat", "app": "wechat",
        "failure": None, "amount_fen": 999})
    answer = client.pay_code(payment_id="pay-1", order_id="order-1", amount_fen=999, auth_code=AUTH_CODE,
                             description="卡盟 0001")
    assert answer == CodePayment("pending", "wechat", "wechat", None)
    [(_, _, body)] = platform.received
    assert body == {"payment_id": "pay-1", "order_id": "order-1", "amount_fen": 999, "kind": "code",
                    "auth_code": AUTH_CODE, "description": "卡盟 0001"}  # no method: the platform picks it


def test_code_payment_reads_a_failure(platform, client) -> None:
    platform.replies[("GET", "/v1/payments/pay-1")] = (200, {
        "payment_id": "pay-1", "status": "failed", "kind": "code", "method": "alipay", "app": "alipay",
        "failure": "ACQ.BUYER_BALANCE_NOT_ENOUGH", "amount_fen": 999, "refunds": []})
    assert client.code_payment("pay-1") == CodePayment("failed", "alipay", "alipay", "ACQ.BUYER_BALANCE_NOT_ENOUGH")


@pytest.mark.parametrize("code", ["unknown_payment_code", "code_not_supported"])
def test_a_code_the_platform_cannot_charge_is_unknown_and_never_repeated(platform, client, code, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    # A platform that echoes the code in its message: the desk still never shows or logs it.
    platform.replies[("POST", "/v1/payments")] = (400, {"error": {"code": code,
                                                                   "message": f"auth_code {AUTH_CODE} unknown"}})
    with pytest.raises(UnknownPaymentCodeError) as raised:
        client.pay_code(payment_id="pay-1", order_id="order-1", amount_fen=100, auth_code=AUTH_CODE,
                        description="")
    assert AUTH_CODE not in str(raised.value) and "unknown" in str(raised.value)
    assert raised.value.__cause__ is None and raised.value.__suppress_context__
    assert AUTH_CODE not in caplog.text


def test_another_refusal_keeps_its_code_but_not_the_auth_code(platform, client) -> None:
    platform.replies[("POST", "/v1/payments")] = (400, {"error": {"code": "bad_request",
                                                                   "message": f"body.kind: {AUTH_CODE}"}})
    with pytest.raises(PlatformRefusedError) as raised:
        client.pay_code(payment_id="pay-1", order_id="order-1", amount_fen=100, auth_code=AUTH_CODE,
                        description="")
    assert raised.value.code == "bad_request" and raised.value.status == 400
    assert AUTH_CODE not in str(raised.value) and raised.value.__suppress_context__


def test_a_reply_without_the_app_is_unreadable(platform, client) -> None:
    platform.replies[("GET", "/v1/payments/pay-1")] = (200, {"payment_id": "pay-1", "status": "pending",
                                                              "amount_fen": 100})  # a QR payment's answer
    with pytest.raises(PlatformUnreachableError):
        client.code_payment("pay-1")


def test_an_unreachable_platform_is_unknown_not_negative(client, platform) -> None:
    platform.shutdown()
    platform.server_close()
    with pytest.raises(PlatformUnreachableError) as raised:
        client.pay_code(payment_id="pay-1", order_id="order-1", amount_fen=100, auth_code=AUTH_CODE,
                        description="")
    assert AUTH_CODE not in str(raised.value)
