"""The reconciler asks the gateway about payments whose notify never came (SQLite and PostgreSQL)."""

from __future__ import annotations

import time
import uuid

import pytest

from kameng_platform import clock
from kameng_platform.gateways import reconcile
from tests.platform.test_gateway_payments import GatewayPlatform

QUERY = "GET /v3/pay/transactions/out-trade-no/{}"


@pytest.fixture
def gp(db_url):
    platform = GatewayPlatform.start(db_url)
    yield platform
    platform.harness.stop()


def run_pass(gp: GatewayPlatform, *, after_s: int = 0, window_s: int = 600) -> int:
    engine = gp.harness.engine()
    try:
        return reconcile.process(engine, gp.registry, after_s=after_s, window_s=window_s, every_s=0)
    finally:
        engine.dispose()


def queries(gp: GatewayPlatform, no: str) -> int:
    return gp.wechat.calls.count(QUERY.format(no))


def test_notify_lost_reconciler_finds_it_paid(gp) -> None:
    pid = gp.create(payment_id=str(uuid.uuid4())).json()["payment_id"]
    no = uuid.UUID(pid).hex
    assert run_pass(gp, after_s=3600) == 0 and queries(gp, no) == 0  # too young: its notify may still come
    gp.wechat.pay(no)  # the customer paid; the notify is lost on the way
    assert gp.status(pid)["status"] == "pending"
    assert run_pass(gp) == 1
    assert gp.status(pid)["status"] == "paid"
    assert gp.row(pid).gateway_trade_no == gp.wechat.orders[no]["transaction_id"]
    asked = queries(gp, no)
    assert run_pass(gp) == 0 and queries(gp, no) == asked  # a paid payment is not asked about again
    assert gp.notify(*gp.wechat.notify(no)).status_code == 204  # the notify turns up after all: harmless


def move_clock(gp: GatewayPlatform, monkeypatch, to: int) -> None:
    """The platform's clock (and the terminal's, so its signed requests stay within the skew)."""
    monkeypatch.setattr(clock, "now", lambda: to)
    gp.terminal.clock_offset = to - int(time.time())


def test_gateway_says_not_paid_stays_pending_then_expires(gp, monkeypatch) -> None:
    created = gp.create(payment_id=str(uuid.uuid4())).json()
    pid, no, expires_at = created["payment_id"], uuid.UUID(created["payment_id"]).hex, created["expires_at"]
    assert run_pass(gp) == 0 and queries(gp, no) == 1
    assert gp.status(pid)["status"] == "pending"
    move_clock(gp, monkeypatch, expires_at + 1)
    assert gp.status(pid)["status"] == "expired"
    assert run_pass(gp, window_s=600) == 0 and queries(gp, no) == 2  # still asked: it may have been paid late
    move_clock(gp, monkeypatch, expires_at + 601)
    assert run_pass(gp, window_s=600) == 0 and queries(gp, no) == 2  # expired long ago: left alone
    assert gp.status(pid)["status"] == "expired"
    assert gp.row(pid).status == "pending" and gp.row(pid).paid_at is None


def test_money_after_cancel_is_found_and_kept_on_record(gp) -> None:
    pid = gp.create(payment_id=str(uuid.uuid4())).json()["payment_id"]
    gp.wechat.down = True  # the cancel cannot close WeChat's order...
    assert gp.terminal.request("POST", f"/v1/payments/{pid}/cancel").json()["status"] == "cancelled"
    gp.wechat.down = False
    assert gp.wechat.pay(uuid.UUID(pid).hex)  # ...so the customer pays from the QR on their phone; notify lost
    assert run_pass(gp) == 1
    assert gp.status(pid)["status"] == "paid"  # the desk then flags the order for refund


def test_gateway_unreachable_during_a_pass_changes_nothing(gp) -> None:
    pid = gp.create(payment_id=str(uuid.uuid4())).json()["payment_id"]
    gp.wechat.pay(uuid.UUID(pid).hex)
    gp.wechat.down = True
    assert run_pass(gp) == 0 and gp.status(pid)["status"] == "pending"
    gp.wechat.down = False
    assert run_pass(gp) == 1 and gp.status(pid)["status"] == "paid"


def test_the_server_runs_the_reconciler(db_url) -> None:
    platform = GatewayPlatform.start(db_url, reconcile_interval_s=0.2, reconcile_after_s=0)
    try:
        pid = platform.create(payment_id=str(uuid.uuid4())).json()["payment_id"]
        platform.wechat.pay(uuid.UUID(pid).hex)
        deadline = time.monotonic() + 10
        while platform.status(pid)["status"] != "paid":
            assert time.monotonic() < deadline, "the server's reconciler did not find the payment"
            time.sleep(0.1)
    finally:
        platform.harness.stop()
