"""What a platform takes money with and executes top-ups with is what its operator configured: nothing by default,
the sandbox (fake money) only by an explicit opt-in that is warned about at every start. `kameng-platform serve`
runs as a real process, started by its documented command."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from kameng_platform import cli
from kameng_platform.db import make_engine
from kameng_platform.schema import orders
from kameng_platform.seed import seed_demo
from kameng_platform.settings import PlatformSettings, SandboxNotAllowed
from tests.platform.client import Terminal
from tests.platform.test_topups import topup

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    url: str
    terminal: Terminal
    stderr: Path
    db_url: str

    def log(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")

    def topup_state(self, order_id: str) -> str:
        engine = make_engine(self.db_url)
        try:
            with engine.connect() as conn:
                return conn.execute(select(orders.c.topup_state).where(orders.c.order_id == order_id)).scalar_one()
        finally:
            engine.dispose()


@contextmanager
def serve(tmp_path: Path, *flags: str) -> Iterator[Served]:
    """`kameng-platform serve --db … --port …` plus `flags`, with a demo catalog and a paired terminal."""
    key = secrets.token_bytes(32)
    db_url = f"sqlite:///{tmp_path / 'platform.db'}"
    seed = seed_demo(PlatformSettings(db_url, key), codes_per_product=2)
    port, stderr = free_port(), tmp_path / "serve.log"
    env = dict(os.environ, KAMENG_PLATFORM_KEY=key.hex(), PYTHONPATH=str(ROOT))
    with stderr.open("wb") as err:
        proc = subprocess.Popen([str(BIN / "kameng-platform"), "serve", "--db", db_url, "--port", str(port), *flags],
                                env=env, stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, stderr.read_text()
            try:
                httpx.get(url + "/v1/time", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the platform did not start"
                time.sleep(0.1)
        paired = httpx.post(url + "/v1/pair", json={"pairing_code": seed.pairing_code, "device_name": "前台"}).json()
        yield Served(url, Terminal(url, paired["terminal_id"], paired["terminal_secret"], paired["terminal_prefix"]),
                     stderr, db_url)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def create_payment(terminal: Terminal, method: str) -> httpx.Response:
    return terminal.request("POST", "/v1/payments", {"payment_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()),
                                                     "amount_fen": 1000, "method": method, "description": ""})


def test_serve_without_configuration_takes_no_payment_and_executes_no_topup(tmp_path) -> None:
    with serve(tmp_path) as platform:
        t = platform.terminal
        assert t.request("GET", "/v1/payment-methods").json() == {"methods": [], "options": []}
        refused = create_payment(t, "sandbox")
        assert refused.status_code == 400 and "not configured" in refused.json()["error"]["message"]
        scanned = t.request("POST", "/v1/payments", {"payment_id": str(uuid.uuid4()), "order_id": "o-1",
                                                     "amount_fen": 100, "kind": "code",
                                                     "auth_code": "134567890123456789"})
        assert (scanned.status_code, scanned.json()["error"]["code"]) == (400, "code_not_supported")
        assert httpx.post(platform.url + "/pay/anything").status_code == 404  # no page anyone could "pay" on
        order_id = str(uuid.uuid4())
        assert t.request("POST", "/v1/orders/batch", {"orders": [topup(order_id)]}).json()["results"][0][
            "status"] == "accepted"
        time.sleep(2.5)  # more than two passes of a top-up worker, had one been started
        assert platform.topup_state(order_id) == "queued"  # waiting for a supplier: never a fake success
        log = platform.log()
    assert "no payment gateway is configured" in log and "no top-up supplier is configured" in log
    assert "SANDBOX" not in log


def test_allow_sandbox_is_explicit_and_warned_at_start(tmp_path) -> None:
    with serve(tmp_path, "--allow-sandbox") as platform:
        t = platform.terminal
        assert t.request("GET", "/v1/payment-methods").json() == {"methods": ["sandbox"], "options": [
            {"method": "sandbox", "apps": ["wechat", "alipay"], "code_apps": ["wechat", "alipay"], "can_refund": True}]}
        created = create_payment(t, "sandbox").json()
        assert created["qr_content"] == f"{platform.url}/pay/{created['payment_id']}"  # --public-url's default
        order_id = str(uuid.uuid4())
        t.request("POST", "/v1/orders/batch", {"orders": [topup(order_id)]})
        deadline = time.monotonic() + 20
        while platform.topup_state(order_id) != "succeeded":
            assert time.monotonic() < deadline, platform.log()
            time.sleep(0.2)
        log = platform.log()
    assert "WARNING" in log and "SANDBOX gateway and supplier enabled" in log and "fake money" in log


def test_public_url_names_the_pay_page(tmp_path) -> None:
    with serve(tmp_path, "--allow-sandbox", "--public-url", "https://pay.example.com/") as platform:
        created = create_payment(platform.terminal, "sandbox").json()
    assert created["qr_content"] == f"https://pay.example.com/pay/{created['payment_id']}"


def test_sandbox_needs_the_opt_in(tmp_path, monkeypatch, capsys) -> None:
    for fields in ({"gateways": ("sandbox",)}, {"supplier": "sandbox"}):
        with pytest.raises(SandboxNotAllowed, match="--allow-sandbox"):
            PlatformSettings("sqlite://", bytes(32), **fields)
    monkeypatch.setenv("KAMENG_PLATFORM_KEY", "ab" * 32)
    config = tmp_path / "gateways.toml"
    config.write_text('gateways = ["sandbox"]\n')
    db = f"sqlite:///{tmp_path / 'p.db'}"
    assert cli.main(["serve", "--db", db, "--gateway-config", str(config)]) == 1
    assert "fake money" in capsys.readouterr().err
    assert cli.main(["serve", "--db", db, "--sandbox-failure-rate", "0.5"]) == 1
    assert "--allow-sandbox" in capsys.readouterr().err
    parsed = cli._settings(cli.build_parser().parse_args(["serve", "--db", db, "--allow-sandbox"]))
    assert (parsed.gateways, parsed.supplier, parsed.allow_sandbox) == (("sandbox",), "sandbox", True)
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["serve", "--public-url", "pay.example.com"])  # not a URL

