"""Alipay 当面付 bar-code pay against FakeAlipay on loopback: alipay.trade.pay (scene bar_code) and every answer's
meaning, the query states a code payment goes through, alipay.trade.cancel as the reverse (retry_flag), answers
that do not verify, the customer's auth_code kept out of logs, errors and reprs, and python-alipay-sdk's
requests compared with ours."""

from __future__ import annotations

import json
import logging
import urllib.parse
import uuid

import pytest

from kameng_platform.gateways.alipay import AlipayGateway
from kameng_platform.gateways.base import (
    CodeOutcome,
    CodePaymentRequest,
    GatewayError,
    GatewayUnreachable,
    code_app,
)
from tests.platform.fake_alipay import APP_ID, FakeAlipay
from tests.platform.rsa_keys import private_pem, public_pem, rsa_key


@pytest.fixture
def fake():
    server = FakeAlipay()
    yield server
    server.stop()


def gateway_for(fake: FakeAlipay) -> AlipayGateway:
    return AlipayGateway(fake.config(), timeout=5.0, cancel_pause_s=0.01)


def charge(gateway: AlipayGateway, code: str, amount_fen: int = 1205, out_trade_no: str | None = None):
    request = CodePaymentRequest(str(uuid.uuid4()), out_trade_no or uuid.uuid4().hex, amount_fen,
                                 "卡盟 KM-261201-0002", code)
    return request, gateway.pay_code(request)


def test_gateway_offers_alipay_codes_and_refunds(fake) -> None:
    gateway = gateway_for(fake)
    assert gateway.code_apps == ("alipay",) and gateway.can_refund
    assert code_app(fake.issue_code()) == "alipay"  # the fake's codes follow the published format


def test_paid_at_once(fake) -> None:
    gateway = gateway_for(fake)
    request, result = charge(gateway, fake.issue_code(), 1205)
    order = fake.orders[request.out_trade_no]
    assert (result.outcome, result.trade_no) == (CodeOutcome.PAID, order["trade_no"])
    biz = fake.requests[-1]
    sent = json.loads(biz["biz_content"])
    assert (sent["scene"], sent["total_amount"], sent["subject"]) == ("bar_code", "12.05", "卡盟 KM-261201-0002")
    assert biz["method"] == "alipay.trade.pay" and fake.ledger(request.out_trade_no) == (1205, 0)
    notice = gateway.query(request.out_trade_no)
    assert (notice.paid, notice.closed, notice.amount_fen) == (True, False, 1205)


def test_password_then_paid_through_the_query(fake) -> None:
    gateway = gateway_for(fake)
    request, result = charge(gateway, fake.issue_code(password_asks=2))
    assert result.outcome is CodeOutcome.PAYING and result.trade_no  # 10003: entering the password
    for _ in range(2):
        waiting = gateway.query(request.out_trade_no)
        assert (waiting.paid, waiting.closed) == (False, False)  # WAIT_BUYER_PAY
    assert fake.ledger(request.out_trade_no) == (0, 0)
    assert gateway.query(request.out_trade_no).paid
    assert fake.ledger(request.out_trade_no) == (1205, 0)


@pytest.mark.parametrize(("code_kind", "sub_code"), [
    ("unknown", "ACQ.PAYMENT_AUTH_CODE_INVALID"),
    ("poor", "ACQ.BUYER_BALANCE_NOT_ENOUGH"),
])
def test_refusals_are_failed_with_the_sub_code(fake, code_kind: str, sub_code: str) -> None:
    gateway = gateway_for(fake)
    code = "281234567890123456" if code_kind == "unknown" else fake.issue_code(balance_fen=1204)
    request, result = charge(gateway, code, 1205)
    assert (result.outcome, result.reason, result.trade_no) == (CodeOutcome.FAILED, sub_code, "")
    assert fake.ledger(request.out_trade_no) == (0, 0)


def test_a_used_code_and_a_closed_trade_fail(fake) -> None:
    gateway = gateway_for(fake)
    code = fake.issue_code(password_asks=None)
    request, first = charge(gateway, code)
    assert first.outcome is CodeOutcome.PAYING
    assert charge(gateway, code)[1].reason == "ACQ.PAYMENT_AUTH_CODE_INVALID"  # a 付款码 pays once
    gateway.reverse(request.out_trade_no)
    again = gateway.pay_code(request)  # the same out_trade_no after the reverse
    assert (again.outcome, again.reason) == (CodeOutcome.FAILED, "ACQ.TRADE_HAS_CLOSE")


def test_a_refusal_of_a_number_already_charged_is_not_failed(fake) -> None:
    """The same out_trade_no again with other content is refused (ACQ.CONTEXT_INCONSISTENT), but the first charge
    under that number was paid: PAYING (the query then says paid), never FAILED with the customer charged."""
    gateway = gateway_for(fake)
    first, result = charge(gateway, fake.issue_code(), 1205)
    assert result.outcome is CodeOutcome.PAID
    _, again = charge(gateway, fake.issue_code(), 1300, first.out_trade_no)
    assert again.outcome is CodeOutcome.PAYING
    assert fake.ledger(first.out_trade_no) == (1205, 0)


def test_unclear_answers_are_paying_and_a_retry_charges_once(fake) -> None:
    gateway = gateway_for(fake)
    fake.down = True  # nothing reached Alipay
    request, result = charge(gateway, fake.issue_code())
    assert result.outcome is CodeOutcome.PAYING and request.out_trade_no not in fake.orders
    fake.down = False
    fake.lose_answers = 1  # the charge took the money; its answer was lost
    request, result = charge(gateway, fake.issue_code(), 990)
    assert result.outcome is CodeOutcome.PAYING and fake.ledger(request.out_trade_no) == (990, 0)
    again = gateway.pay_code(request)  # the caller asks again with the same out_trade_no
    assert (again.outcome, again.reason) == (CodeOutcome.PAYING, "")  # ACQ.TRADE_HAS_SUCCESS: the query says
    assert gateway.query(request.out_trade_no).paid
    assert fake.ledger(request.out_trade_no) == (990, 0)  # charged once


@pytest.mark.parametrize("answer", [{"code": "20000", "msg": "Service Currently Unavailable",
                                     "sub_code": "aop.ACQ.SYSTEM_ERROR"},
                                    {"code": "40004", "msg": "Business Failed", "sub_code": "ACQ.SYSTEM_ERROR"},
                                    {"code": "40004", "msg": "Business Failed"}])
def test_system_errors_are_paying(fake, answer: dict) -> None:
    gateway = gateway_for(fake)
    honest = fake.answer
    fake.answer = lambda method, response, signed=True: honest(method, answer, signed=signed)
    assert charge(gateway, fake.issue_code())[1].outcome is CodeOutcome.PAYING


@pytest.mark.parametrize("forgery", ["other_key", "unsigned", "other_order", "other_amount"])
def test_answers_that_do_not_verify_raise(fake, forgery: str) -> None:
    gateway = gateway_for(fake)
    honest = fake.answer

    def forged(method: str, response: dict, *, signed: bool = True):
        if forgery == "other_order":
            response = {**response, "out_trade_no": "someone_else"}
        elif forgery == "other_amount":
            response = {**response, "total_amount": "0.01"}
        return honest(method, response, signed=signed and forgery != "unsigned")

    if forgery == "other_key":
        fake.answer_key = rsa_key("stranger")
    fake.answer = forged
    with pytest.raises(GatewayError) as caught:
        charge(gateway, fake.issue_code())
    assert not isinstance(caught.value, GatewayUnreachable)


def test_an_undecodable_answer_is_paying(fake) -> None:
    """The charge went through but its answer cannot be decoded (a proxy's broken gzip: httpx.DecodingError, not
    a TransportError): PAYING, never an exception the platform does not expect; the query then tells."""
    gateway = gateway_for(fake)
    fake.extra_headers = {"Content-Encoding": "gzip"}
    request, result = charge(gateway, fake.issue_code())
    assert result.outcome is CodeOutcome.PAYING
    with pytest.raises(GatewayUnreachable):
        gateway.query(request.out_trade_no)
    fake.extra_headers = {}
    assert gateway.query(request.out_trade_no).paid and fake.ledger(request.out_trade_no) == (1205, 0)


def test_only_the_signed_response_object_is_read(fake) -> None:
    """A man in the middle keeps Alipay's signed refusal and adds a forged "paid" object under the same name after
    it: the signature still verifies over the first, but json.loads keeps the last. Only the signed text counts."""
    gateway = gateway_for(fake)
    honest = fake.answer
    key = "alipay_trade_pay_response"

    def doubled(method: str, response: dict, *, signed: bool = True):
        status, payload = honest(method, response, signed=signed)
        forged = json.dumps({"code": "10000", "msg": "Success", "out_trade_no": no, "trade_no": "2026120122001x",
                             "total_amount": "12.05"}, separators=(",", ":"))
        return status, payload.replace(b',"sign":', f',"{key}":{forged},"sign":'.encode(), 1)

    fake.answer = doubled
    no = uuid.uuid4().hex
    _, result = charge(gateway, fake.issue_code(balance_fen=100), 1205, no)
    assert (result.outcome, result.reason) == (CodeOutcome.FAILED, "ACQ.BUYER_BALANCE_NOT_ENOUGH")
    assert fake.ledger(no) == (0, 0)


def test_query_states(fake) -> None:
    gateway = gateway_for(fake)
    request, _ = charge(gateway, fake.issue_code(password_asks=None))
    assert (gateway.query(request.out_trade_no).paid, gateway.query(request.out_trade_no).closed) == (False, False)
    fake.orders[request.out_trade_no]["state"] = "TRADE_FINISHED"
    assert gateway.query(request.out_trade_no).paid
    fake.orders[request.out_trade_no]["state"] = "TRADE_CLOSED"
    closed = gateway.query(request.out_trade_no)
    assert (closed.paid, closed.closed) == (False, True)
    assert gateway.query(uuid.uuid4().hex) is None  # no such trade


def test_reverse_closes_an_unpaid_trade(fake) -> None:
    gateway = gateway_for(fake)
    request, _ = charge(gateway, fake.issue_code(password_asks=None))
    gateway.reverse(request.out_trade_no)
    assert not fake.pay(request.out_trade_no)  # the customer's late password is refused
    assert gateway.query(request.out_trade_no).closed and fake.ledger(request.out_trade_no) == (0, 0)


def test_reverse_returns_the_money_of_a_paid_trade(fake) -> None:
    gateway = gateway_for(fake)
    request, result = charge(gateway, fake.issue_code(), 3000)
    assert result.outcome is CodeOutcome.PAID
    gateway.reverse(request.out_trade_no)
    assert fake.ledger(request.out_trade_no) == (3000, 3000) and fake.refunded[request.out_trade_no] == "30.00"
    gateway.reverse(request.out_trade_no)  # again: harmless, nothing more goes back
    assert fake.ledger(request.out_trade_no) == (3000, 3000)


def test_reverse_calls_again_while_alipay_says_retry(fake) -> None:
    gateway = gateway_for(fake)
    request, _ = charge(gateway, fake.issue_code(password_asks=None))
    fake.cancel_retries = 2
    gateway.reverse(request.out_trade_no)
    assert fake.calls.count("alipay.trade.cancel") == 3 and fake.orders[request.out_trade_no]["state"] == "TRADE_CLOSED"
    other, _ = charge(gateway, fake.issue_code(password_asks=None))
    fake.cancel_retries = 3  # never confirmed within the tries: the caller must try again later
    with pytest.raises(GatewayError, match="retry"):
        gateway.reverse(other.out_trade_no)
    assert fake.orders[other.out_trade_no]["state"] == "WAIT_BUYER_PAY"
    fake.down = True
    with pytest.raises(GatewayUnreachable):
        gateway.reverse(other.out_trade_no)
    fake.down = False
    gateway.reverse(other.out_trade_no)
    assert fake.orders[other.out_trade_no]["state"] == "TRADE_CLOSED"


def test_reverse_refused_raises(fake) -> None:
    gateway = gateway_for(fake)
    request, _ = charge(gateway, fake.issue_code())
    honest = fake.answer
    fake.answer = lambda method, response, signed=True: honest(method, {
        "code": "40004", "msg": "Business Failed", "sub_code": "ACQ.TRADE_CANCEL_TIME_OUT", "retry_flag": "N"})
    with pytest.raises(GatewayError, match=r"ACQ\.TRADE_CANCEL_TIME_OUT"):
        gateway.reverse(request.out_trade_no)


def test_auth_code_never_reaches_logs_errors_or_reprs(fake, caplog) -> None:
    gateway = gateway_for(fake)
    codes = [fake.issue_code(), fake.issue_code(password_asks=None), "289999999999999999"]
    shown: list[str] = []
    with caplog.at_level(logging.DEBUG):
        for code in codes:
            request, result = charge(gateway, code)
            shown += [repr(request), str(request), repr(result), repr(gateway)]
        fake.answer_key = rsa_key("stranger")
        with pytest.raises(GatewayError) as forged:
            charge(gateway, codes[0])
        fake.answer_key = fake.alipay_key
        fake.down = True
        charge(gateway, codes[1])
    shown.append(str(forged.value))
    assert all(json.loads(r["biz_content"]).get("auth_code") in codes for r in fake.requests if
               r["method"] == "alipay.trade.pay")  # the code did travel to Alipay, and only there
    text = caplog.text + "\n".join(shown)
    assert "httpx" in caplog.text or "HTTP Request" in caplog.text  # the request log ran and was searched
    for code in codes:
        assert code not in text


def test_python_alipay_sdk_builds_the_same_pay_and_cancel(fake) -> None:
    """python-alipay-sdk (dev dependency only) builds alipay.trade.pay and alipay.trade.cancel with the same
    business fields as ours, its signature over our parameters equals ours, and it verifies the fake's answer."""
    from alipay import AliPay

    sdk = AliPay(APP_ID, app_private_key_string=private_pem(rsa_key("app")).decode(),
                 alipay_public_key_string=public_pem(fake.alipay_key).decode())
    built: list[dict] = []
    sdk.verified_sync_response = lambda data, response_type: built.append(data)  # capture instead of HTTP
    gateway = gateway_for(fake)
    code = fake.issue_code()
    request = CodePaymentRequest("p", "pay_1", 1205, "卡盟", code)
    gateway.pay_code(request)
    ours = fake.requests[-1]
    sdk.api_alipay_trade_pay("pay_1", "bar_code", code, "卡盟", total_amount="12.05")
    assert json.loads(ours["biz_content"]) == built[-1]["biz_content"]
    gateway.reverse("pay_1")
    sdk.api_alipay_trade_cancel(out_trade_no="pay_1")
    assert json.loads(fake.requests[-1]["biz_content"]) == built[-1]["biz_content"]

    signed = sdk.sign_data({k: v for k, v in ours.items() if k != "sign"})
    assert urllib.parse.unquote_plus(signed.rsplit("&sign=", 1)[1]) == ours["sign"]
    _, answer = fake.answer("alipay.trade.pay", {"code": "10000", "msg": "Success", **fake.trade("pay_1")})
    assert sdk._verify_and_return_sync_response(answer.decode(), "alipay_trade_pay_response")["out_trade_no"] == "pay_1"
