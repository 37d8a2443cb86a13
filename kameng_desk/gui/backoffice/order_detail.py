"""One order in full (never its codes), with the owner-approved actions (reprint, void, refund) and the cancel of
an abandoned, unpaid QR payment (no PIN: it loses no money)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kameng_desk.gui.backoffice.common import fill_table, make_table, show_info
from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.messages import show_error
from kameng_desk.gui.refund_dialog import RefundFlow
from kameng_desk.gui.texts import kind_label, local_time, order_state_label, payment_label, sync_label
from kameng_desk.records.money import yuan
from kameng_desk.records.payment_port import PaymentPort
from kameng_desk.sync.errors import SyncError
from kameng_desk.usecases import changes, handover, history, qr_sale, refunds
from kameng_desk.usecases.changes import Changes
from kameng_desk.usecases.history import OrderDetail
from kameng_desk.usecases.print_queue import reprint_order
from local_cache import Store
from local_cache.connection import Connection
from local_cache.refunds import Refund
from local_cache.staff import Staff


class OrderDetailDialog(QDialog):

    def __init__(self, context: DeskContext, order_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.order_id = context, order_id
        self.detail: OrderDetail | None = None
        self.setWindowTitle(self.tr("订单详情"))
        self.form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, label in (("number", self.tr("单号")), ("time", self.tr("时间")), ("kind", self.tr("类型")),
                           ("state", self.tr("状态")), ("payment", self.tr("支付")), ("total", self.tr("金额")),
                           ("staff", self.tr("收银员")), ("approver", self.tr("授权人")),
                           ("codes", self.tr("交付")), ("sync", self.tr("同步")), ("note", self.tr("备注"))):
            value = QLabel()
            value.setObjectName(f"detail_{key}")
            value.setWordWrap(True)
            self.fields[key] = value
            self.form.addRow(label, value)
        self.lines = make_table([self.tr("商品"), self.tr("数量"), self.tr("单价"), self.tr("小计")],
                                name="detailLines")
        # Each action: its button, what the owner's PIN dialog says, the use case, what is said when done.
        self.reprint_button = self._action_button(
            "reprintOrder", self.tr("重印 (店长)"), self.tr("重印订单 {n}"), reprint_order,
            self.tr("已加入打印队列（重印 / COPY）。"), changed=changes.PRINT_JOBS)
        self.void_button = self._action_button(
            "voidOrder", self.tr("作废 (店长)"), self.tr("作废订单 {n}"), handover.void_sale,
            self.tr("订单 {n} 已作废，卡密已放回库存。"), changed=changes.VOID, check=handover.check_voidable)
        # To the original payment, whole or in part (kameng_desk.gui.refund_dialog), behind the owner's PIN.
        self.refund_button = QPushButton(self.tr("退款 (店长)"))
        self.refund_button.setObjectName("refundOrder")
        self.refund_flow = RefundFlow(context, self, self._payment_port, self._refunded)
        self.refund_button.clicked.connect(lambda: self.refund_flow.start(
            lambda conn: refunds.plan(conn, self.order_id)))
        self.cancel_payment_button = QPushButton(self.tr("取消未付款的扫码收款"))
        self.cancel_payment_button.setObjectName("cancelPayment")
        self.cancel_payment_button.clicked.connect(self.cancel_payment)
        close = QPushButton(self.tr("关闭 (Esc)"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for b in (self.reprint_button, self.void_button, self.refund_button, self.cancel_payment_button):
            b.setEnabled(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.lines, 1)
        layout.addLayout(buttons)
        self.resize(620, 560)
        self.load()

    def load(self) -> None:
        order_id = self.order_id
        self.context.worker.run(lambda store: history.detail(store.conn(), order_id), self._show,
                                lambda exc: show_error(self, exc))

    def _show(self, d: OrderDetail) -> None:
        self.detail = d
        o = d.order
        state = order_state_label(o.state, o.kind, o.topup_state)
        paid = payment_label(o.payment_method)
        if o.cash_received_fen is not None:
            paid += self.tr("，收 ￥{r} 找 ￥{c}").format(r=yuan(o.cash_received_fen), c=yuan(o.change_fen or 0))
        if o.kind == "topup":
            codes = self.tr("充值账号 {a}").format(a=o.topup_account or "")
        elif d.handed_over_at:
            codes = self.tr("{n} 张卡密，{t} 已交给顾客").format(n=d.codes_count, t=local_time(d.handed_over_at))
        else:
            codes = self.tr("{n} 张卡密，未交给顾客").format(n=d.codes_count)
        notes = []
        if o.status_reason:
            notes.append(o.status_reason)
        for r in d.refunds:
            notes.append(self._refund_note(r))
        if d.refundable and o.kind == "topup" and not d.refunds:
            notes.append(self.tr("平台已判定充值失败并退款到余额：请把钱退给顾客。"))
        if d.refund_owed:
            notes.append(self.tr("顾客通过平台付的款还没退回：请退款。"))
        values = {"number": o.number, "time": local_time(o.created_at), "kind": kind_label(o.kind), "state": state,
                  "payment": paid, "total": "￥" + yuan(o.total_fen), "staff": d.staff_name or "",
                  "approver": d.approver_name or "", "codes": codes, "sync": sync_label(o.sync_state),
                  "note": "；".join(notes)}
        for key, text in values.items():
            self.fields[key].setText(text)
        fill_table(self.lines, [(ln.product_name, ln.quantity, yuan(ln.unit_price_fen), yuan(ln.amount_fen))
                                for ln in o.lines], right_align=(1, 2, 3))
        self.reprint_button.setEnabled(o.state == "fulfilled")
        self.void_button.setEnabled(d.voidable)
        self.refund_button.setEnabled(d.refundable)
        self.cancel_payment_button.setEnabled(o.state == "awaiting_payment")

    def _refund_note(self, r: Refund) -> str:
        how = {"cash": self.tr("现金"), "gateway": self.tr("原路退回"), "cash_instead": self.tr("现金代退")}
        when = local_time(r.finished_at or r.created_at)
        status = {"succeeded": self.tr("已退款"), "pending": self.tr("退款处理中"),
                  "failed": self.tr("退款未成功")}.get(r.status, r.status)
        return self.tr("{t} {s} ￥{v}（{how}）").format(t=when, s=status, v=yuan(r.amount_fen),
                                                      how=how.get(r.method, r.method))

    def _refunded(self, text: str) -> None:
        self.load()
        show_info(self, text, "actionDone")

    def _payment_port(self) -> PaymentPort | None:
        """The platform, unless there is none or the last round could not reach it (the cancel then works here
        and the sync round settles the rest)."""
        engine = self.context.engine
        if engine is None or qr_sale.known_offline(engine.status()):
            return None
        try:
            return engine.client()
        except SyncError:
            return None

    def cancel_payment(self) -> None:
        """Its codes go back at once when its QR never reached a screen; otherwise the cancel is requested and
        the platform's word settles it (paid meanwhile: the sale completes, or is flagged for refund)."""
        user, d = self.context.user, self.detail
        if user is None or d is None:
            return
        number, port = d.order.number, self._payment_port()
        texts = {"released": self.tr("订单 {n} 的扫码收款已取消，卡密已放回库存。"),
                 "waiting": self.tr("订单 {n} 已请求取消：收款码显示过，顾客可能已付款。联网后自动核对，"
                                    "未付款则卡密自动放回库存，已付款会提示退款。"),
                 "refund_needed": self.tr("订单 {n}：顾客已付款但收款已取消，已标记退款，请处理。"),
                 "fulfilled": self.tr("订单 {n}：顾客已付款，销售已完成。")}

        def done(settled: qr_sale.Settled) -> None:
            self.load()
            show_info(self, texts.get(settled.outcome, "").format(n=number), "paymentCancelled")
        self.cancel_payment_button.setEnabled(False)
        self.context.worker.run_network(  # it may ask the platform whether the customer paid first
            lambda store: qr_sale.cancel_abandoned(store, port, d.order.id, staff_id=user.id), done,
            lambda exc: (self.load(), show_error(self, exc)), changes=changes.of_settled)

    def _action_button(self, name: str, label: str, asking: str, use_case: Callable[..., Any],
                       done_text: str, *, changed: Changes,
                       check: Callable[[Connection, str], Any] | None = None) -> QPushButton:
        button = QPushButton(label)
        button.setObjectName(name)
        button.clicked.connect(lambda: self._run_action(asking, use_case, done_text, changed, check))
        return button

    def _run_action(self, asking: str, use_case: Callable[..., Any], done_text: str, changed: Changes,
                    check: Callable[[Connection, str], Any] | None) -> None:
        """Behind an owner's PIN (audited with both people by the use case), on the database thread.

        ``check(conn, order_id)`` raises when the action cannot be done (a sale's codes were printed since the
        dialog loaded): that is said before the owner types a PIN, and the dialog reloads."""
        user, d = self.context.user, self.detail
        if user is None or d is None:
            return
        number, amount = d.order.number, yuan(d.order.total_fen)

        def work(store: Store, approver: Staff) -> Any:
            return use_case(store, order_id=d.order.id, staff_id=user.id, approver_id=approver.id)

        def done(_: Any) -> None:
            self.load()
            show_info(self, done_text.format(n=number, v=amount), "actionDone")

        def ask_owner(_: Any = None) -> None:
            self.context.with_owner_approval(self, asking.format(n=number), work, done,
                                             lambda exc: show_error(self, exc), changes=changed)

        def refused(exc: Exception) -> None:
            self.load()
            show_error(self, exc)
        if check is None:
            ask_owner()
        else:
            self.context.worker.run(lambda store: check(store.conn(), d.order.id), ask_owner, refused)
