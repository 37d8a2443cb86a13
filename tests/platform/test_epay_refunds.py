"""易支付 refunds against FakeEpay on loopback: off unless `refund = true` (then GatewayUnsupported, and the desk
gives cash back), api.php?act=refund as 彩虹易支付 serves it (both answer styles), once and in full, a retry after a
lost answer recognised by the order's refunded status, the panel's refusals, and the key out of URLs and logs."""

from __future__ import annotations

import logging

import pytest

from kameng_platform.gateways.base import (
    GatewayConfigError,
    GatewayError,
    GatewayUnreachable,
    GatewayUnsupported,
    PaymentRequest,
    RefundRequest,
    RefundState,
)
from kameng_platform.gateways.epay import EpayGateway
from kameng_platform.gateways.registry import build_registry
from kameng_platform.settings import PlatformSettings, load_gateway_config
from tests.platform.fake_epay import KEY, NOTIFY_URL, PID, FakeEpay


@pytest.fixture
def fake():
    server = FakeEpay()
    yield server
    server.stop()


def paid_order(fake: FakeEpay, gateway: EpayGateway, no: str = "0192f0a4-7b7e", amount_fen: int = 1250) -> str:
    gateway.create(PaymentRequest(no, no, amount_fen, "卡盟", 2_000_000_000, "http://unused"))
    fake.pay(no)
    return no


def full(no: str, amount_fen: int = 1250, trade_no: str = "") -> RefundRequest:
    return RefundRequest("rf-" + no, no, trade_no, amount_fen, amount_fen, "顾客退货")


def test_refunds_are_off_unless_configured(fake) -> None:
    gateway = fake.gateway(refund=False)
    no = paid_order(fake, gateway)
    assert gateway.can_refund is False
    with pytest.raises(GatewayUnsupported):
        gateway.refund(full(no))
    with pytest.raises(GatewayUnsupported):
        gateway.refund_status("rf-" + no, no)
    assert not any("refund" in path for _, path, _ in fake.calls) and fake.ledger(no) == (1250, 0)


def test_full_refund(fake, caplog) -> None:
    gateway = fake.gateway()
    no = paid_order(fake, gateway)
    assert gateway.can_refund and gateway.refund_status("rf-" + no, no) is None  # nothing refunded yet
    trade_no = fake.orders[no]["trade_no"]
    with caplog.at_level(logging.DEBUG):
        result = gateway.refund(full(no, trade_no=trade_no))
    assert (result.state, result.amount_fen) == (RefundState.SUCCEEDED, 1250)
    command, path, form = fake.calls[-1]
    assert (command, path) == ("POST", "/api.php?act=refund")  # the key in the body, not in the URL
    assert form == {"pid": PID, "key": KEY, "out_trade_no": no, "trade_no": trade_no, "money": "12.50"}
    assert "act=refund" in caplog.text and KEY not in caplog.text
    assert fake.ledger(no) == (1250, 1250)
    done = gateway.refund_status("rf-" + no, no)
    assert (done.state, done.amount_fen) == (RefundState.SUCCEEDED, 1250)


@pytest.mark.parametrize("money_as", ["text", "number"])
def test_newer_panels_answer_code_0_with_the_money(fake, money_as: str) -> None:
    fake.new_style = True
    gateway = fake.gateway()
    no = paid_order(fake, gateway, amount_fen=990)
    if money_as == "number":  # PHP's json_encode of a float: 9.9
        honest = fake.refund
        fake.refund = lambda form: {**honest(form), "money": 9.9}
    assert gateway.refund(full(no, 990)).state is RefundState.SUCCEEDED
    assert fake.ledger(no) == (990, 990)


def test_a_retry_after_a_lost_answer_refunds_once(fake) -> None:
    gateway = fake.gateway()
    no = paid_order(fake, gateway)
    fake.lose_answers = 1
    with pytest.raises(GatewayError):
        gateway.refund(full(no))
    assert fake.ledger(no) == (1250, 1250)  # it happened
    again = gateway.refund(full(no))  # the panel refuses a second refund; the order says refunded
    assert again.state is RefundState.SUCCEEDED
    assert fake.ledger(no) == (1250, 1250)


def test_an_undecodable_refund_answer_is_unreachable_and_the_retry_refunds_once(fake) -> None:
    """The panel refunded but its answer cannot be decoded (a proxy's broken gzip): GatewayUnreachable, the
    adapter's own error, never httpx's; the same refund sent again is recognised as done."""
    gateway = fake.gateway()
    no = paid_order(fake, gateway)
    fake.extra_headers = {"Content-Encoding": "gzip"}
    with pytest.raises(GatewayUnreachable):
        gateway.refund(full(no))
    fake.extra_headers = {}
    assert gateway.refund(full(no)).state is RefundState.SUCCEEDED
    assert fake.ledger(no) == (1250, 1250)


def test_partial_refunds_are_refused_before_asking(fake) -> None:
    gateway = fake.gateway()
    no = paid_order(fake, gateway)
    calls = len(fake.calls)
    result = gateway.refund(RefundRequest("rf-1", no, "", 500, 1250, ""))
    assert (result.state, result.reason) == (RefundState.FAILED, "PARTIAL_REFUND_UNSUPPORTED")
    assert len(fake.calls) == calls and fake.ledger(no) == (1250, 0)


@pytest.mark.parametrize(("situation", "reason"), [("api_off", "商户未开启订单退款API接口"),
                                                   ("unpaid", "只支持退款已支付状态的订单"),
                                                   ("unknown", "当前订单不存在！")])
def test_panel_refusals_are_failed_with_its_message(fake, situation: str, reason: str) -> None:
    gateway = fake.gateway()
    no = paid_order(fake, gateway)
    if situation == "api_off":
        fake.refund_api = False
    elif situation == "unpaid":
        no = "unpaid-1"
        gateway.create(PaymentRequest(no, no, 1250, "卡盟", 2_000_000_000, ""))
    elif situation == "unknown":
        no = "no-such-order"
    result = gateway.refund(full(no))
    assert (result.state, result.reason) == (RefundState.FAILED, reason)
    assert fake.calls[-1][1].startswith("/api.php?act=order")  # asked whether an earlier try had refunded it
    assert all(order["returned"] == 0 for order in fake.orders.values())


def test_wrong_money_in_the_answer_and_unreachable_are_errors(fake) -> None:
    gateway = fake.gateway()
    no = paid_order(fake, gateway)
    honest = fake.refund
    fake.refund = lambda form: {**honest(form), "money": "0.01"}
    with pytest.raises(GatewayError, match="another amount"):
        gateway.refund(full(no))
    fake.refund = honest
    fake.down = True
    with pytest.raises(GatewayError):
        gateway.refund(full(no))
    with pytest.raises(GatewayUnreachable):
        EpayGateway("http://127.0.0.1:9", PID, KEY, NOTIFY_URL, refund=True, timeout=2).refund(full(no))


def write_config(tmp_path, refund_line: str) -> str:
    (tmp_path / "epay.key").write_text(KEY)
    path = tmp_path / "gateways.toml"
    path.write_text(f"""gateways = ["epay"]
[epay]
base_url = "https://pay.example.com"
pid = "{PID}"
key_file = "epay.key"
notify_url = "{NOTIFY_URL}"
{refund_line}
""", encoding="utf-8")
    return str(path)


def test_the_config_switch(tmp_path) -> None:
    def built(refund_line: str) -> EpayGateway:
        fields = load_gateway_config(write_config(tmp_path, refund_line))
        return build_registry(PlatformSettings("sqlite://", bytes(32), **fields)).get("epay")

    assert built("").can_refund is False  # the safe default
    assert built("refund = false").can_refund is False
    assert built("refund = true").can_refund is True
    with pytest.raises(GatewayConfigError, match=r"\[epay\] refund must be true or false"):
        built('refund = "yes"')
    assert KEY not in repr(load_gateway_config(write_config(tmp_path, "refund = true"))["epay"])
