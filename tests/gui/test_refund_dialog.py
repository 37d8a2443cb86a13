"""The refund dialog and its flow (issue #17), driving the real widgets on the demo counter: F6 refunds the last
sale, the dialog picks lines or an amount and never more than is left, and a gateway that cannot refund leads to
cash from the drawer instead, with the owner's PIN asked once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER, OWNER_PIN
from kameng_desk.gui.refund_dialog import RefundDialog
from kameng_desk.sync.status import RefundSettled
from kameng_desk.usecases import qr_sale, refunds
from kameng_desk.usecases.sell import CartLine
from local_cache import codes, orders, staff
from local_cache import refunds as refund_rows
from local_cache.orders import Order, OrderLine
from tests.gui.keys import press
from tests.gui.test_backoffice_day import approve, close_boxes, sell, start, to_backoffice, visible, wait_visible
from tests.unit.test_refunds import RefundPlatform

pytestmark = pytest.mark.gui


def plan(*, whole_only: bool, left_fen: int = 4000) -> refunds.RefundPlan:
    order = Order("o-1", "KM-261201-0001", "sale", "cancelled", "qr_dynamic", 4000, "s-1", "2026-12-01T00:00:00Z",
                  (OrderLine("qb10", "Q币10元", 1, 1000), OrderLine("wy30", "网易30元", 1, 3000)))
    return refunds.RefundPlan(order, left_fen, "gateway", "pay-1", "alipay", voids=whole_only)


def test_dialog_picks_lines_or_an_amount_never_above_what_is_left(qtbot) -> None:
    dialog = RefundDialog(plan(whole_only=False, left_fen=3500))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert "支付宝" in dialog.where() and dialog.amount.text() == "35.00" and ok.isEnabled()
    dialog.lines.item(1).setCheckState(Qt.CheckState.Unchecked)  # only the Q币 line goes back
    assert dialog.amount.text() == "10.00" and dialog.amount_fen() == 1000
    for typed in ("35.01", "0", "abc", "-1"):
        dialog.amount.setText(typed)
        assert dialog.amount_fen() is None and not ok.isEnabled() and "35.00" in dialog.problem.text()
    dialog.amount.setText("12.5")
    assert dialog.amount_fen() == 1250 and ok.isEnabled() and dialog.problem.text() == ""


def test_dialog_refunds_a_card_sale_whole(qtbot) -> None:
    dialog = RefundDialog(plan(whole_only=True))
    qtbot.addWidget(dialog)
    assert dialog.amount.isReadOnly() and dialog.amount_fen() == 4000
    assert not dialog.lines.item(0).flags() & Qt.ItemFlag.ItemIsUserCheckable


def test_f6_refunds_the_last_cash_sale_from_the_drawer(qtbot, window) -> None:
    win, session = window
    store = session.store
    start(qtbot, win, CASHIER, CASHIER_PIN)
    sell(qtbot, win, "qb10", 2, reveal=False)
    sale = win.counter.last_sale
    before = codes.available_count(store.conn(), "qb10")
    win.activateWindow()
    win.counter.search.setFocus()
    press(qtbot, Qt.Key.Key_F6)  # where the cashier's focus is, as the shortcut is meant
    dialog = wait_visible(qtbot, win, QDialog, "refundDialog")
    assert dialog.plan.order.id == sale.order.id and dialog.amount.isReadOnly()
    dialog.reason.setText("顾客买错了")
    dialog.accept()
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: "已退款" in win.counter.outcome.text())
    conn = store.conn()
    (refund,) = refund_rows.for_order(conn, sale.order.id)
    assert (refund.method, refund.status, refund.amount_fen, refund.reason) == ("cash", "succeeded",
                                                                                sale.order.total_fen, "顾客买错了")
    assert codes.available_count(conn, "qb10") == before + 2 and orders.get(conn, sale.order.id).state == "voided"
    owner = next(s for s in staff.list_all(conn) if s.name == OWNER)
    assert refund.approver_id == owner.id
    win.activateWindow()
    win.counter.search.setFocus()
    press(qtbot, Qt.Key.Key_F6)  # again: already refunded, said before any PIN
    qtbot.waitUntil(lambda: visible(win, QMessageBox, "errorBox") is not None)
    assert "已经退过款" in visible(win, QMessageBox, "errorBox").text()
    assert visible(win, QDialog, "ownerDialog") is None


def test_gateway_that_cannot_refund_gives_cash_instead(qtbot, window) -> None:
    win, session = window
    store = session.store
    platform = RefundPlatform()
    platform.can_refund = False
    cashier = next(s for s in staff.list_all(store.conn()) if s.name == CASHIER)
    session_qr = qr_sale.start(store, platform, staff_id=cashier.id, cart=[CartLine("qb10", 1)], method="sandbox")
    platform.status[session_qr.payment_id] = "paid"
    qr_sale.poll(store, platform, session_qr, staff_id=cashier.id)
    store.close_thread_connection()
    start(qtbot, win, CASHIER, CASHIER_PIN)
    tab = win.backoffice.orders
    to_backoffice(qtbot, win, tab)
    qtbot.waitUntil(lambda: (tab.model.total or 0) >= 1)
    tab.open_detail([r.id for r in tab.model.rows].index(session_qr.order_id))
    detail = wait_visible(qtbot, win, QDialog, "orderDetailDialog")
    detail.refund_flow.port = lambda: platform  # the platform's answer: its gateway cannot refund
    qtbot.waitUntil(lambda: detail.refund_button.isEnabled())
    qtbot.mouseClick(detail.refund_button, Qt.MouseButton.LeftButton)
    dialog = wait_visible(qtbot, win, QDialog, "refundDialog")
    assert "原路退回" in dialog.where()
    dialog.accept()
    approve(qtbot, win, OWNER_PIN)
    qtbot.waitUntil(lambda: visible(win, QMessageBox, "cashInsteadBox") is not None)
    box = visible(win, QMessageBox, "cashInsteadBox")
    assert "不支持原路退款" in box.text() and platform.executed == []
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "现金代退" in detail.fields["note"].text())
    assert visible(win, QDialog, "ownerDialog") is None  # the PIN was asked once
    methods = [(r.method, r.status) for r in refund_rows.for_order(store.conn(), session_qr.order_id)]
    assert methods == [("gateway", "failed"), ("cash_instead", "succeeded")]
    close_boxes(win)


def test_a_refund_the_sync_round_finished_is_told_at_the_counter(qtbot, window) -> None:
    win, _ = window
    start(qtbot, win, CASHIER, CASHIER_PIN)
    win.show_event(RefundSettled("o-1", "KM-261201-0007", 5000, "succeeded"))
    assert "KM-261201-0007" in win.counter.outcome.text() and "50.00 已原路退回" in win.counter.outcome.text()
    win.show_event(RefundSettled("o-2", "KM-261201-0008", 1000, "failed"))
    assert "未成功" in win.counter.outcome.text() and "改退现金" in win.counter.outcome.text()
