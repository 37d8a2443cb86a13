"""Every order belongs to a shift's Z report, including a QR sale or a top-up made while no shift was open."""

from __future__ import annotations

import pytest

from kameng_desk.printing.layout import Row
from kameng_desk.printing.slips import Shop, z_report_slip
from kameng_desk.records.zreport import PassedOn
from kameng_desk.usecases import qr_sale
from kameng_desk.usecases.cash_shift import (
    MAX_FLOAT_FEN,
    close_shift,
    expected_cash,
    open_shift,
    record_drawer_open,
    z_report_of,
)
from kameng_desk.usecases.errors import FloatOutOfRangeError
from kameng_desk.usecases.handover import void_sale
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, orders, shifts
from tests.factories import HF50, QB10, WY50, make_staff, seed_catalog
from tests.unit.test_qr_sale import PlatformModel


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    seed_catalog(s, stock=20)
    yield s
    s.close()


def test_no_order_is_outside_every_shift_after_two_days(store) -> None:
    cashier = make_staff(store, "小李", "cashier", "1357")
    # Before the first shift: a QR sale (the counter asks for a float before cash only).
    early_qr = sell_codes(store, staff_id=cashier.id, cart=[CartLine(WY50.id, 1)], payment_method="qr_static")
    open_shift(store, staff_id=cashier.id, float_fen=20_000)
    cash = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 2)], cash_received_fen=5_000)
    top = record_topup(store, staff_id=cashier.id, product_id=HF50.id, account="13812345678")
    day1 = close_shift(store, staff_id=cashier.id, counts={10000: 2, 1000: 2, 5000: 1})
    # After the close: a late QR sale and a cash top-up; the cash stays in the drawer overnight.
    late_qr = sell_codes(store, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)], payment_method="qr_static")
    late_top = record_topup(store, staff_id=cashier.id, product_id=HF50.id, account="13912345678")
    # Next morning the float counted is yesterday's leftover plus the late top-up's cash.
    shift2 = open_shift(store, staff_id=cashier.id, float_fen=20_000 + late_top.total_fen)
    with store.transaction() as conn:
        assert expected_cash(conn, shifts.get(conn, shift2.id)) == 20_000 + late_top.total_fen  # not twice
    day2 = close_shift(store, staff_id=cashier.id, counts={10000: 2, 5000: 1})

    conn = store.conn()
    assert conn.execute("SELECT count(*) FROM orders WHERE shift_id IS NULL").fetchone()[0] == 0
    assert day1.orders + day2.orders == conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 5
    assert (day1.before_open_orders, day1.before_open_fen) == (1, early_qr.order.total_fen)
    assert day1.sales_fen == early_qr.order.total_fen + cash.order.total_fen + top.total_fen
    assert day1.shift.expected_fen == 20_000 + cash.order.total_fen + top.total_fen  # the QR sale is not cash
    assert (day2.before_open_orders, day2.before_open_fen) == (2, late_qr.order.total_fen + late_top.total_fen)
    assert day2.by_payment_method == {"qr_static": late_qr.order.total_fen, "cash": late_top.total_fen}
    assert day2.shift.difference_fen == 0  # the late cash was counted once, in the float


def test_a_payment_still_open_at_the_close_is_in_the_z_report_of_the_shift_it_settles_in(tmp_path) -> None:
    """A QR sale left 待付款 when the shift closed (the desk was closed with it open) and paid later, once the
    platform answered: it stayed with the closed shift, whose Z report was frozen without it, and its money was in
    no Z report. An order still unsettled at the close now joins the next shift, like an order made with no shift
    open."""
    store = Store.open(tmp_path / "desk")
    seed_catalog(store, stock=5)
    cashier = make_staff(store, "小李", "cashier", "1357")
    first = open_shift(store, staff_id=cashier.id, float_fen=0)
    platform = PlatformModel()
    left = qr_sale.start(store, platform, staff_id=cashier.id, cart=[CartLine(QB10.id, 1)], method="sandbox")
    assert left.qr_content  # the customer may pay it: nothing is released
    store.close()
    store = Store.open(tmp_path / "desk")  # the desk restarted: nobody holds the payment any more
    try:
        day1 = close_shift(store, staff_id=cashier.id, counts={})
        assert day1.orders == 0 and day1.sales_fen == 0  # not settled: not this shift's to report
        # ... but its Z report says which order it passed on, as printed and as kept.
        number = orders.get(store.conn(), left.order_id).number
        assert day1.passed_on == (PassedOn(number, QB10.retail_price_fen),)
        assert z_report_of(store.conn(), first.id).passed_on == day1.passed_on
        printed = z_report_slip(day1, shop=Shop("老王网吧"), cashier="小李").elements
        assert Row("未结算转下一班", "1 笔") in printed and Row(f"  {number}", "￥10.00") in printed
        platform.customer_pays(left.payment_id)
        [settled] = qr_sale.resolve_unsettled(store, platform)
        assert settled.outcome == "fulfilled"
        second = open_shift(store, staff_id=cashier.id, float_fen=0)
        day2 = close_shift(store, staff_id=cashier.id, counts={})
        conn = store.conn()
        assert orders.get(conn, left.order_id).shift_id == second.id
        assert (day2.orders, day2.sales_fen, day2.by_payment_method) == (1, QB10.retail_price_fen,
                                                                          {"qr_dynamic": QB10.retail_price_fen})
        assert (day2.before_open_orders, day2.before_open_fen) == (1, QB10.retail_price_fen)
        assert day2.passed_on == ()
        assert z_report_of(conn, first.id).orders == 0 and day2.shift.difference_fen == 0  # not cash
    finally:
        store.close()


def test_a_void_between_two_shifts_is_listed_in_the_next_z_report_once(store) -> None:
    """The owner voided a sale after its shift closed (the customer came back before the next shift) and opened
    the drawer for its cash: both were in no Z report, the closed one frozen without them and the next one listing
    only what happened while it was open. What happened at the drawer since the last count is the next shift's
    to list; its cash does not change what the next shift expects (the float is counted after it)."""
    owner = make_staff(store, "王老板", "owner", "2468")
    first = open_shift(store, staff_id=owner.id, float_fen=0)
    sale = sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])
    close_shift(store, staff_id=owner.id, counts={1000: 1})
    void_sale(store, order_id=sale.order.id, staff_id=owner.id, approver_id=owner.id)
    record_drawer_open(store, staff_id=owner.id, approver_id=owner.id)
    open_shift(store, staff_id=owner.id, float_fen=0)
    day2 = close_shift(store, staff_id=owner.id, counts={})
    assert [(v.number, v.amount_fen) for v in day2.voids] == [(sale.order.number, sale.order.total_fen)]
    assert day2.drawer_openings == 1
    assert day2.shift.expected_fen == 0 and day2.shift.difference_fen == 0
    day1 = z_report_of(store.conn(), first.id)
    assert (day1.voids, day1.drawer_openings) == ((), 0)  # listed once, not twice
    third = open_shift(store, staff_id=owner.id, float_fen=0)
    close_shift(store, staff_id=owner.id, counts={})
    day3 = z_report_of(store.conn(), third.id)
    assert (day3.voids, day3.drawer_openings) == ((), 0)


def test_a_float_no_drawer_holds_opens_no_shift(tmp_path) -> None:
    """The shifts tab took any float: a code scanned into its box opened a shift with ¥6.9 trillion expected."""
    store = Store.open(tmp_path / "float")
    cashier = make_staff(store, "小李", "cashier", "1357")
    for bad in (690123456789000, MAX_FLOAT_FEN + 1, -1):
        with pytest.raises(FloatOutOfRangeError):
            open_shift(store, staff_id=cashier.id, float_fen=bad)
    assert shifts.current(store.conn()) is None
    assert open_shift(store, staff_id=cashier.id, float_fen=MAX_FLOAT_FEN).float_fen == MAX_FLOAT_FEN
    store.close()
