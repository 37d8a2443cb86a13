"""The 易支付-style gateway adapter: request and notify messages built from the published format, and a
loopback server answering like the gateway (a real merchant account cannot run here)."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from kameng_platform.gateways.epay import EpayGateway, GatewayError, fen_to_yuan, sign, yuan_to_fen

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
    note = gateway.verify_notify(good)
    assert (note.payment_id, note.amount_fen, note.paid) == ("0192f0a4-7b7e", 1250, True)
    for tampered in ({**good, "money": "0.01"}, {**good, "sign": "0" * 32},
                     {**good, "pid": "2002", "sign": sign({**NOTIFY, "pid": "2002"}, KEY)}):
        with pytest.raises(GatewayError):
            gateway.verify_notify(tampered)


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/mapi.php":
        form = dict(httpx.QueryParams(request.content.decode()))
        if sign(form, KEY) != form["sign"]:
            return httpx.Response(200, json={"code": -1, "msg": "签名错误"})
        return httpx.Response(200, json={"code": 1, "trade_no": "T1", "qrcode": "https://qr.alipay.com/bax01"})
    if request.url.path == "/api.php":
        paid = request.url.params["out_trade_no"] == "paid-1"
        return httpx.Response(200, json={"code": 1, "status": 1 if paid else 0})
    return httpx.Response(404)


def test_create_and_query_over_http() -> None:
    # httpx.MockTransport stands in for the gateway's server: a real merchant account cannot run here.
    gateway = EpayGateway("https://pay.example", "1001", KEY, "http://p/notify",
                          transport=httpx.MockTransport(handler))
    assert gateway.create("p-1", 1250, "卡盟") == "https://qr.alipay.com/bax01"
    assert gateway.query("paid-1") is True and gateway.query("p-1") is False
    wrong = EpayGateway("https://pay.example", "1001", "wrong-key", "http://p/notify",
                        transport=httpx.MockTransport(handler))
    with pytest.raises(GatewayError, match="签名错误"):
        wrong.create("p-2", 100, "卡盟")
    with pytest.raises(GatewayError):
        EpayGateway("http://127.0.0.1:9", "1001", KEY, "", timeout=2).query("x")
