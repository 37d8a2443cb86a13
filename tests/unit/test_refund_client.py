"""The sync client's refund calls (kameng_desk/sync/client.py) against a real HTTP server on loopback that answers
as the wire contract says (kameng_desk/records/payment_port.py): the refund's fields read, 409 refund_unsupported
mapped to RefundUnsupportedError (the desk offers cash), other refusals kept as such, and a reply shaped unlike the
contract an unknown outcome (PlatformUnreachableError), never a crash or a guess. The real platform's answers are
tested in tests/integration/test_refunds_e2e.py."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kameng_desk.records.payment_port import PlatformUnreachableError, Refund, RefundUnsupportedError
from kameng_desk.sync.client import PlatformClient
from kameng_desk.sync.errors import PlatformRefusedError

ASKED: list[tuple[str, str, dict]] = []  # what the platform was asked, in order


class Platform(BaseHTTPRequestHandler):
    """Answers by the payment id in the path, as the contract says a platform would."""

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ASKED.append(("POST", self.path, body))
        payment = self.path.split("/")[3]
        if payment == "pay-epay":
            self._answer(409, {"error": {"code": "refund_unsupported", "message": "epay cannot refund"}})
        elif payment == "pay-over":
            self._answer(409, {"error": {"code": "refund_exceeds_payment", "message": "too much"}})
        elif payment == "pay-odd":
            self._answer(200, {"refund_id": body["refund_id"], "status": "maybe"})
        else:
            self._answer(200, {"refund_id": body["refund_id"], "payment_id": payment, "amount_fen": body["amount_fen"],
                               "status": "pending", "reason": body["reason"], "failure": None})

    def do_GET(self) -> None:
        payment = self.path.split("/")[3]
        if payment == "pay-old":  # a platform before refunds: no "refunds" in the payment
            self._answer(200, {"payment_id": payment, "status": "paid", "amount_fen": 100, "paid_at": 1})
        elif payment == "pay-bad":
            self._answer(200, {"payment_id": payment, "refunds": "none"})
        else:
            self._answer(200, {"payment_id": payment, "status": "paid", "refunds": [
                {"refund_id": "r-1", "payment_id": payment, "amount_fen": 500, "status": "succeeded", "failure": None},
                {"refund_id": "r-2", "payment_id": payment, "amount_fen": 300, "status": "failed",
                 "failure": "gateway said no"}]})

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def client():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Platform)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    c = PlatformClient(f"http://127.0.0.1:{server.server_address[1]}", "terminal-1", "secret-1")
    ASKED.clear()
    yield c
    c.close()
    server.shutdown()


def test_a_refund_is_asked_for_by_its_id(client) -> None:
    answer = client.refund_payment(payment_id="pay-1", refund_id="r-9", amount_fen=1250, reason="顾客退货")
    assert answer == Refund("r-9", "pay-1", 1250, "pending")
    assert ASKED == [("POST", "/v1/payments/pay-1/refunds",
                               {"refund_id": "r-9", "amount_fen": 1250, "reason": "顾客退货"})]


def test_refusals_keep_their_meaning(client) -> None:
    with pytest.raises(RefundUnsupportedError):
        client.refund_payment(payment_id="pay-epay", refund_id="r-1", amount_fen=100, reason="")
    with pytest.raises(PlatformRefusedError) as refused:
        client.refund_payment(payment_id="pay-over", refund_id="r-1", amount_fen=100, reason="")
    assert refused.value.code == "refund_exceeds_payment"
    with pytest.raises(PlatformUnreachableError):  # an answer unlike the contract: the outcome is unknown
        client.refund_payment(payment_id="pay-odd", refund_id="r-1", amount_fen=100, reason="")


def test_the_refunds_of_a_payment(client) -> None:
    assert client.refunds("pay-1") == [Refund("r-1", "pay-1", 500, "succeeded"),
                                       Refund("r-2", "pay-1", 300, "failed", "gateway said no")]
    assert client.refunds("pay-old") == []
    with pytest.raises(PlatformUnreachableError):
        client.refunds("pay-bad")


def test_an_unreachable_platform_is_not_a_refusal() -> None:
    c = PlatformClient("http://127.0.0.1:9", "terminal-1", "secret-1")  # the discard port: nothing listens
    try:
        with pytest.raises(PlatformUnreachableError):
            c.refund_payment(payment_id="pay-1", refund_id="r-1", amount_fen=100, reason="")
    finally:
        c.close()
