"""Top-ups executed through the sandbox supplier: at most once per order, also across platform processes,
refunds through the ledger."""

from __future__ import annotations

import secrets
import threading
import time
import uuid

from sqlalchemy import func, select, text

from kameng_platform import topups
from kameng_platform.crypto import Sealer
from kameng_platform.db import make_engine, migrate
from kameng_platform.schema import ledger, orders, sandbox_topups
from kameng_platform.seed import seed_demo
from kameng_platform.server import serve_in_thread
from kameng_platform.settings import sandbox_settings
from kameng_platform.suppliers import make_supplier
from kameng_platform.suppliers.base import SupplierError, SupplierResult, TopupRequest
from kameng_platform.suppliers.sandbox import SandboxConfig, SandboxSupplier
from tests.platform.client import PlatformHarness


def topup(order_id: str, account: str = "13812345678") -> dict:
    return {"order_id": order_id, "number": order_id, "kind": "topup", "created_at": "2026-11-23T03:00:00.000000Z",
            "payment_method": "cash", "lines": [{"product_id": "hf50", "quantity": 1, "unit_price_fen": 5000}],
            "total_fen": 5000, "topup": {"account": account}}


def sandbox_record(engine) -> dict[str, str]:
    """Each order the sandbox supplier executed, with its outcome (its table allows one row per order)."""
    with engine.connect() as conn:
        return dict(conn.execute(select(sandbox_topups.c.order_id, sandbox_topups.c.state)).all())


def states(h) -> dict[str, str]:
    engine = h.engine()
    with engine.connect() as conn:
        query = select(orders.c.order_id, orders.c.topup_state).where(orders.c.kind == "topup")
        result = {row.order_id: row.topup_state for row in conn.execute(query)}
    engine.dispose()
    return result


def balance_and_ledger(h, t) -> tuple[int, int]:
    engine = h.engine()
    with engine.connect() as conn:
        total = int(conn.execute(select(func.sum(ledger.c.amount_fen))
                                 .where(ledger.c.reseller_id == h.reseller_id)).scalar())
    engine.dispose()
    return t.request("GET", "/v1/catalog").json()["balance_fen"], total


def test_success_failure_and_refund(harness) -> None:
    harness.server._workers.topups.stop()  # this test drives the passes itself
    t = harness.pair()
    t.request("POST", "/v1/orders/batch", {"orders": [topup("ok-1"), topup("bad-1")]})
    before, _ = balance_and_ledger(harness, t)

    class Picky(SandboxSupplier):
        def submit(self, request):
            if request.order_id.startswith("bad"):
                return SupplierResult("failed", "号码不存在")
            return super().submit(request)

    engine = harness.engine()
    assert topups.process(engine, Sealer(harness.settings.server_key), Picky(engine)) == 2
    engine.dispose()
    assert states(harness) == {"ok-1": "succeeded", "bad-1": "failed"}
    after, ledger_total = balance_and_ledger(harness, t)
    assert after == before + 4950 == ledger_total  # the failed one refunded, exactly once
    feed = t.request("GET", "/v1/changes?cursor=0&limit=500").json()["changes"]
    statuses = [(c["data"]["order_id"], c["data"]["topup_state"], c["data"]["refunded_fen"])
                for c in feed if c["type"] == "order_status"]
    assert ("bad-1", "failed", 4950) in statuses and ("ok-1", "succeeded", 0) in statuses


def test_lost_answers_and_crashes_never_execute_twice(harness) -> None:
    harness.server._workers.topups.stop()
    t = harness.pair()
    ids = [f"tu-{n}" for n in range(12)]
    t.request("POST", "/v1/orders/batch", {"orders": [topup(i) for i in ids]})
    engine, sealer = harness.engine(), Sealer(harness.settings.server_key)
    supplier = SandboxSupplier(engine, SandboxConfig(unknown_rate=0.5, seed=7))
    calls: dict[str, int] = {}
    real_submit = supplier.submit

    def counting(request):
        calls[request.order_id] = calls.get(request.order_id, 0) + 1
        return real_submit(request)

    supplier.submit = counting
    # A crash right after claiming: the order is "submitted" but the supplier never heard of it.
    assert topups._claim(engine, ids[0], "crashed-worker", lease_s=0) == "queued"
    # Two workers race over the same orders, passes repeat until everything is final.
    for _ in range(6):
        threads = [threading.Thread(target=topups.process, args=(engine, sealer, supplier)) for _ in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    assert set(states(harness).values()) == {"succeeded"}
    assert sandbox_record(engine) == dict.fromkeys(ids, "succeeded")  # one execution per order, keyed by its id
    engine.dispose()
    assert all(n >= 1 for n in calls.values())


def test_supplier_down_leaves_orders_waiting(harness) -> None:
    harness.server._workers.topups.stop()
    t = harness.pair()
    t.request("POST", "/v1/orders/batch", {"orders": [topup("down-1")]})

    class Down:
        def submit(self, request):
            raise SupplierError("connection refused")

        def query(self, order_id):
            raise SupplierError("connection refused")

    engine = harness.engine()
    assert topups.process(engine, Sealer(harness.settings.server_key), Down()) == 0
    assert topups.process(engine, Sealer(harness.settings.server_key), Down()) == 0
    engine.dispose()
    assert states(harness) == {"down-1": "submitted"}


def test_two_processes_share_one_sandbox_record(db_url) -> None:
    """Two platform processes (each its own engine and supplier, as `make_supplier` builds them) submit the
    same 40 top-ups at the same instant: one execution each, and both are told its one outcome. With a record
    per process each executed every order, half of them with another outcome."""
    settings = sandbox_settings(db_url, secrets.token_bytes(32), sandbox_failure_rate=0.5)
    migrate(db_url)
    engines = [make_engine(db_url) for _ in range(3)]
    suppliers = [make_supplier(settings, engine) for engine in engines]
    requests = [TopupRequest(f"race-{n}", "hf50", "13812345678", 5000) for n in range(40)]
    gate = threading.Barrier(2)
    answers: list[dict[str, str]] = [{}, {}]

    def process(i: int) -> None:
        gate.wait()
        for request in requests:
            answers[i][request.order_id] = suppliers[i].submit(request).state

    threads = [threading.Thread(target=process, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    try:
        assert answers[0] == answers[1]
        assert sandbox_record(engines[2]) == answers[0]  # a third process sees the same one record
        assert {suppliers[2].query(r.order_id).state for r in requests} == set(answers[0].values())
    finally:
        for engine in engines:
            engine.dispose()


def test_two_platform_processes_execute_each_topup_once(db_url) -> None:
    """Two platforms on one database, both running their top-up worker over the same queue (a slow supplier
    widens the window in which one resubmits what the other is executing)."""
    settings = sandbox_settings(db_url, secrets.token_bytes(32), sandbox_failure_rate=0.5, sandbox_delay_s=0.02,
                                topup_interval_s=0.05)
    seed = seed_demo(settings, codes_per_product=1)
    first = PlatformHarness(settings, serve_in_thread(settings), seed.reseller_id, seed.pairing_code)
    second = serve_in_thread(settings)
    try:
        t = first.pair()
        ids = [str(uuid.uuid4()) for _ in range(40)]
        for start in range(0, len(ids), 10):
            t.request("POST", "/v1/orders/batch", {"orders": [topup(i) for i in ids[start:start + 10]]})
        deadline = time.monotonic() + 60
        while set(states(first).values()) - {"succeeded", "failed"}:
            assert time.monotonic() < deadline, states(first)
            time.sleep(0.2)
        engine = first.engine()
        record = sandbox_record(engine)
        with engine.connect() as conn:
            submitted = dict(conn.execute(text("SELECT order_id, submissions FROM sandbox_topups")).all())
        engine.dispose()
        assert record == states(first)  # one execution per top-up, and the platform tells its outcome
        assert submitted == dict.fromkeys(ids, 1)  # and neither platform sent one the other had sent
        balance, ledger_total = balance_and_ledger(first, t)
        assert balance == ledger_total
    finally:
        second.stop()
        first.stop()
