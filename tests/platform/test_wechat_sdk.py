"""Cross-checks with wechatpayv3 (an independent WeChat Pay APIv3 SDK, tests only): our Authorization header is
byte for byte what the SDK builds, the SDK's own requests pass FakeWechat's checks and FakeWechat's answers pass the
SDK's signature check, and the fake's payment and refund notifies verify and decrypt with the SDK's callback. So
the fake and our adapter do not merely agree with each other."""

from __future__ import annotations

import json
import secrets
import uuid

import pytest
from wechatpayv3 import WeChatPay, WeChatPayType, utils

from kameng_platform.gateways.base import CodePaymentRequest, RefundRequest, RefundState
from tests.platform.fake_wechat import APPID, MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, FakeWechat
from tests.platform.rsa_keys import private_pem, public_pem, rsa_key


@pytest.fixture
def fake():
    server = FakeWechat(secrets.token_hex(16).encode())
    yield server
    server.stop()


def sdk(fake: FakeWechat) -> WeChatPay:
    client = WeChatPay(wechatpay_type=WeChatPayType.CODEPAY, mchid=MCHID,
                       private_key=private_pem(rsa_key("merchant")).decode(), cert_serial_no=MERCHANT_SERIAL,
                       appid=APPID, apiv3_key=fake.apiv3_key.decode(), notify_url=fake.config().notify_url,
                       public_key=public_pem(fake.platform_key).decode(), public_key_id=PLATFORM_SERIAL, timeout=5)
    client._core._gate_way = fake.url  # the SDK has no base-URL option: point it at the loopback fake
    return client


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/v3/pay/transactions/codepay", json.dumps({"appid": APPID, "payer": {"auth_code": "1"}})),
    ("GET", f"/v3/pay/transactions/out-trade-no/KM0001?mchid={MCHID}", ""),
    ("POST", "/v3/refund/domestic/refunds", json.dumps({"out_refund_no": str(uuid.uuid4())}))])
def test_our_authorization_is_what_the_sdk_builds(fake, monkeypatch, method: str, path: str, body: str) -> None:
    monkeypatch.setattr(utils.time, "time", lambda: 1764579600.5)  # the SDK reads the clock itself
    nonce = secrets.token_hex(16).upper()
    ours = fake.gateway().authorization(method, path, body.encode(), timestamp=1764579600, nonce=nonce)
    theirs = utils.build_authorization(path, method, MCHID, MERCHANT_SERIAL,
                                       utils.load_private_key(private_pem(rsa_key("merchant")).decode()),
                                       data=body, nonce_str=nonce)
    assert ours == theirs  # PKCS#1 v1.5 signatures are deterministic: the same string, the same signature


def test_the_sdk_talks_to_the_fake_and_verifies_its_answers(fake) -> None:
    client = sdk(fake)
    code, out_trade_no = fake.issue_code(), "sdk" + secrets.token_hex(8)
    status, text = client.pay(description="卡盟", out_trade_no=out_trade_no, amount={"total": 990, "currency": "CNY"},
                              payer={"auth_code": code}, scene_info={"store_info": {"out_id": "0001"}},
                              pay_type=WeChatPayType.CODEPAY)  # named, or the SDK adds a notify_url
    assert status == 200 and json.loads(text)["trade_state"] == "SUCCESS"  # the fake took the SDK's signature
    status, text = client.query(out_trade_no=out_trade_no)
    assert (status, json.loads(text)["amount"]["total"]) == (200, 990)
    number = str(uuid.uuid4())
    status, text = client.refund(out_refund_no=number, amount={"refund": 300, "total": 990, "currency": "CNY"},
                                 out_trade_no=out_trade_no, reason="退货")
    assert (status, json.loads(text)["status"]) == (200, "PROCESSING")
    status, text = client.query_refund(out_refund_no=number)
    assert (status, json.loads(text)["status"]) == (200, "SUCCESS")
    waiting = "sdk" + secrets.token_hex(8)
    client.pay(description="卡盟", out_trade_no=waiting, amount={"total": 500, "currency": "CNY"},
               payer={"auth_code": fake.issue_code(password_asks=10**6)}, scene_info={"store_info": {"out_id": "1"}},
               pay_type=WeChatPayType.CODEPAY)
    status, text = client.codepay_reverse(out_trade_no=waiting)
    assert (status, json.loads(text)["out_trade_no"]) == (200, waiting)
    assert fake.orders[waiting]["state"] == "REVOKED"
    fake.answer_key = rsa_key("stranger")
    with pytest.raises(Exception, match="failed to verify the signature"):  # the SDK refuses the forgery too
        client.query(out_trade_no=out_trade_no)


def test_the_sdk_and_our_adapter_read_the_same_notifies(fake) -> None:
    client, gateway = sdk(fake), fake.gateway()
    payment_id = str(uuid.uuid4())
    no = gateway.out_trade_no(payment_id)
    paid = gateway.pay_code(CodePaymentRequest(payment_id, no, 1250, "卡盟", fake.issue_code()))
    number = str(uuid.uuid4())
    gateway.refund(RefundRequest(number, no, paid.trade_no, 400, 1250, "退货"))
    fake.settle_refund(number)

    headers, body = fake.refund_notify(number)
    theirs = client.callback(headers, body)
    ours = gateway.verify_notify("POST", headers, "", body)
    assert theirs["event_type"] == "REFUND.SUCCESS" and theirs["resource"]["mchid"] == MCHID
    assert (theirs["resource"]["out_refund_no"], theirs["resource"]["amount"]["refund"]) == (ours.out_refund_no, 400)
    assert (theirs["resource"]["refund_id"], ours.state) == (ours.refund_no, RefundState.SUCCEEDED)

    headers, body = fake.notify(no)
    theirs, ours = client.callback(headers, body), gateway.verify_notify("POST", headers, "", body)
    assert (theirs["resource"]["out_trade_no"], theirs["resource"]["transaction_id"]) == (no, ours.trade_no)

    forged = fake.signed_headers(body, key=rsa_key("stranger"))
    assert client.callback(forged, body) is None  # the SDK refuses what our adapter refuses
    headers, body = fake.refund_notify(number, apiv3_key=secrets.token_bytes(16).hex().encode())
    assert client.callback(headers, body) is None  # and does not decrypt with another APIv3 key
