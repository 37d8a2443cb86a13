"""补单 in the console over real HTTP (SQLite and PostgreSQL): a desk's top-up left without an answer, a paid
payment whose order never arrived (掉单), the actions a person takes on them (each once, with its reason in the
audit log, whatever two people or two clicks do at once), reconciliation per reseller per day, statements, and
their CSV/XLSX exports read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
from decimal import Decimal

import httpx
import openpyxl
import pytest
from sqlalchemy import func, select, update

from kameng_platform import admin, clock, ledger
from kameng_platform.console import support_queries
from kameng_platform.console.i18n import EN
from kameng_platform.console.roles import Role
from kameng_platform.console.tables import console_audit
from kameng_platform.schema import gateway_notices, orders, refunds
from kameng_platform.schema import ledger as ledger_t
from tests.platform.console_client import CSRF_RE, ConsoleHarness
from tests.platform.support_data import COST_FEN, paid_without_order, push_topup


@pytest.fixture
def console(db_url):
    h = ConsoleHarness.start(db_url)
    h.platform.server._workers.topups.stop()  # the supplier is never asked: top-ups stay without an answer
    yield h
    h.stop()


def audit_of(console: ConsoleHarness, target: str) -> list[tuple[str, str, str]]:
    return [tuple(r) for r in console.read(select(console_audit.c.username, console_audit.c.action,
                                                    console_audit.c.reason).where(console_audit.c.target == target)
                                   .order_by(console_audit.c.id))]


def balance(console: ConsoleHarness) -> int:
    engine = console.platform.engine()
    try:
        with engine.connect() as conn:
            return ledger.balance(conn, console.platform.reseller_id)
    finally:
        engine.dispose()


def post(client, path: str, **form) -> httpx.Response:
    return client.http.post(path, data={"csrf": client.csrf("/console/support"), **form})


def test_a_stuck_topup_is_marked_succeeded_once_with_its_reference_and_reason(console) -> None:
    order_id = push_topup(console)
    support = console.logged_in(console.user(Role.SUPPORT, username="客服小李"))
    queue = support.http.get("/console/support", params={"minutes": 0})
    assert f'data-order="{order_id}"' in queue.text
    assert f'data-order="{order_id}"' not in support.http.get("/console/support").text  # younger than 10 min

    # No reason, or no supplier reference: refused, nothing changed.
    assert post(support, "/console/support/topup/succeeded", order_id=order_id, reference="SP-1").status_code == 400
    assert post(support, "/console/support/topup/succeeded", order_id=order_id, reason="供货商后台显示已到账"
                ).status_code == 400
    assert console.read(select(orders.c.topup_state).where(orders.c.order_id == order_id)) == [("submitted",)]

    done = post(support, "/console/support/topup/succeeded", order_id=order_id, reference="SP-778",
                reason="供货商后台显示已到账")
    assert done.status_code == 303 and done.headers["location"].startswith("/console/support/order?")
    again = post(support, "/console/support/topup/succeeded", order_id=order_id, reference="SP-778",
                 reason="供货商后台显示已到账")
    assert again.status_code == 409  # final already: nothing twice
    assert console.read(select(orders.c.topup_state).where(orders.c.order_id == order_id)) == [("succeeded",)]
    assert audit_of(console, order_id) == [("客服小李", "topup_marked_succeeded", "供货商后台显示已到账 [ref SP-778]")]
    # Marking it failed now changes nothing either: no refund of a top-up that was executed.
    before = balance(console)
    assert post(support, "/console/support/topup/failed", order_id=order_id, reason="手滑").status_code == 409
    assert balance(console) == before

    page = support.http.get(done.headers["location"])
    assert page.status_code == 200 and "ref SP-778" in page.text and "客服小李" in page.text
    assert 'id="order-state">充值成功' in page.text
    assert f'data-order="{order_id}"' not in support.http.get("/console/support", params={"minutes": 0}).text


def test_two_people_failing_one_topup_at_once_refund_the_reseller_once(console) -> None:
    order_id = push_topup(console)
    before = balance(console)
    people = [console.logged_in(console.user(Role.SUPPORT)), console.logged_in(console.user(Role.OPERATOR))]
    tokens = [p.csrf("/console/support") for p in people]
    barrier, answers = threading.Barrier(2), [None, None]

    def fail(n: int) -> None:
        barrier.wait()
        answers[n] = people[n].http.post("/console/support/topup/failed",
                                         data={"csrf": tokens[n], "order_id": order_id, "reason": f"供货商说没充 {n}"})
    threads = [threading.Thread(target=fail, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [303, 409]
    assert balance(console) == before + COST_FEN  # refunded once
    refunds_booked = console.read(select(func.count()).select_from(ledger_t).where(
        ledger_t.c.reference == order_id, ledger_t.c.reason == "refund"))
    assert refunds_booked == [(1,)]
    assert [a[1] for a in audit_of(console, order_id)] == ["topup_marked_failed"]  # only the one that did it


def test_a_person_waits_while_a_worker_is_asking_the_supplier(console) -> None:
    order_id = push_topup(console)
    with console.platform.engine().begin() as conn:  # a worker holds the lease: its answer is on its way
        conn.execute(update(orders).where(orders.c.order_id == order_id)
                     .values(claimed_by="worker", lease_until=clock.now() + 60))
    support = console.logged_in(console.user(Role.SUPPORT))
    assert "正在查询" in support.http.get("/console/support", params={"minutes": 0}).text
    assert post(support, "/console/support/topup/failed", order_id=order_id, reason="等不及").status_code == 409
    assert console.read(select(orders.c.topup_state).where(orders.c.order_id == order_id)) == [("submitted",)]
    assert audit_of(console, order_id) == []


def test_asking_the_supplier_again_finishes_the_topup_through_the_worker_rules(console) -> None:
    order_id = push_topup(console)  # the sandbox never saw it: asked again, it is sent with the same key
    support = console.logged_in(console.user(Role.SUPPORT))
    done = post(support, "/console/support/topup/query", order_id=order_id, reason="代理来电催单")
    assert done.status_code == 303 and "queried_succeeded" in done.headers["location"]
    assert console.read(select(orders.c.topup_state).where(orders.c.order_id == order_id)) == [("succeeded",)]
    assert [a[1:] for a in audit_of(console, order_id)] == [("topup_queried", "代理来电催单 → succeeded")]
    # The state changes are its history on the detail page.
    page = support.http.get(done.headers["location"])
    assert page.text.count("充值已提交") >= 1 and "充值成功" in page.text


def refund_key(page: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]+)"', page).group(1)


def test_a_lost_order_is_refunded_once_by_finance_and_never_by_support(console) -> None:
    payment_id = paid_without_order(console)
    support = console.logged_in(console.user(Role.SUPPORT))
    queue = support.http.get("/console/support").text
    assert f'data-payment="{payment_id}"' in queue and "平台没有收到订单" in queue
    assert post(support, "/console/support/payment/refund", payment_id=payment_id, key="abc",
                reason="顾客没拿到货").status_code == 403

    finance = console.logged_in(console.user(Role.FINANCE, username="财务王"))
    page = finance.http.get("/console/support/payment", params={"id": payment_id}).text
    # The notify came twice: both are shown, the second as a repeat that changed nothing.
    assert re.findall(r'data-outcome="(\w+)"', page) == ["applied", "repeat"] and "重复，未改动" in page
    assert console.read(select(gateway_notices.c.source, gateway_notices.c.outcome).where(
        gateway_notices.c.payment_id == payment_id).order_by(gateway_notices.c.id)) == [("notify", "applied"),
                                                                                     ("notify", "repeat")]
    key = refund_key(page)
    assert post(finance, "/console/support/payment/refund", payment_id=payment_id, key=key,
                reason="").status_code == 400
    assert post(finance, "/console/support/payment/refund", payment_id=payment_id, key=key, amount="1.234",
                reason="顾客没拿到货").status_code == 400
    done = post(finance, "/console/support/payment/refund", payment_id=payment_id, key=key, reason="顾客没拿到货")
    assert done.status_code == 303 and "payment_refunded" in done.headers["location"]
    # The same form sent again (a double click): the same refund, not a second one.
    again = post(finance, "/console/support/payment/refund", payment_id=payment_id, key=key, reason="顾客没拿到货")
    assert again.status_code == 303 and "refund_already" in again.headers["location"]
    # Another person's form (another key): nothing is left to refund.
    other = console.logged_in(console.user(Role.OPERATOR))
    late = post(other, "/console/support/payment/refund", payment_id=payment_id, key="f00d", reason="我也退")
    assert late.status_code == 409 and "已没有可退的金额" in late.text
    assert console.read(select(refunds.c.amount_fen).where(refunds.c.payment_id == payment_id)) == [(1200,)]
    assert audit_of(console, payment_id) == [("财务王", "payment_refunded", "顾客没拿到货 [12.00]")]
    assert f'data-payment="{payment_id}"' not in finance.http.get("/console/support").text
    # The gateway's answer to the refund is kept beside the payment's notifies and shown with them.
    page = finance.http.get("/console/support/payment", params={"id": payment_id}).text
    assert re.findall(r'data-outcome="(\w+)"', page) == ["applied", "repeat", "succeeded"] and "退款成功" in page


def needs(client, key: str) -> str:
    return re.search(rf'data-figure="needs-{key}">([^<]*)<', client.http.get("/console/dashboard").text).group(1)


def test_the_dashboard_counts_what_the_support_queues_hold(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    assert [needs(boss, k) for k in ("stuck", "lost", "waiting")] == ["0", "0", "0"]
    order_id = push_topup(console)
    assert needs(boss, "stuck") == "0"  # just sent: not stuck yet (support_queries.STUCK_AFTER_MIN)
    with console.platform.engine().begin() as conn:
        conn.execute(update(orders).where(orders.c.order_id == order_id).values(received_at=clock.now() - 3600))
    payment_id = paid_without_order(console)
    assert [needs(boss, k) for k in ("stuck", "lost", "waiting")] == ["1", "1", "0"]
    queue = boss.http.get("/console/support").text
    assert f'data-order="{order_id}"' in queue and f'data-payment="{payment_id}"' in queue
    page = boss.http.get("/console/support/payment", params={"id": payment_id}).text
    assert post(boss, "/console/support/payment/refund", payment_id=payment_id, key=refund_key(page),
                reason="顾客没拿到货").status_code == 303
    assert needs(boss, "lost") == "0"  # refunded: nothing left to give back
    with console.platform.engine().begin() as conn:  # its answer lost: the reconciler will ask the gateway
        conn.execute(update(refunds).where(refunds.c.payment_id == payment_id).values(status="pending"))
    assert needs(boss, "waiting") == "1"
    assert 'class="attention"' in boss.http.get("/console/dashboard").text


def test_two_people_refunding_one_lost_order_at_once_refund_it_once(console) -> None:
    payment_id = paid_without_order(console)
    people = [console.logged_in(console.user(Role.FINANCE)), console.logged_in(console.user(Role.OPERATOR))]
    forms = []
    for person in people:
        page = person.http.get("/console/support/payment", params={"id": payment_id}).text
        forms.append({"csrf": CSRF_RE.search(page).group(1), "payment_id": payment_id, "key": refund_key(page),
                      "reason": "顾客没拿到货"})
    assert forms[0]["key"] != forms[1]["key"]
    barrier, answers = threading.Barrier(2), [None, None]

    def refund(n: int) -> None:
        barrier.wait()
        answers[n] = people[n].http.post("/console/support/payment/refund", data=forms[n])
    threads = [threading.Thread(target=refund, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [303, 409]
    assert console.read(select(refunds.c.amount_fen).where(refunds.c.payment_id == payment_id)) == [(1200,)]
    assert [a[1] for a in audit_of(console, payment_id)] == ["payment_refunded"]


def test_a_waiting_refund_is_asked_about_again_with_a_reason(console) -> None:
    payment_id = paid_without_order(console, amount_fen=1299)  # the sandbox takes its time over *.99 refunds
    finance = console.logged_in(console.user(Role.FINANCE))
    key = refund_key(finance.http.get("/console/support/payment", params={"id": payment_id}).text)
    assert post(finance, "/console/support/payment/refund", payment_id=payment_id, key=key,
                reason="重复扣款").status_code == 303
    [(refund_id, status)] = console.read(select(refunds.c.refund_id, refunds.c.status)
                                 .where(refunds.c.payment_id == payment_id))
    assert status == "pending" and f">{refund_id}<" in finance.http.get("/console/support").text
    support = console.logged_in(console.user(Role.SUPPORT, username="客服丙"))
    assert post(support, "/console/support/refund/query", refund_id=refund_id, reason="").status_code == 400
    asked = post(support, "/console/support/refund/query", refund_id=refund_id, reason="顾客问退款到哪了")
    assert asked.status_code == 303 and payment_id in asked.headers["location"]
    assert audit_of(console, refund_id) == [("客服丙", "refund_queried", "顾客问退款到哪了")]
    # The payment's page shows the refund, and the 掉单 queue no longer offers it: its money is on its way back.
    assert "重复扣款" in support.http.get(asked.headers["location"]).text
    assert f'data-payment="{payment_id}"' not in support.http.get("/console/support").text
    assert post(support, "/console/support/refund/query", refund_id="no-such", reason="x").status_code == 409


def test_reconciliation_adds_up_and_its_exports_say_the_same(console) -> None:
    rid = console.platform.reseller_id
    engine = console.platform.engine()
    with engine.begin() as conn:
        admin.credit(conn, rid, 10_005, "bank-1")  # ¥100.05
    engine.dispose()
    failed = push_topup(console)
    support = console.logged_in(console.user(Role.SUPPORT))
    assert post(support, "/console/support/topup/failed", order_id=failed, reason="供货商退单").status_code == 303
    push_topup(console)  # charged, still open
    finance = console.logged_in(console.user(Role.FINANCE))
    today = dt.datetime.fromtimestamp(clock.now(), support_queries.CST).date().isoformat()
    page = finance.http.get("/console/reconciliation", params={"since": today, "until": today, "reseller": rid})
    assert page.status_code == 200 and f'data-reseller="{rid}"' in page.text and "不平" not in page.text

    since = support_queries.day_start(dt.date.fromisoformat(today))
    with engine.connect() as conn:  # the figures, straight from the ledger
        closing = ledger.balance(conn, rid)
        moved = dict(conn.execute(select(ledger_t.c.reason, func.sum(ledger_t.c.amount_fen)).where(
            ledger_t.c.reseller_id == rid, ledger_t.c.created_at >= since).group_by(ledger_t.c.reason)).all())
    engine.dispose()
    opening = closing - sum(int(v) for v in moved.values())
    yuan = lambda fen: Decimal(int(fen)).scaleb(-2)  # noqa: E731
    xlsx = finance.http.get("/console/reconciliation/export",
                            params={"since": today, "until": today, "reseller": rid, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.headers["content-type"].startswith("application/vnd.openxml")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    line = dict(zip(header, row, strict=True))
    cents = lambda v: Decimal(str(v)).quantize(Decimal("0.01"))  # noqa: E731
    assert (line["日期"], line["代理编号"], line["订单数"]) == (today, rid, 2)
    assert (line["充值失败"], line["充值未完成"]) == (1, 1)
    assert cents(line["充值入账（元）"]) == yuan(moved["credit"]) and moved["credit"] % 100 == 5  # the ¥100.05
    assert cents(line["充值扣款（元）"]) == Decimal("-99.00") == yuan(moved["topup"])
    assert cents(line["退回（元）"]) == Decimal("49.50")
    assert cents(line["期末余额（元）"]) == yuan(closing)
    assert cents(line["期初余额（元）"]) == yuan(opening)
    movements = ("充值入账（元）", "充值扣款（元）", "补货扣款（元）", "退回（元）", "其他（元）")
    assert cents(line["期初余额（元）"]) + sum(cents(line[k]) for k in movements) == cents(line["期末余额（元）"])
    assert sheet.cell(2, header.index("期末余额（元）") + 1).number_format == "0.00"

    text = finance.http.get("/console/reconciliation/export", params={
        "since": today, "until": today, "reseller": rid, "format": "csv", "lang": "en"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == [EN["日期"], EN["代理编号"]] and EN["日期"] != "日期" and rows[1][-1] == str(yuan(closing))

    statement = finance.http.get("/console/statement/export", params={"reseller": rid, "since": today,
                                                                       "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(statement.content))
    entries = list(book["流水"].iter_rows(min_row=2, values_only=True))
    assert [e[1] for e in entries][-3:] == ["topup", "refund", "topup"]
    assert cents(entries[-1][4]) == yuan(closing)  # the running balance ends at the closing one


def test_a_reseller_sees_its_own_statement_only_and_bad_periods_are_refused(console) -> None:
    reseller = console.logged_in(console.user(Role.RESELLER))
    page = reseller.http.get("/console/statement", params={"reseller": "r_someone_else"})
    assert page.status_code == 200 and console.platform.reseller_id in page.text
    finance = console.logged_in(console.user(Role.FINANCE))
    assert finance.http.get("/console/reconciliation", params={"since": "2026-13-01"}).status_code == 400
    assert finance.http.get("/console/reconciliation", params={"since": "2026-12-02",
                                                                "until": "2026-12-01"}).status_code == 400
    assert finance.http.get("/console/reconciliation/export", params={"format": "pdf"}).status_code == 400
    assert finance.http.get("/console/statement", params={"reseller": "r_nobody"}).status_code == 404


def test_the_audit_log_exports_what_people_typed_as_text(console) -> None:
    order_id = push_topup(console)
    support = console.logged_in(console.user(Role.SUPPORT, username="客服甲"))
    assert post(support, "/console/support/topup/failed", order_id=order_id,
                reason='=HYPERLINK("http://evil")').status_code == 303
    finance = console.logged_in(console.user(Role.FINANCE))
    book = openpyxl.load_workbook(io.BytesIO(finance.http.get("/console/audit/export",
                                                              params={"action": "topup_marked_failed"}).content))
    [row] = list(book.active.iter_rows(min_row=2, values_only=True))
    assert row[1:5] == ("客服甲", "topup_marked_failed", order_id, '\'=HYPERLINK("http://evil")')
    text = finance.http.get("/console/audit/export", params={"username": "客服甲", "format": "csv"}).text
    assert "topup_marked_failed" in text and "login" in text


def test_the_queue_pages_are_for_staff_and_the_csrf_token_is_checked(console) -> None:
    order_id = push_topup(console)
    support = console.logged_in(console.user(Role.SUPPORT))
    csrf = CSRF_RE.search(support.http.get("/console/support").text).group(1)
    forged = support.http.post("/console/support/topup/failed", data={"csrf": csrf[:-2] + "xx", "order_id": order_id,
                                                                       "reason": "x"})
    assert forged.status_code == 403
    assert console.read(select(orders.c.topup_state).where(orders.c.order_id == order_id)) == [("submitted",)]
    reseller = console.logged_in(console.user(Role.RESELLER))
    assert reseller.http.get("/console/support").status_code == 403


def test_a_report_reads_one_snapshot_on_postgresql(console) -> None:
    """Each day's figures come from several statements: under PostgreSQL's READ COMMITTED a ledger row committed
    between two of them would make the day's opening, movements and closing disagree."""
    from sqlalchemy import text

    from kameng_platform.console.support_pages import _in_snapshot

    engine = console.platform.engine()
    try:
        if engine.dialect.name != "postgresql":
            pytest.skip("SQLite's transaction is one snapshot whatever the level")
        platform = type("P", (), {"engine": engine})()
        assert _in_snapshot(platform, lambda conn: conn.execute(text("SHOW transaction_isolation")).scalar()) \
            == "repeatable read"
    finally:
        engine.dispose()
