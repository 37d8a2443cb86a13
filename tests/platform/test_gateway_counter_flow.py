"""The counter's code payments and refunds end to end: the real platform (loopback HTTP, SQLite and PostgreSQL)
driven through the signed desk API, with the real WeChat Pay, Alipay and 易支付 adapters pointed at their fakes
on loopback (tests/platform/fake_wechat.py, fake_alipay.py, fake_epay.py), which sign and check as the
published protocols do.

After every scenario the money at each fake equals what the platform records: per trade, what the merchant
keeps at the gateway (paid - refunded - reversed) is the platform's paid amount less its succeeded refunds
(0 for a payment not paid)."""

from __future__ import annotations

import json
import logging
import secrets
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select, update

from kameng_platform import notices
from kameng_platform import payments as payment_flow
from kameng_platform.gateways import reconcile
from kameng_platform.gateways.alipay import AlipayGateway
from kameng_platform.gateways.base import WithoutCounterCalls
from kameng_platform.gateways.epay import EpayConfig
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.schema import payments, refunds
from kameng_platform.seed import seed_demo
from kameng_platform.server import serve_in_thread
from kameng_platform.settings import PlatformSettings
from tests.platform.client import PlatformHarness, Terminal
from tests.platform.fake_alipay import FakeAlipay
from tests.platform.fake_epay import KEY, NOTIFY_URL, PID, FakeEpay
from tests.platform.fake_wechat import FakeWechat

DESK_TIMEOUT_S = 20.0  # the desk's read timeout (kameng_desk/sync/client.py TIMEOUT)


@dataclass
class CounterPlatform:
    harness: PlatformHarness
    wechat: FakeWechat
    alipay: FakeAlipay
    epay: FakeEpay
    registry: GatewayRegistry
    terminal: Terminal

    @classmethod
    def start(cls, db_url: str, gateways: tuple[str, ...] = ("wechat", "alipay", "epay"), *,
              epay_refund: bool = True, **settings) -> CounterPlatform:
        wechat, alipay, epay = FakeWechat(secrets.token_hex(16).encode()), FakeAlipay(), FakeEpay()
        # The background reconciler waits an hour: the tests run its passes themselves.
        config = PlatformSettings(db_url=db_url, server_key=secrets.token_bytes(32), gateways=gateways,
                                  wechat=wechat.config(), alipay=alipay.config(),
                                  epay=EpayConfig(epay.url, PID, KEY, NOTIFY_URL, refund=epay_refund),
                                  **{"reconcile_interval_s": 3600, "code_wait_s": 60, **settings})
        seed = seed_demo(config, codes_per_product=1)
        # The real adapters, as build_registry makes them (the Alipay one with its real cancel retries and pause).
        adapters = {"wechat": wechat.gateway(), "alipay": AlipayGateway(alipay.config(), timeout=5.0),
                    "epay": epay.gateway(refund=epay_refund)}
        registry = GatewayRegistry({name: adapters[name] for name in gateways})
        harness = PlatformHarness(config, serve_in_thread(config, gateways=registry), seed.reseller_id,
                                  seed.pairing_code)
        return cls(harness, wechat, alipay, epay, registry, harness.pair())

    def stop(self) -> None:
        self.harness.stop()
        for fake in (self.wechat, self.alipay, self.epay):
            fake.stop()

    # -- the desk's side (signed HTTP) ---------------------------------------------------------------------

    def pay_code(self, auth_code: str, amount_fen: int = 1250, payment_id: str | None = None) -> httpx.Response:
        return self.terminal.request("POST", "/v1/payments", {
            "payment_id": payment_id or str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "amount_fen": amount_fen,
            "kind": "code", "auth_code": auth_code, "description": "卡盟 KM-261201-0001"})

    def pay_qr(self, method: str, amount_fen: int = 1250) -> dict:
        reply = self.terminal.request("POST", "/v1/payments", {
            "payment_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "amount_fen": amount_fen,
            "method": method, "description": "卡盟 KM-261201-0002"})
        assert reply.status_code == 200, reply.text
        return reply.json()

    def status(self, payment_id: str) -> dict:
        return self.terminal.request("GET", f"/v1/payments/{payment_id}").json()

    def refund_state(self, payment_id: str, refund_id: str) -> str:
        """One refund's status as GET /v1/payments/{id} shows it (refunds made in one second list in any order)."""
        return next(r["status"] for r in self.status(payment_id)["refunds"] if r["refund_id"] == refund_id)

    def cancel(self, payment_id: str) -> httpx.Response:
        return self.terminal.request("POST", f"/v1/payments/{payment_id}/cancel")

    def refund(self, payment_id: str, amount_fen: int, refund_id: str | None = None) -> httpx.Response:
        return self.terminal.request("POST", f"/v1/payments/{payment_id}/refunds", {
            "refund_id": refund_id or str(uuid.uuid4()), "amount_fen": amount_fen, "reason": "顾客退货"})

    def wait_for(self, payment_id: str, done: tuple[str, ...], timeout: float = 15) -> dict:
        """Poll as the desk does (every 0.3 s) until the status is one of `done`."""
        deadline = time.monotonic() + timeout
        while (view := self.status(payment_id))["status"] not in done:
            assert time.monotonic() < deadline, view
            time.sleep(0.3)
        return view

    # -- the platform's side -------------------------------------------------------------------------------

    def reconcile(self) -> None:
        engine = self.harness.engine()
        try:
            reconcile.process(engine, self.registry, after_s=0, window_s=600, every_s=0)
        finally:
            engine.dispose()

    def row(self, payment_id: str):
        """As stored, without asking through the API (a GET moves an open code payment along itself)."""
        engine = self.harness.engine()
        try:
            with engine.connect() as conn:
                return conn.execute(select(payments).where(payments.c.payment_id == payment_id)).one()
        finally:
            engine.dispose()

    def notices(self, payment_id: str) -> list[dict]:
        engine = self.harness.engine()
        try:
            with engine.connect() as conn:
                return notices.of_payment(conn, payment_id)
        finally:
            engine.dispose()

    def end_code_wait(self, payment_id: str) -> None:
        engine = self.harness.engine()
        try:
            with engine.begin() as conn:
                conn.execute(update(payments).where(payments.c.payment_id == payment_id)
                             .values(code_deadline=payments.c.code_deadline - 3600))
        finally:
            engine.dispose()

    def out_refund_no(self, refund_id: str) -> str:
        engine = self.harness.engine()
        try:
            with engine.connect() as conn:
                return conn.execute(select(refunds.c.out_refund_no)
                                    .where(refunds.c.refund_id == refund_id)).scalar_one()
        finally:
            engine.dispose()

    def wechat_notify(self, headers: dict, body: bytes) -> httpx.Response:
        return httpx.post(self.harness.url + "/v1/gateways/wechat/notify", content=body,
                          headers={**headers, "Content-Type": "application/json"})

    def alipay_notify(self, params: dict[str, str]) -> httpx.Response:
        return httpx.post(self.harness.url + "/v1/gateways/alipay/notify", content=urllib.parse.urlencode(params),
                          headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})

    def epay_notify(self, params: dict[str, str]) -> httpx.Response:
        return httpx.get(self.harness.url + "/v1/gateways/epay/notify?" + urllib.parse.urlencode(params))

    # -- the money -----------------------------------------------------------------------------------------

    def kept_at_gateway(self, payment_id: str) -> int:
        row = self.row(payment_id)
        if row.method == "wechat":
            return self.wechat.kept(row.out_trade_no) if row.out_trade_no in self.wechat.ledger else 0
        taken, returned = (self.alipay if row.method == "alipay" else self.epay).ledger(row.out_trade_no)
        return taken - returned

    def kept_on_record(self, payment_id: str) -> int:
        engine = self.harness.engine()
        try:
            with engine.connect() as conn:
                row = conn.execute(select(payments).where(payments.c.payment_id == payment_id)).one()
                refunded = sum(conn.execute(select(refunds.c.amount_fen).where(
                    refunds.c.payment_id == payment_id, refunds.c.status == "succeeded")).scalars())
        finally:
            engine.dispose()
        return (row.amount_fen if row.status == "paid" else 0) - refunded

    def assert_money(self, *payment_ids: str) -> None:
        for payment_id in payment_ids:
            assert self.kept_at_gateway(payment_id) == self.kept_on_record(payment_id), (
                payment_id, self.row(payment_id).status)


@pytest.fixture
def cp(db_url) -> Iterator[CounterPlatform]:
    platform = CounterPlatform.start(db_url)
    yield platform
    platform.stop()


@pytest.fixture
def quick(db_url) -> Iterator[CounterPlatform]:
    """The customer has 1 s to enter the password."""
    platform = CounterPlatform.start(db_url, code_wait_s=1)
    yield platform
    platform.stop()


# -- WeChat Pay 付款码 -------------------------------------------------------------------------------------------

def test_wechat_code_paid_at_once(cp) -> None:
    reply = cp.pay_code(code := cp.wechat.issue_code(), 1250)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["status"], body["method"], body["app"], body["kind"]) == ("paid", "wechat", "wechat", "code")
    no = cp.row(body["payment_id"]).out_trade_no
    assert cp.row(body["payment_id"]).gateway_trade_no == cp.wechat.orders[no]["transaction_id"]
    assert code not in str(cp.wechat.bodies[-1]["description"])
    cp.assert_money(body["payment_id"])
    assert cp.wechat.kept(no) == 1250


def test_wechat_password_then_paid_while_the_desk_polls(cp) -> None:
    body = cp.pay_code(cp.wechat.issue_code(password_asks=2), 1299).json()
    assert body["status"] == "pending"
    assert cp.wait_for(body["payment_id"], ("paid",))["paid_at"]
    assert cp.wechat.calls.count("POST /v3/pay/transactions/codepay") == 1
    cp.assert_money(body["payment_id"])


def test_wechat_password_never_entered_is_reversed_after_code_wait_s(quick) -> None:
    pid = quick.pay_code(quick.wechat.issue_code(password_asks=1000)).json()["payment_id"]
    done = quick.wait_for(pid, ("cancelled",))
    assert (done["failure"], done["paid_at"]) == ("timeout", None)
    no = quick.row(pid).out_trade_no
    assert quick.wechat.orders[no]["state"] == "REVOKED" and quick.wechat.kept(no) == 0
    quick.assert_money(pid)


def test_wechat_desk_cancels_during_the_password(cp) -> None:
    pid = cp.pay_code(cp.wechat.issue_code(password_asks=1000)).json()["payment_id"]
    cancelled = cp.cancel(pid).json()
    assert (cancelled["status"], cancelled["failure"]) == ("cancelled", "cancelled")
    assert cp.wechat.orders[cp.row(pid).out_trade_no]["state"] == "REVOKED"
    cp.assert_money(pid)


def test_wechat_cancel_answers_paid_or_returns_money_that_lands_during_it(cp) -> None:
    first = cp.pay_code(cp.wechat.issue_code(password_asks=1)).json()["payment_id"]
    assert cp.cancel(first).json()["status"] == "paid"  # the query before the reverse finds the customer paid
    second = cp.pay_code(cp.wechat.issue_code(password_asks=1000)).json()["payment_id"]
    no = cp.row(second).out_trade_no
    real = cp.wechat.route

    def paid_just_before_the_reverse(method: str, target: str, path: str, data):
        if path.endswith("/reverse") and cp.wechat.orders[no]["state"] == "USERPAYING":
            cp.wechat._settle(no)  # the password went through after the query, before the reverse
        return real(method, target, path, data)

    cp.wechat.route = paid_just_before_the_reverse
    assert cp.cancel(second).json()["status"] == "cancelled"
    assert cp.wechat.ledger[no].paid == cp.wechat.ledger[no].reversed == 1250  # WeChat gave it back
    cp.assert_money(first, second)


def test_a_wechat_payerror_found_by_the_query_is_reversed_not_just_failed(cp) -> None:
    """PAYERROR (支付失败, e.g. the bank failed) counts as closed, but WeChat asks the merchant to reverse such a
    trade: the bank may have taken the money. Found by the query (the codepay's answer was lost), it is
    reversed like a wait that ran out, so no trade is left with money on WeChat's side and none on ours."""
    cp.wechat.lose_answers = 1
    pid = cp.pay_code(cp.wechat.issue_code(balance_fen=100), 1250).json()["payment_id"]
    no = cp.row(pid).out_trade_no
    assert cp.wechat.orders[no]["state"] == "PAYERROR"
    done = cp.wait_for(pid, ("failed", "cancelled"))
    assert (done["status"], done["failure"]) == ("cancelled", "TRADE_CLOSED")
    assert f"POST /v3/pay/transactions/out-trade-no/{no}/reverse" in cp.wechat.calls
    cp.assert_money(pid)


def test_wechat_reconciler_finishes_a_code_payment_whose_desk_went_away(quick) -> None:
    paid = quick.pay_code(quick.wechat.issue_code(password_asks=1)).json()["payment_id"]
    never = quick.pay_code(quick.wechat.issue_code(password_asks=1000)).json()["payment_id"]
    time.sleep(1.1)  # nobody polls; the wait is over
    quick.reconcile()  # asks: the first is paid now; the second is past its wait and reversed
    assert (quick.row(paid).status, quick.row(never).status) == ("paid", "cancelled")
    assert quick.wechat.orders[quick.row(never).out_trade_no]["state"] == "REVOKED"
    quick.assert_money(paid, never)


# -- Alipay 当面付 bar_code -------------------------------------------------------------------------------------

def test_alipay_code_paid_at_once_and_after_the_password(cp) -> None:
    at_once = cp.pay_code(cp.alipay.issue_code(), 1250).json()
    assert (at_once["status"], at_once["method"], at_once["app"]) == ("paid", "alipay", "alipay")
    slow = cp.pay_code(cp.alipay.issue_code(password_asks=1), 1299).json()
    assert slow["status"] == "pending"  # 10003: the customer confirms in the app
    assert cp.wait_for(slow["payment_id"], ("paid",))["paid_at"]
    assert cp.alipay.calls.count("alipay.trade.pay") == 2
    cp.assert_money(at_once["payment_id"], slow["payment_id"])


def test_alipay_password_never_entered_is_cancelled_after_code_wait_s(quick) -> None:
    pid = quick.pay_code(quick.alipay.issue_code(password_asks=None)).json()["payment_id"]
    done = quick.wait_for(pid, ("cancelled",))
    assert done["failure"] == "timeout"
    no = quick.row(pid).out_trade_no
    assert quick.alipay.orders[no]["state"] == "TRADE_CLOSED" and quick.alipay.ledger(no) == (0, 0)
    quick.assert_money(pid)


def test_alipay_desk_cancels_during_the_password_with_retry_flag(cp) -> None:
    pid = cp.pay_code(cp.alipay.issue_code(password_asks=None)).json()["payment_id"]
    cp.alipay.cancel_retries = 2  # Alipay answers retry_flag=Y twice: the adapter sends the cancel again
    started = time.monotonic()
    cancelled = cp.cancel(pid).json()
    took = time.monotonic() - started
    assert cancelled["status"] == "cancelled" and took < DESK_TIMEOUT_S, took
    assert cp.alipay.calls.count("alipay.trade.cancel") == 3
    cp.assert_money(pid)


def test_alipay_customer_paying_as_the_desk_cancels_gets_the_money_back(cp) -> None:
    """The query before the reverse still finds the trade unpaid; the customer confirms just then; the cancel
    (meant here) returns the money. Platform: cancelled; Alipay: taken and returned."""
    pid = cp.pay_code(cp.alipay.issue_code(password_asks=None)).json()["payment_id"]
    no = cp.row(pid).out_trade_no
    cp.alipay.cancel_retries = 1  # the first cancel is answered retry_flag=Y; the customer pays meanwhile
    real = cp.alipay._handle

    def pay_then_answer(content_type: str, body: bytes):
        answer = real(content_type, body)
        if cp.alipay.calls[-1] == "alipay.trade.cancel" and cp.alipay.orders[no]["state"] == "WAIT_BUYER_PAY":
            cp.alipay.pay(no)
        return answer

    cp.alipay._handle = pay_then_answer
    assert cp.cancel(pid).json()["status"] == "cancelled"
    assert cp.alipay.ledger(no) == (1250, 1250)
    cp.assert_money(pid)


def test_alipay_reconciler_finishes_a_code_payment_whose_desk_went_away(cp) -> None:
    paid = cp.pay_code(cp.alipay.issue_code(password_asks=1)).json()["payment_id"]
    never = cp.pay_code(cp.alipay.issue_code(password_asks=None)).json()["payment_id"]
    cp.reconcile()  # nobody polls; the first question: both still waiting for the customer (60 s wait)
    assert cp.row(paid).status == cp.row(never).status == "pending"
    # The wait runs out on the record rather than by the clock: a 1 s wait raced two calls on a loaded machine.
    cp.end_code_wait(never)
    time.sleep(2.1)  # the lease of that question (payments.CODE_ASK_S) runs out
    cp.reconcile()
    assert (cp.row(paid).status, cp.row(never).status) == ("paid", "cancelled")
    assert cp.alipay.orders[cp.row(never).out_trade_no]["state"] == "TRADE_CLOSED"
    cp.assert_money(paid, never)


# -- routing -----------------------------------------------------------------------------------------------------

def test_a_wechat_code_on_a_platform_with_only_alipay_is_code_not_supported(db_url) -> None:
    platform = CounterPlatform.start(db_url, gateways=("alipay",))
    try:
        reply = platform.pay_code(code := platform.wechat.issue_code())
        assert (reply.status_code, reply.json()["error"]["code"]) == (400, "code_not_supported")
        assert code not in reply.text and platform.wechat.calls == [] and platform.alipay.calls == []
        assert platform.pay_code(platform.alipay.issue_code()).json()["status"] == "paid"
    finally:
        platform.stop()


# -- refunds -----------------------------------------------------------------------------------------------------

def test_wechat_refund_processing_then_success_by_the_reconciler_and_by_the_notify(cp) -> None:
    pid = cp.pay_code(cp.wechat.issue_code(), 3000).json()["payment_id"]
    first = cp.refund(pid, 1000, refund_id=(r1 := str(uuid.uuid4()))).json()
    assert first["status"] == "pending"  # WeChat: PROCESSING
    cp.reconcile()  # refund_status: SUCCESS now
    assert cp.status(pid)["refunds"][0]["status"] == "succeeded"
    cp.assert_money(pid)
    cp.wechat.refund_outcome = None  # the next one stays PROCESSING at the query: the notify finishes it
    r2 = str(uuid.uuid4())
    assert cp.refund(pid, 2000, refund_id=r2).json()["status"] == "pending"
    cp.reconcile()
    assert (cp.refund_state(pid, r1), cp.refund_state(pid, r2)) == ("succeeded", "pending")
    number = cp.out_refund_no(r2)
    cp.wechat.settle_refund(number, "SUCCESS")
    notify = cp.wechat.refund_notify(number)
    assert cp.wechat_notify(*notify).status_code == 204
    assert cp.wechat_notify(*notify).status_code == 204  # WeChat sends it again: harmless
    kept = [(n["kind"], n["source"], n["outcome"]) for n in cp.notices(pid) if n["refund_id"] == r2]
    assert kept == [("refund", "notify", "succeeded"), ("refund", "notify", "repeat")]  # both kept, one applied
    view = cp.status(pid)
    assert {r["status"] for r in view["refunds"]} == {"succeeded"} and view["refunded_fen"] == 3000
    assert len(cp.wechat.refunds) == 2 and cp.out_refund_no(r1) in cp.wechat.refunds
    over = cp.refund(pid, 1)  # nothing is left of it
    assert (over.status_code, over.json()["error"]["code"]) == (409, "refund_exceeds_payment")
    cp.assert_money(pid)


def test_wechat_abnormal_refund_stays_pending_for_the_operator(cp) -> None:
    """REFUND.ABNORMAL is not final in WeChat's words (退款异常: the customer's card refused it; the merchant
    finishes it in the merchant platform or by the abnormal-refund API, and the money then reaches the
    customer). Marked failed, the desk would hand the same money back in cash: a double refund."""
    pid = cp.pay_code(cp.wechat.issue_code(), 1250).json()["payment_id"]
    cp.wechat.refund_outcome = None
    refund_id = cp.refund(pid, 1250).json()["refund_id"]
    number = cp.out_refund_no(refund_id)
    cp.wechat.settle_refund(number, "ABNORMAL")
    assert cp.wechat_notify(*cp.wechat.refund_notify(number)).status_code == 204
    cp.reconcile()  # the query says ABNORMAL too
    refund = cp.status(pid)["refunds"][0]
    assert (refund["status"], refund["failure"]) == ("pending", "ABNORMAL")
    again = cp.refund(pid, 1)  # the money is committed to that refund: no second one takes it
    assert again.json()["error"]["code"] == "refund_exceeds_payment"
    cp.assert_money(pid)
    # The operator has it paid out to another card: WeChat then reports SUCCESS.
    cp.wechat.resolve_abnormal(number)
    cp.reconcile()
    assert cp.status(pid)["refunds"][0]["status"] == "succeeded"
    cp.assert_money(pid)
    # The record the console shows: the notify that held it, the query's SUCCESS; the query's second
    # ABNORMAL was no news and is not kept (the reconciler asks every pass).
    kept = [(n["source"], n["outcome"]) for n in cp.notices(pid) if n["kind"] == "refund"]
    assert kept == [("notify", "held"), ("answer", "succeeded")]


def test_alipay_refunds_fund_change_y_and_n_and_partial_up_to_the_paid_amount(cp) -> None:
    pid = cp.pay_code(cp.alipay.issue_code(), 3000).json()["payment_id"]
    assert cp.refund(pid, 1000).json()["status"] == "succeeded"  # fund_change Y
    cp.assert_money(pid)
    cp.alipay.slow_refunds = True  # accepted, fund_change N: done later
    slow = cp.refund(pid, 1500).json()
    assert slow["status"] == "pending"
    cp.reconcile()  # not done yet: sent again with the same out_request_no (one refund at Alipay)
    assert cp.refund_state(pid, slow["refund_id"]) == "pending" and len(cp.alipay.refunds) == 2
    cp.assert_money(pid)
    cp.alipay.settle_refunds()
    cp.reconcile()
    assert cp.refund_state(pid, slow["refund_id"]) == "succeeded"
    over = cp.refund(pid, 501)
    assert (over.status_code, over.json()["error"]["code"]) == (409, "refund_exceeds_payment")
    cp.alipay.slow_refunds = False
    assert cp.refund(pid, 500).json()["status"] == "succeeded"
    cp.assert_money(pid)


def test_an_alipay_payment_refunded_in_full_stays_paid(cp) -> None:
    """Alipay shows a trade refunded in full as TRADE_CLOSED (the closed of an unpaid one): it must never un-pay
    or fail the payment, by its notify, the reconciler, a status poll or a cancel."""
    pid = cp.pay_code(cp.alipay.issue_code(), 1250).json()["payment_id"]
    no = cp.row(pid).out_trade_no
    assert cp.refund(pid, 1250).json()["status"] == "succeeded"
    assert cp.alipay.orders[no]["state"] == "TRADE_CLOSED"
    assert cp.alipay_notify(cp.alipay.notify(no)).text == "success"  # trade_status TRADE_CLOSED
    cp.reconcile()
    assert cp.cancel(pid).json()["status"] == "paid"
    view = cp.status(pid)
    assert (view["status"], view["refunded_fen"]) == ("paid", 1250)
    assert "alipay.trade.cancel" not in cp.alipay.calls
    cp.assert_money(pid)


def test_epay_without_refunds_is_refund_unsupported(db_url) -> None:
    platform = CounterPlatform.start(db_url, gateways=("epay",), epay_refund=False)
    try:
        pid = platform.pay_qr("epay")["payment_id"]
        platform.epay.pay(pid)
        assert platform.epay_notify(platform.epay.notify(pid)).text == "success"
        reply = platform.refund(pid, 1250)
        assert (reply.status_code, reply.json()["error"]["code"]) == (409, "refund_unsupported")
        assert platform.status(pid)["refunds"] == [] and not any("refund" in c[1] for c in platform.epay.calls)
        platform.assert_money(pid)
    finally:
        platform.stop()


def test_epay_with_refunds_refunds_in_full_and_refuses_a_partial_refund_clearly(cp) -> None:
    full, part = (cp.pay_qr("epay")["payment_id"] for _ in range(2))
    for pid in (full, part):
        cp.epay.pay(pid)
        assert cp.epay_notify(cp.epay.notify(pid)).text == "success"
    assert cp.refund(full, 1250).json()["status"] == "succeeded"
    assert cp.epay.orders[full]["status"] == 2
    refused = cp.refund(part, 500)
    assert refused.status_code == 409, refused.text
    # The contract's refund_unsupported (the desk offers cash back), saying why.
    assert refused.json()["error"]["code"] == "refund_unsupported"
    assert "only in full" in refused.json()["error"]["message"] and "cash" in refused.json()["error"]["message"]
    assert cp.status(part)["refunds"] == []  # nothing recorded, nothing sent
    assert cp.refund(part, 1250).json()["status"] == "succeeded"  # the whole of it still can be
    cp.assert_money(full, part)


# -- faults: lost answers, repeated and reordered notifies ----------------------------------------------------

def test_lost_answers_charge_and_refund_once(cp) -> None:
    cp.wechat.lose_answers = 1  # the codepay is carried out, its answer lost
    wx = cp.pay_code(cp.wechat.issue_code()).json()
    assert wx["status"] == "pending"
    assert cp.wait_for(wx["payment_id"], ("paid",))
    cp.alipay.lose_answers = 1
    ali = cp.pay_code(cp.alipay.issue_code()).json()
    assert ali["status"] == "pending"
    assert cp.wait_for(ali["payment_id"], ("paid",))
    # The desk never saw its answer and sends the same payment again: the same trade, charged once.
    for fake in (cp.wechat, cp.alipay):
        body = {"payment_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()), "amount_fen": 990, "kind": "code",
                "auth_code": fake.issue_code(), "description": "卡盟"}
        fake.lose_answers = 1
        assert cp.terminal.request("POST", "/v1/payments", body).json()["status"] == "pending"
        again = cp.terminal.request("POST", "/v1/payments", body).json()
        assert cp.wait_for(again["payment_id"], ("paid",))["amount_fen"] == 990
        assert cp.kept_at_gateway(again["payment_id"]) == 990
    cp.assert_money(wx["payment_id"], ali["payment_id"])
    for fake, pid in ((cp.wechat, wx["payment_id"]), (cp.alipay, ali["payment_id"])):
        fake.lose_answers = 1  # the refund is carried out, its answer lost
        assert cp.refund(pid, 1250).json()["status"] == "pending"
        cp.reconcile()
        assert cp.status(pid)["refunds"][0]["status"] == "succeeded"
    assert len(cp.wechat.refunds) == 1 and len(cp.alipay.refunds) == 1
    # A reverse whose answer is lost: reversing, then reversed by the reconciler.
    rev = cp.pay_code(cp.wechat.issue_code(password_asks=1000)).json()["payment_id"]
    cp.wechat.lose_answers = 2  # the query before it, and the reverse
    assert cp.cancel(rev).json()["status"] == "reversing"
    time.sleep(2.1)  # payments.CODE_ASK_S
    cp.reconcile()
    assert cp.row(rev).status == "cancelled"
    epay = cp.pay_qr("epay")["payment_id"]
    cp.epay.pay(epay)
    cp.reconcile()  # the notify never came: the reconciler finds it paid
    cp.epay.lose_answers = 1
    assert cp.refund(epay, 1250).json()["status"] == "pending"
    cp.reconcile()  # the panel's status 2 proves the refund
    assert cp.status(epay)["refunds"][0]["status"] == "succeeded"
    cp.assert_money(wx["payment_id"], ali["payment_id"], rev, epay)


def test_repeated_and_reordered_notifies_change_nothing(cp) -> None:
    # WeChat: a QR payment's notify twice; a code payment's stale "paid" notify after its reverse.
    qr = cp.pay_qr("wechat")["payment_id"]
    no = cp.row(qr).out_trade_no
    cp.wechat.pay(no)
    notify = cp.wechat.notify(no)
    assert cp.wechat_notify(*notify).status_code == cp.wechat_notify(*notify).status_code == 204
    code = cp.pay_code(cp.wechat.issue_code(password_asks=1000)).json()["payment_id"]
    assert cp.cancel(code).json()["status"] == "cancelled"
    code_no = cp.row(code).out_trade_no
    stale = cp.wechat.notify(code_no, trade_state="SUCCESS", transaction_id="4200000000000000000000000001",
                             payer={"openid": "oUpF8u"})
    assert cp.wechat_notify(*stale).status_code == 204
    assert cp.row(code).status == "cancelled"
    # Alipay: a code payment's notify twice; a "paid" notify after a cancel that closed the trade.
    ali = cp.pay_code(cp.alipay.issue_code()).json()["payment_id"]
    ali_no = cp.row(ali).out_trade_no
    params = cp.alipay.notify(ali_no)
    assert cp.alipay_notify(params).text == cp.alipay_notify(params).text == "success"
    gone = cp.pay_code(cp.alipay.issue_code(password_asks=None)).json()["payment_id"]
    assert cp.cancel(gone).json()["status"] == "cancelled"
    late = cp.alipay.notify(cp.row(gone).out_trade_no, trade_status="TRADE_SUCCESS")
    assert cp.alipay_notify(late).text == "success"
    assert cp.row(gone).status == "cancelled"
    # 易支付: the notify twice; a notify after the desk cancelled (the customer paid first: late money counts).
    ep = cp.pay_qr("epay")["payment_id"]
    cp.epay.pay(ep)
    assert cp.epay_notify(cp.epay.notify(ep)).text == cp.epay_notify(cp.epay.notify(ep)).text == "success"
    late_ep = cp.pay_qr("epay")["payment_id"]
    cp.epay.lose_answers = 1  # the cancel's query is lost: cancelled, though the customer paid
    cp.epay.pay(late_ep)
    assert cp.cancel(late_ep).json()["status"] == "cancelled"
    assert cp.epay_notify(cp.epay.notify(late_ep)).text == "success"
    assert cp.row(late_ep).status == "paid"
    assert [cp.row(p).status for p in (qr, ali, ep)] == ["paid"] * 3
    cp.assert_money(qr, code, ali, gone, ep, late_ep)


# -- a slow gateway, a gateway that cannot reverse ----------------------------------------------------------

def test_a_desk_is_answered_in_time_while_alipay_hangs_on_the_cancel(db_url, monkeypatch) -> None:
    """Each first cancel hangs past the adapter's timeout; the adapter sends it again 2 s later. Real figures:
    a query and 3 cancels of 10 s each, 2 s apart, are 44 s, over the desk's 20 s; the platform answers within
    payments.ANSWER_WITHIN_S (here 1.5 s) with the payment as it stands, and the reverse finishes meanwhile."""
    monkeypatch.setattr(payment_flow, "ANSWER_WITHIN_S", 1.5)
    assert payment_flow.ANSWER_WITHIN_S < DESK_TIMEOUT_S
    platform = CounterPlatform.start(db_url, code_wait_s=1)
    try:
        polled, cancelled = (platform.pay_code(platform.alipay.issue_code(password_asks=None)).json()["payment_id"]
                             for _ in range(2))
        hung: set[str] = set()
        real = platform.alipay.handle

        def hang_first_cancel(path: str, content_type: str, body: bytes):
            form = dict(urllib.parse.parse_qsl(body.decode()))
            no = json.loads(form.get("biz_content", "{}")).get("out_trade_no")
            if form.get("method") == "alipay.trade.cancel" and no not in hung:
                hung.add(no)
                time.sleep(6)  # past the adapter's 5 s timeout
            return real(path, content_type, body)

        platform.alipay.handle = hang_first_cancel
        time.sleep(1.1)  # the 1 s wait is over: the next poll reverses
        for answer in (lambda: platform.terminal.request("GET", f"/v1/payments/{polled}"),
                       lambda: platform.cancel(cancelled)):
            started = time.monotonic()
            view = answer().json()
            took = time.monotonic() - started
            assert view["status"] == "reversing" and took < 3, (view, took)
        deadline = time.monotonic() + 20
        while {platform.row(p).status for p in (polled, cancelled)} != {"cancelled"}:
            assert time.monotonic() < deadline
            time.sleep(0.3)
        platform.assert_money(polled, cancelled)
    finally:
        platform.stop()


def test_a_code_payment_its_gateway_cannot_reverse_waits_for_the_operator(db_url, caplog) -> None:
    platform = CounterPlatform.start(db_url)
    try:
        wechat = platform.registry.get("wechat")
        wechat.reverse = lambda out_trade_no: WithoutCounterCalls.reverse(wechat, out_trade_no)
        pid = platform.pay_code(platform.wechat.issue_code(password_asks=1000)).json()["payment_id"]
        with caplog.at_level(logging.ERROR, logger="kameng_platform.payments"):
            view = platform.cancel(pid).json()
            assert (view["status"], view["failure"]) == ("reversing", "reverse_unsupported")
            time.sleep(2.1)
            platform.reconcile()  # not asked again: it would not help
            assert platform.status(pid)["failure"] == "reverse_unsupported"
        said = [r for r in caplog.records if "cannot reverse" in r.getMessage()]
        assert len(said) == 1 and pid in said[0].getMessage()
        assert platform.wechat.calls.count(f"POST /v3/pay/transactions/out-trade-no/{platform.row(pid).out_trade_no}"
                                           "/reverse") == 0
    finally:
        platform.stop()
