"""The operator's command line: products, code import, pairing, ledger and a reconciliation that balances."""

from __future__ import annotations

import json
import secrets

import pytest

from kameng_platform.cli import main


@pytest.fixture
def env_key(monkeypatch):
    monkeypatch.setenv("KAMENG_PLATFORM_KEY", secrets.token_hex(32))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_operator_day_reconciles_to_the_ledger(db_url, env_key, tmp_path, capsys) -> None:
    db = ("--db", db_url)
    code, out, _ = run(capsys, "create-reseller", *db, "--name", "阿明代理")
    reseller = out.strip()
    assert code == 0 and reseller.startswith("r_")
    assert run(capsys, "credit", *db, "--reseller", reseller, "--fen", "100000", "--reference", "bank-1")[0] == 0
    assert run(capsys, "credit", *db, "--reseller", reseller, "--fen", "-5", "--reference", "bank-2")[0] == 1
    assert run(capsys, "category", *db, "--id", "qq", "--name", "Q币", "--kind", "card")[0] == 0
    assert run(capsys, "product", *db, "--id", "qb10", "--category", "qq", "--name", "Q币10元", "--kind", "card",
               "--face-fen", "1000", "--retail-fen", "1000", "--price", "standard=960")[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("QB00000001,SECRETAAAA01\nQB00000001,SECRETAAAA02\n", encoding="utf-8")
    code, _, err = run(capsys, "import-codes", *db, "--product", "qb10", str(bad))
    assert code == 1 and "line 2: duplicate of line 1" in err and "nothing imported" in err
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("卡号,卡密\n".encode("gbk"))
    code, _, err = run(capsys, "import-codes", *db, "--product", "qb10", str(gbk))
    assert code == 1 and "UTF-8" in err
    good = tmp_path / "good.csv"
    good.write_text("卡号,卡密,有效期\n" + "".join(f"QB{n:08d},SECRET{n:06d}X,2099-12-31\n" for n in range(10)),
                    encoding="utf-8-sig")
    assert run(capsys, "import-codes", *db, "--product", "qb10", str(good))[1].strip() == "imported 10 codes"
    code, pairing, _ = run(capsys, "create-pairing-code", *db, "--reseller", reseller)
    assert code == 0 and len(pairing.strip()) == 14

    # Money moves through the API too: a restock by a paired terminal.
    from kameng_platform import admin, restock, terminals
    from kameng_platform.crypto import Sealer
    from kameng_platform.db import make_engine
    from kameng_platform.settings import load_server_key

    sealer = Sealer(load_server_key(None))
    engine = make_engine(db_url)
    with engine.begin() as conn:
        paired = terminals.pair(conn, sealer, pairing.strip(), "T1")
        terminal = terminals.Terminal(paired["terminal_id"], reseller, "standard", "T1")
        restock.restock(conn, sealer, terminal, "req-1", "qb10", 4)
        admin.revoke_code(conn, conn.exec_driver_sql("SELECT id FROM codes WHERE state = 'stock' LIMIT 1").scalar())
    engine.dispose()

    code, out, _ = run(capsys, "ledger", *db, "--reseller", reseller)
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["amount_fen"] for r in rows] == [100000, -3840]
    code, out, _ = run(capsys, "reconcile", *db, "--reseller", reseller)
    [day] = [json.loads(line) for line in out.splitlines()]
    assert day["credit"] == 100000 and day["restock"] == -3840
    assert day["movement"] == sum(r["amount_fen"] for r in rows)
    code, out, _ = run(capsys, "terminals", *db)
    assert json.loads(out.splitlines()[0])["id"] == paired["terminal_id"]
    assert run(capsys, "revoke-terminal", *db, paired["terminal_id"])[0] == 0


def test_missing_server_key_is_a_clear_error(monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.delenv("KAMENG_PLATFORM_KEY", raising=False)
    code, _, err = run(capsys, "seed-demo", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 1 and "new-key" in err


def test_product_barcode_is_checked_unique_and_clearable(db_url, env_key, capsys) -> None:
    from sqlalchemy import select

    from kameng_platform import catalog
    from kameng_platform.db import make_engine
    from kameng_platform.schema import products

    db = ("--db", db_url)
    assert run(capsys, "category", *db, "--id", "qq", "--name", "Q币", "--kind", "card")[0] == 0

    def product(pid: str, *barcode: str) -> tuple[int, str, str]:
        return run(capsys, "product", *db, "--id", pid, "--category", "qq", "--name", pid, "--kind", "card",
                   "--face-fen", "1000", "--retail-fen", "1000", "--price", "standard=960", *barcode)

    def barcodes() -> dict[str, str | None]:
        engine = make_engine(db_url)
        with engine.connect() as conn:
            rows = dict(conn.execute(select(products.c.id, products.c.barcode)).all())
            assert {p["id"]: p["barcode"] for p in catalog.product_view(conn, "standard")} == rows  # on the wire
        engine.dispose()
        return rows

    assert product("qb10", "--barcode", " 6901234567892 ")[0] == 0
    assert product("qb100")[0] == 0
    assert barcodes() == {"qb10": "6901234567892", "qb100": None}
    code, _, err = product("qb100", "--barcode", "6901234567892")
    assert code == 1 and "already on product qb10" in err
    code, _, err = product("qb100", "--barcode", "6901234567893")
    assert code == 1 and "check) digit should be 2" in err
    for bad in ("QB 100", "条码123", "x" * 33):
        code, _, err = product("qb100", "--barcode", bad)
        assert code == 1 and "1-32 printable ASCII" in err, bad
    assert barcodes() == {"qb10": "6901234567892", "qb100": None}  # nothing half-written by a refusal
    assert product("qb10")[0] == 0  # re-stating the product without --barcode keeps its code
    assert product("qb100", "--barcode", "QB-100/CODE128")[0] == 0
    assert product("qb100", "--barcode", "96385074")[0] == 0  # EAN-8 replaces the Code128
    assert barcodes() == {"qb10": "6901234567892", "qb100": "96385074"}
    assert product("qb10", "--barcode", "")[0] == 0
    assert product("qb100", "--barcode", "6901234567892")[0] == 0  # free again once cleared
    assert barcodes() == {"qb10": None, "qb100": "6901234567892"}
