"""Payments through real gateway adapters on the real platform (SQLite and PostgreSQL): WeChat Pay Native
played by FakeWechat and 易支付 by FakeEpay, both on loopback, while the desk side and the notifies use real HTTP
on loopback."""

from __future__ import annotations

import secrets
import urllib.parse
import uuid
from dataclasses import dataclass

import httpx
import pytest
from alembic import command
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from kameng_platform import payments as payment_flow
from kameng_platform.db import alembic_config, make_engine, migrate
from kameng_platform.gateways.base import GatewayNotice
from kameng_platform.gateways.epay import EpayConfig, sign
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.gateways.sandbox import SandboxGateway
from kameng_platform.schema import payments
from kameng_platform.seed import seed_demo
from kameng_platform.server import serve_in_thread
from kameng_platform.settings import PlatformSettings
from tests.platform.client import PlatformHarness, Terminal
from tests.platform.fake_epay import KEY as EPAY_KEY
from tests.platform.fake_epay import NOTIFY_URL as EPAY_NOTIFY_URL
from tests.platform.fake_epay import PID as EPAY_PID
from tests.platform.fake_epay import FakeEpay
from tests.platform.fake_wechat import FakeWechat
from tests.platform.rsa_keys import rsa_key


@dataclass
class GatewayPlatform:
    harness: PlatformHarness
    wechat: FakeWechat
    epay: FakeEpay
    registry: GatewayRegistry
    terminal: Terminal

    @classmethod
    def start(cls, db_url: str, gateways: tuple[str, ...] = ("wechat", "epay", "sandbox"),
              **settings) -> GatewayPlatform:
        fake, epay_fake = FakeWechat(secrets.token_hex(16).encode()), FakeEpay()
        epay = EpayConfig(epay_fake.url, EPAY_PID, EPAY_KEY, EPAY_NOTIFY_URL)
        # The background reconciler waits an hour unless a test asks for it: tests run passes themselves.
        config = PlatformSettings(db_url=db_url, server_key=secrets.token_bytes(32), gateways=gateways,
                                  allow_sandbox=True, wechat=fake.config(), epay=epay,
                                  **{"reconcile_interval_s": 3600, **settings})
        seed = seed_demo(config, codes_per_product=2)
        adapters = {"wechat": fake.gateway(), "sandbox": SandboxGateway(config.server_key, make_engine(db_url)),
                    "epay": epay_fake.gateway(refund=epay.refund)}
        registry = GatewayRegistry({name: adapters[name] for name in gateways})
        harness = PlatformHarness(config, serve_in_thread(config, gateways=registry), seed.reseller_id,
                                  seed.pairing_code)
        return cls(harness, fake, epay_fake, registry, harness.pair())

    def stop(self) -> None:
        self.harness.stop()
        self.wechat.stop()
        self.epay.stop()

    def create(self, amount_fen: int = 1250, method: str = "wechat", payment_id: str | None = None) -> httpx.Response:
        return self.terminal.request("POST", "/v1/payments", {
            "payment_id": payment_id or str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "amount_fen": amount_fen,
            "method": method, "description": "卡盟 KM-261123-0001"})

    def status(self, payment_id: str) -> dict:
        return self.terminal.request("GET", f"/v1/payments/{payment_id}").json()

    def row(self, payment_id: str):
        engine = self.harness.engine()
        try:
            with engine.connect() as conn:
                return conn.execute(select(payments).where(payments.c.payment_id == payment_id)).one()
        finally:
            engine.dispose()

    def notify(self, headers: dict, body: bytes) -> httpx.Response:
        return httpx.post(self.harness.url + "/v1/gateways/wechat/notify", content=body,
                          headers={**headers, "Content-Type": "application/json"})


@pytest.fixture
def gp(db_url):
    platform = GatewayPlatform.start(db_url)
    yield platform
    platform.stop()


def test_wechat_payment_is_paid_by_a_verified_notify(gp) -> None:
    reply = gp.create(payment_id=(pid := str(uuid.uuid4())))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["status"] == "pending" and body["qr_content"].startswith("weixin://wxpay/bizpayurl?pr=")
    assert gp.create(payment_id=pid).status_code == 409  # same id, another order: refused
    no = uuid.UUID(pid).hex
    assert list(gp.wechat.orders) == [no]
    gp.wechat.pay(no)
    headers, notify_body = gp.wechat.notify(no)
    answer = gp.notify(headers, notify_body)
    assert answer.status_code == 204 and answer.content == b""
    paid = gp.status(pid)
    assert paid["status"] == "paid" and paid["paid_at"]
    assert gp.row(pid).gateway_trade_no == gp.wechat.orders[no]["transaction_id"]
    assert gp.notify(*gp.wechat.notify(no)).status_code == 204  # WeChat sends it again: harmless
    assert gp.status(pid)["paid_at"] == paid["paid_at"]


def test_replayed_create_returns_the_stored_qr_without_asking_again(gp) -> None:
    payload = {"payment_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "amount_fen": 990,
               "method": "wechat", "description": ""}
    first = gp.terminal.request("POST", "/v1/payments", payload).json()
    again = gp.terminal.request("POST", "/v1/payments", payload).json()
    assert first == again and gp.wechat.calls.count("POST /v3/pay/transactions/native") == 1


def test_wechat_notifies_that_do_not_verify_change_nothing(gp) -> None:
    pid = gp.create(payment_id=str(uuid.uuid4())).json()["payment_id"]
    no = uuid.UUID(pid).hex
    gp.wechat.pay(no)
    headers, body = gp.wechat.notify(no)
    forged = [
        (gp.wechat.signed_headers(body, key=rsa_key("stranger")), body),  # not WeChat's key
        gp.wechat.notify(no, amount={"total": 1, "currency": "CNY"}),  # signed, but another amount
        gp.wechat.notify(no, out_trade_no="0123456789abcdef0123456789abcdef"),  # signed, no such payment
        (headers, body.replace(b'"TRANSACTION.SUCCESS"', b'"TRANSACTION.FAIL"')),  # edited after signing
    ]
    for h, b in forged:
        answer = gp.notify(h, b)
        assert answer.status_code == 400 and answer.json()["code"] == "FAIL"
    assert gp.status(pid)["status"] == "pending"
    assert gp.notify(headers, body).status_code == 204
    assert gp.status(pid)["status"] == "paid"


def test_a_sandbox_notify_cannot_pay_a_wechat_payment(gp) -> None:
    pid = gp.create(payment_id=str(uuid.uuid4())).json()["payment_id"]
    sandbox = gp.registry.get("sandbox")
    form = {"payment_id": pid, "amount_fen": "1250", "status": "paid", "sign": sandbox.sign_notify(pid, 1250, "paid")}
    answer = httpx.post(gp.harness.url + "/v1/gateways/sandbox/notify", data=form)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_notify"
    assert httpx.get(f"{gp.harness.url}/pay/{pid}").status_code == 404  # no sandbox pay page for it either
    assert httpx.post(f"{gp.harness.url}/pay/{pid}").status_code == 404
    assert gp.status(pid)["status"] == "pending"
    assert httpx.post(gp.harness.url + "/v1/gateways/alipay/notify", data=form).status_code == 404


def test_gateway_down_is_503_and_a_retry_creates_the_same_order(gp) -> None:
    payload = {"payment_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "amount_fen": 1250,
               "method": "wechat", "description": "卡盟"}
    gp.wechat.down = True
    down = gp.terminal.request("POST", "/v1/payments", payload)
    assert down.status_code == 503 and down.json()["error"]["code"] == "gateway_unavailable"
    gp.wechat.down = False
    retried = gp.terminal.request("POST", "/v1/payments", payload)
    assert retried.status_code == 200 and retried.json()["qr_content"].startswith("weixin://")
    assert list(gp.wechat.orders) == [uuid.UUID(payload["payment_id"]).hex]


def test_a_create_retried_after_its_cancel_is_refused_without_asking_the_gateway(gp) -> None:
    payload = {"payment_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "amount_fen": 1250,
               "method": "wechat", "description": "卡盟"}
    gp.wechat.down = True
    assert gp.terminal.request("POST", "/v1/payments", payload).status_code == 503  # recorded, no QR
    gp.wechat.down = False
    cancelled = gp.terminal.request("POST", f"/v1/payments/{payload['payment_id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    asked = gp.wechat.calls.count("POST /v3/pay/transactions/native")
    retried = gp.terminal.request("POST", "/v1/payments", payload)
    assert (retried.status_code, retried.json()["error"]["code"]) == (409, "payment_cancelled")
    # No order was opened at WeChat for a QR no one will show.
    assert gp.wechat.calls.count("POST /v3/pay/transactions/native") == asked and not gp.wechat.orders


def test_cancel_asks_the_gateway_so_a_customer_who_just_paid_wins(gp) -> None:
    paid_id, unpaid_id = (gp.create(payment_id=str(uuid.uuid4())).json()["payment_id"] for _ in range(2))
    gp.wechat.pay(uuid.UUID(paid_id).hex)  # its notify is still on the way
    assert gp.terminal.request("POST", f"/v1/payments/{paid_id}/cancel").json()["status"] == "paid"
    assert gp.terminal.request("POST", f"/v1/payments/{unpaid_id}/cancel").json()["status"] == "cancelled"
    third = gp.create(payment_id=str(uuid.uuid4())).json()["payment_id"]
    gp.wechat.down = True  # gateway unreachable: the cancel still goes through (the reconciler watches)...
    tried = gp.wechat.attempts
    assert gp.terminal.request("POST", f"/v1/payments/{third}/cancel").json()["status"] == "cancelled"
    assert gp.wechat.attempts == tried + 1  # ...after one call, not a second timeout while the desk waits


def test_a_closed_order_stays_closed_when_the_query_after_it_fails(gp) -> None:
    pid = gp.create(payment_id=str(uuid.uuid4())).json()["payment_id"]
    gp.wechat.queries_down = True
    assert gp.terminal.request("POST", f"/v1/payments/{pid}/cancel").json()["status"] == "cancelled"
    assert not gp.wechat.pay(uuid.UUID(pid).hex)  # WeChat closed it: nothing can be paid after the cancel


def test_cancel_closes_the_wechat_order_so_the_customer_cannot_pay_it_afterwards(gp) -> None:
    pid = gp.create(payment_id=str(uuid.uuid4())).json()["payment_id"]
    no = uuid.UUID(pid).hex
    assert gp.terminal.request("POST", f"/v1/payments/{pid}/cancel").json()["status"] == "cancelled"
    assert gp.wechat.calls[-2:] == [f"POST /v3/pay/transactions/out-trade-no/{no}/close",
                                    f"GET /v3/pay/transactions/out-trade-no/{no}"]  # closed, then asked
    assert not gp.wechat.pay(no)  # WeChat refuses the customer's payment: no money to refund later
    assert gp.status(pid)["status"] == "cancelled"


def test_epay_payment_and_its_plain_text_notify(gp) -> None:
    pid = str(uuid.uuid4())
    created = gp.create(1250, method="epay", payment_id=pid).json()
    assert created["qr_content"] == "https://qr.alipay.com/bax0" + gp.epay.orders[pid]["trade_no"][-8:]
    gp.epay.pay(pid)
    good = gp.epay.notify(pid)  # signed by the panel with the merchant key
    bad = {**good, "sign": "0" * 32}
    answer = httpx.get(gp.harness.url + "/v1/gateways/epay/notify?" + urllib.parse.urlencode(bad))
    assert (answer.status_code, answer.text) == (400, "fail") and gp.status(pid)["status"] == "pending"
    cheap = {k: v for k, v in good.items() if k != "sign"} | {"money": "0.01"}
    cheap["sign"] = sign(cheap, EPAY_KEY)
    assert httpx.get(gp.harness.url + "/v1/gateways/epay/notify?" + urllib.parse.urlencode(cheap)).text == "fail"
    answer = httpx.get(gp.harness.url + "/v1/gateways/epay/notify?" + urllib.parse.urlencode(good))
    assert (answer.status_code, answer.text) == (200, "success")
    assert gp.status(pid)["status"] == "paid" and gp.row(pid).gateway_trade_no == gp.epay.orders[pid]["trade_no"]


def test_only_configured_gateways_are_offered(tmp_path) -> None:
    platform = GatewayPlatform.start(f"sqlite:///{tmp_path / 'p.db'}", gateways=("wechat",))
    try:
        refused = platform.create(method="sandbox")
        assert refused.status_code == 400 and "not configured" in refused.json()["error"]["message"]
        # Without the sandbox there is no pay page anyone could use to "pay".
        assert httpx.get(platform.harness.url + "/pay/anything").status_code == 404
        assert httpx.post(platform.harness.url + "/pay/anything").status_code == 404
    finally:
        platform.stop()


def test_migration_0003_keeps_sandbox_payments_working(db_url) -> None:
    """A platform upgraded with sandbox payments still open: their notify finds them after 0003."""
    command.upgrade(alembic_config(db_url), "0002")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO payments (payment_id, terminal_id, order_id, amount_fen, method, status, qr_content, "
                "expires_at, created_at) VALUES ('p-old', 't', 'o', 1250, 'sandbox', 'pending', 'http://x/pay/p-old', "
                "4000000000, 1)")
        migrate(db_url)
        assert payment_flow.apply_notice(engine, "sandbox", GatewayNotice("p-old", 1250, True))
        with engine.connect() as conn:
            row = conn.execute(select(payments).where(payments.c.payment_id == "p-old")).one()
        assert (row.status, row.out_trade_no) == ("paid", "p-old")
        with pytest.raises(IntegrityError), engine.begin() as conn:  # one order number per gateway
            conn.execute(insert(payments).values(payment_id="p-new", terminal_id="t", order_id="o2", amount_fen=1,
                                                 method="sandbox", status="pending", out_trade_no="p-old",
                                                 expires_at=1, created_at=1))
    finally:
        engine.dispose()


def test_non_ascii_signatures_on_notifies_are_refused_not_500(gp) -> None:
    """hmac.compare_digest raises TypeError on str with non-ASCII characters: a forged `sign` was a 500."""
    pid = str(uuid.uuid4())
    gp.create(1250, method="epay", payment_id=pid)
    params = {"pid": "1001", "trade_no": "1", "out_trade_no": pid, "type": "alipay", "name": "卡盟",
              "money": "12.50", "trade_status": "TRADE_SUCCESS", "sign_type": "MD5"}
    epay = gp.harness.url + "/v1/gateways/epay/notify"
    for form in ({**params, "sign": "签名" * 16}, {**params, "sign": "é" + "0" * 31}):
        for answer in (httpx.get(epay + "?" + urllib.parse.urlencode(form)), httpx.post(epay, data=form)):
            assert (answer.status_code, answer.text) == (400, "fail")  # the protocol's own refusal
    digits = {**params, "money": "١٢.٥٠"}  # Arabic-Indic digits: not a 元 amount, even when signed
    digits["sign"] = sign(digits, EPAY_KEY)
    assert (httpx.post(epay, data=digits).status_code, httpx.post(epay, data=digits).text) == (400, "fail")
    sandbox_pid = gp.create(1250, method="sandbox").json()["payment_id"]
    notify = gp.harness.url + "/v1/gateways/sandbox/notify"
    for form in ({"payment_id": sandbox_pid, "amount_fen": "1250", "status": "paid", "sign": "签" * 64},
                 {"payment_id": sandbox_pid, "amount_fen": "²", "status": "paid", "sign": "0" * 64}):
        answer = httpx.post(notify, data=form)
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_notify"
    assert gp.status(pid)["status"] == gp.status(sandbox_pid)["status"] == "pending"
