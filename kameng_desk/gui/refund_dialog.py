"""The refund dialog (退款) and the flow behind it, shared by the order detail and the counter's 退上一单 (F6).

The dialog shows what the refund would do (kameng_desk.usecases.refunds.plan): the lines and the amount (a card sale
is refunded whole: its codes go back on the shelf together; otherwise the owner picks lines or types an amount, never
above what is left) and where the money goes (the drawer, or back to the customer's payment). The owner's PIN comes
after, through DeskContext.with_owner_approval; the use case runs on the network lane, since a refund to the
customer's payment asks the platform. When the gateway cannot refund, or the platform is unreachable, the owner is
offered cash from the drawer instead (audited as such).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.messages import show_error
from kameng_desk.records.money import parse_yuan, yuan
from kameng_desk.records.payment_port import PaymentPort
from kameng_desk.usecases import changes, refunds
from kameng_desk.usecases.refunds import GatewayOfflineError, RefundPlan, RefundResult
from local_cache import Store
from local_cache.connection import Connection
from local_cache.staff import Staff


class RefundDialog(QDialog):
    """Pick lines or an amount, and a reason. ``amount_fen()`` None while the amount is not a valid one."""

    def __init__(self, plan: RefundPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        order = plan.order
        self.setWindowTitle(self.tr("退款 {n}").format(n=order.number))
        self.setObjectName("refundDialog")
        self.lines = QListWidget()
        self.lines.setObjectName("refundLines")
        for line in order.lines:
            item = QListWidgetItem(self.tr("{name} ×{q}  ￥{v}").format(name=line.product_name, q=line.quantity,
                                                                        v=yuan(line.amount_fen)))
            item.setData(Qt.ItemDataRole.UserRole, line.amount_fen)
            flags = Qt.ItemFlag.ItemIsEnabled | (Qt.ItemFlag.NoItemFlags if plan.whole_only
                                                 else Qt.ItemFlag.ItemIsUserCheckable)
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Checked)
            self.lines.addItem(item)
        self.lines.itemChanged.connect(self._lines_picked)
        self.amount = QLineEdit(yuan(plan.left_fen))
        self.amount.setObjectName("refundAmount")
        self.amount.setReadOnly(plan.whole_only)
        self.amount.textChanged.connect(self._check)
        self.reason = QLineEdit()
        self.reason.setObjectName("refundReason")
        self.reason.setMaxLength(refunds.REASON_MAX)
        self.reason.setPlaceholderText(self.tr("例如：顾客买错了"))
        self.problem = QLabel()
        self.problem.setObjectName("refundProblem")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("可退金额"), QLabel("￥" + yuan(plan.left_fen)))
        form.addRow(self.tr("退款金额"), self.amount)
        form.addRow(self.tr("退款方式"), QLabel(self.where()))
        form.addRow(self.tr("原因"), self.reason)
        note = QLabel(self.tr("卡密销售整单退款：卡密全部放回库存，订单作废。") if plan.whole_only
                      else self.tr("可勾选要退的商品，或直接输入金额（不超过可退金额）。"))
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("退款 (店长授权)"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        header = QLabel(self.tr("订单 {n} · 金额 ￥{v}").format(n=order.number, v=yuan(order.total_fen)))
        header.setObjectName("refundHeader")
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.lines)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(500, 420)
        self._check()

    def where(self) -> str:
        if self.plan.to == "cash":
            return self.tr("现金（从钱箱退给顾客）")
        # The local payment's method: the gateway of a QR payment, "code" for the customer's payment code.
        names = {"wechat": self.tr("微信支付"), "alipay": self.tr("支付宝"), "epay": self.tr("易支付"),
                 "sandbox": self.tr("沙箱"), "code": self.tr("付款码")}
        app = names.get(self.plan.payment_method or "", self.plan.payment_method or "")
        return self.tr("原路退回顾客的付款账户（{app}）").format(app=app)

    def _lines_picked(self, _item: QListWidgetItem) -> None:
        picked = sum(int(self.lines.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.lines.count())
                     if self.lines.item(i).checkState() == Qt.CheckState.Checked)
        self.amount.setText(yuan(min(picked, self.plan.left_fen)))

    def amount_fen(self) -> int | None:
        try:
            amount = parse_yuan(self.amount.text())
        except ValueError:
            return None
        return amount if 0 < amount <= self.plan.left_fen else None

    def _check(self) -> None:
        ok = self.amount_fen() is not None
        self.problem.setText("" if ok else self.tr("金额应大于 0，且不超过可退的 ￥{v}。").format(
            v=yuan(self.plan.left_fen)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


@dataclass(frozen=True)
class _Attempt:
    approver_id: str
    result: RefundResult | None  # None: the platform could not be reached, nothing was recorded


class RefundFlow(QObject):
    """Plan -> dialog -> owner's PIN -> refund -> what happened, with cash instead where the gateway cannot.
    ``port()`` gives the platform (None: not paired, or known offline); ``told(text)`` shows how it ended."""

    def __init__(self, context: DeskContext, parent: QWidget, port: Callable[[], PaymentPort | None],
                 told: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.context, self.parent_widget, self.port, self.told = context, parent, port, told
        self.dialog: RefundDialog | None = None

    def start(self, load_plan: Callable[[Connection], RefundPlan]) -> None:
        """``load_plan(conn)`` says what the refund would do (or why not: said before anyone types a PIN)."""
        if self.context.user is None:
            return
        self.context.worker.run(lambda store: load_plan(store.conn()), self._ask,
                                lambda exc: show_error(self.parent_widget, exc))

    def _ask(self, plan: RefundPlan) -> None:
        self.dialog = RefundDialog(plan, self.parent_widget)
        self.dialog.accepted.connect(lambda: self._approve(plan))
        self.dialog.open()

    def _approve(self, plan: RefundPlan) -> None:
        user, dialog = self.context.user, self.dialog
        amount = dialog.amount_fen() if dialog is not None else None
        if user is None or dialog is None or amount is None:
            return
        reason, port = dialog.reason.text().strip(), self.port()

        def work(store: Store, approver: Staff) -> _Attempt:
            try:
                return _Attempt(approver.id, refunds.refund_order(
                    store, port, order_id=plan.order.id, staff_id=user.id, approver_id=approver.id,
                    amount_fen=amount, reason=reason))
            except GatewayOfflineError:
                return _Attempt(approver.id, None)
        self.context.with_owner_approval(
            self.parent_widget, self.tr("退款 {n}：￥{v}").format(n=plan.order.number, v=yuan(amount)), work,
            lambda attempt: self._done(plan, amount, reason, attempt), lambda exc: show_error(self.parent_widget, exc),
            changes=changes.REFUND, network=True)

    def _done(self, plan: RefundPlan, amount: int, reason: str, attempt: _Attempt) -> None:
        n, v = plan.order.number, yuan(amount)
        result = attempt.result
        if result is None:
            self._offer_cash(plan, amount, reason, attempt.approver_id, self.tr(
                "平台暂时连不上：原路退款需要平台，这笔退款没有办理。请稍后再试，或从钱箱退现金 ￥{v}。").format(v=v))
            return
        if result.outcome == "succeeded":
            self.context.customer.refunded(amount)
            self.told(self.tr("订单 {n} 已退款 ￥{v}（{how}）。").format(n=n, v=v, how=self._how(result)))
        elif result.outcome in ("pending", "unreached"):
            self.told(self.tr("订单 {n} 的退款 ￥{v} 已交给平台，正在退回顾客的付款账户；完成后自动打印退款凭证。"
                              "请勿再退现金。").format(n=n, v=v))
        elif result.outcome == "unsupported":
            self._offer_cash(plan, amount, reason, attempt.approver_id, self.tr(
                "顾客的支付方式不支持原路退款。改为从钱箱退现金 ￥{v}？").format(v=v))
        else:
            self._offer_cash(plan, amount, reason, attempt.approver_id, self.tr(
                "原路退款失败（{why}），钱没有退出。改为从钱箱退现金 ￥{v}？").format(
                    why=result.refund.failure or "", v=v))

    def _cash_given(self, number: str, amount: int) -> None:
        self.context.customer.refunded(amount)
        self.told(self.tr("订单 {n} 已从钱箱退现金 ￥{v}。").format(n=number, v=yuan(amount)))

    def _how(self, result: RefundResult) -> str:
        return {"cash": self.tr("现金"), "cash_instead": self.tr("现金代退"),
                "gateway": self.tr("原路退回")}.get(result.refund.method, result.refund.method)

    def _offer_cash(self, plan: RefundPlan, amount: int, reason: str, approver_id: str, question: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("退款"), question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.parent_widget)
        box.setObjectName("cashInsteadBox")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("退现金"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("暂不退款"))
        user = self.context.user

        def answered(button: int) -> None:
            if button != QMessageBox.StandardButton.Yes or user is None:
                return
            # The same owner approved this refund a moment ago; the use case checks they are still an owner.
            self.context.worker.run(
                lambda store: refunds.refund_order(store, None, order_id=plan.order.id, staff_id=user.id,
                                                   approver_id=approver_id, amount_fen=amount, reason=reason,
                                                   cash_instead=True),
                lambda result: self._cash_given(plan.order.number, amount),
                lambda exc: show_error(self.parent_widget, exc), changes=changes.REFUND)
        box.finished.connect(lambda _: answered(box.standardButton(box.clickedButton())))
        box.open()

