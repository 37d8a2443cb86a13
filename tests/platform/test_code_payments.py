"""Code payments (the cashier scans the customer's 付款码) on the real platform over loopback HTTP, SQLite and
PostgreSQL, against the sandbox gateway's demo rules (docs/payments.md): paid at once, refused, the customer
entering the password then paying or running out of time (reversed), cancel during the password, a retry
after a lost answer, and the code never reaching the database, a log or an error body."""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from alembic import command
from sqlalchemy import select

from kameng_platform import payments as payment_flow
from kameng_platform.db import alembic_config, make_engine, migrate
from kameng_platform.gateways import reconcile
from kameng_platform.gateways.base import GatewayConfigError, GatewayNotice, GatewayUnreachable
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.gateways.sandbox import SandboxGateway
from kameng_platform.models import PaymentCreate
from kameng_platform.schema import payments, sandbox_trades
from kameng_platform.seed import seed_demo
from kameng_platform.server import serve_in_thread
from kameng_platform.settings import ConfigError, load_gateway_config, sandbox_settings
from tests.platform.client import PlatformHarness, Terminal

WECHAT_CODE = "134567890123456789"  # 18 digits starting 13
ALIPAY_CODE = "281234567890123456"  # 18 digits starting 28
REFUSED_CODE = "134567890123450000"  # the sandbox refuses codes ending in 0000
PASSWORD_FEN = 1299  # amounts ending in 99: the sandbox's customer enters a password for 3 s


class CountingSandbox(SandboxGateway):
    """The sandbox, counting the platform's questions; `reverse_down` plays a gateway that cannot be reached
    for the reverse."""

    def __init__(self, *args, code_apps: tuple[str, ...] = ("wechat", "alipay"), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.code_apps = code_apps
        self.queries: list[str] = []
        self.reverse_down = False

    def query(self, out_trade_no: str):
        self.queries.append(out_trade_no)
        return super().query(out_trade_no)

    def reverse(self, out_trade_no: str) -> None:
        if self.reverse_down:
            raise GatewayUnreachable("sandbox: the reverse timed out")
        super().reverse(out_trade_no)


@dataclass
class CodePlatform:
    harness: PlatformHarness
    sandbox: CountingSandbox
    terminal: Terminal

    @classmethod
    def start(cls, db_url: str, code_apps: tuple[str, ...] = ("wechat", "alipay"),
              sandbox: type[CountingSandbox] = CountingSandbox, **fields) -> CodePlatform:
        # The background reconciler waits an hour: tests run its passes themselves.
        settings = sandbox_settings(db_url, secrets.token_bytes(32), **{"reconcile_interval_s": 3600, **fields})
        seed = seed_demo(settings, codes_per_product=1)
        gateway = sandbox(settings.server_key, make_engine(db_url), code_apps=code_apps)
        harness = PlatformHarness(settings, serve_in_thread(settings, gateways=GatewayRegistry({"sandbox": gateway})),
                                  seed.reseller_id, seed.pairing_code)
        return cls(harness, gateway, harness.pair())

    def pay(self, amount_fen: int = 1250, auth_code: str = WECHAT_CODE, payment_id: str | None = None,
            **extra) -> httpx.Response:
        return self.terminal.request("POST", "/v1/payments", {
            "payment_id": payment_id or str(uuid.uuid4()), "order_id": "o-" + uuid.uuid4().hex[:8],
            "amount_fen": amount_fen, "kind": "code", "auth_code": auth_code, "description": "卡盟", **extra})

    def status(self, payment_id: str) -> dict:
        return self.terminal.request("GET", f"/v1/payments/{payment_id}").json()

    def cancel(self, payment_id: str) -> dict:
        return self.terminal.request("POST", f"/v1/payments/{payment_id}/cancel").json()

    def trade(self, payment_id: str):
        engine = self.harness.engine()
        try:
            with engine.connect() as conn:
                return conn.execute(select(sandbox_trades).where(sandbox_trades.c.out_trade_no == payment_id)).first()
        finally:
            engine.dispose()

    def reconcile(self) -> None:
        engine = self.harness.engine()
        try:
            reconcile.process(engine, GatewayRegistry({"sandbox": self.sandbox}), after_s=0, window_s=600,
                              every_s=0)
        finally:
            engine.dispose()

    def wait_for(self, payment_id: str, done: tuple[str, ...], timeout: float = 10) -> dict:
        """Poll as the desk does (every 0.3 s) until the status is one of `done`."""
        deadline = time.monotonic() + timeout
        while (view := self.status(payment_id))["status"] not in done:
            assert time.monotonic() < deadline, view
            time.sleep(0.3)
        return view

    def row_status(self, payment_id: str) -> str:
        """As stored, without asking through the API (a GET would move it along itself)."""
        engine = self.harness.engine()
        try:
            with engine.connect() as conn:
                return conn.execute(select(payments.c.status).where(payments.c.payment_id == payment_id)).scalar()
        finally:
            engine.dispose()


@pytest.fixture
def cp(db_url) -> Iterator[CodePlatform]:
    platform = CodePlatform.start(db_url)
    yield platform
    platform.harness.stop()


def test_a_code_is_charged_at_once_through_the_gateway_its_app_chooses(cp) -> None:
    for code, app in ((WECHAT_CODE, "wechat"), (ALIPAY_CODE, "alipay")):
        reply = cp.pay(1250, code, payment_id=(pid := str(uuid.uuid4())))
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert (body["status"], body["kind"], body["method"], body["app"], body["failure"]) == \
               ("paid", "code", "sandbox", app, None)
        assert body["paid_at"] and body["qr_content"] is None and body["refunds"] == [] and body["refunded_fen"] == 0
        assert cp.status(pid)["status"] == "paid"
        trade = cp.trade(pid)
        assert (trade.state, trade.amount_fen, trade.charges) == ("paid", 1250, 1)


def test_a_refused_code_fails_with_the_gateway_reason_and_takes_nothing(cp) -> None:
    body = cp.pay(1250, REFUSED_CODE, payment_id=(pid := str(uuid.uuid4()))).json()
    assert (body["status"], body["failure"]) == ("failed", "AUTH_CODE_INVALID")
    assert cp.status(pid)["status"] == "failed" and cp.trade(pid).state == "failed"
    assert cp.cancel(pid)["status"] == "failed"  # nothing to undo


def test_password_then_paid_while_the_desk_polls(cp) -> None:
    body = cp.pay(PASSWORD_FEN, payment_id=(pid := str(uuid.uuid4()))).json()
    assert body["status"] == "pending"  # the customer is entering the password
    started = time.monotonic()
    paid = cp.wait_for(pid, ("paid",))
    assert paid["paid_at"] and cp.trade(pid).state == "paid" and cp.trade(pid).charges == 1
    # The desk polled every 0.3 s for about 3 s; the gateway was asked at most once per ~2 s of it.
    assert 1 <= len(cp.sandbox.queries) <= (time.monotonic() - started) / 1 + 1, cp.sandbox.queries


def test_password_not_entered_in_time_is_reversed(db_url, caplog) -> None:
    cp = CodePlatform.start(db_url, code_wait_s=1)
    # The customer types for 6 s: the 1 s wait runs out well before (with the sandbox's 3 s, a loaded machine
    # could see the payment land before the reverse: a real outcome, but not this test's).
    cp.sandbox.password_s = 6
    try:
        started = time.monotonic()
        pid = cp.pay(PASSWORD_FEN).json()["payment_id"]
        done = cp.wait_for(pid, ("cancelled",))
        assert done["failure"] == "timeout" and done["paid_at"] is None
        assert cp.trade(pid).state == "reversed"
        time.sleep(max(0.0, started + 7.2 - time.monotonic()))  # past the moment the customer would have paid
        assert cp.trade(pid).state == "reversed" and cp.status(pid)["status"] == "cancelled"
        # A paid notify that turns up now (signed, delayed) does not make it paid: the reverse returned the money.
        form = {"payment_id": pid, "amount_fen": str(PASSWORD_FEN), "status": "paid",
                "sign": cp.sandbox.sign_notify(pid, PASSWORD_FEN, "paid")}
        with caplog.at_level(logging.WARNING, logger="kameng_platform.payments"):
            assert httpx.post(cp.harness.url + "/v1/gateways/sandbox/notify", data=form).text == "success"
        assert cp.status(pid)["status"] == "cancelled"
        assert any("not marked paid" in r.getMessage() and pid in r.getMessage() for r in caplog.records)
    finally:
        cp.harness.stop()


def test_cancel_during_the_password_reverses_it(cp) -> None:
    pid = cp.pay(PASSWORD_FEN).json()["payment_id"]
    cancelled = cp.cancel(pid)
    assert (cancelled["status"], cancelled["failure"]) == ("cancelled", "cancelled")
    time.sleep(3.2)
    assert cp.trade(pid).state == "reversed" and cp.status(pid)["status"] == "cancelled"


def test_cancel_after_the_customer_paid_answers_paid(cp) -> None:
    pid = cp.pay(PASSWORD_FEN).json()["payment_id"]
    time.sleep(3.2)  # paid at the gateway, not yet asked about
    assert cp.cancel(pid)["status"] == "paid" and cp.trade(pid).state == "paid"


def test_a_reverse_that_fails_stays_reversing_until_the_reconciler_gets_it_through(cp) -> None:
    pid = cp.pay(PASSWORD_FEN).json()["payment_id"]
    cp.sandbox.reverse_down = True
    assert cp.cancel(pid)["status"] == "reversing"
    time.sleep(3.2)  # the customer's payment lands at the gateway meanwhile
    assert cp.status(pid)["status"] == "reversing"  # asked, but not marked paid: the reverse will return it
    time.sleep(2.1)
    cp.reconcile()
    assert cp.row_status(pid) == "reversing"
    cp.sandbox.reverse_down = False
    time.sleep(2.1)  # the last attempt's lease (payments.CODE_ASK_S) runs out
    cp.reconcile()
    assert cp.row_status(pid) == "cancelled" and cp.trade(pid).state == "reversed"


def test_the_reconciler_reverses_a_code_payment_whose_desk_went_away(db_url) -> None:
    cp = CodePlatform.start(db_url, code_wait_s=1)
    try:
        pid = cp.pay(PASSWORD_FEN).json()["payment_id"]
        time.sleep(1.1)
        cp.reconcile()  # nobody polls: the reconciler asks, finds the wait over, reverses
        assert (cp.row_status(pid), cp.trade(pid).state) == ("cancelled", "reversed")
    finally:
        cp.harness.stop()


def test_the_reconciler_finds_a_code_payment_paid_after_its_desk_went_away(cp) -> None:
    pid = cp.pay(PASSWORD_FEN).json()["payment_id"]
    cp.reconcile()
    assert cp.row_status(pid) == "pending"  # still entering the password
    time.sleep(3.2)
    cp.reconcile()
    assert cp.row_status(pid) == "paid"


def test_a_retry_after_a_lost_answer_charges_once(cp) -> None:
    body = {"payment_id": (pid := str(uuid.uuid4())), "order_id": "o-1", "amount_fen": 1250, "kind": "code",
            "auth_code": WECHAT_CODE, "description": "卡盟"}
    first = cp.terminal.request("POST", "/v1/payments", body).json()
    again = cp.terminal.request("POST", "/v1/payments", body).json()  # the desk never saw the first answer
    assert first == again and first["status"] == "paid"
    assert (cp.trade(pid).state, cp.trade(pid).amount_fen) == ("paid", 1250)
    other = cp.terminal.request("POST", "/v1/payments", {**body, "auth_code": ALIPAY_CODE})
    assert (other.status_code, other.json()["error"]["code"]) == (409, "idempotency_conflict")
    # During the password: the retry charges again with the same order number; the gateway keeps one trade.
    slow = {**body, "payment_id": (slow_id := str(uuid.uuid4())), "amount_fen": PASSWORD_FEN}
    assert cp.terminal.request("POST", "/v1/payments", slow).json()["status"] == "pending"
    assert cp.terminal.request("POST", "/v1/payments", slow).json()["status"] == "pending"
    assert cp.trade(slow_id).charges == 2
    assert cp.wait_for(slow_id, ("paid",))["amount_fen"] == PASSWORD_FEN
    engine = cp.harness.engine()
    with engine.connect() as conn:
        assert sorted(conn.execute(select(sandbox_trades.c.out_trade_no)).scalars()) == sorted([pid, slow_id])
    engine.dispose()


def test_the_payment_code_never_reaches_the_database_logs_or_error_bodies(tmp_path, caplog) -> None:
    cp = CodePlatform.start(f"sqlite:///{tmp_path / 'platform.db'}", code_apps=("wechat",))
    codes = [WECHAT_CODE, REFUSED_CODE, ALIPAY_CODE, "999999999999999999", "13456789012345678X", "1345678901234"]
    try:
        with caplog.at_level(logging.DEBUG):
            assert cp.pay(1250, WECHAT_CODE).json()["status"] == "paid"
            assert cp.pay(1250, REFUSED_CODE).json()["status"] == "failed"
            answers = [cp.pay(1250, ALIPAY_CODE),  # an Alipay code: no gateway here charges it
                       cp.pay(1250, "999999999999999999"),  # digits, but no payment code
                       cp.pay(1250, "13456789012345678X"), cp.pay(1250, "1345678901234"),  # malformed
                       cp.pay(1250, WECHAT_CODE, method="wechat"),  # another gateway named
                       cp.pay(1250, WECHAT_CODE, kind="qr", method="sandbox")]  # a QR payment takes no code
        assert [(a.status_code, a.json()["error"]["code"]) for a in answers] == [
            (400, "code_not_supported"), (400, "unknown_payment_code"), (400, "bad_request"), (400, "bad_request"),
            (400, "bad_request"), (400, "bad_request")]
        for answer in answers:
            assert not any(code in answer.text for code in codes), answer.text
    finally:
        cp.harness.stop()
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert "refused code payment" in logged  # the server's logs were captured
    assert not any(code in logged for code in codes)
    files = [p for p in tmp_path.iterdir() if p.name.startswith("platform.db")]
    assert files
    for path in files:
        data = path.read_bytes()
        assert not any(code.encode() in data for code in codes), path.name
    assert WECHAT_CODE not in repr(PaymentCreate(payment_id="p", order_id="o", amount_fen=1, kind="code",
                                                 auth_code=WECHAT_CODE))


def test_payment_methods_say_what_each_gateway_does_at_the_counter(cp) -> None:
    body = cp.terminal.request("GET", "/v1/payment-methods").json()
    assert body == {"methods": ["sandbox"], "options": [
        {"method": "sandbox", "apps": ["wechat", "alipay"], "code_apps": ["wechat", "alipay"], "can_refund": True}]}


def test_the_password_wait_is_configured_in_the_gateway_config(tmp_path) -> None:
    config = tmp_path / "gateways.toml"
    config.write_text('gateways = ["sandbox"]\ncode_wait_s = 45\n', encoding="utf-8")
    assert load_gateway_config(str(config))["code_wait_s"] == 45
    config.write_text('gateways = ["sandbox"]\ncode_wait_s = "soon"\n', encoding="utf-8")
    with pytest.raises(GatewayConfigError, match="code_wait_s"):
        load_gateway_config(str(config))
    with pytest.raises(ConfigError, match="code_wait_s must be 1 to 600"):
        sandbox_settings("sqlite://", bytes(32), code_wait_s=0)
    assert sandbox_settings("sqlite://", bytes(32)).code_wait_s == 60  # the default


def test_migration_0010_keeps_open_qr_payments_working(db_url) -> None:
    """A platform upgraded with QR payments open: after 0010 they are kind "qr", shown and paid as before."""
    command.upgrade(alembic_config(db_url), "0009")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO payments (payment_id, terminal_id, order_id, amount_fen, method, status, qr_content, "
                "expires_at, created_at, out_trade_no) VALUES ('p-old', 't', 'o', 1250, 'sandbox', 'pending', "
                "'http://x/pay/p-old', 4000000000, 1, 'p-old')")
        migrate(db_url)
        assert payment_flow.apply_notice(engine, "sandbox", GatewayNotice("p-old", 1250, True))
        with engine.connect() as conn:
            row = conn.execute(select(payments).where(payments.c.payment_id == "p-old")).one()
            view = payment_flow._view(conn, row)
        assert (row.kind, row.app, row.auth_hash, row.status) == ("qr", None, None, "paid")
        assert (view["kind"], view["refunds"], view["refunded_fen"]) == ("qr", [], 0)
    finally:
        engine.dispose()
