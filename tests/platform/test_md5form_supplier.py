"""The MD5-signed form supplier adapter against messages recorded from the documented format, and
against a loopback server that answers like the supplier (a real supplier cannot run here)."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse
from typing import ClassVar

import pytest

from kameng_platform.suppliers.base import SupplierError, TopupRequest
from kameng_platform.suppliers.md5form import Md5FormSupplier, sign, verify

KEY = "7f3c2a9d1e"
# Recorded from the documented example: parameters sorted, empty ones dropped, "&key=" appended.
RECORDED_REQUEST = {
    "account": "13812345678", "amount": "5000", "merchant_id": "10086", "notify_url": "",
    "order_no": "0192f0a4-7b7e-7c3e-9b1a-3f1d2c4b5a69", "product_code": "hf50", "timestamp": "1763866800",
}
RECORDED_SIGN_TEXT = ("account=13812345678&amount=5000&merchant_id=10086&order_no=0192f0a4-7b7e-7c3e-9b1a-3f1d2c4b5a69"
                      "&product_code=hf50&timestamp=1763866800&key=7f3c2a9d1e")
RECORDED_CALLBACK = {"merchant_id": "10086", "order_no": "0192f0a4-7b7e-7c3e-9b1a-3f1d2c4b5a69",
                     "status": "success", "timestamp": "1763866830"}


def test_signature_matches_the_documented_construction() -> None:
    import hashlib

    assert sign(RECORDED_REQUEST, KEY) == hashlib.md5(RECORDED_SIGN_TEXT.encode()).hexdigest()
    supplier = Md5FormSupplier("http://unused", "10086", KEY, clock=lambda: 1763866800)
    built = supplier.build("recharge", order_no=RECORDED_REQUEST["order_no"], product_code="hf50",
                           account="13812345678", amount="5000", notify_url="")
    assert built == {**RECORDED_REQUEST, "sign": sign(RECORDED_REQUEST, KEY)}


def test_callback_verification() -> None:
    supplier = Md5FormSupplier("http://unused", "10086", KEY)
    good = {**RECORDED_CALLBACK, "sign": sign(RECORDED_CALLBACK, KEY)}
    order_no, result = supplier.parse_callback(good)
    assert order_no == RECORDED_CALLBACK["order_no"] and result.state == "succeeded"
    for tampered in ({**good, "status": "failed"}, {**good, "sign": "0" * 32}, {**good, "merchant_id": "1"}):
        with pytest.raises(SupplierError):
            supplier.parse_callback(tampered)
    assert verify({**good, "sign": good["sign"].upper()}, KEY)


class FakeSupplier(http.server.BaseHTTPRequestHandler):
    """Answers like the documented supplier; remembers orders by order_no (idempotent)."""

    orders: ClassVar[dict[str, str]] = {}

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if not verify(form, KEY):
            body = {"code": 1001, "msg": "sign error"}
        elif self.path == "/api/recharge":
            if form["order_no"] in self.orders:
                body = {"code": 1002, "msg": "duplicate order"}
            else:
                self.orders[form["order_no"]] = "failed" if form["account"].startswith("170") else "success"
                body = {"code": 0, "status": "processing", "msg": "accepted"}
        else:
            state = self.orders.get(form["order_no"])
            found = {"code": 0, "status": state, "msg": "号码欠费"}
            body = {"code": 1004, "msg": "not found"} if state is None else found
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def supplier_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSupplier)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_submit_query_and_duplicate_over_http(supplier_url) -> None:
    supplier = Md5FormSupplier(supplier_url, "10086", KEY)
    ok = TopupRequest("order-1", "hf50", "13812345678", 5000)
    assert supplier.submit(ok).state == "pending"
    assert supplier.submit(ok).state == "succeeded"  # a resend of the same key becomes a query
    assert supplier.query("order-1").state == "succeeded"
    assert supplier.query("never-sent").state == "unknown"
    supplier.submit(TopupRequest("order-2", "hf50", "17012345678", 5000))
    failed = supplier.query("order-2")
    assert failed.state == "failed" and failed.reason == "号码欠费"
    wrong_key = Md5FormSupplier(supplier_url, "10086", "not-the-key")
    with pytest.raises(SupplierError, match="sign error"):  # a refused query is no reason to refund
        wrong_key.query("order-1")
    assert wrong_key.submit(TopupRequest("order-3", "hf50", "13812345678", 5000)).state == "failed"


def test_unreachable_supplier_is_an_unknown_outcome() -> None:
    with pytest.raises(SupplierError):
        Md5FormSupplier("http://127.0.0.1:9", "10086", KEY, timeout=2).query("x")
