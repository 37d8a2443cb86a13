"""`kameng-platform console-user` and the demo's console users (`seed-demo`, `serve --demo`)."""

from __future__ import annotations

import io
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyotp
import pytest

from kameng_platform.cli import main
from tests.platform.console_client import ConsoleClient

ROOT = Path(__file__).resolve().parents[2]
DEMO_LINE = re.compile(r"^  (\w+)\s+(\w+)\s+password (\S+)(?:  TOTP secret (\w+))?$", re.M)


@pytest.fixture
def key(monkeypatch) -> str:
    value = secrets.token_hex(32)
    monkeypatch.setenv("KAMENG_PLATFORM_KEY", value)
    return value


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_console_users_are_added_listed_and_get_new_totp(db_url, key, capsys, monkeypatch) -> None:
    db = ("--db", db_url)
    assert run(capsys, monkeypatch, "seed-demo", *db)[0] == 0
    code, out, _ = run(capsys, monkeypatch, "console-user", "add", *db, "--username", "老王", "--role", "operator",
                       stdin="a long password\na long password\n")
    secret = re.search(r"TOTP secret: (\w+)", out).group(1)
    assert code == 0 and f"secret={secret}" in out and "otpauth://totp/" in out
    code, out, err = run(capsys, monkeypatch, "console-user", "add", *db, "--username", "x", "--role", "support",
                         stdin="a long password\nanother one!!\n")
    assert (code, out) == (1, "") and "the two passwords differ" in err
    for argv, message in ((("--role", "reseller"), "a reseller user needs --reseller ID"),
                          (("--role", "reseller", "--reseller", "nobody"), "no reseller 'nobody'"),
                          (("--role", "support", "--reseller", "r_demo"), "--reseller is only for reseller users"),
                          (("--role", "support", "--username", "老王"), "the user name '老王' is taken")):
        username = () if "--username" in argv else ("--username", "y")
        code, _, err = run(capsys, monkeypatch, "console-user", "add", *db, *username, *argv,
                           stdin="a long password\na long password\n")
        assert code == 1 and message in err, err
    code, _, err = run(capsys, monkeypatch, "console-user", "add", *db, "--username", "y", "--role", "support",
                       stdin="short\nshort\n")
    assert code == 1 and "at least 10 characters" in err
    code, out, _ = run(capsys, monkeypatch, "console-user", "add", *db, "--username", "阿明", "--role", "reseller",
                       "--reseller", "r_demo", stdin="a long password\na long password\n")
    assert code == 0 and "TOTP" not in out  # resellers log in with the password
    code, out, _ = run(capsys, monkeypatch, "console-user", "list", *db)
    listed = {line.split('"username": "')[1].split('"')[0] for line in out.splitlines()}
    assert {"老王", "阿明", "admin", "reseller"} <= listed and '"reseller": "r_demo"' in out
    code, out, _ = run(capsys, monkeypatch, "console-user", "reset-totp", *db, "--username", "老王")
    assert code == 0 and re.search(r"TOTP secret: (\w+)", out).group(1) != secret
    code, _, err = run(capsys, monkeypatch, "console-user", "reset-totp", *db, "--username", "阿明")
    assert code == 1 and "reseller users have no TOTP" in err
    assert run(capsys, monkeypatch, "console-user", "disable", *db, "--username", "阿明")[0] == 0
    code, out, _ = run(capsys, monkeypatch, "console-user", "list", *db)
    assert '"username": "阿明", "role": "reseller", "reseller": "r_demo", "supplier": null, "totp": false, ' \
           '"disabled": true' in out
    code, _, err = run(capsys, monkeypatch, "console-user", "disable", *db, "--username", "nobody")
    assert code == 1 and "no console user 'nobody'" in err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_demo_prints_users_who_can_log_in(tmp_path, key) -> None:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kameng_platform.cli", "serve", "--demo", "--port", str(port),
                             "--db", f"sqlite:///{tmp_path / 'p.db'}"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        lines: list[str] = []
        while not any(line.startswith("  reseller ") for line in lines):
            line = proc.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        users = {m[0]: m for m in DEMO_LINE.findall("".join(lines))}
        assert set(users) == {"admin", "finance", "support", "supplier", "reseller"}
        assert users["admin"][3] and users["finance"][3] and not users["support"][3]
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/v1/time")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        client = ConsoleClient(base)
        _name, _role, password, secret = users["admin"]
        reply = client.login("admin", password, pyotp.TOTP(secret).now())
        assert (reply.status_code, reply.headers["location"]) == (303, "/console/dashboard")
        assert client.http.get("/console/dashboard").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)
