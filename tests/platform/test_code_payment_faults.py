"""Code payments and refunds under faults, on real `kameng-platform serve` processes: two on one PostgreSQL (a
desk's retry may reach either), or one on SQLite, with the sandbox gateway (its record is in the database, as a
real gateway's is on its side). Desks poll, retry after lost answers, cancel during the password or go away;
the gateway's notifies are lost, delayed, repeated and reordered (sent after the payment was reversed); a process
is SIGKILLed and restarted in the middle of all of it. Afterwards every code payment is paid once at the gateway
and paid on the platform, or not paid on either; every refund was executed at most once; and the money the
gateway took and returned is what the platform records."""

from __future__ import annotations

import os
import random
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from kameng_platform.db import make_engine
from kameng_platform.gateways.sandbox import SandboxGateway
from kameng_platform.schema import payments, refunds, sandbox_refunds, sandbox_trades
from kameng_platform.seed import seed_demo
from kameng_platform.settings import PlatformSettings
from tests.platform.client import Terminal
from tests.platform.processes import PlatformProcess

PAYMENTS = 20
CODES = ["134567890123456789", "281234567890123456", "101234567890123456", "301234567890123456789"]
REFUSED = "134567890123450000"


class Faults:
    """The desks' view of the platform: each request goes to a chosen process and, when its answer is lost
    (the process was killed), is sent again, the same body, to whichever process answers."""

    def __init__(self, procs: list[PlatformProcess], terminal: dict, sandbox: SandboxGateway, seed: int) -> None:
        self.procs, self.sandbox = procs, sandbox
        self.via = [Terminal(p.url, terminal["terminal_id"], terminal["terminal_secret"], terminal["terminal_prefix"])
                    for p in procs]
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.server_errors: list[str] = []
        self.lost = 0

    def send(self, method: str, path: str, body: dict | None = None) -> httpx.Response:
        deadline = time.monotonic() + 60
        start = self.pick()
        for attempt in range(1000):
            terminal = self.via[(start + attempt) % len(self.via)]
            try:
                reply = terminal.request(method, path, body)
            except httpx.TransportError:  # killed mid-call: the answer is lost, the desk sends it again
                with self.lock:
                    self.lost += 1
                assert time.monotonic() < deadline, "no platform process answered for a minute"
                time.sleep(0.2)
                continue
            if reply.status_code >= 500:
                with self.lock:
                    self.server_errors.append(f"{method} {path} {reply.status_code} {reply.text[:200]}")
            return reply
        raise AssertionError("unreachable")

    def pick(self) -> int:
        with self.lock:
            return self.rng.randrange(len(self.via))

    def chance(self, p: float) -> bool:
        with self.lock:
            return self.rng.random() < p

    def notify(self, form: dict, times: int) -> None:
        """The gateway's notify, `times` times, to any process that answers (none answering: lost)."""
        for _ in range(times):
            for proc in self.procs:
                try:
                    httpx.post(proc.url + "/v1/gateways/sandbox/notify", data=form, timeout=10)
                    break
                except httpx.TransportError:
                    continue


def taken(trade) -> bool:
    """Whether the gateway holds the customer's money for this trade now (the sandbox's own rule: a password
    "entered" by pays_at is paid, whether or not anyone has asked since)."""
    return trade is not None and (trade.state == "paid" or (trade.state == "paying" and time.time() >= trade.pays_at))


def gateway_notifies(f: Faults, engine, pid: str, password: bool) -> None:
    """The gateway's notify, issued the moment the trade is paid (the password "entered" 3 s after the charge)
    and then lost, sent at once, delayed past the desk's cancel and the reverse (reordered), or repeated."""
    time.sleep(3.1 if password else 0.05)
    with engine.connect() as conn:
        trade = conn.execute(select(sandbox_trades).where(sandbox_trades.c.out_trade_no == pid)).first()
    # A reversed trade may have been paid before its reverse: its notify was issued all the same.
    if trade is None or not (taken(trade) or trade.state == "reversed") or trade.amount_fen == 0:
        return
    fate = f.rng.choice(["lost", "now", "delayed", "repeated"])
    if fate != "lost":
        time.sleep(f.rng.uniform(1, 6) if fate == "delayed" else 0)
        f.notify({"payment_id": pid, "amount_fen": str(trade.amount_fen), "status": "paid",
                  "sign": f.sandbox.sign_notify(pid, trade.amount_fen, "paid")}, 2 if fate == "repeated" else 1)


def desk_payment(f: Faults, engine, n: int) -> None:
    """One sale paid by a scanned code, and whatever the desk and the gateway's notifies then do."""
    pid = str(uuid.uuid4())
    password = f.chance(0.6)
    amount = 1000 + 100 * n + (99 if password else 0)
    code = REFUSED if f.chance(0.15) else CODES[n % len(CODES)]
    body = {"payment_id": pid, "order_id": f"o-{n}", "amount_fen": amount, "kind": "code", "auth_code": code,
            "description": "卡盟"}
    notifier = threading.Thread(target=gateway_notifies, args=(f, engine, pid, password))
    reply = f.send("POST", "/v1/payments", body)
    notifier.start()
    assert reply.status_code == 200, reply.text
    behaviour = f.rng.choice(["poll", "retry", "cancel", "cancel", "gone"])
    if behaviour == "retry":  # the answer "was lost": the same body again, perhaps to the other process
        again = f.send("POST", "/v1/payments", body)
        assert again.status_code == 200 and again.json()["payment_id"] == pid, again.text
    if behaviour == "cancel":
        time.sleep(f.rng.uniform(0, 4))
        assert f.send("POST", f"/v1/payments/{pid}/cancel").status_code == 200
    if behaviour in ("poll", "retry"):
        for _ in range(int(f.rng.uniform(2, 8) / 0.4)):  # then the desk may give up and go away
            if f.send("GET", f"/v1/payments/{pid}").json()["status"] not in ("pending", "reversing"):
                break
            time.sleep(0.4)
    notifier.join()


def desk_refunds(f: Faults, engine, pid: str, amount: int) -> None:
    """Refunds of a paid payment: parts that may add up to more than it was, a retry of the same refund id on
    both processes at once, a slow refund (99 fen), and refund notifies repeated or out of order."""
    parts = [f.rng.choice([amount // 2, amount // 3, 199, amount]) for _ in range(f.rng.randint(1, 3))]
    for part in parts:
        rid = str(uuid.uuid4())
        body = {"refund_id": rid, "amount_fen": part, "reason": "顾客退货"}
        calls = 2 if f.chance(0.5) else 1
        answers = at_once(*[lambda: f.send("POST", f"/v1/payments/{pid}/refunds", body)] * calls)  # noqa: B023
        for reply in answers:
            assert reply.status_code in (200, 409), reply.text
            assert reply.status_code == 200 or reply.json()["error"]["code"] == "refund_exceeds_payment"
        if answers[0].status_code == 200 and f.chance(0.5):
            with engine.connect() as conn:
                row = conn.execute(select(sandbox_refunds).where(sandbox_refunds.c.out_refund_no == rid)).first()
            if row is not None and row.state in ("succeeded", "failed"):
                status = "refund_" + row.state
                f.notify({"out_refund_no": rid, "amount_fen": str(part), "status": status,
                          "sign": f.sandbox.sign_notify(rid, part, status)}, f.rng.randint(1, 2))


def at_once(*calls: Callable[[], httpx.Response]) -> list[httpx.Response]:
    gate, out = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i: int) -> None:
        gate.wait()
        out[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


@pytest.mark.skipif(os.name == "nt", reason="the processes are stopped with SIGKILL")
@pytest.mark.timeout(400)
@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_code_payments_and_refunds_survive_lost_notifies_and_a_killed_process(backend: str, tmp_path: Path,
                                                                             request) -> None:
    db_url = request.getfixturevalue("pg_url") if backend == "postgres" else f"sqlite:///{tmp_path / 'p.db'}"
    key = secrets.token_bytes(32)
    seed = seed_demo(PlatformSettings(db_url, key), codes_per_product=1)
    config = tmp_path / "gateways.toml"
    config.write_text('gateways = ["sandbox"]\ncode_wait_s = 2\n', encoding="utf-8")
    count = 2 if backend == "postgres" else 1  # SQLite: one process (the platform's own rule)
    procs = [PlatformProcess(db_url, key.hex(), "--allow-sandbox", "--gateway-config", str(config),
                             log=tmp_path / f"platform{i}.log") for i in range(count)]
    engine = make_engine(db_url)
    stop = threading.Event()
    try:
        for p in procs:
            p.start()
        terminal = httpx.post(procs[0].url + "/v1/pair", json={"pairing_code": seed.pairing_code,
                                                               "device_name": "前台"}).json()
        f = Faults(procs, terminal, SandboxGateway(key, engine), seed=7 if backend == "sqlite" else 11)

        def killer() -> None:  # process 0 is SIGKILLed in the middle of whatever it is doing, and restarted
            while not stop.wait(f.rng.uniform(2.0, 4.0)):
                procs[0].restart()

        chaos = threading.Thread(target=killer, daemon=True)
        chaos.start()
        desks = [threading.Thread(target=desk_payment, args=(f, engine, n)) for n in range(PAYMENTS)]
        for n, t in enumerate(desks):
            t.start()
            time.sleep(0.15 if n % 4 else 0.6)
        for t in desks:
            t.join()

        def open_rows():
            with engine.connect() as conn:
                return conn.execute(select(payments.c.payment_id).where(
                    payments.c.status.in_(("pending", "reversing")))).scalars().all()

        deadline = time.monotonic() + 120  # the reconcilers finish what the desks left (after 10 s, every 5 s)
        while open_rows():
            assert time.monotonic() < deadline, f"code payments left open: {open_rows()}"
            time.sleep(1)

        with engine.connect() as conn:
            paid = conn.execute(select(payments.c.payment_id, payments.c.amount_fen)
                                .where(payments.c.status == "paid")).all()
        refunders = [threading.Thread(target=desk_refunds, args=(f, engine, pid, amount)) for pid, amount in paid]
        for t in refunders:
            t.start()
        for t in refunders:
            t.join()

        def pending_refunds():
            with engine.connect() as conn:
                return conn.execute(select(refunds.c.refund_id).where(refunds.c.status == "pending")).scalars().all()

        deadline = time.monotonic() + 120
        while pending_refunds():
            assert time.monotonic() < deadline, f"refunds left pending: {pending_refunds()}"
            time.sleep(1)
        stop.set()
        chaos.join()
        kills = procs[0].kills

        with engine.connect() as conn:
            platform = {r.payment_id: r for r in conn.execute(select(payments)).all()}
            gateway = {r.out_trade_no: r for r in conn.execute(select(sandbox_trades)).all()}
            platform_refunds = {r.out_refund_no: r for r in conn.execute(select(refunds)).all()}
            gateway_refunds = {r.out_refund_no: r for r in conn.execute(select(sandbox_refunds)).all()}
    finally:
        stop.set()
        for p in procs:
            if p.proc is not None and p.proc.poll() is None:
                p.kill()
        engine.dispose()

    assert len(platform) == PAYMENTS
    for pid, row in platform.items():
        trade = gateway.get(pid)
        assert row.status in ("paid", "failed", "cancelled"), (pid, row.status)
        assert (row.status == "paid") == taken(trade), (pid, row.status, trade)
    platform_money = sum(r.amount_fen for r in platform.values() if r.status == "paid")
    gateway_money = sum(t.amount_fen for t in gateway.values() if taken(t))
    assert platform_money == gateway_money

    for number, row in platform_refunds.items():
        at_gateway = gateway_refunds.get(number)
        assert row.status in ("succeeded", "failed"), (number, row.status)
        assert (row.status == "succeeded") == (at_gateway is not None and at_gateway.state == "succeeded"), \
            (number, row.status, at_gateway)
    assert set(gateway_refunds) <= set(platform_refunds)  # the gateway executed no refund the platform lacks
    returned = {pid: 0 for pid in platform}
    for row in platform_refunds.values():
        returned[row.payment_id] += row.amount_fen if row.status == "succeeded" else 0
    assert all(returned[pid] <= platform[pid].amount_fen for pid in platform)
    assert sum(returned.values()) == sum(r.amount_fen for r in gateway_refunds.values() if r.state == "succeeded")

    logged = [line for p in procs for line in p.log.read_text(errors="replace").splitlines()
              if "Traceback" in line or '" 5' in line]
    statuses = sorted(r.status for r in platform.values())
    print(f"\n{backend}: {PAYMENTS} code payments {dict((s, statuses.count(s)) for s in set(statuses))}, "
          f"{len(platform_refunds)} refunds ({sum(returned.values())} fen returned), {kills} kills, "
          f"{f.lost} lost answers, max charges per trade {max((t.charges for t in gateway.values()), default=0)}")
    assert f.server_errors == [] and logged == []
    assert kills >= 3
