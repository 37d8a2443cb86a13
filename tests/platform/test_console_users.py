"""The console's users page over HTTP against a real platform on loopback (SQLite and PostgreSQL): the operator
lists, adds, re-roles, resets, disables and enables console users through console.auth (the functions the CLI
calls), each change audited with its reason in the same transaction; secrets shown once and nowhere else; the
guard rails (not oneself, never the last enabled operator) in the web and the CLI alike."""

from __future__ import annotations

import base64
import html
import logging
import re
import threading

import pyotp
import pytest
from sqlalchemy import func, select

from kameng_platform.console import auth
from kameng_platform.console.roles import Role
from kameng_platform.console.tables import console_audit, console_users
from tests.platform.console_client import PASSWORD, ConsoleHarness
from tests.platform.qr_decode import decode_svg_qr
from tests.platform.test_console_cli import run

NEW_PASSWORD = "另一个 long password"
SECRET_RE = re.compile(r'data-totp-secret="([A-Z2-7]+)"')
QR_RE = re.compile(r'<img class="qr" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')
GENERATED_RE = re.compile(r'data-password="([^"]+)"')


@pytest.fixture
def console(db_url):
    h = ConsoleHarness.start(db_url)
    yield h
    h.stop()


def audits(h: ConsoleHarness, *actions: str) -> list:
    return h.read(select(console_audit).where(console_audit.c.action.in_(actions)).order_by(console_audit.c.id))


def user_count(h: ConsoleHarness) -> int:
    return h.read(select(func.count()).select_from(console_users))[0][0]


def post(client, path: str, **form):
    return client.http.post("/console" + path, data={"csrf": client.csrf("/console/users"), **form})


def add(client, username: str, role: str, *, reason: str = "新同事", **form):
    fields = {"password": NEW_PASSWORD, "password2": NEW_PASSWORD, **form}
    return post(client, "/users/add", username=username, role=role, reason=reason, **fields)


def shown_secret(page: str) -> str:
    found = SECRET_RE.findall(page)
    assert len(found) == 1, page
    return found[0]


def test_the_list_shows_role_link_totp_state_last_login_and_lockout(console) -> None:
    boss_account = console.user(Role.OPERATOR, username="王站长")
    boss = console.logged_in(boss_account)
    console.user(Role.RESELLER, username="阿明")
    console.logged_in(console.user(Role.SUPPORT, username="小李"))
    stranger = console.client()
    for _ in range(auth.Policy().user_failures):  # the per-name limit: the name is locked now
        assert stranger.login("阿明", "wrong password").status_code in (401, 429)
    page = boss.http.get("/console/users")
    assert page.status_code == 200
    rows = {m[0]: m[1] for m in re.findall(r'<tr data-user="([^"]+)" (.*?)</tr>', page.text, re.S)}
    assert set(rows) == {"王站长", "阿明", "小李"}
    assert 'data-role="operator"' in rows["王站长"] and "站长" in rows["王站长"] and 'data-totp="1"' in rows["王站长"]
    assert "代理" in rows["阿明"] and console.platform.reseller_id in rows["阿明"] and 'data-totp="0"' in rows["阿明"]
    assert "已锁定" in rows["阿明"] and 'data-failures="5"' in rows["阿明"]
    assert re.search(r"<td>2\d{3}-\d\d-\d\d \d\d:\d\d:\d\d</td>", rows["小李"])  # logged in: its time
    assert "已锁定" not in rows["小李"] and 'data-failures="0"' in rows["小李"]
    assert "客服" in rows["小李"] and "在用" in rows["小李"]
    english = boss.http.get("/console/users?lang=en").text
    assert "Users and roles" in english and "Locked until" in english and "Operator" in english


def test_adding_a_finance_user_shows_the_totp_secret_and_qr_once_and_it_logs_in(console, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    boss_account = console.user(Role.OPERATOR)
    boss = console.logged_in(boss_account)
    done = add(boss, "会计小张", "finance", reason="新来的会计")
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    secret = shown_secret(done.text)
    uri = auth.provisioning_uri("会计小张", secret)
    # The QR is the provisioning URI of the secret shown, an SVG in a data: URI (the CSP allows img data:).
    assert decode_svg_qr(base64.b64decode(QR_RE.search(done.text).group(1)).decode()) == uri
    assert "secret=" + secret in uri and "issuer=" in uri
    assert NEW_PASSWORD not in done.text  # a typed password is not shown back
    again = boss.http.get("/console/users?user=会计小张")
    assert secret not in again.text and "data-totp-secret" not in again.text and "data:image" not in again.text
    newcomer = console.client()
    assert newcomer.login("会计小张", NEW_PASSWORD, "").status_code == 401  # finance needs its TOTP code
    reply = newcomer.login("会计小张", NEW_PASSWORD, pyotp.TOTP(secret).now())
    assert (reply.status_code, reply.headers["location"]) == (303, "/console/dashboard")
    [entry] = audits(console, "user_added")
    assert (entry.username, entry.target, entry.reason) == (boss_account.username, "会计小张 (finance)", "新来的会计")
    assert entry.user_id is not None and entry.source == "127.0.0.1"
    everything = " ".join(" ".join(str(v) for v in row) for row in console.read(select(console_audit)))
    logged = " ".join(record.getMessage() for record in caplog.records)
    for secret_text in (secret, NEW_PASSWORD):
        assert secret_text not in everything and secret_text not in logged


def test_a_generated_password_is_shown_once_and_works(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    done = add(boss, "客服小周", "support", password="", password2="", generate="1")
    assert done.status_code == 200
    [password] = GENERATED_RE.findall(done.text)
    assert len(password) >= auth.MIN_PASSWORD and "data-totp-secret" not in done.text  # support: no TOTP
    assert password not in boss.http.get("/console/users").text
    assert console.client().login("客服小周", password).status_code == 303
    assert password not in " ".join(str(r.reason) + str(r.target) for r in audits(console, "user_added"))


@pytest.mark.parametrize("form, status, error", [
    ({"reason": " "}, 400, "须填写原因"),
    ({"password2": "something else!!"}, 400, "两次输入的密码不一致"),
    ({"password": "short", "password2": "short"}, 400, "密码至少 10 个字符"),
    ({"reason": "密码是 " + NEW_PASSWORD}, 400, "原因里不能写密码"),
    ({"role": "admin"}, 400, "请选择角色"),
    ({"role": ""}, 400, "请选择角色"),
    ({"username": " "}, 400, "用户名须为 1 到 64 个"),
    ({"role": "reseller"}, 400, "代理用户须选择代理"),
    ({"role": "reseller", "reseller": "r_nobody"}, 400, "没有这个代理"),
    ({"role": "supplier", "supplier": "s_nobody"}, 400, "没有这个供货商"),
    ({"username": "taken"}, 409, "这个用户名已被使用"),
])
def test_bad_input_is_a_clear_error_and_writes_nothing(console, form, status, error) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    console.user(Role.SUPPORT, username="taken")
    before = user_count(console)
    fields = {"username": "新人", "role": "support", **form}
    reply = add(boss, fields.pop("username"), fields.pop("role"), **fields)
    assert reply.status_code == status and error in reply.text, reply.text
    assert user_count(console) == before and audits(console, "user_added") == []


def test_a_supplier_user_names_a_supplier_there_is(console) -> None:
    from kameng_platform import admin

    engine = console.platform.engine()
    with engine.begin() as conn:
        admin.set_supplier(conn, "qb10", "s_qb")
    engine.dispose()
    boss = console.logged_in(console.user(Role.OPERATOR))
    assert '<option value="s_qb">' in boss.http.get("/console/users").text
    # The reseller list is ignored for a supplier user (only the list its role uses counts).
    done = add(boss, "供货A", "supplier", supplier="s_qb", reseller=console.platform.reseller_id)
    assert done.status_code == 200
    assert console.read(select(console_users.c.supplier_id, console_users.c.reseller_id)
                .where(console_users.c.username == "供货A")) == [("s_qb", None)]


def test_forms_without_the_sessions_csrf_token_are_refused(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    other = console.logged_in(console.user(Role.OPERATOR))
    victim = console.user(Role.SUPPORT, username="victim")
    before = user_count(console)
    form = {"username": "x", "role": "support", "password": NEW_PASSWORD, "password2": NEW_PASSWORD, "reason": "r"}
    assert boss.http.post("/console/users/add", data=form).status_code == 403
    assert boss.http.post("/console/users/add", data={**form, "csrf": other.csrf()}).status_code == 403
    assert boss.http.post("/console/users/disable", data={"username": victim.username, "reason": "r"}
                          ).status_code == 403
    assert user_count(console) == before and audits(console, "user_added", "user_disabled") == []
    assert console.client().login(victim.username, PASSWORD).status_code == 303  # still enabled


def test_only_the_operator_manages_users(console) -> None:
    victim = console.user(Role.SUPPORT, username="victim")
    for role in (Role.FINANCE, Role.SUPPORT, Role.RESELLER, Role.SUPPLIER):
        client = console.logged_in(console.user(role))
        assert client.http.get("/console/users").status_code == 403
        assert "/console/users" not in client.http.get("/console/account").text  # no nav link either
        assert client.http.post("/console/users/disable", data={"csrf": client.csrf(), "username": victim.username,
                                                                "reason": "r"}).status_code == 403
    assert audits(console, "user_disabled") == []
    boss = console.logged_in(console.user(Role.OPERATOR))
    assert 'href="/console/users"' in boss.http.get("/console/account").text


def test_a_disabled_users_live_session_stops_at_once_and_enable_restores_the_login(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    account = console.user(Role.FINANCE, username="离职的会计")
    leaver = console.logged_in(account)
    assert leaver.http.get("/console/dashboard").status_code == 200
    assert post(boss, "/users/disable", username=account.username, reason="").status_code == 400
    assert leaver.http.get("/console/dashboard").status_code == 200  # nothing was changed
    done = post(boss, "/users/disable", username=account.username, reason="离职")
    assert (done.status_code, done.headers["location"]) == (303, "/console/users?user=%E7%A6%BB%E8%81%8C%E7%9A%84"
                                                                 "%E4%BC%9A%E8%AE%A1&done=disabled")
    gone = leaver.http.get("/console/dashboard")
    assert (gone.status_code, gone.headers["location"].split("?")[0]) == (303, "/console/login")
    assert console.client().login(account.username, PASSWORD, account.code(1)).status_code == 401
    assert 'data-disabled="1"' in boss.http.get("/console/users").text
    twice = post(boss, "/users/disable", username=account.username, reason="离职")
    assert twice.status_code == 400 and "这个用户已经停用" in twice.text
    assert post(boss, "/users/enable", username=account.username, reason="返聘").status_code == 303
    assert console.client().login(account.username, PASSWORD, account.code(1)).status_code == 303
    assert [(a.action, a.target, a.reason) for a in audits(console, "user_disabled", "user_enabled")] == [
        ("user_disabled", account.username, "离职"), ("user_enabled", account.username, "返聘")]
    assert post(boss, "/users/enable", username=account.username, reason="x").status_code == 400
    assert post(boss, "/users/disable", username="nobody", reason="x").status_code == 404


def test_the_operator_cannot_disable_or_demote_themself(console) -> None:
    me = console.user(Role.OPERATOR, username="王站长")
    boss = console.logged_in(me)
    console.user(Role.OPERATOR)  # another operator: the refusal is the self rule, not the last-operator one
    for path, form in (("/users/disable", {}), ("/users/role", {"role": "support"})):
        reply = post(boss, path, username=me.username, reason="试试", **form)
        assert reply.status_code == 400 and "不能停用自己或更改自己的角色" in reply.text
    assert console.read(select(console_users.c.role, console_users.c.disabled_at)
                .where(console_users.c.username == me.username)) == [("operator", None)]
    assert boss.http.get("/console/users").status_code == 200  # still logged in
    assert audits(console, "user_disabled", "user_role") == []
    assert "这是你自己的账号" in boss.http.get("/console/users?user=王站长").text


def test_a_role_change_ends_sessions_and_a_totp_role_gets_a_new_secret_shown_once(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    account = console.user(Role.SUPPORT, username="小李")
    old_session = console.logged_in(account)
    promoted = post(boss, "/users/role", username="小李", role="finance", reason="调去财务")
    assert promoted.status_code == 200 and promoted.headers["Cache-Control"] == "no-store"
    secret = shown_secret(promoted.text)
    assert old_session.http.get("/console/orders").status_code == 303  # logged out: log in again as finance
    assert "data-totp-secret" not in boss.http.get("/console/users?user=小李").text
    finance = console.client()
    assert finance.login("小李", PASSWORD, "").status_code == 401  # finance needs the TOTP code now
    assert finance.login("小李", PASSWORD, pyotp.TOTP(secret).now()).status_code == 303
    assert finance.http.get("/console/dashboard").status_code == 200
    # To a reseller: the link is asked for and checked, the TOTP secret goes, the password alone logs in.
    assert post(boss, "/users/role", username="小李", role="reseller", reason="转做代理").status_code == 400
    demoted = post(boss, "/users/role", username="小李", role="reseller", reseller=console.platform.reseller_id,
                   reason="转做代理")
    assert demoted.status_code == 303 and finance.http.get("/console/dashboard").status_code == 303
    assert console.read(select(console_users.c.reseller_id, console_users.c.totp_sealed)
                .where(console_users.c.username == "小李")) == [(console.platform.reseller_id, None)]
    portal = console.client()
    assert portal.login("小李", PASSWORD).status_code == 303 and portal.http.get("/console/portal").status_code == 200
    same = post(boss, "/users/role", username="小李", role="reseller", reseller=console.platform.reseller_id,
                reason="x")
    assert same.status_code == 400 and "已经是这个角色" in same.text
    assert [(a.target, a.reason) for a in audits(console, "user_role")] == [
        ("小李", "调去财务 (support → finance)"),
        ("小李", f"转做代理 (finance → reseller {console.platform.reseller_id})")]


def test_reset_totp_and_password_end_the_sessions_and_the_old_ones_stop_working(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    account = console.user(Role.FINANCE, username="会计")
    session = console.logged_in(account)
    reset = post(boss, "/users/reset-totp", username="会计", reason="手机丢了")
    assert reset.status_code == 200 and reset.headers["Cache-Control"] == "no-store"
    secret = shown_secret(reset.text)
    assert secret != account.totp_secret and session.http.get("/console/dashboard").status_code == 303
    assert console.client().login("会计", PASSWORD, account.code(1)).status_code == 401  # the old authenticator
    assert console.client().login("会计", PASSWORD, pyotp.TOTP(secret).now()).status_code == 303
    support = console.user(Role.SUPPORT, username="客服")
    no_totp = post(boss, "/users/reset-totp", username="客服", reason="x")
    assert no_totp.status_code == 400 and "这个角色不用动态口令" in no_totp.text
    support_session = console.logged_in(support)
    for _ in range(auth.Policy().user_failures):  # someone guessed at the old password: the name is locked
        console.client().login("客服", "a wrong guess")
    assert "已锁定" in boss.http.get("/console/users").text
    assert post(boss, "/users/reset-password", username="客服", password=NEW_PASSWORD, password2="x" * 12,
                reason="忘了").status_code == 400
    done = post(boss, "/users/reset-password", username="客服", password=NEW_PASSWORD, password2=NEW_PASSWORD,
                reason="忘了")
    assert (done.status_code, done.headers["location"].split("?")[0]) == (303, "/console/users")
    assert support_session.http.get("/console/orders").status_code == 303
    assert "已锁定" not in boss.http.get("/console/users").text  # the reset lifted the lock: the new password works
    assert console.client().login("客服", PASSWORD).status_code == 401
    assert console.client().login("客服", NEW_PASSWORD).status_code == 303
    generated = post(boss, "/users/reset-password", username="客服", generate="1", reason="又忘了")
    [password] = GENERATED_RE.findall(generated.text)
    assert console.client().login("客服", password).status_code == 303
    assert [(a.action, a.target, a.reason) for a in audits(console, "totp_reset", "password_reset")] == [
        ("totp_reset", "会计", "手机丢了"), ("password_reset", "客服", "忘了"), ("password_reset", "客服", "又忘了")]


def test_two_operators_disabling_each_other_at_once_leave_one(console) -> None:
    """The last-operator rule under a race: each transaction alone sees two operators; the row locks (PostgreSQL)
    or the write lock (SQLite) make the second one see the first one's change, so it is refused."""
    a, b = console.user(Role.OPERATOR), console.user(Role.OPERATOR)
    engine = console.platform.engine()
    first = engine.connect()
    outcome: list[str] = []
    try:
        tx = first.begin()
        auth.disable_user(first, a.username)  # not committed yet

        def other() -> None:
            second = console.platform.engine()
            try:
                with second.begin() as conn:
                    auth.disable_user(conn, b.username)
                outcome.append("disabled")
            except auth.ConsoleUserError as exc:
                outcome.append(exc.code)
            finally:
                second.dispose()
        racer = threading.Thread(target=other)
        racer.start()
        racer.join(1.0)
        assert racer.is_alive()  # it waits for the first transaction's lock
        tx.commit()
        racer.join(30)
    finally:
        first.close()
        engine.dispose()
    assert outcome == ["last_operator"]
    assert console.read(select(console_users.c.username).where(console_users.c.role == "operator",
                                                                console_users.c.disabled_at.is_(None))) == [
        (b.username,)]


def test_the_cli_keeps_the_same_guard_rails_and_enables(db_url, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KAMENG_PLATFORM_KEY", "ab" * 32)
    db = ("--db", db_url)
    pw = "a long password\na long password\n"
    assert run(capsys, monkeypatch, "console-user", "add", *db, "--username", "boss", "--role", "operator",
               stdin=pw)[0] == 0
    for argv in (("disable",), ("set-role", "--role", "support")):
        code, out, err = run(capsys, monkeypatch, "console-user", *argv, *db, "--username", "boss")
        assert code == 1 and "'boss' is the last enabled operator" in err, err
    code, out, _ = run(capsys, monkeypatch, "console-user", "add", *db, "--username", "boss2", "--role", "operator",
                       stdin=pw)
    assert code == 0
    code, out, _ = run(capsys, monkeypatch, "console-user", "set-role", *db, "--username", "boss", "--role",
                       "finance")
    assert code == 0 and "has a new role" in out and re.search(r"TOTP secret: [A-Z2-7]+", out)
    code, _, err = run(capsys, monkeypatch, "console-user", "disable", *db, "--username", "boss2")
    assert code == 1 and "'boss2' is the last enabled operator" in err  # boss is finance now
    assert run(capsys, monkeypatch, "console-user", "disable", *db, "--username", "boss")[0] == 0
    code, _, err = run(capsys, monkeypatch, "console-user", "disable", *db, "--username", "boss")
    assert code == 1 and "disabled already" in err
    code, out, _ = run(capsys, monkeypatch, "console-user", "enable", *db, "--username", "boss")
    assert (code, out) == (0, "console user boss enabled\n")
    code, out, _ = run(capsys, monkeypatch, "console-user", "list", *db)
    assert '"username": "boss", "role": "finance", "reseller": null, "supplier": null, "totp": true, ' \
           '"disabled": false' in out


def test_the_html_escapes_what_an_operator_typed(console) -> None:
    boss = console.logged_in(console.user(Role.OPERATOR))
    name = "<script>alert(1)</script>"
    assert add(boss, name, "support").status_code == 200
    page = boss.http.get("/console/users").text
    assert html.escape(name, quote=False) in page and name not in page
