"""The background passes under leases (periodic.claim): several workers, each with its own database
connections as separate processes have, share the work and never do the same piece twice; a worker that died
holding a lease delays its piece until the lease runs out, and then another does it, once. SQLite and
PostgreSQL; tests/platform/test_two_processes.py shows the same with real server processes."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter

import pytest

from kameng_platform import clock, topups
from kameng_platform.crypto import Sealer
from kameng_platform.gateways import reconcile
from kameng_platform.suppliers.base import SupplierResult, TopupRequest
from tests.platform.test_gateway_payments import GatewayPlatform
from tests.platform.test_reconcile_payments import move_clock, queries
from tests.platform.test_topups import states, topup


class AsyncSupplier:
    """A supplier that takes `delay_s` to accept a top-up and knows it only from then on: its query answers
    "no such order" while a submit is still on its way, as asynchronous suppliers do. Counts every submit it
    receives and every execution (a submit that arrives while the first is in flight executes again)."""

    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.sent: Counter[str] = Counter()
        self.executed: Counter[str] = Counter()
        self._known: dict[str, SupplierResult] = {}
        self._lock = threading.Lock()

    def submit(self, request: TopupRequest) -> SupplierResult:
        with self._lock:
            self.sent[request.order_id] += 1
            if request.order_id in self._known:
                return self._known[request.order_id]
        time.sleep(self.delay_s)
        with self._lock:
            self.executed[request.order_id] += 1
            return self._known.setdefault(request.order_id, SupplierResult("succeeded"))

    def query(self, order_id: str) -> SupplierResult:
        with self._lock:
            return self._known.get(order_id, SupplierResult("unknown"))


def run_workers(count: int, step) -> None:
    """`step(i)` on `count` threads at once."""
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        barrier.wait()
        step(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()


def test_two_workers_send_each_top_up_once_and_share_the_work(harness) -> None:
    harness.server._workers.topups.stop()
    t = harness.pair()
    ids = [f"tu-{n}" for n in range(12)]
    supplier = AsyncSupplier(delay_s=0.15)
    sealer = Sealer(harness.settings.server_key)
    engines = [harness.engine(), harness.engine()]
    done: Counter[str] = Counter()

    def worker(i: int) -> None:
        if i == 2:  # the desk: two top-ups every 0.2 s while the workers run
            for n in range(0, len(ids), 2):
                assert t.request("POST", "/v1/orders/batch",
                                 {"orders": [topup(o) for o in ids[n:n + 2]]}).status_code == 200
                time.sleep(0.2)
            return
        # Passes back to back, as two processes' workers run.
        deadline = time.monotonic() + 30
        while len(states(harness)) < len(ids) or set(states(harness).values()) != {"succeeded"}:
            assert time.monotonic() < deadline
            done[f"w{i}"] += topups.process(engines[i], sealer, supplier, worker=f"w{i}")

    try:
        run_workers(3, worker)
    finally:
        for engine in engines:
            engine.dispose()
    assert set(states(harness).values()) == {"succeeded"}
    # Without leases the second worker asked about the first one's top-ups while they were on their way,
    # heard "no such order" and sent them again.
    assert supplier.sent == Counter(dict.fromkeys(ids, 1)) and supplier.executed == supplier.sent
    assert done["w0"] > 0 and done["w1"] > 0 and done.total() == len(ids)


def test_a_top_up_leased_by_a_dead_worker_runs_once_after_the_lease(harness, monkeypatch) -> None:
    harness.server._workers.topups.stop()
    t = harness.pair()
    t.request("POST", "/v1/orders/batch", {"orders": [topup("sent-1"), topup("unsent-1")]})
    supplier = AsyncSupplier(delay_s=0)
    engine, sealer = harness.engine(), Sealer(harness.settings.server_key)
    try:
        # A process is killed mid-pass holding both leases: it had sent one top-up, not yet the other.
        assert topups._claim(engine, "sent-1", "dead-worker", topups.LEASE_S) == "queued"
        supplier.submit(topups._request(engine, sealer, "sent-1"))
        assert topups._claim(engine, "unsent-1", "dead-worker", topups.LEASE_S) == "queued"
        assert topups.process(engine, sealer, supplier, worker="alive") == 0  # the leases still run
        assert supplier.sent == {"sent-1": 1} and states(harness) == dict.fromkeys(("sent-1", "unsent-1"),
                                                                                  "submitted")
        later = clock.now() + topups.LEASE_S
        monkeypatch.setattr(clock, "now", lambda: later)
        assert topups.process(engine, sealer, supplier, worker="alive") == 2
    finally:
        engine.dispose()
    assert states(harness) == dict.fromkeys(("sent-1", "unsent-1"), "succeeded")
    # The one already sent was found by asking; the other was sent once.
    assert supplier.sent == {"sent-1": 1, "unsent-1": 1} and supplier.executed == supplier.sent


@pytest.fixture
def gp(db_url):
    platform = GatewayPlatform.start(db_url)
    yield platform
    platform.harness.stop()


def test_two_reconcilers_ask_about_each_payment_once_per_interval(gp, monkeypatch) -> None:
    pids = [gp.create(payment_id=str(uuid.uuid4())).json()["payment_id"] for _ in range(6)]
    nos = [uuid.UUID(pid).hex for pid in pids]
    engines = [gp.harness.engine(), gp.harness.engine()]
    found: Counter[int] = Counter()

    def both_pass() -> None:
        def step(i: int) -> None:
            found[i] += reconcile.process(engines[i], gp.registry, after_s=0, window_s=600, every_s=60,
                                          worker=f"w{i}")

        run_workers(2, step)

    try:
        both_pass()
        both_pass()  # within the interval: nobody asks again
        assert [queries(gp, no) for no in nos] == [1] * 6
        gp.wechat.pay(nos[0])
        # One interval after the last lease was taken: on a loaded machine the passes can straddle a second.
        move_clock(gp, monkeypatch, clock.now() + 60)
        both_pass()
        assert [queries(gp, no) for no in nos] == [2] * 6
    finally:
        for engine in engines:
            engine.dispose()
    assert found.total() == 1 and gp.status(pids[0])["status"] == "paid"
