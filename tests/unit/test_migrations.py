"""Every earlier schema version migrates forward to the latest, keeping its data."""

from __future__ import annotations

from pathlib import Path

import pytest

from local_cache import Store, migrations
from local_cache.connection import DatabaseError, open_connection
from local_cache.errors import MigrationError, SchemaTooNewError
from local_cache.keystore import Secrets
from local_cache.store import read_or_create_store_id


def db_at_version(folder: Path, version: int) -> None:
    """A database as an older app version left it (its key in the keyring)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = bytes(range(32))
    Secrets(read_or_create_store_id(folder)).set_db_key(key)
    conn = open_connection(folder / "kameng.db", key)
    migrations.migrate(conn, target=version)
    if version >= 1:
        conn.execute("INSERT INTO settings(key, value) VALUES ('shop_name', '\"老王网吧\"')")
    conn.close()


@pytest.mark.parametrize("version", range(migrations.LATEST))
def test_migrates_from_every_earlier_version(tmp_path: Path, version: int) -> None:
    db_at_version(tmp_path, version)
    store = Store.open(tmp_path)
    conn = store.conn()
    assert migrations.current_version(conn) == migrations.LATEST
    assert store.integrity_check() == "ok"
    if version >= 1:
        assert conn.execute("SELECT value FROM settings WHERE key = 'shop_name'").fetchone()[0] == '"老王网吧"'
    store.close()


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    db_at_version(tmp_path, migrations.LATEST)
    conn = open_connection(tmp_path / "kameng.db", bytes(range(32)))
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match="newer version"):
        Store.open(tmp_path)


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch) -> None:
    db_at_version(tmp_path, 0)

    def broken(conn):
        conn.execute("CREATE TABLE half_done(x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.Migration(1, "broken", broken)])
    with pytest.raises(MigrationError, match="rolled back"):
        Store.open(tmp_path)
    conn = open_connection(tmp_path / "kameng.db", bytes(range(32)))
    assert migrations.current_version(conn) == 0
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    conn.close()


def test_print_jobs_failed_before_version_3_still_print_as_copies(tmp_path: Path) -> None:
    """Before 3 a retry made a failed job a copy (it might be partly on paper); the upgrade keeps that promise."""
    from local_cache import print_jobs

    db_at_version(tmp_path, 2)
    conn = open_connection(tmp_path / "kameng.db", bytes(range(32)))
    failed = print_jobs.enqueue(conn, "card_slip", "counter", b"slip")
    queued = print_jobs.enqueue(conn, "card_slip", "counter", b"slip")
    conn.execute("UPDATE print_jobs SET state = 'failed' WHERE id = ?", (failed.id,))
    conn.close()
    store = Store.open(tmp_path)
    assert print_jobs.get(store.conn(), failed.id).is_copy
    assert not print_jobs.get(store.conn(), queued.id).is_copy
    store.close()


def test_sales_whose_card_slips_went_to_the_printer_before_version_5_count_as_handed_over(tmp_path: Path) -> None:
    """Before 5 printing did not record the hand-over: a slip that printed, was cut off, or failed partly printed
    counts now (the customer may have it); one that never left, or failed before a byte was sent, does not."""
    from kameng_desk.usecases.handover import CodesHandedOverError, void_sale
    from local_cache import codes, orders, print_jobs, staff
    from local_cache.orders import Order, OrderLine

    db_at_version(tmp_path, 4)  # the newest schema before 5
    conn = open_connection(tmp_path / "kameng.db", bytes(range(32)))
    owner = staff.create(conn, "老王", "owner", "2468")
    conn.execute("INSERT INTO categories(id, name, kind) VALUES ('c', '点卡', 'card')")
    conn.execute("INSERT INTO products(id, category_id, name, kind, face_value_fen, retail_price_fen, updated_at) "
                 "VALUES ('p', 'c', 'Q币10元', 'card', 1000, 1000, '2026-01-01')")
    slips = {"done": ("done", 0, 1), "cut_off": ("printing", 0, 1), "partly": ("failed", 1, 1),
             "queued": ("queued", 0, 0), "failed_before_sending": ("failed", 0, 1), "voided": ("queued", 0, 0)}
    ids, jobs = {}, {}
    for n, (name, (state, is_copy, attempts)) in enumerate(slips.items()):
        order = Order(f"o-{name}", f"KM-260101-{n:04d}", "sale", "voided" if name == "voided" else "fulfilled",
                      "cash", 1000, owner.id,
                      "2026-01-01T00:00:00.000000Z", (OrderLine("p", "Q币10元", 1, 1000),))
        orders.insert(conn, order)
        # Written as the version-4 schema holds a code (codes.add writes the newest schema's columns).
        conn.execute("INSERT INTO card_codes(id, product_id, card_no, card_secret, state, allocated_at) "
                     "VALUES (?, 'p', ?, ?, 'available', '2026-01-01')", (f"code-{name}", f"NO-{n}", f"SECRET-{n}"))
        codes.take(conn, "p", 1, order.id, product_name="Q币10元")
        job = print_jobs.enqueue(conn, "card_slip", "counter", b"slip", order_id=order.id)
        conn.execute("UPDATE print_jobs SET state = ?, is_copy = ?, attempts = ? WHERE id = ?",
                     (state, is_copy, attempts, job.id))
        ids[name], jobs[name] = order.id, job.id
    conn.close()

    store = Store.open(tmp_path)
    handed = {name: orders.codes_handed_over_at(store.conn(), oid) is not None for name, oid in ids.items()}
    assert handed == {"done": True, "cut_off": True, "partly": True, "queued": False, "failed_before_sending": False,
                      "voided": False}
    # A slip an old void left queued would print a code that may be another order's by now.
    assert print_jobs.get(store.conn(), jobs["voided"]).state == "cancelled"
    assert print_jobs.get(store.conn(), jobs["queued"]).state == "queued"
    with pytest.raises(CodesHandedOverError):
        void_sale(store, order_id=ids["done"], staff_id=owner.id, approver_id=owner.id)
    void_sale(store, order_id=ids["queued"], staff_id=owner.id, approver_id=owner.id)
    # The schema holds the rule for any writer, not only the use case.
    with pytest.raises(DatabaseError, match="cannot be voided"), store.transaction() as tx:
        tx.execute("UPDATE orders SET state = 'voided' WHERE id = ?", (ids["done"],))
    with pytest.raises(DatabaseError, match="stays with its order"), store.transaction() as tx:
        codes.return_unsold(tx, ids["done"])
    with pytest.raises(DatabaseError, match="cannot be voided"), store.transaction() as tx:
        tx.execute("UPDATE orders SET codes_handed_over_at = NULL WHERE id = ?", (ids["done"],))
    assert codes.for_order(store.conn(), ids["done"])[0].state == "sold"
    store.close()


# What version 8 stored as reasons: the English messages of the printing errors then, written out (not taken from
# printing/errors.py, whose words may change now that nothing stored depends on them).
V8_REASONS = {
    "Paper out: load a new roll; the slip prints by itself.": ("paper_out", {}),
    "Printer cover open: close it; the slip prints by itself.": ("cover_open", {}),
    "Printer error (cutter jam or overheating): switch the printer off and on.": ("fault", {}),
    "Printer offline: check that it is switched on and has paper.": ("offline", {}),
    "Printer not reachable at 192.168.1.50:9100: check the cable or network and that it is on.":
        ("unreachable", {"where": "192.168.1.50:9100"}),
    "No printer set up: choose one in 设置 → 打印机; slips wait until then.": ("no_printer", {}),
    "Connection lost while printing: check the slip, then retry (prints as COPY) or cancel.": ("interrupted", {}),
    "This slip cannot be printed (DataOverflowError); cancel it.": ("unprintable", {"error": "DataOverflowError"}),
    "Unknown printer connection 'bluetooth' (use network, usb, serial, win32, file).":
        ("settings", {"problem": "kind", "kind": "bluetooth", "kinds": "network, usb, serial, win32, file"}),
    "A network printer needs its IP address and a port (usually 9100).": ("settings", {"problem": "network"}),
    "A USB printer needs its vendor and product id (see the printer's label).": ("settings", {"problem": "usb"}),
    "The USB product id is four hex digits, e.g. 0416.": ("settings", {"problem": "usb_id", "what": "product"}),
    "Choose the printer's port or device.": ("settings", {"problem": "device"}),
    "Serial speed must be 9600, 19200, 38400, 57600 or 115200 baud.": ("settings", {"problem": "baud"}),
    "Timeout must be between 0.5 and 120 seconds.": ("settings", {"problem": "timeout"}),
    "The saved printer settings are damaged; set the printer up again.": ("settings", {"problem": "damaged"}),
    "Columns must be between 24 and 64.": ("settings", {"problem": "columns"}),
    "Dots must be a multiple of 8 between 192 and 832.": ("settings", {"problem": "dots"}),
    "Encoding must be one of gb18030, big5.": ("settings", {"problem": "encoding", "encodings": "gb18030, big5"}),
    "The cash drawer pin must be 2 or 5.": ("settings", {"problem": "drawer_pin"}),
    "/数据/小票 is not a printer device; slips are never written to ordinary files.":
        ("settings", {"problem": "not_a_device", "path": "/数据/小票"}),
    "Something a later release said.": ("unknown", {}),
}


def test_print_job_reasons_stored_as_english_before_version_9_become_codes(tmp_path: Path) -> None:
    """Before 9 a job kept its error's English message, which the panel matched to word it in Chinese: each old
    message becomes its code and fields; one no release wrote (or a release this table missed) becomes 'unknown'."""
    from local_cache import print_jobs
    from local_cache.print_jobs import JobReason

    db_at_version(tmp_path, 8)
    conn = open_connection(tmp_path / "kameng.db", bytes(range(32)))
    ids = {}
    for text in V8_REASONS:
        job = print_jobs.enqueue(conn, "sale_receipt", "counter", b"slip")
        conn.execute("UPDATE print_jobs SET last_error = ? WHERE id = ?", (text, job.id))
        ids[text] = job.id
    done = print_jobs.enqueue(conn, "sale_receipt", "counter", b"slip")
    conn.execute("UPDATE print_jobs SET state = 'done' WHERE id = ?", (done.id,))
    conn.close()

    store = Store.open(tmp_path)
    got = {text: print_jobs.get(store.conn(), job_id).reason for text, job_id in ids.items()}
    assert got == {text: JobReason(code, fields) for text, (code, fields) in V8_REASONS.items()}
    assert print_jobs.get(store.conn(), done.id).reason is None
    assert not store.conn().execute("SELECT count(*) FROM print_jobs WHERE reason LIKE '% %'").fetchone()[0]
    store.close()
