"""The 易支付-style gateway adapter: request and notify messages built from the published format, and FakeEpay
answering like the gateway on loopback (a real merchant account cannot run here)."""

from __future__ import annotations

import hashlib
import logging
import urllib.parse

import pytest

from kameng_platform.gateways.base import PaymentRequest
from kameng_platform.gateways.epay import EpayGateway, GatewayError, fen_to_yuan, sign, yuan_to_fen
from tests.platform.fake_epay import KEY as FAKE_KEY
from tests.platform.fake_epay import FakeEpay

KEY = "89unJUB8HZ54Hj7x4nUj56HN4nUzUJ8i"
# The documented example: sorted, empty values and sign/sign_type dropped, key appended without "&".
RECORDED = {"pid": "1001", "type": "alipay", "out_trade_no": "0192f0a4-7b7e", "notify_url": "http://p/notify",
            "name": "卡盟 KM-261123-0001", "money": "12.50", "clientip": "127.0.0.1", "return_url": ""}
RECORDED_TEXT = ("clientip=127.0.0.1&money=12.50&name=卡盟 KM-261123-0001&notify_url=http://p/notify"
                 "&out_trade_no=0192f0a4-7b7e&pid=1001&type=alipay" + KEY)
NOTIFY = {"pid": "1001", "trade_no": "2026112312345678", "out_trade_no": "0192f0a4-7b7e", "type": "alipay",
          "name": "卡盟 KM-261123-0001", "money": "12.50", "trade_status": "TRADE_SUCCESS", "sign_type": "MD5"}


def test_signature_and_create_params_follow_the_format() -> None:
    assert sign(RECORDED, KEY) == hashlib.md5(RECORDED_TEXT.encode()).hexdigest()
    gateway = EpayGateway("http://unused", "1001", KEY, "http://p/notify")
    params = gateway.create_params("0192f0a4-7b7e", 1250, "卡盟 KM-261123-0001", "alipay", "127.0.0.1")
    assert params["money"] == "12.50" and params["sign_type"] == "MD5"
    assert params["sign"] == sign(RECORDED, KEY)


def test_money_converts_without_floats() -> None:
    assert [fen_to_yuan(v) for v in (1, 1250, 100000)] == ["0.01", "12.50", "1000.00"]
    assert yuan_to_fen("12.50") == 1250 and yuan_to_fen("0.01") == 1
    for bad in ("12.5", "12", "-1.00", "1e3", "12.500"):
        with pytest.raises(GatewayError):
            yuan_to_fen(bad)


def test_notify_verification() -> None:
    gateway = EpayGateway("http://unused", "1001", KEY, "http://p/notify")
    good = {**NOTIFY, "sign": sign(NOTIFY, KEY)}
    note = gateway.check_params(good)
    assert (note.out_trade_no, note.amount_fen, note.paid) == ("0192f0a4-7b7e", 1250, True)
    # 易支付 sends the callback as a GET query (most) or a POST form (some): both verify the same way.
    encoded = urllib.parse.urlencode(good)
    assert gateway.verify_notify("GET", {}, encoded, b"") == note
    assert gateway.verify_notify("POST", {}, "", encoded.encode()) == note
    for tampered in ({**good, "money": "0.01"}, {**good, "sign": "0" * 32},
                     {**good, "pid": "2002", "sign": sign({**NOTIFY, "pid": "2002"}, KEY)}):
        with pytest.raises(GatewayError):
            gateway.check_params(tampered)


def request(payment_id: str, amount_fen: int) -> PaymentRequest:
    return PaymentRequest(payment_id, payment_id, amount_fen, "卡盟", 2_000_000_000, "http://unused")


def test_create_and_query_over_http(caplog) -> None:
    fake = FakeEpay()  # a 易支付 panel on loopback (tests/platform/fake_epay.py)
    try:
        gateway = fake.gateway()
        assert gateway.create(request("paid-1", 1250)).startswith("https://qr.alipay.com/bax0")
        assert gateway.create(request("p-1", 1250))
        fake.pay("paid-1")
        with caplog.at_level(logging.INFO, logger="httpx"):
            paid = gateway.query("paid-1")
        assert (paid.paid, paid.amount_fen, paid.trade_no) == (True, 1250, fake.orders["paid-1"]["trade_no"])
        assert gateway.query("p-1").paid is False
        # The query protocol puts the key in the URL; httpx's request log must not carry it.
        assert "api.php" in caplog.text and FAKE_KEY not in caplog.text
        with pytest.raises(GatewayError, match="签名错误"):
            fake.gateway(key="wrong-key").create(request("p-2", 100))
    finally:
        fake.stop()
    with pytest.raises(GatewayError):
        EpayGateway("http://127.0.0.1:9", "1001", KEY, "", timeout=2).query("x")
