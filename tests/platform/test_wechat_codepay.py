"""WeChat Pay 付款码 (APIv3 codepay), its order query and its reverse (撤销), against FakeWechat over loopback.

The rule under test: a scanned code ends PAID only on a signed SUCCESS for our order and amount; a signed refusal
is FAILED with WeChat's code; anything unclear (202 / USERPAYING, SYSTEM_ERROR, BANK_ERROR, a lost answer) is
PAYING, so the caller asks the query and reverses in the end, and no trade stays paid at WeChat and unknown to us.
"""

from __future__ import annotations

import json
import logging
import secrets
import traceback
import uuid

import pytest

from kameng_platform.gateways.base import (
    CodeOutcome,
    CodePaymentRequest,
    GatewayError,
    GatewayUnreachable,
    code_app,
)
from tests.platform.fake_wechat import APPID, MCHID, FakeWechat
from tests.platform.rsa_keys import rsa_key


@pytest.fixture
def fake():
    server = FakeWechat(secrets.token_hex(16).encode())
    yield server
    server.stop()


def code_request(gateway, auth_code: str, amount_fen: int = 1250) -> CodePaymentRequest:
    payment_id = str(uuid.uuid4())
    return CodePaymentRequest(payment_id, gateway.out_trade_no(payment_id), amount_fen, "卡盟 KM-261201-0001",
                              auth_code)


def test_codepay_sends_the_documented_request_and_pays_at_once(fake) -> None:
    gateway = fake.gateway()
    assert (gateway.code_apps, gateway.can_refund) == (("wechat",), True)
    code = fake.issue_code()
    assert code_app(code) == "wechat"  # the platform routes the customer's code here
    request = code_request(gateway, code)
    result = gateway.pay_code(request)
    order = fake.orders[request.out_trade_no]
    assert (result.outcome, result.trade_no) == (CodeOutcome.PAID, order["transaction_id"])
    assert fake.calls[-1] == "POST /v3/pay/transactions/codepay"
    assert fake.bodies[-1] == {
        "appid": APPID, "mchid": MCHID, "description": "卡盟 KM-261201-0001", "out_trade_no": request.out_trade_no,
        "payer": {"auth_code": code}, "amount": {"total": 1250, "currency": "CNY"},
        "scene_info": {"store_info": {"out_id": "0001"}}}  # no notify_url: a code payment has no notify
    assert fake.kept(request.out_trade_no) == 1250
    notice = gateway.query(request.out_trade_no)
    assert (notice.paid, notice.closed, notice.amount_fen, notice.trade_no) == (True, False, 1250, result.trade_no)


def test_password_asks_are_paying_until_the_query_says_paid(fake) -> None:
    gateway = fake.gateway()
    request = code_request(gateway, fake.issue_code(password_asks=2))
    assert gateway.pay_code(request).outcome is CodeOutcome.PAYING  # 202 {"trade_state": "USERPAYING"}
    waiting = gateway.query(request.out_trade_no)  # the customer is still typing the password
    assert (waiting.paid, waiting.closed) == (False, False)
    assert fake.ledger[request.out_trade_no].paid == 0
    paid = gateway.query(request.out_trade_no)
    transaction_id = fake.orders[request.out_trade_no]["transaction_id"]
    assert (paid.paid, paid.amount_fen, paid.trade_no) == (True, 1250, transaction_id)


def test_refusals_are_failed_with_wechats_code_and_take_nothing(fake) -> None:
    gateway = fake.gateway()
    unknown = gateway.pay_code(code_request(gateway, "134567890123456789"))
    assert (unknown.outcome, unknown.reason) == (CodeOutcome.FAILED, "AUTH_CODE_INVALID")
    code = fake.issue_code()
    assert gateway.pay_code(code_request(gateway, code)).outcome is CodeOutcome.PAID
    reused = gateway.pay_code(code_request(gateway, code))  # a payment code pays once
    assert (reused.outcome, reused.reason) == (CodeOutcome.FAILED, "AUTH_CODE_INVALID")
    poor = code_request(gateway, fake.issue_code(balance_fen=1000))
    result = gateway.pay_code(poor)
    assert (result.outcome, result.reason, result.trade_no) == (CodeOutcome.FAILED, "NOT_ENOUGH", "")
    assert fake.ledger[poor.out_trade_no].paid == 0
    assert gateway.query(poor.out_trade_no).closed  # PAYERROR: it will never be paid


@pytest.mark.parametrize("fault", ["SYSTEM_ERROR", "BANK_ERROR", "lost_answer", "USERPAYING", "ORDERPAID",
                                   "FREQUENCY_LIMITED", "undecodable_answer"])
def test_unclear_answers_are_paying_and_the_query_then_reverse_settle_them(fake, fault: str) -> None:
    """WeChat carried the payment out, but its answer says "unknown, ask again" or never came: not FAILED (the
    customer was charged) and not PAID (nothing signed says so), but PAYING."""
    gateway = fake.gateway()
    request = code_request(gateway, fake.issue_code())
    if fault == "lost_answer":
        fake.lose_answers = 1
    elif fault == "undecodable_answer":  # a proxy's broken gzip: httpx raises DecodingError, not a TransportError
        honest = fake.answer

        def garbled(status: int, data: dict | None):
            fake.answer = honest  # this answer only
            status, headers, body = honest(status, data)
            return status, {**headers, "Content-Encoding": "gzip"}, body
        fake.answer = garbled
    else:
        fake.error_after = {"SYSTEM_ERROR": (500, "SYSTEM_ERROR"), "BANK_ERROR": (500, "BANK_ERROR"),
                            "USERPAYING": (403, "USERPAYING"), "ORDERPAID": (400, "ORDERPAID"),
                            "FREQUENCY_LIMITED": (429, "FREQUENCY_LIMITED")}[fault]
    assert gateway.pay_code(request).outcome is CodeOutcome.PAYING
    assert gateway.query(request.out_trade_no).paid  # the money was taken: the query tells
    gateway.reverse(request.out_trade_no)  # the counter gave up: WeChat returns it
    assert fake.ledger[request.out_trade_no].reversed == 1250 and fake.kept(request.out_trade_no) == 0
    after = gateway.query(request.out_trade_no)
    assert (after.paid, after.closed) == (False, True)  # REVOKED


def test_a_refusal_of_a_number_already_charged_is_not_failed(fake) -> None:
    """The first charge went through but its answer was lost; the same out_trade_no sent again with the customer's
    fresh code is refused (INVALID_REQUEST 商户订单号重复). That refusal says nothing about the first charge:
    PAYING, so the query finds it paid; FAILED would leave the customer charged and the desk told "not paid"."""
    gateway = fake.gateway()
    first = code_request(gateway, fake.issue_code())
    fake.lose_answers = 1
    assert gateway.pay_code(first).outcome is CodeOutcome.PAYING
    again = CodePaymentRequest(first.payment_id, first.out_trade_no, first.amount_fen, first.description,
                               fake.issue_code())
    assert gateway.pay_code(again).outcome is CodeOutcome.PAYING
    assert gateway.query(first.out_trade_no).paid and fake.ledger[first.out_trade_no].paid == 1250


def test_a_request_that_never_left_is_unreachable(fake) -> None:
    gateway = fake.gateway(base_url="http://127.0.0.1:9")  # nothing listens: the connection is refused
    with pytest.raises(GatewayUnreachable, match="unreachable"):
        gateway.pay_code(code_request(gateway, fake.issue_code()))


def test_answers_that_do_not_verify_are_never_paid_or_failed(fake) -> None:
    gateway = fake.gateway()
    fake.answer_key = rsa_key("stranger")
    forged = code_request(gateway, fake.issue_code())
    with pytest.raises(GatewayError, match="does not verify"):
        gateway.pay_code(forged)  # a SUCCESS signed by someone else
    with pytest.raises(GatewayError, match="does not verify"):
        gateway.pay_code(code_request(gateway, "134567890123456789"))  # and a refusal signed by someone else
    fake.answer_key = fake.platform_key
    assert gateway.query(forged.out_trade_no).paid  # it was paid: the caller's query finds out

    honest_refusal = fake.refusal
    fake.refusal = lambda status, code, message: (status, {"Content-Type": "application/json"},
                                                  json.dumps({"code": code, "message": message}).encode())
    with pytest.raises(GatewayError, match=r"unsigned answer \(AUTH_CODE_INVALID\)"):
        gateway.pay_code(code_request(gateway, "134567890123456789"))
    fake.refusal = honest_refusal

    honest_transaction = fake.transaction
    fake.transaction = lambda no, **changes: honest_transaction(no, amount={"total": 1, "currency": "CNY"})
    with pytest.raises(GatewayError, match="another order or amount"):  # signed, but for 0.01 元
        gateway.pay_code(code_request(gateway, fake.issue_code()))


@pytest.mark.parametrize(("state", "paid", "closed"), [
    ("SUCCESS", True, False), ("REFUND", True, False), ("USERPAYING", False, False), ("NOTPAY", False, False),
    ("ACCEPT", False, False), ("CLOSED", False, True), ("REVOKED", False, True), ("PAYERROR", False, True)])
def test_query_maps_each_trade_state(fake, state: str, paid: bool, closed: bool) -> None:
    gateway = fake.gateway()
    request = code_request(gateway, fake.issue_code(password_asks=10**6))
    gateway.pay_code(request)
    fake.orders[request.out_trade_no]["state"] = state
    notice = gateway.query(request.out_trade_no)
    assert (notice.out_trade_no, notice.paid, notice.closed) == (request.out_trade_no, paid, closed)
    assert notice.amount_fen == 1250


def test_reverse_closes_an_unpaid_code_trade_and_returns_a_paid_one(fake) -> None:
    gateway = fake.gateway()
    waiting = code_request(gateway, fake.issue_code(password_asks=10**6))
    assert gateway.pay_code(waiting).outcome is CodeOutcome.PAYING
    gateway.reverse(waiting.out_trade_no)
    assert fake.calls[-1] == f"POST /v3/pay/transactions/out-trade-no/{waiting.out_trade_no}/reverse"
    assert fake.bodies[-1] == {"appid": APPID, "mchid": MCHID}
    assert gateway.query(waiting.out_trade_no).closed and fake.ledger[waiting.out_trade_no].paid == 0
    gateway.reverse(waiting.out_trade_no)  # again: harmless, still confirmed

    paid = code_request(gateway, fake.issue_code())
    gateway.pay_code(paid)
    gateway.reverse(paid.out_trade_no)
    assert fake.ledger[paid.out_trade_no].reversed == 1250 and fake.kept(paid.out_trade_no) == 0

    gateway.reverse("0123456789abcdef0123456789abcdef")  # WeChat never took it: nothing to undo


def test_reverse_returns_only_when_confirmed(fake) -> None:
    gateway = fake.gateway()
    request = code_request(gateway, fake.issue_code())
    gateway.pay_code(request)
    fake.down = True
    with pytest.raises(GatewayUnreachable):
        gateway.reverse(request.out_trade_no)
    fake.down = False
    fake.error_after = (500, "SYSTEM_ERROR")  # carried out, but WeChat answered an error: we cannot know
    with pytest.raises(GatewayUnreachable, match="HTTP 500"):
        gateway.reverse(request.out_trade_no)
    fake.answer_key = rsa_key("stranger")
    with pytest.raises(GatewayError, match="does not verify"):
        gateway.reverse(request.out_trade_no)
    fake.answer_key = fake.platform_key
    gateway.reverse(request.out_trade_no)  # the caller retries until WeChat confirms
    assert fake.kept(request.out_trade_no) == 0 and fake.ledger[request.out_trade_no].reversed == 1250


def test_the_customers_code_stays_out_of_logs_errors_and_reprs(fake, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    gateway = fake.gateway()
    codes, shown = [], []

    def attempt(code: str) -> None:
        codes.append(code)
        request = code_request(gateway, code)
        shown.append(repr(request))
        try:
            shown.append(repr(gateway.pay_code(request)))
        except GatewayError as exc:
            shown.append("".join(traceback.format_exception(exc)) + repr(exc))

    attempt(fake.issue_code())  # paid
    attempt("134567890123456789")  # refused
    attempt(fake.issue_code(password_asks=3))  # waiting for the password
    fake.answer_key = rsa_key("stranger")
    attempt(fake.issue_code())  # forged answer
    fake.answer_key = fake.platform_key
    fake.down = True
    attempt(fake.issue_code())  # no answer
    fake.down = False
    unreachable = fake.gateway(base_url="http://127.0.0.1:9")
    request = code_request(unreachable, fake.issue_code())
    codes.append(request.auth_code)
    with pytest.raises(GatewayUnreachable) as caught:
        unreachable.pay_code(request)
    shown.append("".join(traceback.format_exception(caught.value)))
    assert caplog.records  # httpx did log the calls
    text = caplog.text + "\n".join(shown) + repr(gateway)
    assert not [code for code in codes if code in text]
