"""The v1 wire contract against a real server on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import uuid

import httpx
from sqlalchemy import func, select

from kameng_platform.schema import codes, ledger, orders


def ledger_sum(h) -> int:
    engine = h.engine()
    with engine.connect() as conn:
        query = select(func.sum(ledger.c.amount_fen)).where(ledger.c.reseller_id == h.reseller_id)
        total = conn.execute(query).scalar()
    engine.dispose()
    return int(total)


def catalog_balance(t) -> int:
    return t.request("GET", "/v1/catalog").json()["balance_fen"]


def sale(order_id: str, product_id: str, code_ids: list[str], unit: int = 1000, total: int | None = None,
         **extra) -> dict:
    return {"order_id": order_id, "number": "T-1", "kind": "sale", "created_at": "2026-11-23T03:00:00.000000Z",
            "payment_method": "cash", "lines": [{"product_id": product_id, "quantity": len(code_ids),
                                                 "unit_price_fen": unit, "code_ids": code_ids}],
            "total_fen": unit * len(code_ids) if total is None else total, **extra}


def test_pairing_code_works_once(harness) -> None:
    code = harness.pairing_code()
    t = harness.pair(code)
    assert t.terminal_id and len(t.secret) > 30 and t.prefix.isupper()
    again = httpx.post(harness.url + "/v1/pair", json={"pairing_code": code, "device_name": "x"})
    assert again.status_code == 403 and again.json()["error"]["code"] == "pairing_code_invalid"


def test_signing_rejections(harness) -> None:
    t = harness.pair()
    assert t.request("GET", "/v1/catalog").status_code == 200
    bad = t.request("GET", "/v1/catalog", secret="not-the-secret")
    assert (bad.status_code, bad.json()["error"]["code"]) == (401, "bad_signature")
    t.clock_offset = -301
    skew = t.request("GET", "/v1/catalog")
    assert (skew.status_code, skew.json()["error"]["code"]) == (401, "clock_skew")
    t.clock_offset = 0
    nonce = "n" * 32
    assert t.request("GET", "/v1/catalog", nonce=nonce).status_code == 200
    replay = t.request("GET", "/v1/catalog", nonce=nonce)
    assert (replay.status_code, replay.json()["error"]["code"]) == (401, "replayed_nonce")
    unsigned = httpx.get(harness.url + "/v1/catalog")
    assert unsigned.status_code == 401
    # A body changed in transit no longer matches its signature.
    tampered = t.request("POST", "/v1/restock", raw=json.dumps(
        {"request_id": "r1", "product_id": "qb10", "quantity": 1}).encode())
    assert tampered.status_code == 200
    from kameng_platform import terminals
    engine = harness.engine()
    with engine.begin() as conn:
        terminals.revoke(conn, t.terminal_id)
    engine.dispose()
    revoked = t.request("GET", "/v1/catalog")
    assert (revoked.status_code, revoked.json()["error"]["code"]) == (401, "terminal_revoked")


def test_catalog_prices_are_integer_fen_for_the_tier(harness) -> None:
    t = harness.pair()
    body = t.request("GET", "/v1/catalog").json()
    qb10 = next(p for p in body["products"] if p["id"] == "qb10")
    assert qb10["price_fen"] == 960 and qb10["suggested_retail_fen"] == 1000
    assert all(isinstance(p["price_fen"], int) for p in body["products"])
    assert body["balance_fen"] == ledger_sum(harness) == 500_000


def test_restock_charges_once_and_replays(harness) -> None:
    t = harness.pair()
    req = {"request_id": str(uuid.uuid4()), "product_id": "qb10", "quantity": 3}
    first = t.request("POST", "/v1/restock", req).json()
    assert len(first["codes"]) == 3 and first["charged_fen"] == 3 * 960
    assert first["balance_fen"] == 500_000 - 2880 == ledger_sum(harness)
    again = t.request("POST", "/v1/restock", req).json()
    assert again["codes"] == first["codes"] and ledger_sum(harness) == 500_000 - 2880
    other = t.request("POST", "/v1/restock", {**req, "quantity": 4})
    assert (other.status_code, other.json()["error"]["code"]) == (409, "idempotency_conflict")


def test_restock_refusals_write_nothing(harness) -> None:
    t = harness.pair()
    too_many = t.request("POST", "/v1/restock", {"request_id": "a" * 10, "product_id": "qb10", "quantity": 21})
    assert (too_many.status_code, too_many.json()["error"]["code"]) == (409, "out_of_stock")
    unknown = t.request("POST", "/v1/restock", {"request_id": "b" * 10, "product_id": "nope", "quantity": 1})
    assert unknown.json()["error"]["code"] == "unknown_product"
    topup = t.request("POST", "/v1/restock", {"request_id": "c" * 10, "product_id": "hf50", "quantity": 1})
    assert topup.json()["error"]["code"] == "unknown_product"
    assert ledger_sum(harness) == 500_000
    # Drain the balance, then a restock is refused for money.
    engine = harness.engine()
    from kameng_platform import ledger as ledger_mod
    with engine.begin() as conn:
        ledger_mod.post(conn, harness.reseller_id, -499_500, "adjust", "test")
    engine.dispose()
    poor = t.request("POST", "/v1/restock", {"request_id": "d" * 10, "product_id": "qb100", "quantity": 1})
    assert (poor.status_code, poor.json()["error"]["code"]) == (402, "insufficient_balance")
    assert ledger_sum(harness) == 500 == catalog_balance(t)


def test_order_push_accept_duplicate_conflict_reject(harness) -> None:
    t, other = harness.pair(), harness.pair()
    mine = t.request("POST", "/v1/restock", {"request_id": "r" * 10, "product_id": "qb10", "quantity": 4}).json()
    theirs = other.request("POST", "/v1/restock", {"request_id": "s" * 10, "product_id": "qb10",
                                                   "quantity": 1}).json()
    ids = [c["id"] for c in mine["codes"]]
    ok = sale("o-1", "qb10", ids[:2])
    batch = [ok, sale("o-2", "qb10", [theirs["codes"][0]["id"]]), sale("o-3", "qb10", ids[2:3], total=1),
             sale("o-4", "qb10", ids[:1])]
    results = t.request("POST", "/v1/orders/batch", {"orders": batch}).json()["results"]
    assert [r["status"] for r in results] == ["accepted", "rejected", "rejected", "rejected"]
    assert "not assigned to this terminal" in results[1]["reason"]
    assert "does not equal" in results[2]["reason"]
    assert "sold" in results[3]["reason"]
    replay = t.request("POST", "/v1/orders/batch", {"orders": [ok, {**ok, "number": "T-2"}]}).json()["results"]
    assert [r["status"] for r in replay] == ["duplicate", "conflict"]
    engine = harness.engine()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).where(codes.c.state == "sold")).scalar() == 2
        assert conn.execute(select(func.count()).select_from(orders)).scalar() == 4
    engine.dispose()


def test_topup_charges_balance_and_feeds_status(harness) -> None:
    t = harness.pair()
    cursor = t.request("GET", "/v1/catalog").json()["cursor"]
    order = {"order_id": "top-1", "number": "T-9", "kind": "topup", "created_at": "2026-11-23T03:00:00.000000Z",
             "payment_method": "cash", "lines": [{"product_id": "hf50", "quantity": 1, "unit_price_fen": 5000}],
             "total_fen": 5000, "topup": {"account": "13812345678"}}
    [result] = t.request("POST", "/v1/orders/batch", {"orders": [order]}).json()["results"]
    assert result["status"] == "accepted"
    assert ledger_sum(harness) == 500_000 - 4950 == catalog_balance(t)
    changes = t.request("GET", f"/v1/changes?cursor={cursor}").json()
    types = [(c["type"], c["data"].get("topup_state")) for c in changes["changes"]]
    assert ("order_status", "queued") in types and ("balance", None) in types
    assert changes["next_cursor"] > cursor and not changes["has_more"]


def test_changes_feed_pages_by_cursor_and_scopes_by_reseller(harness) -> None:
    t = harness.pair()
    seen, cursor = [], 0
    while True:
        page = t.request("GET", f"/v1/changes?cursor={cursor}&limit=5").json()
        seen += [c["seq"] for c in page["changes"]]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) >= 12  # the seeded products at least
    product = next(c for c in t.request("GET", "/v1/changes?cursor=0&limit=500").json()["changes"]
                   if c["type"] == "product")
    assert isinstance(product["data"]["price_fen"], int)


def test_bad_input_gets_4xx_and_writes_nothing(harness) -> None:
    t = harness.pair()
    before = ledger_sum(harness)
    cases = [
        t.request("POST", "/v1/restock", raw=b"{not json"),
        t.request("POST", "/v1/restock", {"request_id": "x" * 10, "product_id": "qb10", "quantity": "3"}),
        t.request("POST", "/v1/restock", {"request_id": "x" * 10, "product_id": "qb10", "quantity": -1}),
        t.request("POST", "/v1/orders/batch", {"orders": [sale("n-1", "qb10", ["c"], unit=-5)]}),
        t.request("POST", "/v1/orders/batch", {"orders": [sale("n-2", "qb10", ["c"], unit=10**12)]}),
        t.request("POST", "/v1/orders/batch", {"orders": [sale(f"m-{i}", "qb10", ["c"]) for i in range(201)]}),
        t.request("POST", "/v1/restock", raw=b"{" + b" " * (1024 * 1024 + 10) + b"}"),
    ]
    statuses = [(r.status_code, r.json()["error"]["code"]) for r in cases]
    assert statuses[:5] == [(400, "bad_request")] * 5
    assert statuses[5] == (413, "batch_too_large")
    assert statuses[6] == (413, "body_too_large")
    assert ledger_sum(harness) == before
    engine = harness.engine()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(orders)).scalar() == 0
    engine.dispose()


def test_void_returns_codes_to_the_terminal(harness) -> None:
    t = harness.pair()
    got = t.request("POST", "/v1/restock", {"request_id": "v" * 10, "product_id": "qb10", "quantity": 1}).json()
    code_id = got["codes"][0]["id"]
    t.request("POST", "/v1/orders/batch", {"orders": [sale("sv-1", "qb10", [code_id])]})
    voided = t.request("POST", "/v1/orders/sv-1/void", {"voided_at": "2026-11-23T04:00:00Z"}).json()
    assert voided == {"order_id": "sv-1", "status": "voided", "codes_returned": 1}
    again = t.request("POST", "/v1/orders/sv-1/void", {"voided_at": "2026-11-23T04:00:00Z"}).json()
    assert again["codes_returned"] == 0
    [resold] = t.request("POST", "/v1/orders/batch", {"orders": [sale("sv-2", "qb10", [code_id])]}).json()["results"]
    assert resold["status"] == "accepted"


def test_pairing_code_expires(harness, monkeypatch) -> None:
    from kameng_platform import clock

    code = harness.pairing_code()  # valid for an hour
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + 3601)
    late = httpx.post(harness.url + "/v1/pair", json={"pairing_code": code, "device_name": "x"})
    assert (late.status_code, late.json()["error"]["code"]) == (403, "pairing_code_invalid")


def test_one_code_on_two_lines_of_an_order_is_rejected_and_sells_nothing(harness) -> None:
    t = harness.pair()
    got = t.request("POST", "/v1/restock", {"request_id": "w" * 10, "product_id": "qb10", "quantity": 2}).json()
    first, second = (c["id"] for c in got["codes"])
    balance = ledger_sum(harness)
    twice = sale("tw-1", "qb10", [first])
    twice["lines"].append({**twice["lines"][0]})  # the same code id again, on a second line
    twice["total_fen"] = 2000
    ok = sale("tw-2", "qb10", [second])
    results = t.request("POST", "/v1/orders/batch", {"orders": [twice, ok]}).json()["results"]
    assert [r["status"] for r in results] == ["rejected", "accepted"]
    assert "appears twice" in results[0]["reason"] and results[0]["total_fen"] is None
    engine = harness.engine()
    with engine.connect() as conn:
        state = conn.execute(select(codes.c.state, codes.c.order_id).where(codes.c.id == first)).one()
        stored = conn.execute(select(orders.c.status, orders.c.total_fen).where(orders.c.order_id == "tw-1")).one()
    engine.dispose()
    assert tuple(state) == ("assigned", None)  # still this terminal's to sell, once
    assert tuple(stored) == ("rejected", None)  # nothing counted as sold in the reseller's reports
    assert ledger_sum(harness) == balance == catalog_balance(t)
    [resold] = t.request("POST", "/v1/orders/batch", {"orders": [sale("tw-3", "qb10", [first])]}).json()["results"]
    assert resold["status"] == "accepted"
