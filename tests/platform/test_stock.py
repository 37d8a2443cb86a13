"""Stock: concurrent allocation never gives a code twice; CSV import all-or-nothing; codes encrypted at rest."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from kameng_platform import admin
from kameng_platform.crypto import Sealer
from kameng_platform.schema import codes, ledger


def test_concurrent_restocks_never_share_a_code(harness) -> None:
    terminals = [harness.pair(name=f"T{i}") for i in range(8)]
    requests = [(t, {"request_id": f"req-{i}-{n}", "product_id": "wy50", "quantity": 3})
                for i, t in enumerate(terminals) for n in range(2)]
    # Each request is also delivered twice, concurrently, as a retrying desk would.
    work = requests + requests
    with ThreadPoolExecutor(max_workers=16) as pool:
        replies = list(pool.map(lambda tr: tr[0].request("POST", "/v1/restock", tr[1]), work))
    ok = [r.json() for r in replies if r.status_code == 200]
    refused = [r.json()["error"]["code"] for r in replies if r.status_code != 200]
    assert set(refused) <= {"out_of_stock"}
    by_request: dict[str, set[str]] = {}
    for body in ok:
        ids = {c["id"] for c in body["codes"]}
        assert by_request.setdefault(body["request_id"], ids) == ids  # a replay gets the same codes
    all_ids = [code for ids in by_request.values() for code in ids]
    assert len(all_ids) == len(set(all_ids)), "a code was given to two requests"
    assert len(all_ids) == 3 * len(by_request) <= 20
    engine = harness.engine()
    with engine.connect() as conn:
        assigned = conn.execute(select(func.count()).where(codes.c.state == "assigned")).scalar()
        charged = -conn.execute(select(func.sum(ledger.c.amount_fen)).where(ledger.c.reason == "restock")).scalar()
    engine.dispose()
    assert assigned == len(all_ids)
    assert charged == len(all_ids) * 4750  # each request charged once, for exactly its codes


def test_csv_import_is_all_or_nothing_with_line_numbers(harness) -> None:
    engine = harness.engine()
    sealer = Sealer(harness.settings.server_key)
    garbled = "card_no,card_secret\nAB12345678,SECRET111111\nbad line only\nAB12345678,DUPSECRET22\n" \
              "CD1234,x!\nEF12345678,SECRET333333,2001-01-01\nGH12345678,SECRET444444,31/12/2030\n"
    with engine.begin() as conn:
        before = conn.execute(select(func.count()).select_from(codes)).scalar()
        report = admin.import_codes(conn, sealer, "qb30", garbled)
        assert not report.ok and report.imported == 0
        assert [line for line, _ in report.errors] == [3, 4, 5, 6, 7]
        assert "duplicate of line 2" in dict(report.errors)[4]
        assert conn.execute(select(func.count()).select_from(codes)).scalar() == before
        assert all("SECRET" not in reason and "AB1234" not in reason for _, reason in report.errors)
        good = admin.import_codes(conn, sealer, "qb30", "ZZ00000001,GOODSECRET01\nZZ00000002,GOODSECRET02,2099-01-01\n")
        assert good.ok and good.imported == 2
        again = admin.import_codes(conn, sealer, "qb30", "ZZ00000001,OTHER0000001\n")
        assert again.errors == [(1, "this card number is already in stock")]
    engine.dispose()


def test_codes_and_terminal_secrets_are_encrypted_at_rest(tmp_path: Path) -> None:
    from tests.platform.client import PlatformHarness

    db = tmp_path / "p.db"
    h = PlatformHarness.start(f"sqlite:///{db}")
    try:
        t = h.pair()
        got = t.request("POST", "/v1/restock", {"request_id": "e" * 10, "product_id": "qb10", "quantity": 2}).json()
    finally:
        h.stop()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("p.db"))
    for code in got["codes"]:
        assert code["card_secret"].encode() not in raw and code["card_no"].encode() not in raw
    assert t.secret.encode() not in raw
    assert len(got["codes"]) == 2
