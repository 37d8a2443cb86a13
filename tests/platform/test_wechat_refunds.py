"""WeChat Pay APIv3 refunds (申请退款, 查询单笔退款, 退款结果通知) against FakeWechat over loopback: the same
out_refund_no is one refund, PROCESSING ends as SUCCESS / ABNORMAL / CLOSED, at most 50 refunds and never more
than was paid, and a refund notify is trusted only when signed, decrypted with our APIv3 key and for our mchid."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from kameng_platform.gateways.base import (
    CodePaymentRequest,
    GatewayError,
    GatewayUnreachable,
    RefundRequest,
    RefundResult,
    RefundState,
)
from tests.platform.fake_wechat import FakeWechat
from tests.platform.rsa_keys import rsa_key


@pytest.fixture
def fake():
    server = FakeWechat(secrets.token_hex(16).encode())
    yield server
    server.stop()


def paid_trade(fake: FakeWechat, gateway, amount_fen: int = 1250) -> tuple[str, str]:
    """A code payment the customer made: its out_trade_no and WeChat's transaction_id."""
    payment_id = str(uuid.uuid4())
    no = gateway.out_trade_no(payment_id)
    result = gateway.pay_code(CodePaymentRequest(payment_id, no, amount_fen, "卡盟", fake.issue_code()))
    return no, result.trade_no


def refund_of(no: str, trade_no: str, amount_fen: int, total_fen: int = 1250, *, number: str | None = None,
              reason: str = "顾客退货") -> RefundRequest:
    return RefundRequest(number or str(uuid.uuid4()), no, trade_no, amount_fen, total_fen, reason)


def test_refund_sends_the_documented_request_and_goes_processing_then_success(fake) -> None:
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway)
    request = refund_of(no, trade_no, 500)
    result = gateway.refund(request)
    assert (result.out_refund_no, result.state, result.amount_fen) == (request.out_refund_no,
                                                                      RefundState.PROCESSING, 500)
    assert result.refund_no == fake.refunds[request.out_refund_no]["refund_id"]
    assert fake.calls[-1] == "POST /v3/refund/domestic/refunds"
    assert fake.bodies[-1] == {"transaction_id": trade_no, "out_refund_no": request.out_refund_no,  # UUID as it is
                               "notify_url": "https://platform.example/v1/gateways/wechat/notify",
                               "amount": {"refund": 500, "total": 1250, "currency": "CNY"}, "reason": "顾客退货"}
    assert fake.ledger[no].refunded == 0  # on its way
    done = gateway.refund_status(request.out_refund_no, no)
    assert fake.calls[-1] == f"GET /v3/refund/domestic/refunds/{request.out_refund_no}"
    assert (done.state, done.amount_fen, done.refund_no) == (RefundState.SUCCEEDED, 500, result.refund_no)
    assert (fake.ledger[no].refunded, fake.kept(no)) == (500, 750)
    still = gateway.query(no)  # trade_state REFUND: it was paid, and stays paid for the platform
    assert (still.paid, still.closed, still.amount_fen) == (True, False, 1250)


def test_without_a_transaction_id_the_refund_names_our_order_number(fake) -> None:
    gateway = fake.gateway()
    no, _ = paid_trade(fake, gateway)
    gateway.refund(refund_of(no, "", 100, reason=""))
    sent = fake.bodies[-1]
    assert sent["out_trade_no"] == no and "transaction_id" not in sent and "reason" not in sent


def test_the_same_out_refund_no_is_the_same_refund(fake) -> None:
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway)
    request = refund_of(no, trade_no, 300)
    first = gateway.refund(request)
    again = gateway.refund(request)  # the answer was lost, the platform asks again
    assert again.refund_no == first.refund_no and len(fake.refunds) == 1
    gateway.refund_status(request.out_refund_no, no)
    assert gateway.refund(request).state is RefundState.SUCCEEDED
    assert (fake.ledger[no].refunded, fake.kept(no)) == (300, 950)  # once


def test_a_closed_refund_is_failed_with_the_status(fake) -> None:
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway)
    fake.refund_outcome = "CLOSED"
    request = refund_of(no, trade_no, 1250)
    assert gateway.refund(request).state is RefundState.PROCESSING
    result = gateway.refund_status(request.out_refund_no, no)
    assert (result.state, result.reason) == (RefundState.FAILED, "CLOSED")
    assert fake.kept(no) == 1250  # no money reached the customer


def test_an_abnormal_refund_stays_open_until_the_merchant_sends_it_on(fake) -> None:
    """ABNORMAL (the customer's card was frozen): WeChat holds the money for the customer until the merchant
    handles it; FAILED would let the platform refund the same money a second time (in cash, or a new number)."""
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway)
    fake.refund_outcome = "ABNORMAL"
    request = refund_of(no, trade_no, 1250)
    gateway.refund(request)
    result = gateway.refund_status(request.out_refund_no, no)
    assert (result.state, result.reason) == (RefundState.PROCESSING, "ABNORMAL")
    assert gateway.refund(refund_of(no, trade_no, 1, number=str(uuid.uuid4()))).state is RefundState.FAILED
    fake.resolve_abnormal(request.out_refund_no)
    done = gateway.refund_status(request.out_refund_no, no)
    assert (done.state, done.reason) == (RefundState.SUCCEEDED, "")
    assert (fake.ledger[no].refunded, fake.kept(no)) == (1250, 0)  # once


def test_an_unknown_refund_is_none_and_only_a_signed_answer_says_so(fake) -> None:
    gateway = fake.gateway()
    no, _ = paid_trade(fake, gateway)
    assert gateway.refund_status(str(uuid.uuid4()), no) is None  # RESOURCE_NOT_EXISTS: it never arrived
    fake.refusal = lambda status, code, message: (status, {"Content-Type": "application/json"},
                                                  json.dumps({"code": code, "message": message}).encode())
    with pytest.raises(GatewayError, match="RESOURCE_NOT_EXISTS"):
        gateway.refund_status(str(uuid.uuid4()), no)


def test_at_most_fifty_refunds_and_never_more_than_was_paid(fake) -> None:
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway, 100)
    over = gateway.refund(refund_of(no, trade_no, 101, 100))
    assert (over.state, over.reason) == (RefundState.FAILED, "INVALID_REQUEST")
    for _ in range(50):
        assert gateway.refund(refund_of(no, trade_no, 1, 100)).state is RefundState.PROCESSING
    fifty_first = gateway.refund(refund_of(no, trade_no, 1, 100))
    assert (fifty_first.state, fifty_first.reason) == (RefundState.FAILED, "INVALID_REQUEST")
    for number in list(fake.refunds):
        fake.settle_refund(number)
    assert (fake.ledger[no].refunded, fake.kept(no)) == (50, 50)
    no2, trade_no2 = paid_trade(fake, gateway, 100)
    gateway.refund(refund_of(no2, trade_no2, 60, 100))
    rest = gateway.refund(refund_of(no2, trade_no2, 41, 100))  # 60 + 41 > 100
    assert (rest.state, rest.reason) == (RefundState.FAILED, "INVALID_REQUEST")
    assert gateway.refund(refund_of(no2, trade_no2, 40, 100)).state is RefundState.PROCESSING


def test_refusals_are_trusted_only_when_signed_and_busy_answers_ask_again(fake) -> None:
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway)
    fake.error_after = (500, "SYSTEM_ERROR")
    with pytest.raises(GatewayUnreachable):
        gateway.refund(refund_of(no, trade_no, 100, number=(number := str(uuid.uuid4()))))
    fake.error_after = (429, "FREQUENCY_LIMITED")
    with pytest.raises(GatewayError, match="FREQUENCY_LIMITED"):
        gateway.refund(refund_of(no, trade_no, 100, number=number))
    assert gateway.refund(refund_of(no, trade_no, 100, number=number)).state is RefundState.PROCESSING
    assert len(fake.refunds) == 1  # the retries were the same refund
    fake.refusal = lambda status, code, message: (status, {"Content-Type": "application/json"},
                                                  json.dumps({"code": code, "message": message}).encode())
    with pytest.raises(GatewayError, match="did not take the refund: INVALID_REQUEST"):
        gateway.refund(refund_of(no, trade_no, 99999))  # an unsigned refusal is not a FAILED refund
    fake.answer_key = rsa_key("stranger")
    with pytest.raises(GatewayError, match="does not verify"):
        gateway.refund(refund_of(no, trade_no, 100))


def test_a_refusal_of_a_refund_wechat_took_is_not_failed(fake) -> None:
    """WeChat took the refund, then answered with a signed error (403 NOT_ENOUGH). Its refund guide: after any
    answer but 200, ask the refund query first. FAILED here would let the platform give the money back again."""
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway)
    fake.error_after = (403, "NOT_ENOUGH")
    request = refund_of(no, trade_no, 500)
    result = gateway.refund(request)
    assert (result.state, result.amount_fen) == (RefundState.SUCCEEDED, 500)  # the query settled it at once
    assert fake.calls[-1].startswith("GET /v3/refund/domestic/refunds/")
    assert (fake.ledger[no].refunded, len(fake.refunds)) == (500, 1)


def test_refund_of_an_unpaid_or_unknown_trade_is_refused(fake) -> None:
    gateway = fake.gateway()
    payment_id = str(uuid.uuid4())
    waiting = gateway.out_trade_no(payment_id)
    gateway.pay_code(CodePaymentRequest(payment_id, waiting, 1250, "卡盟", fake.issue_code(password_asks=10**6)))
    assert gateway.refund(refund_of(waiting, "", 100)).reason == "INVALID_REQUEST"
    assert gateway.refund(refund_of("0123456789abcdef0123456789abcdef", "", 100)).reason == "RESOURCE_NOT_EXISTS"


def test_out_refund_no_fits_wechats_rule(fake) -> None:
    gateway = fake.gateway()
    refund_id = str(uuid.uuid4())
    assert gateway.out_refund_no(refund_id) == refund_id  # dashes are allowed, 36 <= 64
    assert gateway.out_refund_no("r|1*@_-x") == "r|1*@_-x"
    long = gateway.out_refund_no("refund:" + "x" * 70)
    assert len(long) == 32 and long == gateway.out_refund_no("refund:" + "x" * 70)
    assert gateway.out_refund_no("退款1") != "退款1"


@pytest.mark.parametrize("outcome", ["SUCCESS", "ABNORMAL", "CLOSED"])
def test_refund_notify_verifies_and_decrypts(fake, outcome: str) -> None:
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway)
    request = refund_of(no, trade_no, 700)
    made = gateway.refund(request)
    fake.settle_refund(request.out_refund_no, outcome)
    headers, body = fake.refund_notify(request.out_refund_no)
    assert json.loads(body)["event_type"] == f"REFUND.{outcome}"
    state, reason = {"SUCCESS": (RefundState.SUCCEEDED, ""), "ABNORMAL": (RefundState.PROCESSING, "ABNORMAL"),
                     "CLOSED": (RefundState.FAILED, "CLOSED")}[outcome]
    result = gateway.verify_notify("POST", headers, "", body)
    assert result == RefundResult(request.out_refund_no, state, 700, made.refund_no, reason)


@pytest.mark.parametrize("attack", ["other_merchant", "wrong_apiv3_key", "other_key", "tampered", "stale",
                                    "event_disagrees", "unknown_event", "amount_as_text", "no_refund_number"])
def test_bad_refund_notifies_raise(fake, attack: str) -> None:
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway)
    number = refund_of(no, trade_no, 700).out_refund_no
    gateway.refund(refund_of(no, trade_no, 700, number=number))
    fake.settle_refund(number)
    headers, body = fake.refund_notify(number)
    if attack == "other_merchant":
        headers, body = fake.refund_notify(number, mchid="1900000999")
    elif attack == "wrong_apiv3_key":
        headers, body = fake.refund_notify(number, apiv3_key=secrets.token_bytes(32))
    elif attack == "other_key":
        headers = fake.signed_headers(body, key=rsa_key("stranger"))
    elif attack == "tampered":
        body = body.replace(b'"REFUND.SUCCESS"', b'"REFUND.CLOSED"')
    elif attack == "stale":
        headers = fake.signed_headers(body, timestamp=int(time.time()) - 3600)
    elif attack == "event_disagrees":  # signed and encrypted, but the event says success for a closed refund
        headers, body = fake.refund_notify(number, event_type="REFUND.SUCCESS", refund_status="CLOSED")
    elif attack == "unknown_event":
        headers, body = fake.refund_notify(number, event_type="REFUND.PROCESSING")
    elif attack == "amount_as_text":
        headers, body = fake.refund_notify(number, amount={"total": 1250, "refund": "700"})
    elif attack == "no_refund_number":
        headers, body = fake.refund_notify(number, out_refund_no=None)
    with pytest.raises(GatewayError):
        gateway.verify_notify("POST", headers, "", body)


def test_a_long_chinese_reason_is_cut_to_wechats_80_bytes(fake) -> None:
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway)
    reason = "顾客买错了面值要求退回剩余的金额" * 3  # 48 characters, 144 UTF-8 bytes
    assert gateway.refund(refund_of(no, trade_no, 100, reason=reason)).state is RefundState.PROCESSING
    sent = fake.bodies[-1]["reason"]
    assert len(sent.encode()) <= 80 and reason.startswith(sent) and len(sent) == 26


def test_the_same_refund_sent_at_once_from_many_threads_is_one_refund(fake) -> None:
    gateway = fake.gateway()
    no, trade_no = paid_trade(fake, gateway)
    request = refund_of(no, trade_no, 500)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: gateway.refund(request), range(8)))
    made = fake.refunds[request.out_refund_no]["refund_id"]
    assert len(fake.refunds) == 1 and {r.refund_no for r in results} == {made}
    fake.settle_refund(request.out_refund_no)
    assert fake.kept(no) == 750
