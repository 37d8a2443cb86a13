"""The owner attaches a barcode to a product by scanning it: audited, winning over the platform's, one product per
code, kept across catalog updates; and a scanner's key burst is told from typing."""

from __future__ import annotations

import dataclasses

import pytest

from kameng_desk.usecases.barcodes import BarcodeTakenError, InvalidBarcodeError, ScanTracker, attach_barcode
from kameng_desk.usecases.errors import NotOwnerError
from kameng_desk.usecases.search import ProductIndex
from kameng_desk.usecases.syncing import product_from_wire
from local_cache import Store, audit, catalog
from tests.factories import QB10, WY50, make_staff, seed_catalog


@pytest.fixture
def shop(tmp_path):
    store = Store.open(tmp_path)
    seed_catalog(store, stock=1)
    yield store, make_staff(store, "店长", "owner", "8888"), make_staff(store, "小李", "cashier", "1234")
    store.close()


def test_attached_code_wins_is_audited_and_survives_a_catalog_update(shop) -> None:
    store, owner, cashier = shop
    done = attach_barcode(store, staff_id=cashier.id, approver_id=owner.id, product_id=WY50.id, code=" 6923450657713 ")
    assert done.scan_code == "6923450657713" and done.barcode is None
    [entry] = audit.entries(store.conn(), limit=1)
    assert (entry.action, entry.subject, entry.approver_id) == ("barcode_attach", WY50.id, owner.id)
    assert entry.detail == {"barcode": "6923450657713", "previous": None}
    # The platform's code for QB10 gives way to the owner's, and a platform update does not undo it.
    attach_barcode(store, staff_id=cashier.id, approver_id=owner.id, product_id=QB10.id, code="QB10-SHELF")
    with store.transaction() as conn:
        catalog.upsert_product(conn, dataclasses.replace(QB10, name="Q币 10元", barcode="6900000000027"))
    index = ProductIndex(catalog.products(store.conn()))
    assert index.by_barcode("QB10-SHELF").id == QB10.id and index.by_barcode("6900000000027") is None
    assert catalog.by_barcode(store.conn(), "QB10-SHELF").name == "Q币 10元"
    assert catalog.by_barcode(store.conn(), "6923450657713").id == WY50.id


def test_one_code_one_product_and_only_the_owner(shop) -> None:
    store, owner, cashier = shop
    with pytest.raises(BarcodeTakenError) as taken:  # QB10's platform code
        attach_barcode(store, staff_id=cashier.id, approver_id=owner.id, product_id=WY50.id, code="6900000000010")
    assert taken.value.product_name == QB10.name
    attach_barcode(store, staff_id=cashier.id, approver_id=owner.id, product_id=WY50.id, code="WY50")
    with pytest.raises(BarcodeTakenError):  # an attached one
        attach_barcode(store, staff_id=cashier.id, approver_id=owner.id, product_id=QB10.id, code="WY50")
    for bad in ("", "WY 50", "条码", "9" * 33):
        with pytest.raises(InvalidBarcodeError):
            attach_barcode(store, staff_id=cashier.id, approver_id=owner.id, product_id=QB10.id, code=bad)
    with pytest.raises(NotOwnerError):
        attach_barcode(store, staff_id=cashier.id, approver_id=cashier.id, product_id=QB10.id, code="QB10")
    assert catalog.get(store.conn(), QB10.id).scan_code == "6900000000010"  # nothing changed by a refusal
    assert [e.action for e in audit.entries(store.conn(), limit=10)].count("barcode_attach") == 1


def test_the_catalogs_barcode_reaches_the_store() -> None:
    wire = {"id": "qb10", "category_id": "qq", "name": "Q币 10元", "kind": "card", "face_value_fen": 1000,
            "price_fen": 960, "suggested_retail_fen": 1000, "active": True, "account_rule": None, "redeem_hint": "",
            "redeem_url": None, "barcode": "6901234567892"}
    assert product_from_wire(wire).barcode == "6901234567892"


def test_a_scanner_burst_is_not_typing() -> None:
    tracker = ScanTracker()
    for at in (0.0, 0.3, 0.55):  # a person: "qb1"
        tracker.key(at)
    assert tracker.burst_length() == 0 and not tracker.is_scan()
    for n in range(13):  # then a scanner: 13 keys 8 ms apart
        tracker.key(1.0 + n * 0.008)
    assert tracker.burst_length() == 13 and tracker.is_scan()
    tracker.reset()
    for n in range(3):
        tracker.key(n * 0.008)
    assert not tracker.is_scan()  # three quick keys are no code
