"""Two real `kameng-platform serve` processes on one PostgreSQL, each request delivered to both at the same
instant (a desk's retry reaching a second process behind a load balancer) and rival requests raced across them:
duplicate sales, restocks by two terminals, top-ups, and payments created on one process while the other cancels
them. Nothing answers 5xx, no code reaches two terminals or two sales, no top-up is submitted twice, and the
balance is the ledger's sum."""

from __future__ import annotations

import os
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text

from kameng_platform import admin, terminals
from kameng_platform.crypto import Sealer
from kameng_platform.db import make_engine
from kameng_platform.schema import ledger, orders
from kameng_platform.seed import seed_demo
from kameng_platform.settings import PlatformSettings
from tests.platform.client import Terminal
from tests.platform.processes import PlatformProcess
from tests.platform.test_topups import topup

ROUNDS = 6  # restock rounds; each also sells what it got


class Desk:
    """One paired terminal, reachable through either process."""

    def __init__(self, via: list[Terminal]) -> None:
        self.via = via
        self.codes: set[str] = set()


def sale(order_id: str, code_ids: list[str]) -> dict:
    return {"order_id": order_id, "number": order_id[:12], "kind": "sale", "created_at": "2026-12-01T03:00:00.000000Z",
            "payment_method": "cash", "total_fen": 1000 * len(code_ids),
            "lines": [{"product_id": "qb10", "quantity": len(code_ids), "unit_price_fen": 1000,
                       "code_ids": code_ids}]}


@pytest.mark.skipif(os.name == "nt", reason="the processes are stopped with SIGKILL")
@pytest.mark.timeout(300)
def test_two_processes_answer_racing_and_duplicate_requests_once(pg_url: str, tmp_path: Path) -> None:
    key = secrets.token_bytes(32)
    settings = PlatformSettings(pg_url, key)
    seed = seed_demo(settings, codes_per_product=60)
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        admin.credit(conn, seed.reseller_id, 10_000_000, "race-run")
        second_code = terminals.create_pairing_code(conn, Sealer(key), seed.reseller_id, 600)
    procs = [PlatformProcess(pg_url, key.hex(), "--allow-sandbox", log=tmp_path / f"platform{i}.log")
             for i in range(2)]
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def at_once(*calls: Callable[[], httpx.Response]) -> list[httpx.Response]:
        """Runs the calls in threads released together; every answer is kept for the 5xx count."""
        gate, out = threading.Barrier(len(calls)), [None] * len(calls)

        def run(i: int) -> None:
            gate.wait()
            out[i] = calls[i]()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        with lock:
            answers.extend(out)
        return out

    try:
        for p in procs:
            p.start()
        desks = []
        for n, code in enumerate([seed.pairing_code, second_code]):
            body = httpx.post(procs[n].url + "/v1/pair", json={"pairing_code": code,
                                                              "device_name": f"前台{n + 1}号"}).json()
            desks.append(Desk([Terminal(p.url, body["terminal_id"], body["terminal_secret"],
                                        body["terminal_prefix"]) for p in procs]))
        a, b = desks

        # 1. Restocks: both terminals ask for the same product at once, each request delivered to both processes.
        for r in range(ROUNDS):
            bodies = [{"request_id": f"restock-{n}-{r}", "product_id": "qb10", "quantity": 3} for n in range(2)]
            replies = at_once(*(lambda d=d, v=v, body=body: d.via[v].request("POST", "/v1/restock", body)
                                for d, body in zip(desks, bodies, strict=True) for v in (0, 1)))
            for d, pair in zip(desks, (replies[:2], replies[2:]), strict=True):
                assert [x.status_code for x in pair] == [200, 200], [x.text for x in pair]
                got = [{c["id"] for c in x.json()["codes"]} for x in pair]
                assert got[0] == got[1] and len(got[0]) == 3  # the replay gets the same codes
                d.codes |= got[0]
        assert not a.codes & b.codes, "a code was given to two terminals"

        # 2. Sales: each batch delivered to both processes at once; and terminal B racing A for A's codes.
        sold: dict[str, str] = {}
        for d in desks:
            for chunk in range(0, len(d.codes) - 3, 3):
                ids = sorted(d.codes)[chunk:chunk + 3]
                batch = {"orders": [sale(str(uuid.uuid4()), [code]) for code in ids]}
                replies = at_once(lambda d=d, batch=batch: d.via[0].request("POST", "/v1/orders/batch", batch),
                                  lambda d=d, batch=batch: d.via[1].request("POST", "/v1/orders/batch", batch))
                assert [x.status_code for x in replies] == [200, 200], [x.text for x in replies]
                for order, first, again in zip(batch["orders"], *(x.json()["results"] for x in replies),
                                               strict=True):
                    assert sorted([first["status"], again["status"]]) == ["accepted", "duplicate"], (first, again)
                    sold[order["order_id"]] = order["lines"][0]["code_ids"][0]
        stolen = sorted(a.codes - set(sold.values()))
        mine, theirs = sale(str(uuid.uuid4()), stolen), sale(str(uuid.uuid4()), stolen)
        replies = at_once(lambda: a.via[0].request("POST", "/v1/orders/batch", {"orders": [mine]}),
                          lambda: b.via[1].request("POST", "/v1/orders/batch", {"orders": [theirs]}))
        assert [x.json()["results"][0]["status"] for x in replies] == ["accepted", "rejected"]

        # 3. Top-ups: each batch delivered to both processes at once; both run the top-up worker.
        topup_ids = [str(uuid.uuid4()) for _ in range(12)]
        for n in range(0, len(topup_ids), 3):
            batch = {"orders": [topup(i) for i in topup_ids[n:n + 3]]}
            d = desks[n // 3 % 2]
            replies = at_once(lambda d=d, batch=batch: d.via[0].request("POST", "/v1/orders/batch", batch),
                              lambda d=d, batch=batch: d.via[1].request("POST", "/v1/orders/batch", batch))
            assert all(x.status_code == 200 for x in replies), [x.text for x in replies]

        # 4. Payments: the create on one process, its cancel on the other, at the same instant. The cancel wins.
        payment_ids = [str(uuid.uuid4()) for _ in range(30)]
        for n, pid in enumerate(payment_ids):
            d, v = desks[n % 2], n % 2
            create = {"payment_id": pid, "order_id": str(uuid.uuid4()), "amount_fen": 1000 + n,
                      "method": "sandbox", "description": "卡盟"}
            made, cancelled = at_once(lambda d=d, v=v, create=create: d.via[v].request("POST", "/v1/payments", create),
                                      lambda d=d, v=v, pid=pid: d.via[1 - v].request(
                                          "POST", f"/v1/payments/{pid}/cancel"))
            assert made.status_code in (200, 409), made.text
            assert made.status_code == 200 or made.json()["error"]["code"] == "payment_cancelled"
            assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled", cancelled.text
            for view in d.via:
                assert view.request("GET", f"/v1/payments/{pid}").json()["status"] == "cancelled"

        with engine.connect() as conn:
            def unfinished() -> int:
                return conn.execute(select(func.count()).where(orders.c.order_id.in_(topup_ids),
                                                               orders.c.topup_state.not_in(["succeeded", "failed"]))
                                    ).scalar()
            deadline = time.monotonic() + 90
            while unfinished() and time.monotonic() < deadline:
                conn.rollback()
                time.sleep(0.5)
            assert not unfinished(), "the top-ups did not finish"
            submitted = dict(conn.execute(text("SELECT order_id, submissions FROM sandbox_topups")).all())
            ledger_sum = conn.execute(select(func.sum(ledger.c.amount_fen))
                                      .where(ledger.c.reseller_id == seed.reseller_id)).scalar()
            holders = dict(conn.execute(text("SELECT id, terminal_id FROM codes WHERE terminal_id IS NOT NULL")).all())
            sold_in = dict(conn.execute(text("SELECT id, order_id FROM codes WHERE order_id IS NOT NULL")).all())
        balance = a.via[1].request("GET", "/v1/catalog").json()["balance_fen"]
    finally:
        for p in procs:
            if p.proc is not None and p.proc.poll() is None:
                p.kill()
        engine.dispose()

    server_errors = [x.status_code for x in answers if x.status_code >= 500]
    logged = [line for p in procs for line in p.log.read_text(errors="replace").splitlines()
              if '" 5' in line or "Traceback" in line]
    print(f"\n{len(answers)} answers across two processes, {len(sold)} sales, {len(topup_ids)} top-ups, "
          f"{len(payment_ids)} create/cancel races; 5xx: {len(server_errors)}; max submissions per top-up "
          f"{max(submitted.values(), default=0)}")
    assert server_errors == [] and logged == []
    assert submitted == dict.fromkeys(topup_ids, 1)  # each top-up executed, and submitted by one process once
    # Each code is held by the terminal whose restock answer carried it, and sold in the one order that won it.
    assert holders == {**dict.fromkeys(a.codes, a.via[0].terminal_id), **dict.fromkeys(b.codes, b.via[0].terminal_id)}
    assert sold_in == {**{code: order for order, code in sold.items()}, **dict.fromkeys(stolen, mine["order_id"])}
    assert balance == ledger_sum
