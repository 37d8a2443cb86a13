"""The console over HTTP against a real platform on loopback (SQLite and PostgreSQL): logins with argon2 and
TOTP, lockout, sessions kept as hashes with idle and absolute expiry, CSRF, the roles' scopes, the audit log,
escaping, and the figures after a sale pushed through the real signed API."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from kameng_platform import admin, clock
from kameng_platform.console import queries
from kameng_platform.console.roles import Role
from kameng_platform.console.tables import console_audit, console_sessions, console_users
from kameng_platform.settings import sandbox_settings
from tests.platform.client import PlatformHarness
from tests.platform.console_client import CSRF_RE, ConsoleHarness, new_reseller
from tests.platform.test_sandbox_pay_page import sandbox_payment

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def console(db_url):
    h = ConsoleHarness.start(db_url)
    yield h
    h.stop()


def rows(h: ConsoleHarness, table, *where):
    engine = h.platform.engine()
    try:
        with engine.connect() as conn:
            return conn.execute(select(table).where(*where)).all()
    finally:
        engine.dispose()


def execute(h: ConsoleHarness, statement) -> None:
    engine = h.platform.engine()
    try:
        with engine.begin() as conn:
            conn.execute(statement)
    finally:
        engine.dispose()


def test_login_with_password_and_totp_opens_a_session_kept_as_its_hash(console) -> None:
    boss = console.user(Role.OPERATOR)
    client = console.client()
    assert client.login(boss.username, boss.password).status_code == 401  # the password alone is not enough
    assert client.login(boss.username, boss.password, "000000" if boss.code() != "000000" else "111111"
                        ).status_code == 401
    reply = client.login(boss.username, boss.password, boss.code())
    assert (reply.status_code, reply.headers["location"]) == (303, "/console/dashboard")
    cookie = reply.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/console/" in cookie
    assert "Secure" not in cookie  # plain http on loopback: a Secure cookie would never come back
    token = client.http.cookies["kc_session"]
    [stored] = rows(console, console_sessions, console_sessions.c.ended_at.is_(None))
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in stored
    assert client.http.get("/console/dashboard").status_code == 200
    [user] = rows(console, console_users, console_users.c.username == boss.username)
    assert user.password_hash.startswith("$argon2id$") and boss.password not in user.password_hash
    assert boss.totp_secret.encode() not in user.totp_sealed  # sealed under the server key


def test_a_totp_code_is_accepted_once(console) -> None:
    boss = console.user(Role.FINANCE)
    code = boss.code()
    assert console.client().login(boss.username, boss.password, code).status_code == 303
    replay = console.client().login(boss.username, boss.password, code)  # seen over a shoulder, used again
    assert replay.status_code == 401
    assert console.client().login(boss.username, boss.password, boss.code(1)).status_code == 303


def test_roles_without_totp_log_in_with_the_password(console) -> None:
    helper = console.user(Role.SUPPORT)
    reply = console.client().login(helper.username, helper.password)
    assert (reply.status_code, reply.headers["location"]) == (303, "/console/orders")


def test_wrong_passwords_lock_the_user_even_against_the_right_one(console, monkeypatch) -> None:
    helper = console.user(Role.SUPPORT)
    client = console.client()
    for _ in range(4):
        assert client.login(helper.username, "wrong password").status_code == 401
    fifth = client.login(helper.username, "wrong password")
    assert fifth.status_code == 429 and "15 分钟" in fifth.text and 890 < int(fifth.headers["Retry-After"]) <= 900
    assert client.login(helper.username, helper.password).status_code == 429  # locked: the right one too
    other = console.user(Role.SUPPORT)  # another user from the same address is not locked (20 per source)
    assert console.logged_in(other)
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + 15 * 60 + 1)
    assert client.login(helper.username, helper.password).status_code == 303
    actions = [r.action for r in rows(console, console_audit, console_audit.c.username == helper.username)]
    assert actions.count("login_failed") == 5 and "login_locked" in actions and actions[-1] == "login"


def test_one_source_guessing_many_names_is_locked(console) -> None:
    client = console.client()
    for i in range(20):
        assert client.login(f"nobody{i}", "guess").status_code == (429 if i == 19 else 401)
    helper = console.user(Role.SUPPORT)
    assert client.login(helper.username, helper.password).status_code == 429  # from that address, for now


def test_sessions_expire_when_idle_and_absolutely_and_end_at_logout(console, monkeypatch) -> None:
    helper = console.user(Role.SUPPORT)
    client = console.logged_in(helper)
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + 29 * 60)
    assert client.http.get("/console/orders").status_code == 200  # used within 30 minutes: kept, idle restarts
    monkeypatch.setattr(clock, "now", lambda: real_now() + 29 * 60 + 31 * 60)
    gone = client.http.get("/console/orders")
    assert (gone.status_code, gone.headers["location"]) == (303, "/console/login?next=%2Fconsole%2Forders")

    monkeypatch.setattr(clock, "now", real_now)
    client = console.logged_in(helper)
    for hours in range(1, 12):  # used every hour... (idle never reached: last_seen moved on)
        execute(console, update(console_sessions).values(last_seen_at=real_now() + hours * 3600 - 60))
        monkeypatch.setattr(clock, "now", lambda h=hours: real_now() + h * 3600)
        assert client.http.get("/console/orders").status_code == 200
    monkeypatch.setattr(clock, "now", lambda: real_now() + 12 * 3600)
    execute(console, update(console_sessions).values(last_seen_at=real_now() + 12 * 3600 - 60))
    assert client.http.get("/console/orders").status_code == 303  # ...but never past 12 hours
    monkeypatch.setattr(clock, "now", real_now)

    client = console.logged_in(helper)
    old_cookie = client.http.cookies["kc_session"]
    assert client.http.post("/console/logout", data={"csrf": client.csrf()}).status_code == 303
    client.http.cookies.set("kc_session", old_cookie, path="/console/")
    assert client.http.get("/console/orders").status_code == 303  # the token no longer opens anything


def test_a_totp_reset_ends_the_users_sessions(console) -> None:
    from kameng_platform.console import auth
    from kameng_platform.crypto import Sealer

    boss = console.user(Role.OPERATOR)
    client = console.logged_in(boss)
    engine = console.platform.engine()
    with engine.begin() as conn:  # the phone with the authenticator was lost
        auth.reset_totp(conn, Sealer(console.platform.settings.server_key), boss.username)
    engine.dispose()
    assert client.http.get("/console/dashboard").status_code == 303


def test_a_disabled_user_is_logged_out_and_cannot_log_in(console) -> None:
    from kameng_platform.console import auth

    helper = console.user(Role.SUPPORT)
    client = console.logged_in(helper)
    engine = console.platform.engine()
    with engine.begin() as conn:
        auth.disable_user(conn, helper.username)
    engine.dispose()
    assert client.http.get("/console/orders").status_code == 303
    assert console.client().login(helper.username, helper.password).status_code == 401


def test_forms_without_the_session_csrf_token_are_refused_and_change_nothing(console) -> None:
    helper = console.user(Role.SUPPORT)
    client = console.logged_in(helper)
    for data in ({}, {"csrf": "forged"}, {"csrf": "令牌"},
                 {"csrf": console.logged_in(console.user(Role.SUPPORT)).csrf()}):
        refused = client.http.post("/console/logout", data=data)
        assert refused.status_code == 403 and "请求被拒绝" in refused.text
    assert client.http.get("/console/orders").status_code == 200  # still logged in: the logout did not happen
    # The login form's token comes from its page: a login posted from elsewhere is refused.
    forged = console.client().http.post("/console/login", data={"username": helper.username,
                                                                "password": helper.password, "csrf": "x"})
    assert forged.status_code == 403
    anonymous = console.client()
    anonymous.login_form()  # its cookie set; the posted token in Chinese must be refused, not crash
    assert anonymous.http.post("/console/login", data={"username": "a", "password": "b", "csrf": "令牌"}
                               ).status_code == 403


def test_secure_cookie_when_the_public_url_is_https(db_url) -> None:
    h = ConsoleHarness.start(db_url, public_url="https://console.example.com")
    try:
        helper = h.user(Role.SUPPORT)
        client = h.client()
        form = client.http.get("/console/login")
        assert "Secure" in form.headers["set-cookie"]
        # httpx keeps a Secure cookie from plain http (the proxy's TLS is not here): sent back by hand.
        login_cookie = form.headers["set-cookie"].split(";")[0]
        reply = httpx.post(h.url + "/console/login", headers={"Cookie": login_cookie}, data={
            "username": helper.username, "password": helper.password, "csrf": CSRF_RE.search(form.text).group(1)})
        assert reply.status_code == 303 and "Secure" in reply.headers["set-cookie"]
    finally:
        h.stop()


def test_after_login_only_console_paths_of_this_origin(console) -> None:
    helper = console.user(Role.SUPPORT)
    for target, landing in (("/console/orders?state=rejected", "/console/orders?state=rejected"),
                            ("https://evil.example/console/", "/console/orders"),
                            ("//evil.example/console/", "/console/orders"), ("/v1/catalog", "/console/orders")):
        reply = console.client().login(helper.username, helper.password, next_=target)
        assert reply.headers["location"] == landing


def test_a_reseller_sees_only_its_own_orders_and_ledger(console) -> None:
    other = new_reseller(console, "隔壁网吧")
    engine = console.platform.engine()
    with engine.begin() as conn:
        admin.credit(conn, other, 12_345, "bank-other")
    engine.dispose()
    owner = console.user(Role.RESELLER)
    t = console.platform.pair()
    topup = {"order_id": "top-own", "number": "T-9", "kind": "topup", "created_at": "2026-11-23T03:00:00.000000Z",
             "payment_method": "cash", "lines": [{"product_id": "hf50", "quantity": 1, "unit_price_fen": 5000}],
             "total_fen": 5000, "topup": {"account": "13812345678"}}
    assert t.request("POST", "/v1/orders/batch", {"orders": [topup]}).json()["results"][0]["status"] == "accepted"
    client = console.logged_in(owner)
    mine = client.http.get("/console/orders").text
    assert 'data-order="top-own"' in mine
    theirs = client.http.get(f"/console/orders?reseller={other}").text
    assert 'data-order="top-own"' in theirs  # the query's reseller is ignored: its own orders still
    portal = client.http.get(f"/console/portal?reseller={other}").text
    assert "¥4,950.50" in portal and "123.45" not in portal and "demo-opening-credit" in portal
    staff = console.logged_in(console.user(Role.SUPPORT))
    assert 'data-order="top-own"' not in staff.http.get(f"/console/orders?reseller={other}").text


def test_dashboard_figures_follow_a_sale_through_the_signed_api(console) -> None:
    boss = console.user(Role.OPERATOR)
    client = console.logged_in(boss)

    def figure(name: str) -> str:
        return re.search(rf'data-figure="{name}">([^<]*)<', client.http.get("/console/dashboard").text).group(1)

    assert figure("gmv-1") == "¥0.00" and figure("orders-1") == "0"
    t = console.platform.pair()
    got = t.request("POST", "/v1/restock", {"request_id": "r" * 10, "product_id": "qb10", "quantity": 2}).json()
    codes = [c["id"] for c in got["codes"]]
    sale = {"order_id": "sale-1", "number": "T-1", "kind": "sale", "created_at": "2026-11-23T03:00:00.000000Z",
            "payment_method": "cash", "lines": [{"product_id": "qb10", "quantity": 2, "unit_price_fen": 1050,
                                                 "code_ids": codes}], "total_fen": 2100}
    assert t.request("POST", "/v1/orders/batch", {"orders": [sale]}).json()["results"][0]["status"] == "accepted"
    assert (figure("gmv-1"), figure("gmv-7"), figure("gmv-30"), figure("orders-1")) == (
        "¥21.00", "¥21.00", "¥21.00", "1")


def test_payment_success_rate_counts_paid_against_settled_payments(console) -> None:
    client = console.logged_in(console.user(Role.FINANCE))

    def rate() -> str:
        cell = re.search(r'data-figure="payments-1">(.*?)</td>', client.http.get("/console/dashboard").text, re.S)
        return " ".join(re.sub(r"<[^>]+>", " ", cell.group(1)).split())

    assert rate() == "— (0/0)"
    t = console.platform.pair()
    made = [sandbox_payment(t) for _ in range(4)]
    assert rate() == "— (0/0)"  # all pending: none settled yet
    assert httpx.post(f"{console.url}/pay/{made[0]['payment_id']}").status_code == 200  # paid on the sandbox page
    assert httpx.post(f"{console.url}/pay/{made[1]['payment_id']}").status_code == 200
    assert t.request("POST", f"/v1/payments/{made[2]['payment_id']}/cancel").status_code == 200
    assert rate() == "66.6% (2/3)"  # the fourth is still pending: not counted


def test_every_page_escapes_what_users_typed(console) -> None:
    script = "<script>alert(1)</script>"
    engine = console.platform.engine()
    with engine.begin() as conn:
        admin.upsert_product(conn, product_id="xss", category_id="phone", name=script, kind="topup",
                             face_value_fen=100, suggested_retail_fen=100, tier_prices={"standard": 99},
                             account_rule="phone")
        admin.credit(conn, console.platform.reseller_id, 1, '"><img src=x onerror=alert(2)>')
    engine.dispose()
    t = console.platform.pair()
    order = {"order_id": "x-1", "number": "<b>n</b>", "kind": "topup", "created_at": "2026-11-23T03:00:00.000000Z",
             "payment_method": "cash", "lines": [{"product_id": "xss", "quantity": 1, "unit_price_fen": 100}],
             "total_fen": 100, "topup": {"account": "13812345678"}}
    assert t.request("POST", "/v1/orders/batch", {"orders": [order]}).json()["results"][0]["status"] == "accepted"
    boss = console.logged_in(console.user(Role.OPERATOR, username="<i>boss</i>"))
    orders = boss.http.get("/console/orders").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in orders and script not in orders
    assert "&lt;b&gt;n&lt;/b&gt;" in orders and "&lt;i&gt;boss&lt;/i&gt;" in orders and "<i>boss" not in orders
    portal = boss.http.get(f"/console/portal?reseller={console.platform.reseller_id}").text
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in portal and "<img" not in portal
    assert "script-src 'self'" in boss.http.get("/console/orders").headers["content-security-policy"]


def test_the_audit_log_names_who_did_what_from_where(console) -> None:
    helper = console.user(Role.SUPPORT)
    console.client().login(helper.username, "wrong password")
    client = console.logged_in(helper)
    client.http.post("/console/logout", data={"csrf": client.csrf()})
    entries = [(r.username, r.action, r.source) for r in rows(console, console_audit,
                                                             console_audit.c.username == helper.username)]
    assert entries == [(helper.username, a, "127.0.0.1") for a in ("login_failed", "login", "logout")]
    boss = console.logged_in(console.user(Role.OPERATOR))
    page = boss.http.get(f"/console/audit?username={helper.username}").text
    assert page.count("<tr>") == 1 + 3 and "登录失败" in page and "127.0.0.1" in page


def test_a_reseller_pairs_a_counter_and_revokes_it_with_a_reason(console) -> None:
    owner = console.user(Role.RESELLER)
    client = console.logged_in(owner)
    page = client.http.post("/console/terminals/pairing-code", data={"csrf": client.csrf("/console/terminals"),
                                                                    "reseller": "someone-else"})
    code = re.search(r'data-pairing-code="([A-Z0-9-]+)"', page.text).group(1)
    assert page.status_code == 200 and console.url in page.text
    t = console.platform.pair(code, name="二号机<script>")
    listed = client.http.get("/console/terminals").text
    assert f'data-terminal="{t.terminal_id}"' in listed and "二号机&lt;script&gt;" in listed
    assert t.request("GET", "/v1/catalog").status_code == 200  # it is the owner's: the other reseller was ignored

    csrf = client.csrf("/console/terminals")
    refused = client.http.post("/console/terminals/revoke", data={"csrf": csrf, "terminal": t.terminal_id,
                                                                  "reason": "  "})
    assert refused.status_code == 400 and t.request("GET", "/v1/catalog").status_code == 200
    done = client.http.post("/console/terminals/revoke", data={"csrf": csrf, "terminal": t.terminal_id,
                                                               "reason": "收银台被偷了"})
    assert (done.status_code, done.headers["location"]) == (303, "/console/terminals")
    assert t.request("GET", "/v1/catalog").status_code == 401
    [entry] = rows(console, console_audit, console_audit.c.action == "terminal_revoked")
    assert (entry.username, entry.target, entry.reason) == (owner.username, t.terminal_id, "收银台被偷了")
    again = client.http.post("/console/terminals/revoke", data={"csrf": csrf, "terminal": t.terminal_id,
                                                                "reason": "again"})
    assert again.status_code == 404


def test_a_reseller_cannot_revoke_another_resellers_counter(console) -> None:
    other = new_reseller(console, "隔壁网吧")
    boss = console.logged_in(console.user(Role.OPERATOR))
    page = boss.http.post("/console/terminals/pairing-code", data={"csrf": boss.csrf(), "reseller": other})
    code = re.search(r'data-pairing-code="([A-Z0-9-]+)"', page.text).group(1)
    theirs = console.platform.pair(code)
    assert f'data-terminal="{theirs.terminal_id}"' in boss.http.get(f"/console/terminals?reseller={other}").text
    owner = console.logged_in(console.user(Role.RESELLER))
    assert f'data-terminal="{theirs.terminal_id}"' not in owner.http.get("/console/terminals").text
    attempt = owner.http.post("/console/terminals/revoke", data={"csrf": owner.csrf(), "terminal": theirs.terminal_id,
                                                                 "reason": "不是我的"})
    assert attempt.status_code == 404 and theirs.request("GET", "/v1/catalog").status_code == 200
    unknown = boss.http.post("/console/terminals/pairing-code", data={"csrf": boss.csrf(), "reseller": "nobody"})
    assert unknown.status_code == 404 and "请先选择一个代理" in unknown.text


def test_bad_filters_get_a_page_saying_which(console) -> None:
    client = console.logged_in(console.user(Role.SUPPORT))
    for query, field in (("since=2026-13-01", "since"), ("until=yesterday", "until"), ("state=lost", "state"),
                         ("until=9999-12-31", "until"), ("since=0001-01-01", "since")):
        reply = client.http.get(f"/console/orders?{query}")
        assert reply.status_code == 400 and f"“{field}”" in reply.text


def test_orders_page_back_through_all_of_them_newest_first(console, monkeypatch) -> None:
    """Keyset pages (received_at, then order id): five orders in the same second, two a page, each once."""
    monkeypatch.setattr(queries, "PAGE", 2)
    t = console.platform.pair()
    pushed = [{"order_id": f"page-{i}", "number": f"T-{i}", "kind": "topup", "created_at": "2026-11-23T03:00:00Z",
               "payment_method": "cash", "lines": [{"product_id": "hf50", "quantity": 1, "unit_price_fen": 5000}],
               "total_fen": 5000, "topup": {"account": "13812345678"}} for i in range(5)]
    assert {r["status"] for r in t.request("POST", "/v1/orders/batch", {"orders": pushed}).json()["results"]} \
        == {"accepted"}
    client = console.logged_in(console.user(Role.SUPPORT))
    seen, url = [], f"/console/orders?reseller={console.platform.reseller_id}"
    while url:
        page = client.http.get(url).text
        seen.append(re.findall(r'data-order="([^"]+)"', page))
        more = re.search(r'<a href="([^"]+)" data-next>', page)
        url = html.unescape(more.group(1)) if more else None
    assert [len(p) for p in seen] == [2, 2, 1]  # the last page is not full: no link after it
    assert sorted(o for p in seen for o in p) == [f"page-{i}" for i in range(5)]
    newest = html.unescape(re.search(r'href="([^"]+)"[^>]*>« 最新', page).group(1))
    assert f"reseller={console.platform.reseller_id}" in newest and "before" not in newest
    # '²' and full-width digits pass str.isdigit() but not int() (a 500 before); a number past BIGINT reached the
    # database (SQLite: OverflowError, PostgreSQL: out of range: a 500 before).
    for bad in ("x", "12", ":page-1", "12:" + "x" * 300, "²:page-1", "１２:page-1", "9" * 20 + ":page-1"):
        reply = client.http.get("/console/orders", params={"before": bad})
        assert reply.status_code == 400 and "“before”" in reply.text


def test_control_characters_get_400_never_500(console) -> None:
    """PostgreSQL cannot store NUL: a query or form value with one must not reach the database."""
    client = console.logged_in(console.user(Role.OPERATOR))
    for path in ("/console/orders?reseller=%00", "/console/audit?username=a%00b", "/console/portal?reseller=%1b"):
        reply = client.http.get(path)
        assert reply.status_code == 400 and "控制字符" in reply.text, path
    anonymous = console.client()
    login = anonymous.http.post("/console/login", data={"username": "a\x00", "password": "p",
                                                        "csrf": anonymous.login_form()})
    assert login.status_code == 400 and "控制字符" in login.text
    assert rows(console, console_audit, console_audit.c.action == "login_failed") == []  # nothing written


def test_htmx_asks_for_the_rows_only(console) -> None:
    client = console.logged_in(console.user(Role.SUPPORT))
    partial = client.http.get("/console/orders?state=rejected", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and partial.text.lstrip().startswith("<table") and "<html" not in partial.text
    expired = console.client().http.get("/console/orders", headers={"HX-Request": "true"})
    assert (expired.status_code, expired.headers["HX-Redirect"]) == (401, "/console/login")


def test_english_on_request_and_kept_in_a_cookie(console) -> None:
    client = console.client()
    assert "用户名" in client.http.get("/console/login").text
    assert "User name" in client.http.get("/console/login?lang=en").text
    assert "User name" in client.http.get("/console/login").text  # the lang cookie
    assert "用户名" in client.http.get("/console/login?lang=zh_CN").text


def test_the_console_is_off_unless_the_settings_turn_it_on(db_url) -> None:
    h = PlatformHarness.start(db_url)  # as the desk's embedded demo starts its platform
    try:
        assert httpx.get(h.url + "/console/login").status_code == 404
    finally:
        h.stop()


def test_an_app_without_the_console_never_imports_jinja2(tmp_path) -> None:
    """The desk's bundle leaves Jinja2, pyotp and the console package out: its demo platform must not need them.
    (python-multipart is imported by FastAPI itself whenever it is installed.)"""
    probe = ("import secrets, sys; from kameng_platform.app import create_app; "
             "from kameng_platform.settings import sandbox_settings; "
             f"create_app(sandbox_settings('sqlite:///{tmp_path / 'p.db'}', secrets.token_bytes(32))); "
             "print(sorted(m for m in sys.modules if m.startswith(('jinja2', 'kameng_platform.console', "
             "'pyotp'))))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert sandbox_settings("sqlite://", b"k" * 32).console is False
