"""A day at the counter (issue #15, proof), driven only by keys and scanner bursts sent to the focused widget: no
method of the window is called from the moment the desk shows its login until the Z report is on screen.

Before the day (setup, direct calls as an operator and the owner would make them beforehand): the operator gives
Q币 30元 its EAN on the platform (the admin path of the `product --barcode` command) and the desk syncs it; the
owner has set up the shop's collection QR. The sync thread runs as in the app. The demo desk starts with no shift
open, so the float is counted before the first cash sale.

The day: log in (PIN, Enter); the first scan sold for exact cash opens the shift (float typed, Enter); a scanned
card sold for exact cash in 3 keys and its codes shown in one more (counted); tendered cash typed, and a note key;
an unknown scan; an ambiguous search walked with the arrows; a phone top-up with change; a sale voided with the
owner's PIN (its codes not shown); the platform goes away (F8 finds out): F11 goes straight to the shop QR, held
to confirm, and the next customer backs out of the QR to pay cash; the shift closed from the back office (F10)
with the drawer counted, confirmed and its Z report shown. Then the Z report, read through the store, holds every
order of the day.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QSpinBox

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER_PIN
from kameng_desk.usecases import cash_shift, static_qr
from kameng_desk.usecases.cash_shift import DENOMINATIONS_FEN
from kameng_platform import admin
from kameng_platform.db import make_engine
from kameng_platform.seed import CATALOG
from local_cache import orders, staff
from tests.gui.keys import counted_keys, focused, press, scan, type_by_hand, visible, wait_closed, wait_visible

pytestmark = pytest.mark.gui

EAN_QB30 = "6901234567892"  # printed on the Q币 30元 cards; set on the platform, reaches the desk by sync
UNKNOWN_EAN = "6909999999991"
FLOAT_FEN = 500_00


def give_barcode_on_the_platform(session, product_id: str, code: str) -> None:
    """What `kameng-platform product --barcode` does, for a product as the demo seeded it."""
    pid, category, name, kind, face, pct, rule, hint = next(row for row in CATALOG if row[0] == product_id)
    engine = make_engine(session.platform_settings.db_url)
    with engine.begin() as conn:
        admin.upsert_product(conn, product_id=pid, category_id=category, name=name, kind=kind,
                             face_value_fen=face * 100, suggested_retail_fen=face * 100,
                             tier_prices={"standard": face * pct}, account_rule=rule, redeem_hint=hint,
                             barcode=code)
    engine.dispose()
    session.engine.sync_once()
    session.store.close_thread_connection()


def before_the_day(session) -> None:
    give_barcode_on_the_platform(session, "qb30", EAN_QB30)
    session.engine.start()  # the sync thread, as the app runs it (rounds upload the day's orders)
    owner = next(s for s in staff.list_all(session.store.conn()) if s.is_owner)
    static_qr.save(session.store, static_qr.text_qr("wxp://f2f0-shop-collection-code"), staff_id=owner.id,
                   approver_id=owner.id)
    session.store.close_thread_connection()


def log_in_by_keys(qtbot, win, name: str, pin: str) -> None:
    """The PIN box has the focus; the arrows in the staff list pick the person (Shift+Tab goes there)."""
    login = win.login
    qtbot.waitUntil(lambda: login.staff_list.count() == 2 and focused(qtbot) is login.pin)
    if not login.staff_list.currentItem().text().startswith(name):
        press(qtbot, Qt.Key.Key_Backtab)
        assert focused(qtbot) is login.staff_list
        press(qtbot, Qt.Key.Key_Up if login.staff_list.currentRow() else Qt.Key.Key_Down)
        assert login.staff_list.currentItem().text().startswith(name)
        press(qtbot, Qt.Key.Key_Tab)
    type_by_hand(qtbot, pin)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter and win.counter.grid.count() > 0)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)


def at_scan_box(qtbot, win) -> None:
    counter = win.counter
    qtbot.waitUntil(lambda: QApplication.focusWidget() is counter.search and counter.search.text() == "")


def codes_not_shown(qtbot, win) -> None:
    """The customer needs no codes on screen (printed, or a void coming): Esc, and back at the scan box."""
    wait_visible(qtbot, win, "codesDialog")
    press(qtbot, Qt.Key.Key_Escape)
    wait_closed(qtbot, win, "codesDialog")
    at_scan_box(qtbot, win)


def latest(session) -> orders.Order:
    (order_id,) = session.store.conn().execute(
        "SELECT id FROM orders ORDER BY created_at DESC, number DESC LIMIT 1").fetchone()
    return orders.get(session.store.conn(), order_id)


def order_count(session) -> int:
    return session.store.conn().execute("SELECT count(*) FROM orders").fetchone()[0]


def tab_to(qtbot, widget, limit: int = 40) -> None:
    """Tab until the widget has the focus, as a cashier does without a mouse (fails if the tab order skips it)."""
    for _ in range(limit):
        if focused(qtbot) is widget:
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reaches {widget.objectName() or widget}")


def test_a_day_at_the_counter_by_keys_only(qtbot, fresh_window) -> None:
    win, session = fresh_window
    before_the_day(session)
    conn = session.store.conn
    counter = win.counter
    cash_sales: list[int] = []  # what went into the drawer, sale by sale (fen)

    log_in_by_keys(qtbot, win, CASHIER, CASHIER_PIN)
    qtbot.waitUntil(lambda: counter.index.by_barcode(EAN_QB30) is not None)
    at_scan_box(qtbot, win)

    # The first customer: no shift yet, so the exact-cash key asks for the float first.
    scan(qtbot, EAN_QB30)
    assert counter.cart.lines == {"qb30": 1}
    press(qtbot, Qt.Key.Key_F2)
    dialog = wait_visible(qtbot, win, "floatDialog")
    assert focused(qtbot) is dialog.amount and order_count(session) == 0
    type_by_hand(qtbot, "500")
    press(qtbot, Qt.Key.Key_Return)
    codes_not_shown(qtbot, win)
    shift = cash_shift.status(conn()).shift
    assert shift.float_fen == FLOAT_FEN and latest(session).shift_id == shift.id
    cash_sales.append(3000)

    # A scanned card sold for exact cash, counted: scan, Enter (habit: on to the cash), 正好 (F2).
    with counted_keys() as keys:
        scan(qtbot, EAN_QB30, keys)
        press(qtbot, Qt.Key.Key_Return)
        assert focused(qtbot) is counter.cash
        press(qtbot, Qt.Key.Key_F2)
        dialog = wait_visible(qtbot, win, "codesDialog")
        sold = keys.keys
        press(qtbot, Qt.Key.Key_Return)  # 显示卡密
        qtbot.waitUntil(lambda: all(row[1].text().startswith("卡密 ") for row in dialog.rows.values()))
        shown = keys.keys
    print(f"scanned card sold for exact cash in {sold} keys, codes shown in {shown}")
    assert sold <= 4 and shown <= sold + 1 and (sold, shown) == (3, 4)
    sale = latest(session)
    assert (sale.total_fen, sale.cash_received_fen, sale.change_fen) == (3000, 3000, 0)
    assert orders.codes_handed_over_at(conn(), sale.id) is not None
    cash_sales.append(3000)
    press(qtbot, Qt.Key.Key_Escape)
    wait_closed(qtbot, win, "codesDialog")
    at_scan_box(qtbot, win)

    # Tendered cash: the customer hands ¥50 for a Q币 30元; typed, Enter.
    scan(qtbot, EAN_QB30)
    press(qtbot, Qt.Key.Key_Return)
    type_by_hand(qtbot, "50")
    assert counter.change_label.text() == "找零 ￥20.00"
    press(qtbot, Qt.Key.Key_Return)
    codes_not_shown(qtbot, win)
    sale = latest(session)
    assert (sale.cash_received_fen, sale.change_fen) == (5000, 2000)
    cash_sales.append(3000)

    # Typed by hand, "qb10" is Q币 10元 (not Q币 100元); the ¥50 note key.
    type_by_hand(qtbot, "qb10")
    press(qtbot, Qt.Key.Key_Return)
    assert counter.cart.lines == {"qb10": 1}
    press(qtbot, Qt.Key.Key_F3)
    codes_not_shown(qtbot, win)
    sale = latest(session)
    assert (sale.total_fen, sale.cash_received_fen, sale.change_fen) == (1000, 5000, 4000)
    cash_sales.append(1000)

    # An unknown scan: said at once next to the box, nothing added, the box ready for the next scan.
    before = order_count(session)
    scan(qtbot, UNKNOWN_EAN)
    assert "没有找到" in counter.scan_message.text() and UNKNOWN_EAN in counter.scan_message.text()
    assert counter.cart.lines == {} and counter.search.text() == ""
    # An ambiguous search: three products match "qb"; Enter highlights the first, the arrows walk, Enter adds.
    type_by_hand(qtbot, "qb")
    press(qtbot, Qt.Key.Key_Return)
    assert counter.cart.lines == {} and "3 个商品" in counter.scan_message.text()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up):
        press(qtbot, key)
    assert counter.grid.currentItem().text().startswith("Q币 30元")
    press(qtbot, Qt.Key.Key_Return)
    assert counter.cart.lines == {"qb30": 1} and order_count(session) == before
    scan(qtbot, EAN_QB30)  # a second one for the same customer
    assert counter.cart.lines == {"qb30": 2}
    press(qtbot, Qt.Key.Key_F4)  # a ¥100 note
    codes_not_shown(qtbot, win)
    sale = latest(session)
    assert (sale.total_fen, sale.cash_received_fen, sale.change_fen) == (6000, 10000, 4000)
    cash_sales.append(6000)

    # A phone top-up (话费 30元, the first offered) paid with a ¥100 note: the change is shown before Enter.
    press(qtbot, Qt.Key.Key_F5)
    dialog = wait_visible(qtbot, win, "topupDialog")
    assert focused(qtbot) is dialog.account and dialog.selected().id == "hf30"
    type_by_hand(qtbot, "13800138000")
    assert dialog.carrier.text() == "中国移动"
    press(qtbot, Qt.Key.Key_Tab)
    assert focused(qtbot) is dialog.cash
    type_by_hand(qtbot, "100")
    assert dialog.change.text() == "￥70.00" and dialog.ok.isEnabled()
    press(qtbot, Qt.Key.Key_Return)
    wait_closed(qtbot, win, "topupDialog")
    qtbot.waitUntil(lambda: "充值单" in counter.outcome.text() and counter.outcome.isVisible())
    topup = latest(session)
    assert (topup.kind, topup.total_fen, topup.cash_received_fen, topup.change_fen) == ("topup", 3000, 10000, 7000)
    cash_sales.append(3000)
    at_scan_box(qtbot, win)

    # A sale voided with the owner's PIN: the customer changed their mind before the codes were shown.
    scan(qtbot, EAN_QB30)
    press(qtbot, Qt.Key.Key_F2)
    codes_not_shown(qtbot, win)
    voided = latest(session)
    press(qtbot, Qt.Key.Key_F7)
    dialog = wait_visible(qtbot, win, "ownerDialog")
    assert focused(qtbot) is dialog.pin
    type_by_hand(qtbot, OWNER_PIN)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: orders.get(conn(), voided.id).state == "voided")
    qtbot.waitUntil(lambda: f"订单 {voided.number} 已作废" in counter.outcome.text())
    wait_closed(qtbot, win, "ownerDialog")
    at_scan_box(qtbot, win)

    # The platform goes away; F8 (同步) finds out and the banner says so. F11 then goes straight to the shop's
    # own QR, and 收到款项 is held (Space, with the focus on it) until it confirms.
    session.server.stop()
    press(qtbot, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: "离线" in counter.outcome.text() and counter.outcome.isVisible(), timeout=10_000)
    scan(qtbot, EAN_QB30)
    press(qtbot, Qt.Key.Key_F11)
    dialog = wait_visible(qtbot, win, "staticQrDialog", timeout=300)
    assert "平台离线" in dialog.findChild(type(dialog.message), "staticReason").text()
    tab_to(qtbot, dialog.confirm_button)
    qtbot.keyPress(dialog.confirm_button, Qt.Key.Key_Space)  # held: the window system sends no release yet
    qtbot.waitUntil(lambda: visible(win, "codesDialog") is not None, timeout=3000)
    qtbot.keyRelease(dialog.confirm_button, Qt.Key.Key_Space)
    by_qr = latest(session)
    assert (by_qr.payment_method, by_qr.total_fen) == ("qr_static", 3000)
    codes_not_shown(qtbot, win)
    # The next customer starts with the QR, then pays cash: Esc out of the shop QR keeps the cart; 正好.
    scan(qtbot, EAN_QB30)
    press(qtbot, Qt.Key.Key_F11)
    wait_visible(qtbot, win, "staticQrDialog", timeout=300)
    press(qtbot, Qt.Key.Key_Escape)
    wait_closed(qtbot, win, "staticQrDialog")
    at_scan_box(qtbot, win)
    assert counter.cart.lines == {"qb30": 1}
    press(qtbot, Qt.Key.Key_F2)
    codes_not_shown(qtbot, win)
    offline_cash = latest(session)
    assert (offline_cash.payment_method, offline_cash.sync_state) == ("cash", "pending")
    cash_sales.append(3000)

    # Closing the shift: F10, the 交班 tab, the drawer counted note by note, 交班, confirmed, the Z report.
    press(qtbot, Qt.Key.Key_F10)
    page = win.backoffice
    tab = page.shifts
    qtbot.waitUntil(lambda: win.stack.currentWidget() is page and page.tabs.currentWidget() is tab)
    qtbot.waitUntil(lambda: tab.current is not None and tab.close_box.isVisible())
    drawer = FLOAT_FEN + sum(cash_sales)
    assert tab.current.expected_fen == drawer
    left = drawer
    for fen in DENOMINATIONS_FEN:
        notes, left = divmod(left, fen)
        if notes:
            tab_to(qtbot, tab.counts[fen])
            press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            type_by_hand(qtbot, str(notes))
    assert left == 0 and isinstance(focused(qtbot), QSpinBox)
    qtbot.waitUntil(lambda: tab.counted_label.text() == f"实点 ￥{drawer // 100}.00")
    tab_to(qtbot, tab.close_button)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: any(b.isVisible() for b in win.findChildren(QMessageBox, "confirmClose")))
    confirm = next(b for b in win.findChildren(QMessageBox, "confirmClose") if b.isVisible())
    confirm.activateWindow()
    qtbot.waitUntil(confirm.isActiveWindow)
    tab_to(qtbot, confirm.findChild(QPushButton, "confirmCloseYes"))  # 取消 is the default: Enter keeps the shift
    press(qtbot, Qt.Key.Key_Space)
    dialog = wait_visible(qtbot, win, "zReportDialog")
    text = dialog.view.toPlainText()
    assert voided.number in text and "毛利" in text
    press(qtbot, Qt.Key.Key_Escape)
    wait_closed(qtbot, win, "zReportDialog")

    # Every order of the day is in the Z report, nothing outside a shift, and the drawer matched.
    assert cash_shift.status(conn()) is None
    z = cash_shift.z_report_of(conn(), shift.id)
    all_orders = conn().execute("SELECT number FROM orders ORDER BY number").fetchall()
    assert conn().execute("SELECT count(*) FROM orders WHERE shift_id IS NULL OR shift_id != ?",
                          (shift.id,)).fetchone() == (0,)
    assert z.orders == len(all_orders) == 9  # 7 cash sales (one voided), a top-up, a shop-QR sale
    assert (z.first_number, z.last_number) == (all_orders[0][0], all_orders[-1][0])
    assert [v.number for v in z.voids] == [voided.number]
    assert z.topups_count == 1 and z.by_payment_method.get("qr_static") == 3000
    assert (z.shift.expected_fen, z.shift.counted_fen, z.shift.difference_fen) == (drawer, drawer, 0)
