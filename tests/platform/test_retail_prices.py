"""The owner's retail price is the shop's: one counter sets it, every counter of that reseller (and no other)
hears of it through the feed, and the latest change wins however the deliveries arrive."""

from __future__ import annotations

from kameng_platform import admin, terminals
from kameng_platform.crypto import Sealer
from kameng_platform.schema import feed, retail_prices

T1, T2, T3 = "2026-12-01T10:00:00.000000Z", "2026-12-01T11:00:00.000000Z", "2026-12-01T12:00:00.000000Z"


def product_id(terminal) -> str:
    return terminal.request("GET", "/v1/catalog").json()["products"][0]["id"]


def retail_changes(terminal, cursor: int = 0) -> list[dict]:
    page = terminal.request("GET", f"/v1/changes?cursor={cursor}&limit=500").json()
    return [c["data"] for c in page["changes"] if c["type"] == "retail_price"]


def other_shop_terminal(harness):
    engine = harness.engine()
    with engine.begin() as conn:
        admin.create_reseller(conn, "月亮网吧", "standard", "reseller-moon")
        code = terminals.create_pairing_code(conn, Sealer(harness.settings.server_key), "reseller-moon", 3600)
    engine.dispose()
    return harness.pair(code, name="别家前台")


def put(terminal, pid: str, retail_fen: int | None, changed_at: str):
    return terminal.request("PUT", f"/v1/retail-prices/{pid}", {"retail_fen": retail_fen, "changed_at": changed_at})


def test_a_price_reaches_the_shops_other_counter_and_no_other_shop(harness) -> None:
    a, b = harness.pair(name="前台1号"), harness.pair(name="前台2号")
    stranger = other_shop_terminal(harness)
    pid = product_id(a)
    reply = put(a, pid, 1234, T1)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"product_id": pid, "retail_fen": 1234, "changed_at": T1, "status": "applied"}
    assert retail_changes(b) == [{"product_id": pid, "retail_fen": 1234}]
    assert retail_changes(stranger) == []
    # A counter loaded afterwards (a fresh pairing) gets the price with the catalog, not only from the feed.
    assert b.request("GET", "/v1/catalog").json()["retail_prices"] == [{"product_id": pid, "retail_fen": 1234}]
    assert stranger.request("GET", "/v1/catalog").json()["retail_prices"] == []

    reset = put(b, pid, None, T2)
    assert reset.json()["status"] == "applied" and reset.json()["retail_fen"] is None
    assert retail_changes(a)[-1] == {"product_id": pid, "retail_fen": None}
    assert a.request("GET", "/v1/catalog").json()["retail_prices"] == []


def test_replay_is_idempotent_and_the_latest_change_wins(harness) -> None:
    a, b = harness.pair(), harness.pair()
    pid = product_id(a)
    assert put(a, pid, 1500, T2).json()["status"] == "applied"
    replay = put(a, pid, 1500, T2)
    assert replay.status_code == 200 and replay.json()["status"] == "duplicate"
    # An older change arriving late (a counter that was offline) loses and is told the shop's price.
    late = put(b, pid, 900, T1).json()
    assert late == {"product_id": pid, "retail_fen": 1500, "changed_at": T2, "status": "superseded"}
    # So does an older price after a newer reset: the reset's row keeps when it happened.
    assert put(a, pid, None, T3).json()["status"] == "applied"
    assert put(b, pid, 700, T2).json() == {"product_id": pid, "retail_fen": None, "changed_at": T3,
                                           "status": "superseded"}
    # The same instant with another price: the later request the server receives wins.
    assert put(b, pid, 800, T3).json()["status"] == "applied"
    assert retail_changes(b) == [{"product_id": pid, "retail_fen": 1500}, {"product_id": pid, "retail_fen": None},
                                 {"product_id": pid, "retail_fen": 800}]  # the replay and the losers: no entry


def test_bad_bodies_are_400_and_write_nothing(harness) -> None:
    a = harness.pair()
    pid = product_id(a)
    engine = harness.engine()
    with engine.connect() as conn:
        feed_before = conn.execute(feed.select()).all()
    for body in ({"retail_fen": 0, "changed_at": T1}, {"retail_fen": -5, "changed_at": T1},
                 {"retail_fen": "12", "changed_at": T1}, {"retail_fen": 12.5, "changed_at": T1},
                 {"retail_fen": 100_000_001, "changed_at": T1}, {"retail_fen": 100, "changed_at": "yesterday"},
                 {"retail_fen": 100, "changed_at": "2026-13-01T10:00:00.000000Z"},
                 {"retail_fen": 100, "changed_at": "2026-12-01T10:00:00Z"}, {"retail_fen": 100},
                 {"changed_at": T1}, {"retail_fen": 100, "changed_at": T1, "extra": 1}, [1], "x"):
        reply = a.request("PUT", f"/v1/retail-prices/{pid}", body)
        assert reply.status_code == 400, (body, reply.text)
        assert reply.json()["error"]["code"] == "bad_request"
    assert a.request("PUT", "/v1/retail-prices/no-such-product", {"retail_fen": 100, "changed_at": T1}
                     ).status_code == 404
    assert a.request("PUT", "/v1/retail-prices/bad%00id", {"retail_fen": 100, "changed_at": T1}
                     ).status_code in (400, 404)
    with engine.connect() as conn:
        assert conn.execute(retail_prices.select()).all() == []
        assert conn.execute(feed.select()).all() == feed_before
    engine.dispose()
