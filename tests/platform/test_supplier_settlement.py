"""What the platform owes each supplier and the payouts finance records (issue #18), against a real platform on
loopback (SQLite and PostgreSQL): owed from restocks made through the signed API at the supply price of their
moment, a payout once per bank reference, a payout beyond what is owed only as a confirmed advance, a supplier
sees its own settlement only, and the exports read back."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import threading
import time

import openpyxl
import pytest
from sqlalchemy import select

from kameng_platform import admin, cli, clock, supplier_settlement
from kameng_platform.console.roles import Role
from kameng_platform.console.tables import console_audit
from kameng_platform.crypto import Sealer
from kameng_platform.errors import ApiError
from kameng_platform.schema import codes, supplier_payouts
from tests.platform.console_client import ConsoleHarness

DAY = 86400


@pytest.fixture
def console(db_url):
    h = ConsoleHarness.start(db_url)
    engine = h.platform.engine()
    sealer = Sealer(h.platform.settings.server_key)
    with engine.begin() as conn:  # s_a's two card products (sa2 without a supply price) and s_b's one
        for pid, supplier in (("sa1", "s_a"), ("sa2", "s_a"), ("sb1", "s_b")):
            admin.upsert_product(conn, product_id=pid, category_id="game", name=f"{supplier} 的卡 {pid}", kind="card",
                                 face_value_fen=1000, suggested_retail_fen=1000, tier_prices={"standard": 900})
            admin.set_supplier(conn, pid, supplier)
            report = admin.import_codes(conn, sealer, pid, "".join(f"{pid.upper()}{i:04d},SECRET{i:04d}\n"
                                                                   for i in range(10)))
            assert report.ok
        supplier_settlement.set_supply_price(conn, "sb1", 500)
    engine.dispose()
    yield h
    h.stop()


def audits(h: ConsoleHarness, action: str) -> list:
    return h.read(select(console_audit).where(console_audit.c.action == action))


def restock(terminal, request_id: str, product: str, quantity: int) -> None:
    reply = terminal.request("POST", "/v1/restock", {"request_id": request_id, "product_id": product,
                                                     "quantity": quantity})
    assert reply.status_code == 200, reply.text


def pay(client, supplier: str, amount: str, reference: str, paid_on: str = "", reason: str = "月结",
        advance: bool = False):
    data = {"csrf": client.csrf(), "supplier": supplier, "amount": amount, "reference": reference,
            "paid_on": paid_on or supplier_settlement.today().isoformat(), "reason": reason}
    if advance:
        data["advance"] = "on"
    return client.http.post("/console/suppliers/payouts", data=data)


def closing(page: str) -> int:
    return int(re.search(r'id="closing" data-fen="(-?\d+)"', page).group(1))


def test_restocks_owe_the_supply_price_of_their_moment_per_day(console, monkeypatch) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    assert boss.http.post("/console/suppliers/supply-price", data={
        "csrf": boss.csrf(), "product": "sa1", "price": "8.00", "reason": "合同价"}).status_code == 303
    t = console.platform.pair()
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() - 2 * DAY)  # two days ago: 3 codes at ¥8.00
    t.clock_offset = -2 * DAY
    restock(t, "r-sa1-old", "sa1", 3)
    monkeypatch.setattr(clock, "now", real_now)
    t.clock_offset = 0
    assert boss.http.post("/console/suppliers/supply-price", data={
        "csrf": boss.csrf(), "product": "sa1", "price": "8.50", "reason": "调价"}).status_code == 303
    restock(t, "r-sa1-new", "sa1", 1)  # today, at the new price; the old restock keeps ¥8.00
    restock(t, "r-sa1-new", "sa1", 1)  # the desk's retry of the same request: one restock, owed once
    restock(t, "r-sa2", "sa2", 2)  # no supply price: not owed, shown as such
    restock(t, "r-sb1", "sb1", 2)  # another supplier's
    supplier = console.logged_in(console.user(Role.SUPPLIER, supplier_id="s_a"))
    page = supplier.http.get("/console/supplier/settlement?supplier=s_b").text  # its own, whatever it asks
    today = supplier_settlement.today()
    owed = dict(re.findall(r'data-day="([\d-]+)">.*?data-owed="(\d+)"', page, re.S))
    assert owed == {(today - dt.timedelta(days=2)).isoformat(): "2400", today.isoformat(): "850"}
    assert closing(page) == 3250 and 'data-unpriced="2"' in page and "s_b" not in page
    assert boss.http.get("/console/supplier/settlement?supplier=s_b").text.count('data-owed="1000"') == 1
    # A code revoked in stock is not owed: the balance does not move.
    engine = console.platform.engine()
    with engine.begin() as conn:
        stock_code = conn.execute(select(codes.c.id).where(codes.c.product_id == "sa1", codes.c.state == "stock")
                                  ).scalars().first()
        admin.revoke_code(conn, stock_code)
    engine.dispose()
    assert closing(supplier.http.get("/console/supplier/settlement").text) == 3250
    # Pricing the earlier unpriced restocks, on purpose, makes them owed.
    assert boss.http.post("/console/suppliers/supply-price", data={
        "csrf": boss.csrf(), "product": "sa2", "price": "3", "reason": "补定进价", "backfill": "on"}).status_code == 303
    assert closing(supplier.http.get("/console/supplier/settlement").text) == 3850
    assert [a.reason for a in audits(console, "supply_price")][-1] == "补定进价 (→ 300 fen, 1 earlier restocks priced)"


def test_finance_records_a_payout_once_by_reference_and_an_advance_only_when_confirmed(console) -> None:
    engine = console.platform.engine()
    with engine.begin() as conn:
        supplier_settlement.set_supply_price(conn, "sa1", 1000)
    engine.dispose()
    restock(console.platform.pair(), "r-1", "sa1", 5)  # ¥50.00 owed to s_a
    finance = console.logged_in(console.user(Role.FINANCE))
    supplier = console.logged_in(console.user(Role.SUPPLIER, supplier_id="s_a"))
    assert closing(supplier.http.get("/console/supplier/settlement").text) == 5000
    assert pay(finance, "s_a", "30.00", "ICBC-0001").status_code == 303
    assert pay(finance, "s_a", "30.00", "ICBC-0001").status_code == 303  # typed twice: one payout
    other = pay(finance, "s_a", "31.00", "ICBC-0001")  # the same reference, another amount: refused
    assert other.status_code == 409 and "ICBC-0001" in other.text
    assert [(p.amount_fen, p.reference, p.advance) for p in console.read(select(supplier_payouts))] == [
        (3000, "ICBC-0001", False)]
    assert len(audits(console, "supplier_payout")) == 1
    page = supplier.http.get("/console/supplier/settlement").text
    assert closing(page) == 2000 and 'data-reference="ICBC-0001"' in page
    too_much = pay(finance, "s_a", "20.01", "ICBC-0002")  # one fen more than owed
    assert too_much.status_code == 409 and "这是预付款" in too_much.text
    assert len(console.read(select(supplier_payouts))) == 1
    assert pay(finance, "s_a", "25.00", "ICBC-0002", advance=True).status_code == 303
    assert closing(supplier.http.get("/console/supplier/settlement").text) == -500  # paid ahead
    [advance] = audits(console, "supplier_advance")
    assert advance.target == "s_a" and "2500 fen, ICBC-0002" in advance.reason
    assert 'data-supplier="s_a"' in finance.http.get("/console/suppliers/payouts").text
    # The same reference is another supplier's own: one per supplier, not one in all.
    engine = console.platform.engine()
    with engine.begin() as conn:
        supplier_settlement.set_supply_price(conn, "sb1", 1000)
    engine.dispose()
    restock(console.platform.pair(), "r-2", "sb1", 1)
    assert pay(finance, "s_b", "10", "ICBC-0001").status_code == 303


def test_who_may_record_and_bad_input_writes_nothing(console) -> None:
    restock(console.platform.pair(), "r-1", "sb1", 4)  # ¥20.00 owed to s_b
    for role in (Role.SUPPORT, Role.RESELLER, Role.SUPPLIER):
        client = console.logged_in(console.user(role, supplier_id="s_b" if role is Role.SUPPLIER else None))
        assert pay(client, "s_b", "1", f"X-{role.value}").status_code == 403, role
        assert client.http.get("/console/suppliers/payouts").status_code == 403, role
    finance = console.logged_in(console.user(Role.FINANCE))
    assert finance.http.post("/console/suppliers/supply-price", data={  # a contract term: the operator's
        "csrf": finance.csrf(), "product": "sb1", "price": "1", "reason": "x"}).status_code == 403
    no_csrf = finance.http.post("/console/suppliers/payouts", data={
        "supplier": "s_b", "amount": "1", "reference": "R", "paid_on": "2026-01-01", "reason": "x"})
    assert no_csrf.status_code == 403
    tomorrow = (supplier_settlement.today() + dt.timedelta(days=1)).isoformat()
    for supplier, amount, reference, paid_on, reason, status in (
            ("s_b", "1.234", "R1", "", "r", 400), ("s_b", "-1", "R1", "", "r", 400), ("s_b", "0", "R1", "", "r", 400),
            ("s_b", "1", "R1", "2026-13-01", "r", 400), ("s_b", "1", "R1", tomorrow, "r", 400),
            ("s_b", "1", "", "", "r", 400), ("s_b", "1", "R1", "", " ", 400), ("s_nobody", "1", "R1", "", "r", 404)):
        reply = pay(finance, supplier, amount, reference, paid_on, reason)
        assert reply.status_code == status, (amount, paid_on, reference, reason, reply.status_code)
        assert reply.headers["content-type"].startswith("text/html")
    assert console.read(select(supplier_payouts)) == [] and audits(console, "supplier_payout") == []
    assert finance.http.get("/console/supplier/settlement?supplier=s_b&since=2026-99-01").status_code == 400
    assert finance.http.get("/console/supplier/settlement?supplier=s_nobody").status_code == 404
    newcomer = console.logged_in(console.user(Role.SUPPLIER, supplier_id="s_new"))  # nothing sold yet
    assert closing(newcomer.http.get("/console/supplier/settlement?supplier=s_b").text) == 0
    assert finance.http.get("/console/supplier/settlement/export?supplier=s_b&format=pdf").status_code == 400


def test_exports_read_back_in_both_formats(console) -> None:
    restock(console.platform.pair(), "r-1", "sb1", 4)  # ¥20.00 owed to s_b
    finance = console.logged_in(console.user(Role.FINANCE))
    assert pay(finance, "s_b", "7.50", "=HYPERLINK(1)").status_code == 303  # a reference like a formula
    supplier = console.logged_in(console.user(Role.SUPPLIER, supplier_id="s_b"))
    today = supplier_settlement.today().isoformat()
    xlsx = supplier.http.get("/console/supplier/settlement/export?supplier=s_a&format=xlsx")
    assert xlsx.status_code == 200 and "settlement-s_b-" in xlsx.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["应付结算", "打款记录"]
    days = list(book["应付结算"].values)
    assert days[0] == ("日期", "应付张数", "应付（元）", "未定价张数", "打款（元）", "应付余额（元）")
    assert days[1:] == [(today, 4, 20, 0, 7.5, 12.5)]
    [payout] = list(book["打款记录"].values)[1:]
    assert payout[:4] == (today, 7.5, "'=HYPERLINK(1)", 0)
    text = supplier.http.get("/console/supplier/settlement/export?format=csv&lang=en").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["Date", "Codes owed", "Owed (yuan)", "Codes without a supply price", "Paid (yuan)",
                       "Balance owed (yuan)"]
    assert rows[2] == [today, "4", "20.00", "0", "7.50", "12.50"]


def test_two_payouts_at_once_both_see_the_other(console) -> None:
    """Two people pay the same supplier at the same instant, each within the balance owed but not both: the
    second waits for the first's commit and is refused (PostgreSQL's READ COMMITTED would let both through
    without the per-supplier lock: each would check the balance before the other's payout was there)."""
    restock(console.platform.pair(), "r-1", "sb1", 4)  # ¥20.00 owed
    engine = console.platform.engine()
    first_in, outcomes = threading.Event(), {}

    def first() -> None:
        with engine.begin() as conn:
            supplier_settlement.record_payout(conn, "s_b", 1500, "A", supplier_settlement.today(), "a")
            first_in.set()
            time.sleep(0.5)  # holds its transaction open while the second one checks
        outcomes["first"] = "recorded"

    def second() -> None:
        first_in.wait(10)
        try:
            with engine.begin() as conn:
                supplier_settlement.record_payout(conn, "s_b", 1500, "B", supplier_settlement.today(), "b")
            outcomes["second"] = "recorded"
        except ApiError as exc:
            outcomes["second"] = exc.code
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert outcomes == {"first": "recorded", "second": "payout_exceeds_owed"}
        with engine.connect() as conn:
            assert supplier_settlement.balance(conn, "s_b") == 500
    finally:
        engine.dispose()


def test_the_cli_records_and_reports_through_the_same_core(console, tmp_path, capsys) -> None:
    key = tmp_path / "platform.key"
    key.write_text(console.platform.settings.server_key.hex())
    base = ["--db", console.platform.settings.db_url, "--key-file", str(key)]
    restock(console.platform.pair(), "r-1", "sb1", 4)  # ¥20.00 owed
    today = supplier_settlement.today().isoformat()
    add = ["supplier-payout", "add", *base, "--supplier", "s_b", "--amount-fen", "1200", "--reference", "BOC-9",
           "--paid-on", today]
    assert cli.main(add) == 0 and cli.main(add) == 0
    assert "recorded already" in capsys.readouterr().out
    assert cli.main([*add[:8], "--amount-fen", "900", "--reference", "BOC-10", "--paid-on", today]) == 1
    assert "more than the 800 fen owed" in capsys.readouterr().err
    assert cli.main(["supplier-settlement", *base, "--supplier", "s_b"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == '{"codes": 4, "owed_fen": 2000, "unpriced": 0, "paid_fen": 1200, "closing_fen": 800}'
    assert cli.main(["supply-price", *base, "--product", "sb1", "--fen", "600"]) == 0
    assert [(p.reference, p.recorded_by.startswith("cli:")) for p in console.read(select(supplier_payouts))] == [
        ("BOC-9", True)]


def test_migration_0015_gives_earlier_restocks_their_products_supplier_and_no_price(db_url) -> None:
    """Restocks made before 0015 belong to their product's supplier and owe nothing yet (no supply price existed):
    counted as codes without a supply price, never as ¥0.00 owed, until the operator prices them."""
    from alembic import command
    from sqlalchemy import text

    from kameng_platform.db import alembic_config, make_engine, migrate

    command.upgrade(alembic_config(db_url), "0014")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO categories (id, name, kind, sort) VALUES ('game', 'g', 'card', 0)"))
            for pid, supplier in (("sa1", "'s_a'"), ("own", "NULL")):
                conn.execute(text("INSERT INTO products (id, category_id, name, kind, face_value_fen, "
                                  "suggested_retail_fen, active, redeem_hint, sort, supplier_id) VALUES "
                                  f"('{pid}', 'game', 'n', 'card', 1000, 1000, true, '', 0, {supplier})"))
                conn.execute(text("INSERT INTO allocations (request_id, terminal_id, product_id, quantity, charged_fen,"
                                  f" created_at) VALUES ('r-{pid}', 't', '{pid}', 3, 2700, {clock.now()})"))
        migrate(db_url)
        with engine.begin() as conn:
            assert [dataclasses.asdict(b) for b in supplier_settlement.balances(conn)] == [
                {"supplier_id": "s_a", "owed_fen": 0, "paid_fen": 0, "unpriced": 3}]
            assert supplier_settlement.set_supply_price(conn, "sa1", 800, backfill=True) == 1
            assert supplier_settlement.balance(conn, "s_a") == 2400
    finally:
        engine.dispose()
