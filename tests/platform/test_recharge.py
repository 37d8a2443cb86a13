"""A reseller recharges its balance by payment QR (kameng_platform/recharges.py, console/recharge_pages.py), on
SQLite and PostgreSQL: the balance is credited exactly once whoever learns the payment first (a notify delivered
twice through the real notify route, the reconciler, the page's poll, many threads at once), money after expiry
still credits, the payment is invisible to desks and to the sales figures, bad input records nothing, and without
a gateway nothing can take money."""

from __future__ import annotations

import base64
import re
import secrets
import threading
import time
import urllib.parse

import httpx
import pytest
from sqlalchemy import func, select

from kameng_platform import admin, ledger, payments, recharges
from kameng_platform.console import dashboard_queries, support_queries
from kameng_platform.console.queries import today
from kameng_platform.console.roles import Role
from kameng_platform.console.tables import console_audit
from kameng_platform.db import make_engine
from kameng_platform.gateways import reconcile
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.gateways.sandbox import SandboxGateway
from kameng_platform.schema import gateway_notices
from kameng_platform.schema import ledger as ledger_t
from kameng_platform.schema import recharges as recharges_t
from kameng_platform.seed import seed_demo
from kameng_platform.settings import PlatformSettings
from tests.platform.console_client import CSRF_RE, ConsoleHarness, new_reseller
from tests.platform.fake_epay import KEY as EPAY_KEY
from tests.platform.fake_epay import NOTIFY_URL as EPAY_NOTIFY_URL
from tests.platform.fake_epay import PID as EPAY_PID
from tests.platform.fake_epay import FakeEpay
from tests.platform.processes import PlatformProcess
from tests.platform.qr_decode import decode_svg_qr
from tests.platform.test_gateway_payments import GatewayPlatform

RESELLER = "r_demo"  # seed_demo's reseller


def _create(engine, gateways, amount_fen: int = 10_000, method: str = "sandbox", ttl_s: int = 300,
            reseller_id: str = RESELLER, payment_id: str | None = None) -> recharges.Recharge:
    return recharges.create(engine, gateways, payment_id=payment_id or recharges.new_id(), reseller_id=reseller_id,
                            amount_fen=amount_fen, method=method, public_url="http://127.0.0.1:9", ttl_s=ttl_s,
                            user_id=None, username="tester")


def _credits(engine, payment_id: str) -> list:
    with engine.connect() as conn:
        return conn.execute(select(ledger_t.c.reseller_id, ledger_t.c.amount_fen)
                            .where(ledger_t.c.reason == "recharge", ledger_t.c.reference == payment_id)).all()


def _balance(engine, reseller_id: str = RESELLER) -> int:
    with engine.connect() as conn:
        return ledger.balance(conn, reseller_id)


@pytest.fixture
def sandboxed(harness):
    """The seeded platform's database with a sandbox gateway of its own (the pay page's record)."""
    engine = harness.engine()
    registry = GatewayRegistry({"sandbox": SandboxGateway(harness.settings.server_key, engine)})
    yield engine, registry
    engine.dispose()


def test_a_notify_delivered_twice_through_the_real_route_credits_once(db_url) -> None:
    """易支付 (tests/platform/fake_epay.py, MD5-signed by the panel): the signed notify arrives twice over HTTP."""
    gp = GatewayPlatform.start(db_url)
    engine = gp.harness.engine()
    try:
        before = _balance(engine)
        made = _create(engine, gp.registry, amount_fen=12_345, method="epay")
        assert made.qr_content.startswith("https://qr.alipay.com/") and made.status == "pending"
        gp.epay.pay(made.payment_id)  # the customer pays at the panel
        notify = gp.harness.url + "/v1/gateways/epay/notify?" + urllib.parse.urlencode(gp.epay.notify(made.payment_id))
        assert [httpx.get(notify).text for _ in range(2)] == ["success", "success"]
        assert _credits(engine, made.payment_id) == [(RESELLER, 12_345)]
        assert _balance(engine) == before + 12_345
        with engine.connect() as conn:
            outcomes = conn.execute(select(gateway_notices.c.outcome).where(
                gateway_notices.c.payment_id == made.payment_id).order_by(gateway_notices.c.id)).scalars().all()
            assert outcomes == ["applied", "repeat"]
            assert recharges.get(conn, made.payment_id).credited_at is not None
        # A forged notify of a bigger amount changes nothing.
        forged = {**gp.epay.notify(made.payment_id), "money": "999.00"}
        assert httpx.get(gp.harness.url + "/v1/gateways/epay/notify?" + urllib.parse.urlencode(forged)).text == "fail"
        assert _balance(engine) == before + 12_345
    finally:
        engine.dispose()
        gp.stop()


def test_a_gateway_down_refuses_plainly_and_the_same_form_again_is_the_same_recharge(db_url) -> None:
    gp = GatewayPlatform.start(db_url)
    engine = gp.harness.engine()
    try:
        payment_id = recharges.new_id()
        gp.epay.down = True
        with pytest.raises(recharges.RechargeRefused) as down:
            _create(engine, gp.registry, method="epay", payment_id=payment_id)
        assert down.value.why == "gateway"
        with engine.connect() as conn:
            assert recharges.get(conn, payment_id).qr_content is None  # recorded, nothing shown, nothing paid
        gp.epay.down = False
        again = _create(engine, gp.registry, method="epay", payment_id=payment_id)
        assert again.qr_content.startswith("https://qr.alipay.com/") and again.payment_id == payment_id
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(recharges_t)).scalar() == 1
    finally:
        engine.dispose()
        gp.stop()


def test_the_pay_page_the_reconciler_and_the_poll_racing_credit_once(harness, sandboxed) -> None:
    """The customer pays on the sandbox page while the page's poll and the reconciler ask the gateway, from many
    threads at once (each its own engine, as separate workers): one ledger row, the amount once."""
    engine, registry = sandboxed
    before = _balance(engine)
    made = _create(engine, registry, amount_fen=5_000)
    sandbox = registry.get("sandbox")
    notice = sandbox.customer_paid(made.payment_id, 5_000)  # in the sandbox's record: a query now answers paid
    start = threading.Barrier(9)
    failures: list[BaseException] = []

    def run(work) -> None:
        own = make_engine(harness.settings.db_url)
        try:
            start.wait()
            work(own)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            own.dispose()
    works = [lambda e: payments.apply_notice(e, "sandbox", notice, source="notify")] * 3 + \
            [lambda e: reconcile.process(e, registry, after_s=0, window_s=3600, every_s=0.001)] * 3 + \
            [lambda e: recharges.status(e, registry, made.payment_id, RESELLER)] * 3
    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures, failures
    assert _credits(engine, made.payment_id) == [(RESELLER, 5_000)]
    assert _balance(engine) == before + 5_000
    assert recharges.status(engine, registry, made.payment_id, RESELLER).status == "paid"


def test_the_poll_finds_it_paid_when_the_notify_never_came_and_asks_at_most_every_two_seconds(sandboxed) -> None:
    engine, registry = sandboxed
    made = _create(engine, registry, amount_fen=700)
    asked = []
    real = registry.get("sandbox").query
    registry.get("sandbox").query = lambda no: asked.append(no) or real(no)
    for _ in range(5):  # a page polling faster than the lease: the gateway is asked once
        assert recharges.status(engine, registry, made.payment_id, RESELLER).status == "pending"
    assert len(asked) == 1
    registry.get("sandbox").customer_paid(made.payment_id, 700)  # paid, its notify lost
    time.sleep(payments.CODE_ASK_S + 1)
    shown = recharges.status(engine, registry, made.payment_id, RESELLER)
    assert (shown.status, shown.credited_at is not None, len(asked)) == ("paid", True, 2)
    assert _credits(engine, made.payment_id) == [(RESELLER, 700)]
    assert recharges.status(engine, registry, made.payment_id, "r_other") is None  # another reseller's


def test_money_after_expiry_still_credits(sandboxed) -> None:
    engine, registry = sandboxed
    before = _balance(engine)
    made = _create(engine, registry, amount_fen=300, ttl_s=1)
    time.sleep(2.2)
    with engine.connect() as conn:
        assert recharges.get(conn, made.payment_id).status == "expired"
    assert payments.apply_notice(engine, "sandbox", registry.get("sandbox").customer_paid(made.payment_id, 300),
                                 source="notify")
    assert _balance(engine) == before + 300
    with engine.connect() as conn:
        assert recharges.get(conn, made.payment_id).status == "paid"


def test_a_recharge_is_invisible_to_desks_and_to_the_sales_figures(harness, sandboxed) -> None:
    engine, registry = sandboxed
    terminal = harness.pair()
    made = _create(engine, registry, amount_fen=10_000)
    payments.apply_notice(engine, "sandbox", registry.get("sandbox").customer_paid(made.payment_id, 10_000))
    assert terminal.request("GET", f"/v1/payments/{made.payment_id}").status_code == 404
    assert terminal.request("POST", f"/v1/payments/{made.payment_id}/cancel").status_code == 404
    refund = terminal.request("POST", f"/v1/payments/{made.payment_id}/refunds",
                              {"refund_id": "r1", "amount_fen": 100, "reason": "x"})
    assert refund.status_code == 404
    # A desk reusing the id for its own payment is refused, not handed the recharge.
    reuse = terminal.request("POST", "/v1/payments", {"payment_id": made.payment_id, "order_id": "o1",
                                                      "amount_fen": 10_000, "method": "sandbox",
                                                      "description": "x"})
    assert reuse.status_code == 404
    with engine.connect() as conn:
        assert support_queries.lost_orders(conn) == []  # paid without an order, yet no 掉单
        _, _, channels = dashboard_queries.rankings(conn, 30)
        assert channels == []
        assert sum(day.payments_paid + day.payments_settled for day in dashboard_queries.series(conn)) == 0
        [line] = support_queries.reconciliation(conn, today(), today(), RESELLER)
        assert (line.payments_paid, line.payments_fen, line.sales_fen) == (0, 0, 0)  # no sale, no desk payment
        transfers = conn.execute(select(func.sum(ledger_t.c.amount_fen)).where(
            ledger_t.c.reseller_id == RESELLER, ledger_t.c.reason == "credit")).scalar()  # the demo's opening credit
        # A credit, like a bank transfer; not a sale.
        assert (line.credits_fen, line.other_fen) == (int(transfers) + 10_000, 0)


@pytest.mark.parametrize("amount_fen", [0, -1, recharges.MAX_FEN + 1, 1.5])
def test_bad_amounts_record_nothing(sandboxed, amount_fen) -> None:
    engine, registry = sandboxed
    with pytest.raises(recharges.RechargeRefused) as refused:
        _create(engine, registry, amount_fen=amount_fen)
    assert refused.value.why == "amount"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(recharges_t)).scalar() == 0


def test_the_cap_and_one_fen_are_accepted_and_a_frozen_reseller_may_recharge(sandboxed) -> None:
    engine, registry = sandboxed
    with engine.begin() as conn:
        admin.set_frozen(conn, RESELLER, True)
    assert _create(engine, registry, amount_fen=recharges.MAX_FEN).amount_fen == recharges.MAX_FEN
    one = recharges.new_id()
    assert _create(engine, registry, amount_fen=1, payment_id=one).qr_content == f"http://127.0.0.1:9/pay/{one}"


def test_no_gateway_no_unknown_reseller_and_a_used_form_record_nothing(sandboxed) -> None:
    engine, registry = sandboxed
    with pytest.raises(recharges.RechargeRefused) as none:
        _create(engine, GatewayRegistry({}))
    assert none.value.why == "method" and recharges.methods(GatewayRegistry({})) == []
    with pytest.raises(recharges.RechargeRefused) as nobody:
        _create(engine, registry, reseller_id="r_nobody")
    assert nobody.value.why == "no_reseller"
    made = _create(engine, registry, amount_fen=800)
    assert _create(engine, registry, amount_fen=800, payment_id=made.payment_id) == made  # the form sent twice
    with pytest.raises(recharges.RechargeRefused) as other:  # the same form with another amount
        _create(engine, registry, amount_fen=900, payment_id=made.payment_id)
    assert other.value.why == "taken"
    with pytest.raises(recharges.RechargeRefused) as forged:
        _create(engine, registry, payment_id="not-a-recharge-id")
    assert forged.value.why == "taken"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(recharges_t)).scalar() == 1


# --- the console page (ConsoleHarness: a real platform with the sandbox gateway on loopback) ------------------

@pytest.fixture
def console(db_url):
    h = ConsoleHarness.start(db_url)
    yield h
    h.stop()


def _form(client) -> dict:
    page = client.http.get("/console/portal/recharge")
    assert page.status_code == 200, page.text
    return {"csrf": CSRF_RE.search(page.text).group(1),
            "payment_id": page.text.split('name="payment_id" value="')[1].split('"')[0]}


def test_the_page_creates_one_recharge_per_form_audits_it_and_its_poll_shows_the_credit(console) -> None:
    reseller = console.logged_in(console.user(Role.RESELLER))
    form = _form(reseller)
    sent = reseller.http.post("/console/portal/recharge", data={**form, "amount": "100", "method": "sandbox"})
    assert sent.status_code == 303
    again = reseller.http.post("/console/portal/recharge", data={**form, "amount": "100", "method": "sandbox"})
    assert again.headers["location"] == sent.headers["location"]  # a second click: the same recharge
    shown = reseller.http.get(sent.headers["location"])
    payment_id = form["payment_id"]
    assert f'data-qr="{console.url}/pay/{payment_id}"' in shown.text
    image = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', shown.text).group(1)
    assert decode_svg_qr(base64.b64decode(image).decode()) == f"{console.url}/pay/{payment_id}"  # what a phone reads
    assert 'hx-trigger="every 2s"' in shown.text and "¥100.00" in shown.text
    engine = console.platform.engine()
    try:
        with engine.connect() as conn:
            audited = conn.execute(select(console_audit.c.target).where(
                console_audit.c.action == "recharge_created")).scalars().all()
        assert audited == [payment_id]
        before = _balance(engine)
        assert httpx.post(f"{console.url}/pay/{payment_id}").status_code == 200  # the customer pays
        status = reseller.http.get(f"/console/portal/recharge/status?id={payment_id}")
        assert 'data-recharge-status="credited"' in status.text and "hx-trigger" not in status.text
        assert _balance(engine) == before + 10_000 and "已到账" in status.text
        # The operator looks at that reseller's recharges, but makes none.
        operator = console.logged_in(console.user(Role.OPERATOR))
        page = operator.http.get(f"/console/portal/recharge?reseller={RESELLER}")
        assert page.status_code == 200 and payment_id in page.text and 'name="amount"' not in page.text
        made = operator.http.post("/console/portal/recharge", data={"csrf": operator.csrf(), "amount": "1",
                                                                    "method": "sandbox"})
        assert made.status_code == 403
        # Another reseller's user sees none of it.
        other = console.logged_in(console.user(Role.RESELLER, reseller_id=new_reseller(console, "别家网吧")))
        assert 'data-recharge-status="none"' in other.http.get(
            f"/console/portal/recharge/status?id={payment_id}").text
        assert payment_id not in other.http.get(f"/console/portal/recharge?id={payment_id}").text
        # The 补单 refund of it is refused plainly (its money is in the balance), not a server error.
        refund = operator.http.post("/console/support/payment/refund", data={
            "csrf": operator.csrf(), "payment_id": payment_id, "key": "k1", "reason": "test", "amount": ""})
        assert refund.status_code == 409
        assert _balance(engine) == before + 10_000
    finally:
        engine.dispose()


@pytest.mark.parametrize("amount", ["", "abc", "0", "50000.01", "1.234", "-5"])
def test_bad_amounts_on_the_page_are_a_clear_400_and_write_nothing(console, amount) -> None:
    reseller = console.logged_in(console.user(Role.RESELLER))
    sent = reseller.http.post("/console/portal/recharge", data={**_form(reseller), "amount": amount,
                                                                "method": "sandbox"})
    assert sent.status_code == 400 and "没有创建充值" in sent.text
    engine = console.platform.engine()
    try:
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(recharges_t)).scalar() == 0
            assert conn.execute(select(func.count()).select_from(console_audit).where(
                console_audit.c.action == "recharge_created")).scalar() == 0
    finally:
        engine.dispose()


def test_without_a_gateway_the_page_says_so_and_offers_no_button(tmp_path) -> None:
    h = ConsoleHarness.start(f"sqlite:///{tmp_path / 'p.db'}", gateways=())
    try:
        reseller = h.logged_in(h.user(Role.RESELLER))
        page = reseller.http.get("/console/portal/recharge")
        assert page.status_code == 200 and "平台还没有开通任何收款渠道" in page.text
        assert "生成付款二维码" not in page.text and 'name="amount"' not in page.text
        refused = reseller.http.post("/console/portal/recharge", data={
            "csrf": reseller.csrf(), "payment_id": recharges.new_id(), "amount": "100", "method": "sandbox"})
        assert refused.status_code == 400
    finally:
        h.stop()


@pytest.mark.timeout(180)
def test_two_real_processes_taking_the_same_notify_at_once_and_reconciling_credit_once(pg_url, tmp_path) -> None:
    """Two `kameng-platform serve` processes on one PostgreSQL: the panel's signed notify delivered to both at
    once, five times each, while both processes' reconcilers ask the panel too: one credit."""
    key = secrets.token_bytes(32)
    seed_demo(PlatformSettings(pg_url, key), codes_per_product=1)
    panel = FakeEpay()
    (tmp_path / "epay.key").write_text(EPAY_KEY)
    (tmp_path / "gateways.toml").write_text(
        f'gateways = ["epay"]\n[epay]\nbase_url = "{panel.url}"\npid = "{EPAY_PID}"\nkey_file = "epay.key"\n'
        f'notify_url = "{EPAY_NOTIFY_URL}"\n')
    procs = [PlatformProcess(pg_url, key.hex(), "--gateway-config", str(tmp_path / "gateways.toml"),
                             log=tmp_path / f"platform{i}.log") for i in range(2)]
    engine = make_engine(pg_url)
    try:
        for p in procs:
            p.start()
        before = _balance(engine)
        made = _create(engine, GatewayRegistry({"epay": panel.gateway()}), amount_fen=8_800, method="epay")
        panel.pay(made.payment_id)
        query = urllib.parse.urlencode(panel.notify(made.payment_id))
        start = threading.Barrier(10)
        answers: list[str] = []

        def deliver(url: str) -> None:
            start.wait()
            answers.append(httpx.get(f"{url}/v1/gateways/epay/notify?{query}", timeout=30).text)
        threads = [threading.Thread(target=deliver, args=(procs[n % 2].url,)) for n in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert answers == ["success"] * 10
        time.sleep(6)  # a reconcile interval (5 s): both processes' reconcilers have had their pass too
        assert _credits(engine, made.payment_id) == [(RESELLER, 8_800)]
        assert _balance(engine) == before + 8_800
        with engine.connect() as conn:
            outcomes = conn.execute(select(gateway_notices.c.outcome).where(
                gateway_notices.c.payment_id == made.payment_id)).scalars().all()
        assert sorted(outcomes) == ["applied"] + ["repeat"] * 9
    finally:
        for p in procs:
            if p.proc is not None and p.proc.poll() is None:
                p.kill()
        engine.dispose()
        panel.stop()
