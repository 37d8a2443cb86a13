"""Data the 补单 tests (HTTP and browser) start from, made the way it happens: through the signed API."""

from __future__ import annotations

import uuid

import httpx

from kameng_platform import topups
from tests.platform.console_client import ConsoleHarness

COST_FEN = 4950  # what the demo reseller pays for hf50 (a ¥50 top-up)


def topup(order_id: str) -> dict:
    return {"order_id": order_id, "number": "T-" + order_id[:6], "kind": "topup",
            "created_at": "2026-12-01T03:00:00.000000Z", "payment_method": "cash",
            "lines": [{"product_id": "hf50", "quantity": 1, "unit_price_fen": 5000}], "total_fen": 5000,
            "topup": {"account": "13812345678"}}



def push_topup(console: ConsoleHarness) -> str:
    """A desk's top-up through the signed API, then the worker that took it "crashes" mid-call: submitted, no
    answer, its lease run out. What a person then finds in the 补单 queue."""
    order_id = str(uuid.uuid4())
    t = console.platform.pair()
    assert t.request("POST", "/v1/orders/batch", {"orders": [topup(order_id)]}).json()["results"][0]["status"] \
        == "accepted"
    engine = console.platform.engine()
    try:
        assert topups._claim(engine, order_id, "crashed-worker", lease_s=0) == "queued"  # now submitted
    finally:
        engine.dispose()
    return order_id



def paid_without_order(console: ConsoleHarness, amount_fen: int = 1200) -> str:
    """掉单: the customer paid (the sandbox pay page; its notify twice), the desk never pushed the order."""
    t = console.platform.pair()
    payment_id = str(uuid.uuid4())
    reply = t.request("POST", "/v1/payments", {"payment_id": payment_id, "order_id": str(uuid.uuid4()),
                                               "amount_fen": amount_fen, "method": "sandbox", "description": ""})
    assert reply.status_code == 200, reply.text
    for _ in range(2):  # a repeated notify changes nothing
        assert httpx.post(f"{console.url}/pay/{payment_id}").status_code == 200
    return payment_id
