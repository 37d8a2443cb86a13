"""Alipay refunds against FakeAlipay on loopback: alipay.trade.refund with out_request_no (partial refunds, the same
number is the same refund, never more than was paid), fund_change, alipay.trade.fastpay.refund.query, answers
that do not verify, python-alipay-sdk's requests compared with ours, and certificate mode refused in the config."""

from __future__ import annotations

import json
import uuid

import pytest

from kameng_platform.gateways.alipay import AlipayGateway
from kameng_platform.gateways.base import (
    CodeOutcome,
    CodePaymentRequest,
    GatewayConfigError,
    GatewayError,
    GatewayUnreachable,
    RefundRequest,
    RefundState,
)
from kameng_platform.settings import load_gateway_config
from tests.platform.fake_alipay import APP_ID, FakeAlipay
from tests.platform.rsa_keys import private_pem, public_pem, rsa_key


@pytest.fixture
def fake():
    server = FakeAlipay()
    yield server
    server.stop()


def paid(fake: FakeAlipay, amount_fen: int = 5000) -> tuple[AlipayGateway, str, str]:
    """A gateway and a trade the customer paid by code: (gateway, out_trade_no, trade_no)."""
    gateway = AlipayGateway(fake.config(), timeout=5.0)
    no = uuid.uuid4().hex
    result = gateway.pay_code(CodePaymentRequest("p", no, amount_fen, "卡盟", fake.issue_code()))
    assert result.outcome is CodeOutcome.PAID
    return gateway, no, result.trade_no


def refund_of(no: str, amount_fen: int, *, number: str | None = None, trade_no: str = "",
              total_fen: int = 5000) -> RefundRequest:
    return RefundRequest(number or uuid.uuid4().hex, no, trade_no, amount_fen, total_fen, "顾客退货")


def test_full_refund(fake) -> None:
    gateway, no, trade_no = paid(fake)
    refund = refund_of(no, 5000, trade_no=trade_no)
    result = gateway.refund(refund)
    assert (result.state, result.amount_fen, result.out_refund_no) == (RefundState.SUCCEEDED, 5000,
                                                                       refund.out_refund_no)
    sent = json.loads(fake.requests[-1]["biz_content"])
    assert sent == {"out_trade_no": no, "trade_no": trade_no, "out_request_no": refund.out_refund_no,
                    "refund_amount": "50.00", "refund_reason": "顾客退货"}
    assert fake.ledger(no) == (5000, 5000)
    notice = gateway.query(no)  # refunded in full: Alipay shows the trade closed
    assert (notice.paid, notice.closed) == (False, True)


def test_partial_refunds_never_above_what_was_paid(fake) -> None:
    gateway, no, _ = paid(fake)
    assert gateway.refund(refund_of(no, 1999)).state is RefundState.SUCCEEDED
    assert gateway.refund(refund_of(no, 3000)).state is RefundState.SUCCEEDED
    over = gateway.refund(refund_of(no, 2))  # 1 fen is left
    assert (over.state, over.reason) == (RefundState.FAILED, "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL")
    assert gateway.refund(refund_of(no, 1)).state is RefundState.SUCCEEDED
    assert fake.ledger(no) == (5000, 5000)


def test_the_same_number_is_the_same_refund(fake) -> None:
    gateway, no, _ = paid(fake)
    refund = refund_of(no, 1200)
    assert gateway.refund(refund).state is RefundState.SUCCEEDED
    again = gateway.refund(refund)  # fund_change N: asked, found done, nothing more went back
    assert (again.state, again.amount_fen) == (RefundState.SUCCEEDED, 1200)
    assert fake.calls[-2:] == ["alipay.trade.refund", "alipay.trade.fastpay.refund.query"]
    assert fake.ledger(no) == (5000, 1200)
    other_amount = gateway.refund(refund_of(no, 1300, number=refund.out_refund_no))
    assert (other_amount.state, other_amount.reason) == (RefundState.FAILED, "ACQ.DISCORDANT_REPEAT_REQUEST")
    assert fake.ledger(no) == (5000, 1200)


def test_a_lost_answer_then_the_same_request_refunds_once(fake) -> None:
    gateway, no, _ = paid(fake)
    refund = refund_of(no, 800)
    fake.lose_answers = 1
    with pytest.raises(GatewayUnreachable):
        gateway.refund(refund)
    assert fake.ledger(no) == (5000, 800)  # it did happen
    assert gateway.refund_status(refund.out_refund_no, no).state is RefundState.SUCCEEDED
    assert gateway.refund(refund).state is RefundState.SUCCEEDED  # sent again: the same refund
    assert fake.ledger(no) == (5000, 800)


def test_processing_until_alipay_executes_it(fake) -> None:
    gateway, no, _ = paid(fake)
    fake.slow_refunds = True
    refund = refund_of(no, 700)
    processing = gateway.refund(refund)
    assert (processing.state, processing.amount_fen) == (RefundState.PROCESSING, 700)
    assert gateway.refund_status(refund.out_refund_no, no) is None  # not executed yet: no refund_status
    fake.settle_refunds()
    done = gateway.refund_status(refund.out_refund_no, no)
    assert (done.state, done.amount_fen, done.out_refund_no) == (RefundState.SUCCEEDED, 700, refund.out_refund_no)
    assert fake.ledger(no) == (5000, 700)


def test_refund_status_of_unknown_refunds_and_trades(fake) -> None:
    gateway, no, _ = paid(fake)
    assert gateway.refund_status(uuid.uuid4().hex, no) is None
    assert gateway.refund_status(uuid.uuid4().hex, uuid.uuid4().hex) is None  # ACQ.TRADE_NOT_EXIST


def test_refusals_are_failed_and_system_errors_unreachable(fake) -> None:
    gateway = AlipayGateway(fake.config(), timeout=5.0)
    unknown = gateway.refund(refund_of(uuid.uuid4().hex, 100))
    assert (unknown.state, unknown.reason) == (RefundState.FAILED, "ACQ.TRADE_NOT_EXIST")
    _, no, _ = paid(fake)
    honest = fake.answer
    fake.answer = lambda method, response, signed=True: honest(method, {
        "code": "40004", "msg": "Business Failed", "sub_code": "ACQ.SYSTEM_ERROR"})
    with pytest.raises(GatewayUnreachable):
        gateway.refund(refund_of(no, 100))
    with pytest.raises(GatewayUnreachable):
        gateway.refund_status("x", no)
    fake.answer = honest
    fake.down = True
    with pytest.raises(GatewayUnreachable):
        gateway.refund(refund_of(no, 100))


@pytest.mark.parametrize("forgery", ["other_key", "unsigned", "other_refund"])
def test_refund_answers_that_do_not_verify_raise(fake, forgery: str) -> None:
    gateway, no, _ = paid(fake)
    refund = refund_of(no, 500)
    assert gateway.refund(refund).state is RefundState.SUCCEEDED
    honest = fake.answer

    def forged(method: str, response: dict, *, signed: bool = True):
        if forgery == "other_refund" and "out_request_no" in response:
            response = {**response, "out_request_no": "another"}
        return honest(method, response, signed=signed and forgery != "unsigned")

    if forgery == "other_key":
        fake.answer_key = rsa_key("stranger")
    fake.answer = forged
    with pytest.raises(GatewayError) as caught:
        gateway.refund_status(refund.out_refund_no, no)
    assert not isinstance(caught.value, GatewayUnreachable)
    if forgery != "other_refund":
        with pytest.raises(GatewayError):
            gateway.refund(refund_of(no, 500))
    assert fake.ledger(no)[1] <= 1000  # at most the two refunds asked for, whatever the answers said


def test_python_alipay_sdk_builds_the_same_refund_and_query(fake) -> None:
    from alipay import AliPay

    sdk = AliPay(APP_ID, app_private_key_string=private_pem(rsa_key("app")).decode(),
                 alipay_public_key_string=public_pem(fake.alipay_key).decode())
    built: list[dict] = []
    sdk.verified_sync_response = lambda data, response_type: built.append(data)
    gateway, no, _ = paid(fake)
    gateway.refund(RefundRequest("rf_1", no, "", 1250, 5000, ""))
    sdk.api_alipay_trade_refund("12.50", out_trade_no=no, out_request_no="rf_1")
    assert json.loads(fake.requests[-1]["biz_content"]) == built[-1]["biz_content"]
    gateway.refund_status("rf_1", no)
    sdk.api_alipay_trade_fastpay_refund_query("rf_1", out_trade_no=no)
    assert json.loads(fake.requests[-1]["biz_content"]) == built[-1]["biz_content"]
    _, answer = fake.answer("alipay.trade.refund", fake.refund_answer(no, "Y"))
    assert sdk._verify_and_return_sync_response(answer.decode(), "alipay_trade_refund_response")["fund_change"] == "Y"


def test_certificate_mode_is_refused_with_a_clear_message(tmp_path, fake) -> None:
    (tmp_path / "app.pem").write_bytes(private_pem(rsa_key("app")))
    (tmp_path / "alipay.pem").write_bytes(public_pem(fake.alipay_key))
    path = tmp_path / "gateways.toml"
    path.write_text(f"""gateways = ["alipay"]
[alipay]
app_id = "{APP_ID}"
app_private_key_file = "app.pem"
alipay_public_key_file = "alipay.pem"
notify_url = "https://platform.example/v1/gateways/alipay/notify"
app_cert_file = "appCertPublicKey.crt"
alipay_root_cert_file = "alipayRootCert.crt"
""", encoding="utf-8")
    with pytest.raises(GatewayConfigError, match=r"alipay_root_cert_file, app_cert_file: certificate mode"):
        load_gateway_config(str(path))
