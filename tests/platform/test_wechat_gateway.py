"""The WeChat Pay Native (APIv3) adapter against `FakeWechat` (tests/platform/fake_wechat.py), a WeChat Pay server
on loopback written from the published formats (request signature, answer and notify signatures,
AEAD_AES_256_GCM resource) with test RSA keys made here: a real merchant account cannot run in a test.
FakeWechat also plays WeChat Pay for the platform tests (test_gateway_payments.py)."""

from __future__ import annotations

import base64
import re
import secrets
import time
import uuid
from datetime import datetime

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from kameng_platform.gateways.base import GatewayConfigError, GatewayError, PaymentRequest
from kameng_platform.gateways.registry import build_registry
from kameng_platform.gateways.wechat import WechatGateway
from kameng_platform.settings import PlatformSettings, load_gateway_config
from tests.platform.fake_wechat import APPID, MCHID, MERCHANT_SERIAL, PLATFORM_SERIAL, FakeWechat
from tests.platform.rsa_keys import private_pem, public_pem, rsa_key


@pytest.fixture
def fake():
    server = FakeWechat(secrets.token_hex(16).encode())
    yield server
    server.stop()


def request_for(gateway: WechatGateway, payment_id: str, amount_fen: int = 1250) -> PaymentRequest:
    return PaymentRequest(payment_id, gateway.out_trade_no(payment_id), amount_fen, "卡盟 KM-261123-0001",
                          int(time.time()) + 300, "https://platform.example")


def test_out_trade_no_fits_wechat_rules(fake) -> None:
    gateway = fake.gateway()
    uuid7 = "0192f0a4-7b7e-7cc1-9a51-4c7f1e2d3b4a"
    assert gateway.out_trade_no(uuid7) == "0192f0a47b7e7cc19a514c7f1e2d3b4a"
    assert gateway.out_trade_no("pay_000123") == "pay_000123"
    odd = gateway.out_trade_no("desk:1:" + "x" * 50)
    assert re.fullmatch(r"[0-9a-f]{32}", odd) and odd == gateway.out_trade_no("desk:1:" + "x" * 50)


def test_authorization_header_follows_the_format(fake) -> None:
    gateway = fake.gateway()
    header = gateway.authorization("GET", "/v3/certificates", b"", timestamp=1554208460,
                                   nonce="593BEC0C930BF1AFEB40B4A08C8FB242")
    scheme, _, params = header.partition(" ")
    fields = dict(re.findall(r'(\w+)="([^"]*)"', params))
    assert scheme == "WECHATPAY2-SHA256-RSA2048"
    assert (fields["mchid"], fields["serial_no"], fields["timestamp"]) == (MCHID, MERCHANT_SERIAL, "1554208460")
    # The documented signature string: five lines, each ending in \n, the body empty for a GET.
    message = b"GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
    rsa_key("merchant").public_key().verify(base64.b64decode(fields["signature"]), message, padding.PKCS1v15(),
                                            hashes.SHA256())


def test_create_returns_code_url_and_sends_the_documented_order(fake) -> None:
    gateway = fake.gateway()
    req = request_for(gateway, "0192f0a4-7b7e-7cc1-9a51-4c7f1e2d3b4a")
    assert gateway.create(req).startswith("weixin://wxpay/bizpayurl?pr=")
    sent = fake.orders[req.out_trade_no]["body"]
    assert sent["amount"] == {"total": 1250, "currency": "CNY"}  # fen, as an integer
    assert datetime.fromisoformat(sent["time_expire"]).timestamp() == req.expires_at
    assert gateway.create(req).startswith("weixin://")  # asking again with the same number is harmless
    with pytest.raises(GatewayError, match="PARAM_ERROR"):
        gateway.create(PaymentRequest("x", "too-long-" * 5, 100, "卡盟", req.expires_at, ""))


def test_answers_that_do_not_verify_are_not_trusted(fake) -> None:
    gateway = fake.gateway()
    req = request_for(gateway, "pay_forged_answer")
    gateway.create(req)
    fake.pay(req.out_trade_no)
    fake.answer_key = rsa_key("stranger")
    with pytest.raises(GatewayError, match="does not verify"):
        gateway.query(req.out_trade_no)
    fake.answer_key = fake.platform_key
    assert gateway.query(req.out_trade_no).paid


def test_query_reports_state_amount_and_transaction(fake) -> None:
    gateway = fake.gateway()
    req = request_for(gateway, "pay_query_1", 3000)
    assert gateway.query(req.out_trade_no) is None  # ORDER_NOT_EXIST
    gateway.create(req)
    waiting = gateway.query(req.out_trade_no)
    assert (waiting.paid, waiting.out_trade_no) == (False, req.out_trade_no)
    fake.pay(req.out_trade_no)
    paid = gateway.query(req.out_trade_no)
    assert (paid.paid, paid.amount_fen, paid.trade_no) == (True, 3000, fake.orders[req.out_trade_no]["transaction_id"])
    fake.down = True
    with pytest.raises(GatewayError, match="unreachable"):
        gateway.query(req.out_trade_no)


def test_close_sends_the_documented_request_and_needs_a_signed_204(fake) -> None:
    gateway = fake.gateway()
    no = (request := request_for(gateway, str(uuid.uuid4()))).out_trade_no
    gateway.create(request)
    gateway.close(no)
    assert fake.calls[-1] == f"POST /v3/pay/transactions/out-trade-no/{no}/close"
    assert fake.orders[no]["state"] == "CLOSED" and not fake.pay(no)
    gateway.close(no)  # again: WeChat answers 204 to a closed order too

    paid = (request := request_for(gateway, str(uuid.uuid4()))).out_trade_no
    gateway.create(request)
    fake.pay(paid)
    with pytest.raises(GatewayError, match="did not close the order: ORDERPAID"):
        gateway.close(paid)

    fake.answer_key = rsa_key("stranger")
    with pytest.raises(GatewayError, match="signature does not verify"):
        gateway.close(no)


def test_wrong_merchant_key_is_refused_by_wechat(fake) -> None:
    gateway = fake.gateway(merchant_key_pem=private_pem(rsa_key("stranger")))
    with pytest.raises(GatewayError, match="SIGN_ERROR"):
        gateway.create(request_for(gateway, "pay_wrong_key"))


def test_notify_verifies_and_decrypts(fake) -> None:
    gateway = fake.gateway()
    req = request_for(gateway, "pay_notify_1")
    gateway.create(req)
    fake.pay(req.out_trade_no)
    headers, body = fake.notify(req.out_trade_no)
    notice = gateway.verify_notify("POST", headers, "", body)
    assert (notice.out_trade_no, notice.amount_fen, notice.paid) == (req.out_trade_no, 1250, True)
    assert notice.trade_no.startswith("42000")


@pytest.mark.parametrize("attack", ["tampered_body", "other_key", "unknown_serial", "stale", "probe",
                                    "wrong_apiv3_key", "other_merchant", "other_app", "not_json",
                                    "superscript_timestamp", "fullwidth_timestamp", "non_ascii_signature"])
def test_bad_notifies_raise(fake, attack: str) -> None:
    gateway = fake.gateway()
    req = request_for(gateway, "pay_notify_bad")
    gateway.create(req)
    fake.pay(req.out_trade_no)
    headers, body = fake.notify(req.out_trade_no)
    if attack == "tampered_body":
        body = body.replace(b"\xe6\x94\xaf\xe4\xbb\x98\xe6\x88\x90\xe5\x8a\x9f", b"paid")  # 支付成功
    elif attack == "other_key":
        headers = fake.signed_headers(body, key=rsa_key("stranger"))
    elif attack == "unknown_serial":
        headers = fake.signed_headers(body, serial="PUB_KEY_ID_OTHER")
    elif attack == "stale":
        headers = fake.signed_headers(body, timestamp=int(time.time()) - 3600)
    elif attack == "probe":  # WeChat's signature probes carry a deliberately invalid signature
        headers = {**headers, "Wechatpay-Signature": "WECHATPAY/SIGNTEST/" + headers["Wechatpay-Signature"]}
    elif attack == "wrong_apiv3_key":
        headers, body = fake.notify(req.out_trade_no, apiv3_key=secrets.token_bytes(32))
    elif attack == "other_merchant":
        headers, body = fake.notify(req.out_trade_no, mchid="1900000999")
    elif attack == "other_app":
        headers, body = fake.notify(req.out_trade_no, appid="wx0000000000000000")
    elif attack == "superscript_timestamp":  # str.isdigit() takes '²', int() does not: was a 500
        headers = {**headers, "Wechatpay-Timestamp": "²"}
    elif attack == "fullwidth_timestamp":  # int() takes full-width digits; a header must be ASCII
        digits = headers["Wechatpay-Timestamp"]
        headers = {**headers, "Wechatpay-Timestamp": "".join(chr(0xFF10 + int(d)) for d in digits)}
    elif attack == "non_ascii_signature":
        headers = {**headers, "Wechatpay-Signature": "签名" + headers["Wechatpay-Signature"]}
    elif attack == "not_json":
        body = b"<xml><return_code>SUCCESS</return_code></xml>"
        headers = fake.signed_headers(body)
    with pytest.raises(GatewayError):
        gateway.verify_notify("POST", headers, "", body)


def test_secrets_stay_out_of_reprs_and_errors(fake) -> None:
    config = fake.config()
    gateway = fake.gateway()
    shown = repr(config) + repr(gateway)
    assert fake.apiv3_key.decode() not in shown and "PRIVATE KEY" not in shown and "PUBLIC KEY" not in shown
    fake.down = True
    with pytest.raises(GatewayError) as caught:
        gateway.create(request_for(gateway, "pay_down"))
    assert "Authorization" not in str(caught.value) and MCHID not in str(caught.value)


def test_bad_configuration_is_a_clear_error(fake) -> None:
    with pytest.raises(GatewayConfigError, match="32 bytes"):
        WechatGateway(fake.config(apiv3_key=b"short"))
    with pytest.raises(GatewayConfigError, match="merchant key"):
        WechatGateway(fake.config(merchant_key_pem=b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n"))
    with pytest.raises(GatewayConfigError, match="platform key"):
        WechatGateway(fake.config(platform_keys={PLATFORM_SERIAL: b"not a key"}))


def write_config(tmp_path, fake: FakeWechat, *, gateways: str = '["wechat", "epay"]') -> str:
    (tmp_path / "apiclient_key.pem").write_bytes(private_pem(rsa_key("merchant")))
    (tmp_path / "pub_key.pem").write_bytes(public_pem(fake.platform_key))
    (tmp_path / "apiv3.key").write_bytes(fake.apiv3_key + b"\n")
    (tmp_path / "epay.key").write_text("89unJUB8HZ54Hj7x4nUj56HN4nUzUJ8i\n")
    path = tmp_path / "gateways.toml"
    path.write_text(f"""gateways = {gateways}

[wechat]
mchid = "{MCHID}"
appid = "{APPID}"
merchant_serial = "{MERCHANT_SERIAL}"
merchant_key_file = "apiclient_key.pem"
apiv3_key_file = "apiv3.key"
notify_url = "https://platform.example/v1/gateways/wechat/notify"
platform_keys = {{ "{PLATFORM_SERIAL}" = "pub_key.pem" }}

[epay]
base_url = "https://pay.example"
pid = "1001"
key_file = "epay.key"
notify_url = "https://platform.example/v1/gateways/epay/notify"
""", encoding="utf-8")
    return str(path)


def test_gateway_config_file_builds_the_registry(tmp_path, fake) -> None:
    fields = load_gateway_config(write_config(tmp_path, fake))
    settings = PlatformSettings("sqlite://", bytes(32), **fields)
    registry = build_registry(settings)
    assert registry.names == ["wechat", "epay"] and registry.get("sandbox") is None
    assert fields["wechat"].apiv3_key == fake.apiv3_key and fields["epay"].key.startswith("89un")
    assert "89un" not in repr(settings) and fake.apiv3_key.decode() not in repr(settings)


def test_gateway_config_errors_name_the_problem(tmp_path, fake) -> None:
    path = write_config(tmp_path, fake)
    (tmp_path / "pub_key.pem").unlink()
    with pytest.raises(GatewayConfigError, match=r"\[wechat\] PUB_KEY_ID_.*cannot read"):
        load_gateway_config(path)
    with pytest.raises(GatewayConfigError, match="not valid TOML"):
        (tmp_path / "bad.toml").write_text("gateways = [wechat")
        load_gateway_config(str(tmp_path / "bad.toml"))
    with pytest.raises(GatewayConfigError, match="has no \\[epay\\] configuration"):
        PlatformSettings("sqlite://", bytes(32), gateways=("epay",))
    with pytest.raises(GatewayConfigError, match="unknown payment gateway"):
        PlatformSettings("sqlite://", bytes(32), gateways=("paypal",))


def test_serve_reads_the_gateway_config_and_reports_its_errors(tmp_path, fake, monkeypatch, capsys) -> None:
    from kameng_platform import cli

    monkeypatch.setenv("KAMENG_PLATFORM_KEY", "ab" * 32)
    path = write_config(tmp_path, fake, gateways='["wechat"]')
    args = cli.build_parser().parse_args(["serve", "--db", "sqlite://", "--gateway-config", path])
    settings = cli._settings(args)
    assert settings.gateways == ("wechat",) and settings.wechat.mchid == MCHID
    (tmp_path / "apiv3.key").unlink()
    assert cli.main(["serve", "--db", f"sqlite:///{tmp_path / 'p.db'}", "--gateway-config", path]) == 1
    error = capsys.readouterr().err
    assert "apiv3_key_file" in error and "cannot read" in error


def test_a_refunded_order_is_still_paid(fake) -> None:
    """trade_state REFUND (转入退款) means paid and then (partly) refunded: the query must not call it unpaid."""
    gateway = fake.gateway()
    req = request_for(gateway, "pay_refunded_1", 3000)
    gateway.create(req)
    fake.pay(req.out_trade_no)
    fake.orders[req.out_trade_no]["state"] = "REFUND"
    notice = gateway.query(req.out_trade_no)
    assert (notice.paid, notice.amount_fen, notice.closed) == (True, 3000, False)
