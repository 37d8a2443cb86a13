"""Two real `kameng-platform serve` processes on one PostgreSQL run the background passes once between them:
each top-up is executed once at the supplier, each due payment is asked about once per reconcile interval, and
when one process is killed in the middle of a pass the other takes its work over once the lease runs out."""

from __future__ import annotations

import http.server
import json
import os
import secrets
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, text

from kameng_platform import topups
from kameng_platform.db import make_engine
from kameng_platform.gateways.epay import sign
from kameng_platform.schema import orders
from kameng_platform.seed import seed_demo
from kameng_platform.settings import PlatformSettings
from tests.platform.client import Terminal
from tests.platform.processes import PlatformProcess
from tests.platform.test_topups import topup

EPAY_KEY = "two-process-epay-key"
RECONCILE_INTERVAL_S = 5  # PlatformSettings' default, which `serve` runs with


class FakeEpay(http.server.ThreadingHTTPServer):
    """A 易支付 server on loopback: creates orders, answers order queries (recording when each was asked) and
    never sends a notify, as if every notify were lost: only the reconciler can find a payment paid."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _EpayHandler)
        self.money: dict[str, str] = {}
        self.paid: set[str] = set()
        self.asked: dict[str, list[float]] = defaultdict(list)
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _EpayHandler(http.server.BaseHTTPRequestHandler):
    server: FakeEpay

    def do_POST(self) -> None:  # mapi.php: create
        form = dict(urllib.parse.parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        if sign(form, EPAY_KEY) != form.get("sign"):
            return self._json({"code": -1, "msg": "签名错误"})
        with self.server.lock:
            self.server.money[form["out_trade_no"]] = form["money"]
        self._json({"code": 1, "trade_no": "T" + form["out_trade_no"][:8], "qrcode": "https://qr.example/x"})

    def do_GET(self) -> None:  # api.php?act=order: query
        params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        no = params["out_trade_no"]
        with self.server.lock:
            self.server.asked[no].append(time.monotonic())
            paid = no in self.server.paid
            money = self.server.money.get(no, "0.00")
        self._json({"code": 1, "out_trade_no": no, "trade_no": "T" + no[:8], "money": money,
                    "status": 1 if paid else 0})

    def _json(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
@pytest.mark.timeout(240)
def test_two_processes_run_each_pass_once_and_take_over_a_killed_ones_work(pg_url, tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    seed = seed_demo(PlatformSettings(pg_url, key), codes_per_product=2)
    epay = FakeEpay()
    (tmp_path / "epay.key").write_text(EPAY_KEY)
    (tmp_path / "gateways.toml").write_text(
        f'gateways = ["epay"]\n[epay]\nbase_url = "{epay.url}"\npid = "1001"\nkey_file = "epay.key"\n'
        'notify_url = "http://127.0.0.1:9/v1/gateways/epay/notify"\n')
    # The sandbox supplier keeps its record in the platform's database, one table for both processes.
    args = ("--allow-sandbox", "--gateway-config", str(tmp_path / "gateways.toml"))
    procs = [PlatformProcess(pg_url, key.hex(), *args, log=tmp_path / f"platform{i}.log") for i in range(2)]
    for p in procs:
        p.start()
    engine = make_engine(pg_url)
    try:
        reply = httpx.post(procs[0].url + "/v1/pair", json={"pairing_code": seed.pairing_code,
                                                            "device_name": "前台1号"}).json()
        terminals = [Terminal(p.url, reply["terminal_id"], reply["terminal_secret"], reply["terminal_prefix"])
                     for p in procs]

        def topup_row(order_id: str):
            with engine.connect() as conn:
                return conn.execute(select(orders.c.topup_state, orders.c.claimed_by, orders.c.lease_until)
                                    .where(orders.c.order_id == order_id)).first()

        # 1. A process killed in the middle of a top-up. The supplier hangs (the test holds a lock on its
        # record), so whichever process takes the top-up is still inside the supplier call when it is killed.
        hold = engine.connect()
        hold.execute(text("LOCK TABLE sandbox_topups IN ACCESS EXCLUSIVE MODE"))
        assert terminals[0].request("POST", "/v1/orders/batch", {"orders": [topup("killed-mid-pass")]}
                                    ).status_code == 200
        wait_for(lambda: (r := topup_row("killed-mid-pass")) is not None and r.claimed_by is not None, 10,
                 "a worker to take the top-up")
        holder = next(p for p in procs if p.leased(topup_row("killed-mid-pass").claimed_by))
        holder.kill()
        killed_at, lease_until = time.time(), topup_row("killed-mid-pass").lease_until
        hold.rollback()
        hold.close()
        survivor = next(p for p in procs if p is not holder)
        # 2. Meanwhile work keeps coming, through both processes once the killed one is back. The supplier hangs
        # again at first, so whichever process passes first is held inside its first top-up and the other's pass
        # must take the next one: both surely work at once (left to their timing, the pass of one process may
        # come just before the other's every time, and it takes everything: CI saw that once).
        holder.start()
        ids = [f"tu-{n}" for n in range(16)]
        hold = engine.connect()
        hold.execute(text("LOCK TABLE sandbox_topups IN ACCESS EXCLUSIVE MODE"))
        for n in range(0, len(ids), 2):
            assert terminals[n // 2 % 2].request("POST", "/v1/orders/batch",
                                                 {"orders": [topup(i) for i in ids[n:n + 2]]}).status_code == 200
            time.sleep(0.3)

        def busy_workers() -> set[str]:
            with engine.connect() as conn:
                return {r.claimed_by for r in conn.execute(select(orders.c.claimed_by).where(
                    orders.c.order_id.in_(ids), orders.c.topup_state == "submitted",
                    orders.c.claimed_by.is_not(None)))}

        wait_for(lambda: len(busy_workers()) == 2, 20, "both processes inside a top-up each")
        hold.rollback()
        hold.close()
        payment_ids = []
        for n in range(4):
            pid = str(uuid.uuid4())
            created = terminals[n % 2].request("POST", "/v1/payments", {
                "payment_id": pid, "order_id": str(uuid.uuid4()), "amount_fen": 1250 + n, "method": "epay",
                "description": "卡盟"})
            assert created.status_code == 200, created.text
            payment_ids.append(pid)
        with epay.lock:
            epay.paid |= set(payment_ids[:2])  # the customers paid; the notifies are lost

        def status(pid: str) -> str:
            return terminals[0].request("GET", f"/v1/payments/{pid}").json()["status"]

        wait_for(lambda: all(status(pid) == "paid" for pid in payment_ids[:2]), 60, "the reconciler")
        # Long enough for each open payment to be asked about a few times.
        wait_for(lambda: all(len(epay.asked[pid]) >= 3 for pid in payment_ids[2:]), 60, "queries")
        wait_for(lambda: all(topup_row(i).topup_state == "succeeded" for i in [*ids, "killed-mid-pass"]),
                 topups.LEASE_S + 30, "every top-up to finish")
        with engine.connect() as conn:
            finished_at = conn.execute(text(
                "SELECT max(created_at) FROM feed WHERE type = 'order_status' AND data LIKE :pattern"),
                {"pattern": '%"killed-mid-pass"%succeeded%'}).scalar()
            workers = {r.claimed_by for r in conn.execute(select(orders.c.claimed_by)
                                                          .where(orders.c.order_id.in_(ids)))}
            executions = dict(conn.execute(text("SELECT order_id, submissions FROM sandbox_topups")).all())
    finally:
        for p in procs:
            if p.proc.poll() is None:
                p.kill()
        engine.dispose()
        epay.shutdown()
        epay.server_close()

    assert executions == dict.fromkeys([*ids, "killed-mid-pass"], 1)
    # The killed process's top-up waited for its lease, then the other process (or the killed one's
    # successor, a new worker) finished it.
    assert finished_at >= lease_until > killed_at
    # Both processes (the survivor and the killed one's successor) took some of the top-ups (at least the one each
    # was held in while the supplier hung).
    assert len(workers) == 2 and all(survivor.leased(w) or holder.leased(w) for w in workers)
    gaps = [b - a for pid in payment_ids for a, b in zip(epay.asked[pid], epay.asked[pid][1:], strict=False)]
    print(f"\ntop-up of the killed process finished {finished_at - killed_at:.0f} s after the kill (lease "
          f"{topups.LEASE_S} s); queries per payment {[len(epay.asked[p]) for p in payment_ids]}, shortest gap "
          f"{min(gaps):.2f} s")
    # Each pass of either process may ask, but a payment is asked at most once per interval between them
    # (less one second: leases are in whole seconds).
    assert min(gaps) >= RECONCILE_INTERVAL_S - 1
    assert [len(epay.asked[p]) for p in payment_ids[:2]] == [1, 1]  # asked once, found paid, left alone

