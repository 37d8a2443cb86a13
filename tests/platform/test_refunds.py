"""Refunds on the real platform over loopback HTTP, SQLite and PostgreSQL, against the sandbox gateway: full and
partial, over what is left, the same refund id twice, two refunds racing for the last fen, processing refunds
finished by the reconciler and by a notify, lost answers, and gateways that cannot refund."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import func, select

from kameng_platform import refunds as refund_flow
from kameng_platform.gateways.base import GatewayUnreachable
from kameng_platform.schema import refunds, sandbox_refunds
from tests.platform.test_code_payments import CodePlatform, CountingSandbox
from tests.platform.test_races import at_once


class FlakySandbox(CountingSandbox):
    """`lose` plays a lost refund call: "request" never reaches the gateway, "answer" is executed but its answer
    is lost on the way back."""
    lose: str = ""

    def refund(self, request):
        if self.lose == "request":
            raise GatewayUnreachable("sandbox: the refund call timed out")
        result = super().refund(request)
        if self.lose == "answer":
            raise GatewayUnreachable("sandbox: the answer was lost")
        return result


class NoRefundSandbox(CountingSandbox):
    can_refund = False  # plays a gateway without a refund API (易支付 without act=refund)


@pytest.fixture
def cp(db_url) -> Iterator[CodePlatform]:
    platform = CodePlatform.start(db_url, sandbox=FlakySandbox)
    yield platform
    platform.harness.stop()


def paid(cp: CodePlatform, amount_fen: int = 1000) -> str:
    body = cp.pay(amount_fen).json()
    assert body["status"] == "paid", body
    return body["payment_id"]


def refund(cp: CodePlatform, payment_id: str, amount_fen: int, refund_id: str | None = None,
           reason: str = "顾客退货", terminal=None) -> httpx.Response:
    return (terminal or cp.terminal).request("POST", f"/v1/payments/{payment_id}/refunds", {
        "refund_id": refund_id or str(uuid.uuid4()), "amount_fen": amount_fen, "reason": reason})


def gateway_refunds(cp: CodePlatform) -> dict[str, tuple[str, int, int]]:
    engine = cp.harness.engine()
    try:
        with engine.connect() as conn:
            return {r.out_refund_no: (r.state, r.amount_fen, r.requests)
                    for r in conn.execute(select(sandbox_refunds)).all()}
    finally:
        engine.dispose()


def feed_refunds(cp: CodePlatform) -> list[tuple[str, str]]:
    changes = cp.terminal.request("GET", "/v1/changes?cursor=0&limit=500").json()["changes"]
    return [(c["data"]["refund_id"], c["data"]["status"]) for c in changes if c["type"] == "refund"]


def test_full_refund_succeeds_and_the_feed_reports_it(cp) -> None:
    pid = paid(cp, 1250)
    reply = refund(cp, pid, 1250, refund_id="rf-full")
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["refund_id"], body["payment_id"], body["amount_fen"], body["status"], body["reason"],
            body["failure"]) == ("rf-full", pid, 1250, "succeeded", "顾客退货", None)
    assert body["finished_at"]
    view = cp.status(pid)
    assert view["status"] == "paid" and view["refunded_fen"] == 1250 and view["refunds"] == [body]
    assert gateway_refunds(cp) == {"rf-full": ("succeeded", 1250, 1)}
    assert feed_refunds(cp) == [("rf-full", "pending"), ("rf-full", "succeeded")]
    again = refund(cp, pid, 1, refund_id="rf-more")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "refund_exceeds_payment")


def test_partial_refunds_up_to_what_is_left(cp) -> None:
    pid = paid(cp, 1000)
    assert refund(cp, pid, 400).json()["status"] == "succeeded"
    assert refund(cp, pid, 350).json()["status"] == "succeeded"
    over = refund(cp, pid, 251)
    assert (over.status_code, over.json()["error"]["code"]) == (409, "refund_exceeds_payment")
    assert "2.50 yuan (250 fen)" in over.json()["error"]["message"]
    assert refund(cp, pid, 250).json()["status"] == "succeeded"
    assert cp.status(pid)["refunded_fen"] == 1000
    assert sum(amount for _, amount, _ in gateway_refunds(cp).values()) == 1000


def test_the_same_refund_id_twice_is_one_refund(cp) -> None:
    pid = paid(cp, 1000)
    first = refund(cp, pid, 300, refund_id="rf-1").json()
    assert refund(cp, pid, 300, refund_id="rf-1").json() == first
    other = refund(cp, pid, 301, refund_id="rf-1")
    assert (other.status_code, other.json()["error"]["code"]) == (409, "idempotency_conflict")
    assert gateway_refunds(cp) == {"rf-1": ("succeeded", 300, 1)}  # a finished refund is not sent again
    assert cp.status(pid)["refunded_fen"] == 300


def test_only_a_paid_payment_of_the_terminal_is_refunded(cp) -> None:
    refused = cp.pay(1000, "134567890123450000").json()["payment_id"]  # refused by the gateway
    answer = refund(cp, refused, 100)
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "payment_not_paid")
    pid = paid(cp)
    stranger = cp.harness.pair(name="前台2号")
    assert refund(cp, pid, 100, terminal=stranger).status_code == 404
    assert refund(cp, "no-such-payment", 100).status_code == 404
    assert refund(cp, pid, 0).status_code == 400
    assert not gateway_refunds(cp)


def test_two_refunds_racing_for_the_last_fen_one_wins(cp) -> None:
    """Each round: a payment with one fen left, two refunds of that fen sent at the same instant on two
    connections. The payment row's lock decides them one after the other: exactly one is recorded."""
    for _ in range(8):
        pid = paid(cp, 1001)
        assert refund(cp, pid, 1000).json()["status"] == "succeeded"
        other = replace(cp.terminal, http=httpx.Client(timeout=30))  # a second connection of the same terminal
        answers = at_once(lambda: refund(cp, pid, 1),  # noqa: B023
                          lambda: refund(cp, pid, 1, terminal=other))  # noqa: B023
        outcomes = sorted((a.status_code, a.json().get("status") or a.json()["error"]["code"]) for a in answers)
        assert outcomes == [(200, "succeeded"), (409, "refund_exceeds_payment")], [a.text for a in answers]
        assert cp.status(pid)["refunded_fen"] == 1001
    assert sum(amount for state, amount, _ in gateway_refunds(cp).values() if state == "succeeded") == 8 * 1001


def test_a_processing_refund_is_finished_by_the_reconciler(cp) -> None:
    pid = paid(cp, 1000)
    body = refund(cp, pid, 299).json()  # amounts ending in 99: the sandbox is "processing" for 3 s
    assert body["status"] == "pending"
    cp.reconcile()
    assert cp.status(pid)["refunds"][0]["status"] == "pending"
    time.sleep(3.2)
    cp.reconcile()
    view = cp.status(pid)
    assert view["refunds"][0]["status"] == "succeeded" and view["refunded_fen"] == 299
    assert feed_refunds(cp) == [(body["refund_id"], "pending"), (body["refund_id"], "succeeded")]


def test_a_processing_refund_is_finished_by_its_notify(cp) -> None:
    pid = paid(cp, 1000)
    rid = refund(cp, pid, 199).json()["refund_id"]
    notify = cp.harness.url + "/v1/gateways/sandbox/notify"
    forged = {"out_refund_no": rid, "amount_fen": "199", "status": "refund_succeeded", "sign": "0" * 64}
    assert httpx.post(notify, data=forged).status_code == 400
    wrong_amount = {"out_refund_no": rid, "amount_fen": "1", "status": "refund_succeeded",
                    "sign": cp.sandbox.sign_notify(rid, 1, "refund_succeeded")}
    assert httpx.post(notify, data=wrong_amount).status_code == 400
    # A payment notify's signature does not pass as a refund's.
    as_payment = {"out_refund_no": rid, "amount_fen": "199", "status": "refund_succeeded",
                  "sign": cp.sandbox.sign_notify(rid, 199, "paid")}
    assert httpx.post(notify, data=as_payment).status_code == 400
    assert cp.status(pid)["refunds"][0]["status"] == "pending"
    good = {"out_refund_no": rid, "amount_fen": "199", "status": "refund_succeeded",
            "sign": cp.sandbox.sign_notify(rid, 199, "refund_succeeded")}
    assert httpx.post(notify, data=good).text == "success"
    assert httpx.post(notify, data=good).text == "success"  # repeated: harmless
    late_failure = {**good, "status": "refund_failed", "sign": cp.sandbox.sign_notify(rid, 199, "refund_failed")}
    assert httpx.post(notify, data=late_failure).text == "success"  # reordered: a final state stays
    view = cp.status(pid)
    assert view["refunds"][0]["status"] == "succeeded" and view["refunded_fen"] == 199
    assert [s for r, s in feed_refunds(cp) if r == rid] == ["pending", "succeeded"]


@pytest.mark.parametrize("lose", ["request", "answer"])
def test_a_lost_refund_call_is_finished_by_the_reconciler_once(cp, lose: str) -> None:
    pid = paid(cp, 1000)
    cp.sandbox.lose = lose
    rid = refund(cp, pid, 500).json()["refund_id"]
    assert cp.status(pid)["refunds"][0]["status"] == "pending"
    cp.sandbox.lose = ""
    cp.reconcile()  # asks the gateway; one that never got it is sent the same refund number again
    assert cp.status(pid)["refunds"][0]["status"] == "succeeded"
    assert gateway_refunds(cp) == {rid: ("succeeded", 500, 1)}  # executed once, requested once
    # What is left counts the pending refund while it was open: a second 600 would have been refused.
    assert refund(cp, pid, 600).status_code == 409


def test_a_gateway_that_cannot_refund_says_so(db_url) -> None:
    cp = CodePlatform.start(db_url, sandbox=NoRefundSandbox)
    try:
        pid = paid(cp)
        answer = refund(cp, pid, 100)
        assert (answer.status_code, answer.json()["error"]["code"]) == (409, "refund_unsupported")
        assert "cash" in answer.json()["error"]["message"]
        assert cp.terminal.request("GET", "/v1/payment-methods").json()["options"][0]["can_refund"] is False
    finally:
        cp.harness.stop()
    engine = cp.harness.engine()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(refunds)).scalar() == 0
    engine.dispose()


def test_wechat_caps_refunds_per_payment(cp, monkeypatch) -> None:
    monkeypatch.setitem(refund_flow.MAX_REFUNDS, "sandbox", 3)  # WeChat's 50, on the sandbox, smaller
    pid = paid(cp, 1000)
    for _ in range(3):
        assert refund(cp, pid, 10).status_code == 200
    capped = refund(cp, pid, 10)
    assert (capped.status_code, capped.json()["error"]["code"]) == (409, "too_many_refunds")
