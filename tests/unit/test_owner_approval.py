"""Every use case that records an approver refuses one who is not an owner, and changes nothing."""

from __future__ import annotations

import pytest

from kameng_desk.printing.config import ConnectionSettings, PrinterConfig
from kameng_desk.usecases import printer_settings, qr_sale, shop_admin, static_qr
from kameng_desk.usecases.cash_shift import record_drawer_open
from kameng_desk.usecases.errors import NotOwnerError
from kameng_desk.usecases.handover import void_sale
from kameng_desk.usecases.print_queue import reprint_order
from kameng_desk.usecases.refunds import refund_order
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, audit
from tests.factories import HF50, QB10, make_staff, seed_catalog


@pytest.fixture
def shop(tmp_path):
    store = Store.open(tmp_path)
    seed_catalog(store, stock=5)
    cashier = make_staff(store, "小李", "cashier", "1234")
    sale = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)], cash_received_fen=None)
    topup = record_topup(store, staff_id=cashier.id, product_id=HF50.id, account="13800138000",
                         cash_received_fen=None)
    yield store, cashier, sale.order, topup
    store.close()


CASES = {
    "void": lambda s, c, sale, topup: void_sale(s, order_id=sale.id, staff_id=c.id, approver_id=c.id),
    "refund": lambda s, c, sale, topup: refund_order(s, None, order_id=sale.id, staff_id=c.id, approver_id=c.id),
    "reprint": lambda s, c, sale, topup: reprint_order(s, order_id=sale.id, staff_id=c.id, approver_id=c.id),
    "drawer": lambda s, c, sale, topup: record_drawer_open(s, staff_id=c.id, approver_id=c.id),
    "printer": lambda s, c, sale, topup: printer_settings.save(
        s, PrinterConfig(ConnectionSettings(host="192.168.1.50")), staff_id=c.id, approver_id=c.id),
    "shop QR": lambda s, c, sale, topup: static_qr.save(s, static_qr.text_qr("wxp://f2f0"), staff_id=c.id,
                                                         approver_id=c.id),
    "shop QR confirm": lambda s, c, sale, topup: qr_sale.confirm_static(
        s, qr_sale.reserve(s, staff_id=c.id, cart=[CartLine(QB10.id, 1)], method="static"), staff_id=c.id,
        approver_id=c.id),
    "settings": lambda s, c, sale, topup: shop_admin.save(s, shop_admin.ShopSettings(shop_name="店"),
                                                           staff_id=c.id, approver_id=c.id),
}


@pytest.mark.parametrize("case", CASES)
def test_a_cashier_cannot_approve(shop, case) -> None:
    store, cashier, sale, topup = shop
    head = audit.entries(store.conn(), limit=1)[0].seq
    with pytest.raises(NotOwnerError):
        CASES[case](store, cashier, sale, topup)
    assert audit.entries(store.conn(), limit=1)[0].seq == head  # nothing recorded
    waiting = store.conn().execute("SELECT count(*) FROM orders WHERE state = 'awaiting_payment'").fetchone()[0]
    assert waiting == (1 if case == "shop QR confirm" else 0)  # a refused 收到款项 sells nothing
