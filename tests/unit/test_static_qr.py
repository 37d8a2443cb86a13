"""The shop's static collection QR: stored in the real encrypted store (text or image bytes, validated), and
the sale confirmed with it recorded exactly as a cash sale is, plus the cashier's 收到款项."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kameng_desk.usecases import static_qr
from kameng_desk.usecases.errors import NotOwnerError
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.static_qr import (
    DamagedStaticQrError,
    InvalidStaticQrTextError,
    NoStaticQrError,
    NotAnImageError,
    StaticQrTooLargeError,
)
from local_cache import Store, audit, codes, orders, outbox, settings
from local_cache.errors import OutOfStockError
from tests.factories import QB10, WY50, make_staff, seed_catalog

WECHAT_CODE = "wxp://f2f0Hq3kYvQm3HWhWkz9r2pBqFj3gXyC7d1e"


def picture(fmt: str = "PNG", size: tuple[int, int] = (200, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, 255).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=3)
    yield s
    s.close()


@pytest.fixture
def people(store):
    return make_staff(store, "老王", "owner", "2468"), make_staff(store, "小李", "cashier", "1357")


def with_text_qr(store, owner) -> None:
    static_qr.save(store, static_qr.text_qr(WECHAT_CODE), staff_id=owner.id, approver_id=owner.id)


def counts(store) -> tuple[int, int, int]:
    conn = store.conn()
    return orders.count(conn), outbox.pending_count(conn), len(audit.entries(conn))


def test_static_sale_is_recorded_like_a_cash_sale(store, people) -> None:
    owner, cashier = people
    with_text_qr(store, owner)
    cash = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)])
    before = counts(store)
    sale = static_qr.confirm_static_payment(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1),
                                                                                CartLine(WY50.id, 1)])
    conn = store.conn()
    order = orders.get(conn, sale.order.id)
    assert (order.payment_method, order.state, order.total_fen) == ("qr_static", "fulfilled", 1000 + 5000)
    assert order.cash_received_fen is None and order.change_fen is None
    assert sorted(c.state for c in codes.for_order(conn, order.id)) == ["sold", "sold"] and len(sale.codes) == 2
    # One order, one outbox row, the sale's audit entry and the confirmation: a cash sale plus 收到款项.
    assert counts(store) == (before[0] + 1, before[1] + 1, before[2] + 2)
    newest, sale_entry = audit.entries(conn, limit=2)
    cash_entry = next(e for e in audit.entries(conn) if e.subject == cash.order.id)
    assert (sale_entry.action, sale_entry.staff_id, sale_entry.subject) == ("sale", cashier.id, order.id)
    assert cash_entry.action == "sale" and sale_entry.detail.keys() == cash_entry.detail.keys()
    assert (newest.action, newest.staff_id, newest.approver_id, newest.subject) == \
        ("static_qr_confirm", cashier.id, None, order.id)
    assert newest.detail == {"number": order.number, "total_fen": 6000}
    pushed = [item for item in outbox.pending(conn, "order", 10) if item.ref_id == order.id]
    assert len(pushed) == 1 and pushed[0].payload["payment_method"] == "qr_static"
    assert audit.verify(conn).ok


def test_owner_approval_is_recorded_and_checked(store, people) -> None:
    owner, cashier = people
    with_text_qr(store, owner)
    static_qr.confirm_static_payment(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)], approver_id=owner.id)
    assert audit.entries(store.conn(), limit=1)[0].approver_id == owner.id
    before, stock = counts(store), codes.available_count(store.conn(), QB10.id)
    with pytest.raises(NotOwnerError):
        static_qr.confirm_static_payment(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)],
                                         approver_id=cashier.id)
    assert counts(store) == before and codes.available_count(store.conn(), QB10.id) == stock  # nothing sold


def test_failures_sell_nothing(store, people) -> None:
    owner, cashier = people
    with pytest.raises(NoStaticQrError):
        static_qr.confirm_static_payment(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)])
    with_text_qr(store, owner)
    before = counts(store)
    with pytest.raises(OutOfStockError):
        static_qr.confirm_static_payment(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1),
                                                                           CartLine(WY50.id, 4)])
    assert counts(store) == before and codes.available_count(store.conn(), QB10.id) == 3


def test_text_qr_round_trip_and_validation(store, people) -> None:
    owner, cashier = people
    assert static_qr.load(store.conn()) is None
    static_qr.save(store, static_qr.text_qr(f"  {WECHAT_CODE}\n"), staff_id=cashier.id, approver_id=owner.id)
    assert static_qr.load(store.conn()) == static_qr.StaticQr("text", text=WECHAT_CODE)
    entry = audit.entries(store.conn(), limit=1)[0]
    assert (entry.action, entry.subject, entry.staff_id, entry.approver_id) == \
        ("settings", "static_qr", cashier.id, owner.id)
    for bad in ("", "   ", "x" * 513, "line1\nline2"):
        with pytest.raises(InvalidStaticQrTextError):
            static_qr.text_qr(bad)
    with pytest.raises(NotOwnerError):
        static_qr.save(store, static_qr.text_qr("https://qr.alipay.com/fkx1"), staff_id=cashier.id,
                       approver_id=cashier.id)
    assert static_qr.load(store.conn()).text == WECHAT_CODE  # the refused change lost nothing


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP"])
def test_image_qr_keeps_the_file_bytes(store, people, fmt: str) -> None:
    owner, _ = people
    data = picture(fmt)
    static_qr.save(store, static_qr.image_qr(data), staff_id=owner.id, approver_id=owner.id)
    loaded = static_qr.load(store.conn())
    assert (loaded.kind, loaded.image_format, loaded.image) == ("image", fmt, data)
    assert "image=" not in repr(loaded)  # the bytes never land in a log through repr()


def test_an_image_that_is_not_an_image_is_a_clear_error(store, people) -> None:
    owner, _ = people
    static_qr.save(store, static_qr.image_qr(picture()), staff_id=owner.id, approver_id=owner.id)
    kept = static_qr.load(store.conn())
    png, jpeg = picture(), picture("JPEG", (400, 400))
    not_images = [b"", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", WECHAT_CODE.encode(),
                  png[: len(png) // 2], jpeg[: len(jpeg) // 2],  # truncated downloads
                  png[:40] + bytes(len(png) - 40)]  # header intact, pixels gone
    for data in not_images:
        with pytest.raises(NotAnImageError, match="not a PNG, JPEG, GIF or BMP"):
            static_qr.image_qr(data)
    tiff = io.BytesIO()
    Image.new("L", (50, 50)).save(tiff, "TIFF")
    with pytest.raises(NotAnImageError):
        static_qr.image_qr(tiff.getvalue())
    assert static_qr.load(store.conn()) == kept


def test_image_size_limits(store) -> None:
    with pytest.raises(StaticQrTooLargeError, match="at most 512 KB"):
        static_qr.image_qr(picture() + bytes(static_qr.MAX_IMAGE_BYTES))
    with pytest.raises(StaticQrTooLargeError, match="5000×20 pixels"):
        static_qr.image_qr(picture(size=(5000, 20)))
    assert static_qr.image_qr(picture(size=(4096, 20))).kind == "image"


def test_damaged_setting_is_a_clear_error(store) -> None:
    for raw in ({"kind": "image", "format": "PNG", "data": "not base64!"}, {"kind": "video"}, ["text"]):
        with store.transaction() as conn:
            settings.put(conn, static_qr.SETTING, raw)
        with pytest.raises(DamagedStaticQrError, match="set it up again"):
            static_qr.load(store.conn())
