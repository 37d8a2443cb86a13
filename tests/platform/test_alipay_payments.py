"""Alipay 当面付 payments through the real platform server (SQLite and PostgreSQL) against FakeAlipay on
loopback: the same guarantees the WeChat Pay tests prove (test_gateway_payments.py, test_reconcile_payments.py)."""

from __future__ import annotations

import secrets
import urllib.parse
import uuid
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select

from kameng_platform.gateways import reconcile
from kameng_platform.gateways.registry import GatewayRegistry, build_registry
from kameng_platform.schema import payments
from kameng_platform.seed import seed_demo
from kameng_platform.server import serve_in_thread
from kameng_platform.settings import PlatformSettings
from tests.platform.client import PlatformHarness, Terminal
from tests.platform.fake_alipay import FakeAlipay
from tests.platform.rsa_keys import rsa_key


@dataclass
class AlipayPlatform:
    harness: PlatformHarness
    alipay: FakeAlipay
    registry: GatewayRegistry
    terminal: Terminal

    @classmethod
    def start(cls, db_url: str) -> AlipayPlatform:
        fake = FakeAlipay()
        # The background reconciler waits an hour: the tests run its passes themselves.
        config = PlatformSettings(db_url=db_url, server_key=secrets.token_bytes(32), gateways=("alipay",),
                                  alipay=fake.config(), reconcile_interval_s=3600)
        seed = seed_demo(config, codes_per_product=2)
        registry = build_registry(config)  # the registry `serve` builds, pointed at the fake by gateway_url
        harness = PlatformHarness(config, serve_in_thread(config, gateways=registry), seed.reseller_id,
                                  seed.pairing_code)
        return cls(harness, fake, registry, harness.pair())

    def create(self, amount_fen: int = 1250) -> tuple[str, httpx.Response]:
        payment_id = str(uuid.uuid4())
        return payment_id, self.terminal.request("POST", "/v1/payments", {
            "payment_id": payment_id, "order_id": str(uuid.uuid4()), "amount_fen": amount_fen, "method": "alipay",
            "description": "卡盟 KM-261201-0001"})

    def status(self, payment_id: str) -> str:
        return self.terminal.request("GET", f"/v1/payments/{payment_id}").json()["status"]

    def cancel(self, payment_id: str) -> str:
        return self.terminal.request("POST", f"/v1/payments/{payment_id}/cancel").json()["status"]

    def notify(self, params: dict[str, str]) -> httpx.Response:
        return httpx.post(self.harness.url + "/v1/gateways/alipay/notify", content=urllib.parse.urlencode(params),
                          headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})

    def trade_no(self, payment_id: str) -> str | None:
        engine = self.harness.engine()
        try:
            with engine.connect() as conn:
                return conn.execute(select(payments.c.gateway_trade_no)
                                    .where(payments.c.payment_id == payment_id)).scalar_one()
        finally:
            engine.dispose()

    def reconcile(self) -> int:
        engine = self.harness.engine()
        try:
            return reconcile.process(engine, self.registry, after_s=0, window_s=600, every_s=0)
        finally:
            engine.dispose()


@pytest.fixture
def ap(db_url):
    platform = AlipayPlatform.start(db_url)
    yield platform
    platform.harness.stop()
    platform.alipay.stop()


def test_alipay_qr_is_paid_by_a_verified_notify(ap) -> None:
    pid, reply = ap.create()
    assert reply.status_code == 200, reply.text
    assert reply.json()["qr_content"].startswith("https://qr.alipay.com/bax0")
    no = uuid.UUID(pid).hex
    assert ap.alipay.orders[no]["biz"]["total_amount"] == "12.50"
    ap.alipay.pay(no)
    answer = ap.notify(ap.alipay.notify(no))
    assert (answer.status_code, answer.text) == (200, "success")
    assert ap.status(pid) == "paid" and ap.trade_no(pid) == ap.alipay.orders[no]["trade_no"]
    assert ap.notify(ap.alipay.notify(no)).text == "success"  # Alipay sends it again: harmless
    assert ap.status(pid) == "paid"


def test_alipay_notifies_that_do_not_verify_change_nothing(ap) -> None:
    pid, _ = ap.create()
    no = uuid.UUID(pid).hex
    ap.alipay.pay(no)
    good = ap.alipay.notify(no)
    forged = [
        ap.alipay.notify(no, key=rsa_key("stranger")),  # not Alipay's key
        {**good, "total_amount": "0.01"},  # edited after signing
        ap.alipay.notify(no, total_amount="0.01", receipt_amount="0.01"),  # signed, but another amount
        ap.alipay.notify(no, out_trade_no="0123456789abcdef0123456789abcdef"),  # signed, no such payment
        ap.alipay.notify(no, app_id="2021000000000999"),  # signed, another app
        {**good, "sign": "签名" + good["sign"]},  # not even base64: a refusal, not a 500
    ]
    for params in forged:
        answer = ap.notify(params)
        assert (answer.status_code, answer.text) == (400, "fail")  # not "success": Alipay would stop sending
    assert ap.status(pid) == "pending"
    assert ap.notify(good).text == "success" and ap.status(pid) == "paid"


def test_a_lost_alipay_notify_is_found_by_the_reconciler(ap) -> None:
    pid, _ = ap.create()
    no = uuid.UUID(pid).hex
    assert ap.reconcile() == 0 and ap.status(pid) == "pending"  # not scanned yet: no trade at Alipay
    ap.alipay.pay(no)  # the notify is lost on the way
    assert ap.reconcile() == 1
    assert ap.status(pid) == "paid" and ap.trade_no(pid) == ap.alipay.orders[no]["trade_no"]


def test_cancel_closes_an_unpaid_alipay_trade(ap) -> None:
    pid, _ = ap.create()
    no = uuid.UUID(pid).hex
    assert ap.cancel(pid) == "cancelled"
    assert "alipay.trade.cancel" in ap.alipay.calls
    assert not ap.alipay.pay(no)  # Alipay refuses the customer's payment afterwards: nothing to refund later
    assert ap.status(pid) == "cancelled" and ap.alipay.refunded == {}


def test_a_paid_alipay_trade_is_never_cancelled(ap) -> None:
    pid, _ = ap.create()
    no = uuid.UUID(pid).hex
    ap.alipay.pay(no)  # its notify is still on the way when the cashier presses cancel
    assert ap.cancel(pid) == "paid"
    # A cancel would have refunded the customer while the desk counts the sale unpaid: it was never sent.
    assert "alipay.trade.cancel" not in ap.alipay.calls and ap.alipay.refunded == {}
    assert ap.alipay.orders[no]["state"] == "TRADE_SUCCESS"


def test_alipay_down_is_503_and_the_retry_creates_the_same_trade(ap) -> None:
    payload = {"payment_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "amount_fen": 990,
               "method": "alipay", "description": "卡盟"}
    ap.alipay.down = True
    down = ap.terminal.request("POST", "/v1/payments", payload)
    assert down.status_code == 503 and down.json()["error"]["code"] == "gateway_unavailable"
    ap.alipay.down = False
    assert ap.terminal.request("POST", "/v1/payments", payload).status_code == 200
    assert list(ap.alipay.orders) == [uuid.UUID(payload["payment_id"]).hex]
