"""The WeChat Pay Native (APIv3) adapter against `FakeWechat`, a WeChat Pay server written from the published
formats (request signature, answer and notify signatures, AEAD_AES_256_GCM resource) with test RSA keys
made here: a real merchant account cannot run in a test. FakeWechat also plays WeChat Pay for the platform
tests (test_gateway_payments.py)."""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
import uuid
from datetime import datetime

import httpx
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kameng_platform.gateways.base import GatewayConfigError, GatewayError, PaymentRequest
from kameng_platform.gateways.registry import build_registry
from kameng_platform.gateways.wechat import WechatConfig, WechatGateway
from kameng_platform.settings import PlatformSettings, load_gateway_config
from tests.platform.rsa_keys import private_pem, public_pem, rsa_key

MCHID, APPID, MERCHANT_SERIAL, PLATFORM_SERIAL = "1900000109", "wx8888888888888888", "5157F09EFDC096DE", \
    "PUB_KEY_ID_0119000001092025"
BASE = "https://api.mch.weixin.qq.com"


def rsa_sign(key: rsa.RSAPrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


class FakeWechat:
    """WeChat Pay's side: checks each request's Authorization, keeps orders, signs answers and notifies."""

    def __init__(self, apiv3_key: bytes) -> None:
        self.apiv3_key = apiv3_key
        self.merchant_public = rsa_key("merchant").public_key()
        self.platform_key = rsa_key("platform")
        self.orders: dict[str, dict] = {}
        self.calls: list[str] = []
        self.attempts = 0  # requests tried, answered or not
        self.down = False
        self.queries_down = False  # only GETs fail: the close answers, the query does not

    def config(self, **changes) -> WechatConfig:
        fields = dict(mchid=MCHID, appid=APPID, merchant_serial=MERCHANT_SERIAL,
                      merchant_key_pem=private_pem(rsa_key("merchant")),
                      platform_keys={PLATFORM_SERIAL: public_pem(self.platform_key)}, apiv3_key=self.apiv3_key,
                      notify_url="https://platform.example/v1/gateways/wechat/notify", base_url=BASE)
        return WechatConfig(**{**fields, **changes})

    def gateway(self, **changes) -> WechatGateway:
        return WechatGateway(self.config(**changes), transport=httpx.MockTransport(self.handle))

    def signed_headers(self, body: bytes, *, key: rsa.RSAPrivateKey | None = None, serial: str = PLATFORM_SERIAL,
                       timestamp: int | None = None) -> dict[str, str]:
        ts, nonce = str(int(time.time()) if timestamp is None else timestamp), secrets.token_hex(16)
        message = f"{ts}\n{nonce}\n".encode() + body + b"\n"
        return {"Wechatpay-Serial": serial, "Wechatpay-Timestamp": ts, "Wechatpay-Nonce": nonce,
                "Wechatpay-Signature": rsa_sign(key or self.platform_key, message), "Request-ID": uuid.uuid4().hex}

    def answer(self, status: int, data: dict | None) -> httpx.Response:
        body = b"" if data is None else json.dumps(data, ensure_ascii=False).encode()
        return httpx.Response(status, content=body, headers={"Content-Type": "application/json",
                                                             **self.signed_headers(body)})

    def check_authorization(self, request: httpx.Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, params = header.partition(" ")
        fields = dict(re.findall(r'(\w+)="([^"]*)"', params))
        if scheme != "WECHATPAY2-SHA256-RSA2048" or fields.get("mchid") != MCHID \
                or fields.get("serial_no") != MERCHANT_SERIAL or abs(time.time() - int(fields["timestamp"])) > 300:
            return False
        message = (f"{request.method}\n{request.url.raw_path.decode()}\n{fields['timestamp']}\n"
                   f"{fields['nonce_str']}\n").encode() + request.content + b"\n"
        try:
            self.merchant_public.verify(base64.b64decode(fields["signature"]), message, padding.PKCS1v15(),
                                        hashes.SHA256())
        except InvalidSignature:
            return False
        return True

    def transaction(self, out_trade_no: str, /, **changes) -> dict:
        order = self.orders[out_trade_no]
        data = {"mchid": MCHID, "appid": APPID, "out_trade_no": out_trade_no, "trade_type": "NATIVE",
                "trade_state": order["state"], "trade_state_desc": "", "attach": "",
                "amount": {"total": order["total"], "currency": "CNY"}}
        if order["state"] == "SUCCESS":
            data.update(transaction_id=order["transaction_id"], bank_type="OTHERS", payer={"openid": "oUpF8u"},
                        success_time="2026-11-23T13:29:35+08:00")
            data["amount"].update(payer_total=order["total"], payer_currency="CNY")
        return {**data, **changes}

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        if self.down or (self.queries_down and request.method == "GET"):
            raise httpx.ConnectError("WeChat Pay is down")
        self.calls.append(f"{request.method} {request.url.path}")
        if not self.check_authorization(request):
            return self.answer(401, {"code": "SIGN_ERROR", "message": "签名错误"})
        if request.method == "POST" and request.url.path == "/v3/pay/transactions/native":
            body = json.loads(request.content)
            no, total = body["out_trade_no"], body["amount"]["total"]
            ok = (body["mchid"] == MCHID and body["appid"] == APPID and type(total) is int and total > 0
                  and body["amount"]["currency"] == "CNY" and re.fullmatch(r"[0-9A-Za-z_*-]{6,32}", no)
                  and datetime.fromisoformat(body["time_expire"]).utcoffset().total_seconds() == 8 * 3600
                  and 0 < len(body["description"]) <= 127 and body["notify_url"].startswith("https://"))
            if not ok:
                return self.answer(400, {"code": "PARAM_ERROR", "message": "参数错误"})
            if no in self.orders and self.orders[no]["total"] != total:
                return self.answer(400, {"code": "INVALID_REQUEST", "message": "201 商户订单号重复"})
            self.orders.setdefault(no, {"total": total, "state": "NOTPAY", "body": body,
                                        "transaction_id": "42000" + secrets.token_hex(11)})
            return self.answer(200, {"code_url": f"weixin://wxpay/bizpayurl?pr={no[:7]}"})
        close = re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)/close", request.url.path)
        if request.method == "POST" and close:
            if json.loads(request.content) != {"mchid": MCHID}:
                return self.answer(400, {"code": "PARAM_ERROR", "message": "参数错误"})
            order = self.orders.get(close.group(1))
            if order is not None and order["state"] == "SUCCESS":
                return self.answer(400, {"code": "ORDERPAID", "message": "订单已支付"})
            if order is not None:
                order["state"] = "CLOSED"
            return self.answer(204, None)  # also for an order it does not know, as WeChat does
        match = re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)", request.url.path)
        if request.method == "GET" and match and request.url.params.get("mchid") == MCHID:
            if match.group(1) not in self.orders:
                return self.answer(404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})
            return self.answer(200, self.transaction(match.group(1)))
        return self.answer(404, {"code": "NOT_FOUND", "message": "no such API"})

    def pay(self, out_trade_no: str) -> bool:
        """The customer confirms in WeChat: refused once the merchant closed the order."""
        order = self.orders[out_trade_no]
        if order["state"] == "CLOSED":
            return False
        order["state"] = "SUCCESS"
        return True

    def notify(self, out_trade_no: str, /, *, apiv3_key: bytes | None = None, **changes) -> tuple[dict, bytes]:
        """The TRANSACTION.SUCCESS callback WeChat Pay sends: headers and body."""
        plain = json.dumps(self.transaction(out_trade_no, **changes), ensure_ascii=False).encode()
        nonce = secrets.token_hex(6)  # 12 characters, as WeChat's nonces are
        ciphertext = AESGCM(apiv3_key or self.apiv3_key).encrypt(nonce.encode(), plain, b"transaction")
        body = json.dumps({
            "id": str(uuid.uuid4()), "create_time": "2026-11-23T13:29:35+08:00", "resource_type": "encrypt-resource",
            "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
            "resource": {"original_type": "transaction", "algorithm": "AEAD_AES_256_GCM",
                         "ciphertext": base64.b64encode(ciphertext).decode(), "associated_data": "transaction",
                         "nonce": nonce}}, ensure_ascii=False).encode()
        return self.signed_headers(body), body


@pytest.fixture
def fake() -> FakeWechat:
    return FakeWechat(secrets.token_hex(16).encode())


def request_for(gateway: WechatGateway, payment_id: str, amount_fen: int = 1250) -> PaymentRequest:
    return PaymentRequest(payment_id, gateway.out_trade_no(payment_id), amount_fen, "卡盟 KM-261123-0001",
                          int(time.time()) + 300, "https://platform.example")


def test_out_trade_no_fits_wechat_rules() -> None:
    gateway = FakeWechat(bytes(32)).gateway()
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
    honest = fake.answer

    def forged(status: int, data: dict) -> httpx.Response:
        body = json.dumps(data).encode()
        return httpx.Response(status, content=body, headers=fake.signed_headers(body, key=rsa_key("stranger")))

    fake.answer = forged
    with pytest.raises(GatewayError, match="does not verify"):
        gateway.query(req.out_trade_no)
    fake.answer = honest
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

    def forged(status: int, data: dict | None) -> httpx.Response:
        return httpx.Response(status, content=b"", headers=fake.signed_headers(b"", key=rsa_key("stranger")))
    fake.answer = forged
    with pytest.raises(GatewayError, match="signature does not verify"):
        gateway.close(no)


def test_wrong_merchant_key_is_refused_by_wechat(fake) -> None:
    gateway = WechatGateway(fake.config(merchant_key_pem=private_pem(rsa_key("stranger"))),
                            transport=httpx.MockTransport(fake.handle))
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
