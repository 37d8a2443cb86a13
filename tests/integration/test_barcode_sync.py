"""A barcode the operator sets with the command line reaches the desk through the changes feed, and a scan of it
finds the product; clearing it there clears it here, while a code the owner attached at the counter stays."""

from __future__ import annotations

import os
import subprocess
import sys

from kameng_desk.usecases.barcodes import attach_barcode
from kameng_desk.usecases.search import ProductIndex
from local_cache import catalog, staff


def operator(platform, *argv: str) -> subprocess.CompletedProcess:
    """`kameng-platform product ...` as the operator runs it: its own process on the platform's database."""
    env = {**os.environ, "KAMENG_PLATFORM_KEY": platform.settings.server_key.hex()}
    return subprocess.run([sys.executable, "-m", "kameng_platform.cli", "product", "--db", platform.settings.db_url,
                           "--category", "qq", "--kind", "card", "--face-fen", "1000", "--retail-fen", "1000",
                           "--price", "standard=960", *argv], env=env, capture_output=True, text=True, timeout=60)


def test_operator_barcode_reaches_the_desk(desk, platform) -> None:
    store, engine = desk
    engine.sync_once()
    assert catalog.get(store.conn(), "qb10").barcode is None
    done = operator(platform, "--id", "qb10", "--name", "Q币 10元", "--barcode", "6901234567892")
    assert done.returncode == 0, done.stderr
    refused = operator(platform, "--id", "qb30", "--name", "Q币 30元", "--barcode", "6901234567892")
    assert refused.returncode == 1 and "already on product qb10" in refused.stderr
    engine.sync_once()
    index = ProductIndex(catalog.products(store.conn()))
    assert index.pick("6901234567892", scanned=True).id == "qb10"

    with store.transaction() as conn:
        owner = staff.create(conn, "店长", "owner", "8888")
    attach_barcode(store, staff_id=owner.id, approver_id=owner.id, product_id="qb30", code="QB30")
    assert operator(platform, "--id", "qb10", "--name", "Q币 10元", "--barcode", "").returncode == 0
    assert operator(platform, "--id", "qb30", "--name", "Q币 30元", "--barcode", "6901234567892").returncode == 0
    engine.sync_once()
    index = ProductIndex(catalog.products(store.conn()))
    assert catalog.get(store.conn(), "qb10").barcode is None and index.by_barcode("QB30").id == "qb30"
    assert index.by_barcode("6901234567892") is None  # qb30's attached code wins over its new platform code
