"""The MD5-signed form supplier adapter against messages recorded from the documented format, and
against a loopback server that answers like the supplier (a real supplier cannot run here)."""

from __future__ import annotations

import http.server
import json
import re
import secrets
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from typing import ClassVar

import pytest

from kameng_platform import cli
from kameng_platform.seed import seed_demo
from kameng_platform.server import serve_in_thread
from kameng_platform.settings import ConfigError, PlatformSettings, load_supplier_config
from kameng_platform.suppliers.base import SupplierError, TopupRequest
from kameng_platform.suppliers.md5form import Md5FormSupplier, sign, verify
from tests.platform.client import PlatformHarness
from tests.platform.test_topups import states, topup

KEY = "7f3c2a9d1e"
# Recorded from the documented example: parameters sorted, empty ones dropped, "&key=" appended.
RECORDED_REQUEST = {
    "account": "13812345678", "amount": "5000", "merchant_id": "10086", "notify_url": "",
    "order_no": "0192f0a4-7b7e-7c3e-9b1a-3f1d2c4b5a69", "product_code": "hf50", "timestamp": "1763866800",
}
RECORDED_SIGN_TEXT = ("account=13812345678&amount=5000&merchant_id=10086&order_no=0192f0a4-7b7e-7c3e-9b1a-3f1d2c4b5a69"
                      "&product_code=hf50&timestamp=1763866800&key=7f3c2a9d1e")
RECORDED_CALLBACK = {"merchant_id": "10086", "order_no": "0192f0a4-7b7e-7c3e-9b1a-3f1d2c4b5a69",
                     "status": "success", "timestamp": "1763866830"}


def test_signature_matches_the_documented_construction() -> None:
    import hashlib

    assert sign(RECORDED_REQUEST, KEY) == hashlib.md5(RECORDED_SIGN_TEXT.encode()).hexdigest()
    supplier = Md5FormSupplier("http://unused", "10086", KEY, clock=lambda: 1763866800)
    built = supplier.build("recharge", order_no=RECORDED_REQUEST["order_no"], product_code="hf50",
                           account="13812345678", amount="5000", notify_url="")
    assert built == {**RECORDED_REQUEST, "sign": sign(RECORDED_REQUEST, KEY)}


def test_callback_verification() -> None:
    supplier = Md5FormSupplier("http://unused", "10086", KEY)
    good = {**RECORDED_CALLBACK, "sign": sign(RECORDED_CALLBACK, KEY)}
    order_no, result = supplier.parse_callback(good)
    assert order_no == RECORDED_CALLBACK["order_no"] and result.state == "succeeded"
    for tampered in ({**good, "status": "failed"}, {**good, "sign": "0" * 32}, {**good, "merchant_id": "1"}):
        with pytest.raises(SupplierError):
            supplier.parse_callback(tampered)
    assert verify({**good, "sign": good["sign"].upper()}, KEY)
    assert not verify({**good, "sign": "签名" * 16}, KEY)  # refused, not a TypeError from compare_digest


class FakeSupplier(http.server.BaseHTTPRequestHandler):
    """Answers like the documented supplier; remembers orders by order_no (idempotent)."""

    orders: ClassVar[dict[str, str]] = {}
    executed: ClassVar[Counter[str]] = Counter()  # recharges carried out, per order number

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if not verify(form, KEY):
            body = {"code": 1001, "msg": "sign error"}
        elif self.path == "/api/recharge":
            if form["order_no"] in self.orders:
                body = {"code": 1002, "msg": "duplicate order"}
            else:
                self.orders[form["order_no"]] = "failed" if form["account"].startswith("170") else "success"
                self.executed[form["order_no"]] += 1
                body = {"code": 0, "status": "processing", "msg": "accepted"}
        else:
            state = self.orders.get(form["order_no"])
            found = {"code": 0, "status": state, "msg": "号码欠费"}
            body = {"code": 1004, "msg": "not found"} if state is None else found
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def supplier_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSupplier)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_submit_query_and_duplicate_over_http(supplier_url) -> None:
    supplier = Md5FormSupplier(supplier_url, "10086", KEY)
    ok = TopupRequest("order-1", "hf50", "13812345678", 5000)
    assert supplier.submit(ok).state == "pending"
    assert supplier.submit(ok).state == "succeeded"  # a resend of the same key becomes a query
    assert supplier.query("order-1").state == "succeeded"
    assert supplier.query("never-sent").state == "unknown"
    supplier.submit(TopupRequest("order-2", "hf50", "17012345678", 5000))
    failed = supplier.query("order-2")
    assert failed.state == "failed" and failed.reason == "号码欠费"
    wrong_key = Md5FormSupplier(supplier_url, "10086", "not-the-key")
    with pytest.raises(SupplierError, match="sign error"):  # a refused query is no reason to refund
        wrong_key.query("order-1")
    assert wrong_key.submit(TopupRequest("order-3", "hf50", "13812345678", 5000)).state == "failed"


def test_unreachable_supplier_is_an_unknown_outcome() -> None:
    with pytest.raises(SupplierError):
        Md5FormSupplier("http://127.0.0.1:9", "10086", KEY, timeout=2).query("x")


def write_supplier_config(tmp_path, url: str, *, table: str = "") -> str:
    (tmp_path / "supplier.key").write_text(KEY + "\n")
    path = tmp_path / "suppliers.toml"
    path.write_text(table or f"""supplier = "md5form"

[md5form]
base_url = "{url}"
merchant_id = "10086"
key_file = "supplier.key"
timeout_s = 5
""", encoding="utf-8")
    return str(path)


def test_a_configured_platform_executes_topups_through_the_md5form_supplier(db_url, tmp_path, supplier_url) -> None:
    """The platform as `serve --supplier-config` builds it, its top-up worker, and the supplier over real HTTP."""
    fields = load_supplier_config(write_supplier_config(tmp_path, supplier_url))
    settings = PlatformSettings(db_url, secrets.token_bytes(32), topup_interval_s=0.2, **fields)
    assert KEY not in repr(settings)
    seed = seed_demo(settings, codes_per_product=1)
    harness = PlatformHarness(settings, serve_in_thread(settings), seed.reseller_id, seed.pairing_code)
    try:
        t = harness.pair()
        ok, refused = str(uuid.uuid4()), str(uuid.uuid4())
        balance = t.request("GET", "/v1/catalog").json()["balance_fen"]
        results = t.request("POST", "/v1/orders/batch", {"orders": [topup(ok), topup(refused, "17012345678")]})
        assert [r["status"] for r in results.json()["results"]] == ["accepted", "accepted"]
        deadline = time.monotonic() + 20
        while set(states(harness).values()) - {"succeeded", "failed"}:
            assert time.monotonic() < deadline, states(harness)
            time.sleep(0.1)
        assert states(harness) == {ok: "succeeded", refused: "failed"}
        assert FakeSupplier.executed[ok] == FakeSupplier.executed[refused] == 1  # each executed once
        assert t.request("GET", "/v1/catalog").json()["balance_fen"] == balance - 4950  # the refused one refunded
        feed = t.request("GET", "/v1/changes?cursor=0&limit=500").json()["changes"]
        assert {"order_id": refused, "topup_state": "failed", "reason": "号码欠费", "refunded_fen": 4950} in [
            c["data"] for c in feed if c["type"] == "order_status"]
        assert t.request("GET", "/v1/payment-methods").json() == {"methods": [], "options": []}  # no gateway with it
    finally:
        harness.stop()


def test_supplier_config_errors_name_the_problem(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KAMENG_PLATFORM_KEY", "ab" * 32)
    path = write_supplier_config(tmp_path, "https://supplier.example")
    parsed = cli._settings(cli.build_parser().parse_args(["serve", "--db", "sqlite://", "--supplier-config", path]))
    assert parsed.supplier == "md5form" and parsed.md5form.merchant_id == "10086" and parsed.md5form.key == KEY
    table = 'supplier = "md5form"\n[md5form]\n'
    bad = {
        'supplier = "paypal"\n': "known: sandbox, md5form",
        'supplier = "md5form"\n': "lacks its [md5form] table",
        table + 'base_url = "ftp://x"\nmerchant_id = "1"\nkey_file = "supplier.key"\n': "must be an http(s) URL",
        table + 'base_url = "https://x"\nmerchant_id = "1"\nkey_file = "none.key"\n': "[md5form] key_file: cannot read",
        table + 'base_url = "https://x"\nkey_file = "supplier.key"\n': "[md5form] lacks merchant_id",
        "supplier = md5form": "is not valid TOML",
    }
    for text, message in bad.items():
        with pytest.raises(ConfigError, match=re.escape(message)):
            load_supplier_config(write_supplier_config(tmp_path, "", table=text))
    assert cli.main(["serve", "--db", f"sqlite:///{tmp_path / 'p.db'}", "--supplier-config",
                     str(tmp_path / "missing.toml")]) == 1
    assert "cannot read the supplier config" in capsys.readouterr().err
