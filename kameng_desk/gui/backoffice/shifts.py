"""Shifts (交班): open with a float, close with a count by denomination, the Z report, past shifts."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kameng_desk.gui.backoffice.common import fill_table, make_table, show_info
from kameng_desk.gui.context import DeskContext, refresh_on_changes
from kameng_desk.gui.messages import Notice, show_error
from kameng_desk.gui.texts import local_time, payment_label, tr
from kameng_desk.records.money import parse_yuan, yuan
from kameng_desk.records.zreport import ZReport
from kameng_desk.usecases import cash_shift, changes
from kameng_desk.usecases.cash_shift import DENOMINATIONS_FEN, ShiftStatus
from kameng_desk.usecases.reports import margin_text
from local_cache import staff
from local_cache.shifts import Shift


def _names(store) -> dict[str, str]:
    return {s.id: s.name for s in staff.list_all(store.conn(), include_disabled=True)}


def denomination_label(fen: int) -> str:
    return tr("{n} 元").format(n=fen // 100) if fen >= 100 else tr("{n} 角").format(n=fen // 10)


class ZReportDialog(QDialog):
    """A Z report, read-only: it was fixed when the shift closed."""

    def __init__(self, context: DeskContext, report: ZReport, names: dict[str, str], *, just_closed: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.report = context, report
        self.setWindowTitle(self.tr("Z 报表 第 {n} 号").format(n=report.seq))
        self.view = QTextBrowser()
        self.view.setObjectName("zReport")
        self.view.setHtml(self.render_html(report, names))
        print_button = QPushButton(self.tr("再打印一份"))
        print_button.setObjectName("printZReport")
        print_button.clicked.connect(self.print_report)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        if just_closed:
            buttons.addWidget(QLabel(self.tr("交班完成，Z 报表已加入打印队列。")))
        buttons.addStretch(1)
        buttons.addWidget(print_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.resize(560, 680)

    def print_report(self) -> None:
        """The report was queued for printing at close; this queues a copy (paper jam, a second signature)."""
        shift_id = self.report.shift.id
        self.context.worker.run(lambda store: cash_shift.print_z_copy(store, shift_id=shift_id),
                                lambda _: show_info(self, self.tr("已加入打印队列（副本）。"), "printQueued"),
                                lambda exc: show_error(self, exc))

    def render_html(self, z: ZReport, names: dict[str, str]) -> str:
        s = z.shift
        e = html.escape

        def row(label: str, value: object) -> str:
            return f"<tr><td>{e(label)}</td><td align='right'>{e(str(value))}</td></tr>"

        def who(staff_id: str | None) -> str:
            return names.get(staff_id or "", "") if staff_id else ""

        def heading(level: int, text: str) -> str:
            return f"<h{level}>{e(text)}</h{level}><table width='100%'>"

        parts = [heading(2, self.tr("Z 报表 第 {n} 号").format(n=z.seq)),
                 row(self.tr("开班时间"), f"{local_time(s.opened_at)}  {who(s.staff_id)}"),
                 row(self.tr("交班时间"), f"{local_time(s.closed_at)}  {who(s.closed_by)}"),
                 row(self.tr("备用金"), yuan(s.float_fen)),
                 row(self.tr("应有现金"), yuan(s.expected_fen or 0)),
                 row(self.tr("实点现金"), yuan(s.counted_fen or 0)),
                 row(self.tr("差额"), yuan(s.difference_fen or 0)),
                 row(self.tr("订单数"), z.orders),
                 row(self.tr("首单 / 末单"), f"{z.first_number or '-'} / {z.last_number or '-'}"),
                 row(self.tr("销售合计"), yuan(z.sales_fen)),
                 row(self.tr("成本合计"), yuan(z.cost_fen)),
                 row(self.tr("毛利"), f"{yuan(z.profit_fen)}（{margin_text(z.margin)}）"),
                 row(self.tr("直充"), self.tr("{n} 笔 ￥{v}（失败退款 ￥{f}）").format(
                     n=z.topups_count, v=yuan(z.topups_fen), f=yuan(z.topups_failed_fen))),
                 row(self.tr("无销售开钱箱"), z.drawer_openings),
                 row(self.tr("点钞"), ", ".join(f"{denomination_label(int(k))} × {n}" for k, n in sorted(
                     (s.count_detail or {}).items(), key=lambda kv: -int(kv[0]))))]
        if z.before_open_orders:
            parts.append(row(self.tr("开班前订单（现金已含在备用金里）"), self.tr("{n} 笔 ￥{v}").format(
                n=z.before_open_orders, v=yuan(z.before_open_fen))))
        parts += ["</table>", heading(3, self.tr("按商品"))]
        parts += [row(f"{p.name} × {p.quantity}", self.tr("￥{v}，成本 ￥{c}，毛利 ￥{m}").format(
            v=yuan(p.amount_fen), c=yuan(p.cost_fen), m=yuan(p.profit_fen))) for p in z.sales_by_product]
        if z.by_staff:
            parts += ["</table>", heading(3, self.tr("按员工"))]
            parts += [row(self.tr("{name} {n} 笔").format(name=st.name, n=st.orders),
                          self.tr("￥{v}，毛利 ￥{m}").format(v=yuan(st.amount_fen), m=yuan(st.profit_fen)))
                      for st in z.by_staff]
        parts += ["</table>", heading(3, self.tr("按支付方式"))]
        parts += [row(payment_label(m), yuan(v)) for m, v in sorted(z.by_payment_method.items())]
        parts += ["</table>", heading(3, self.tr("作废与退款"))]
        actions = {"void": self.tr("作废"), "refund": self.tr("退款")}
        parts += [row(f"{actions.get(a.action, a.action)} {a.number or ''}  {local_time(a.at)}",
                      self.tr("￥{v}，{staff}，授权 {approver}").format(
                          v=yuan(a.amount_fen or 0), staff=who(a.staff_id), approver=who(a.approver_id)))
                  for a in z.voids] or [row(self.tr("无"), "")]
        if z.passed_on:
            parts += ["</table>", heading(3, self.tr("未结算，转下一班（待付款）"))]
            parts += [row(p.number, yuan(p.total_fen)) for p in z.passed_on]
        if z.refunds_by_method:  # cash ones left this drawer (the expected cash is net of them)
            how = {"cash": self.tr("现金退款"), "gateway": self.tr("原路退回"), "cash_instead": self.tr("现金代退")}
            parts += ["</table>", heading(3, self.tr("退款（按方式）"))]
            parts += [row(how.get(m, m), yuan(v)) for m, v in sorted(z.refunds_by_method.items())]
        parts.append("</table>")
        return "".join(parts)


class ShiftsTab(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.current: ShiftStatus | None = None
        self.status = QLabel()
        self.status.setObjectName("shiftStatus")
        self.status.setWordWrap(True)

        self.open_box = QGroupBox(self.tr("开班"))
        self.float_input = QLineEdit()
        self.float_input.setObjectName("floatInput")
        self.float_input.setPlaceholderText(self.tr("备用金（元）"))
        self.open_button = QPushButton(self.tr("开班"))
        self.open_button.setObjectName("openShift")
        self.open_button.clicked.connect(self.open_shift)
        self.float_input.returnPressed.connect(self.open_shift)
        row = QHBoxLayout(self.open_box)
        row.addWidget(QLabel(self.tr("备用金")))
        row.addWidget(self.float_input, 1)
        row.addWidget(self.open_button)

        self.close_box = QGroupBox(self.tr("交班点钞"))
        grid = QGridLayout(self.close_box)
        self.counts: dict[int, QSpinBox] = {}
        for i, fen in enumerate(DENOMINATIONS_FEN):
            spin = QSpinBox()
            spin.setObjectName(f"count{fen}")
            spin.setRange(0, 9999)
            spin.valueChanged.connect(self._update_count)
            self.counts[fen] = spin
            r, c = i % 4, (i // 4) * 2
            grid.addWidget(QLabel(denomination_label(fen)), r, c)
            grid.addWidget(spin, r, c + 1)
        self.expected_label, self.counted_label, self.difference_label = QLabel(), QLabel(), QLabel()
        sums = QHBoxLayout()
        for label, name in ((self.expected_label, "expected"), (self.counted_label, "counted"),
                            (self.difference_label, "difference")):
            label.setObjectName(name)
            sums.addWidget(label)
        grid.addLayout(sums, 4, 0, 1, 4)
        self.close_button = QPushButton(self.tr("交班并出 Z 报表"))
        self.close_button.setObjectName("closeShift")
        self.close_button.clicked.connect(self.confirm_close)
        grid.addWidget(self.close_button, 5, 0, 1, 4)
        self.blind = False
        self.blind_box = QCheckBox(self.tr("盲点：收银员先点钞，交班后才看到应有现金"))
        self.blind_box.setObjectName("blindCount")
        self.blind_box.clicked.connect(self.set_blind)

        self.history = make_table([self.tr("Z 号"), self.tr("开班时间"), self.tr("交班时间"), self.tr("备用金"),
                                   self.tr("应有"), self.tr("实点"), self.tr("差额")], stretch=6, name="shiftHistory")
        self.history.doubleClicked.connect(lambda index: self.show_z(index.row()))
        view_z = QPushButton(self.tr("查看 Z 报表"))
        view_z.setObjectName("viewZReport")
        view_z.clicked.connect(lambda: self.show_z(self.history.currentRow()))
        self.closed: list[Shift] = []

        left = QVBoxLayout()
        left.addWidget(self.status)
        left.addWidget(self.open_box)
        left.addWidget(self.close_box)
        left.addWidget(self.blind_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("已交班")))
        right.addWidget(self.history, 1)
        right.addWidget(view_z, alignment=Qt.AlignmentFlag.AlignRight)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self._update_count()
        refresh_on_changes(context, self, "shifts", "settings")

    def refresh(self) -> None:
        self.context.worker.run(lambda store: (cash_shift.status(store.conn()),
                                               cash_shift.closed_shifts(store.conn()),
                                               cash_shift.blind_count(store.conn())), self._loaded,
                                lambda exc: show_error(self, exc))

    def _loaded(self, data: tuple[ShiftStatus | None, list[Shift], bool]) -> None:
        self.current, self.closed, self.blind = data
        self.blind_box.setChecked(self.blind)
        cur = self.current
        if cur is None:
            self.status.setText(self.tr("当前没有开班。"))
        elif cur.expected_fen is None:  # blind count: nothing hints at the figure the count should reach
            text = self.tr("第 {seq} 班 · {name} · {at} 开班\n备用金 ￥{float} · {n} 单 · 盲点：交班后显示应有现金")
            self.status.setText(text.format(
                seq=cur.shift.seq, name=cur.staff_name or "", at=local_time(cur.shift.opened_at),
                float=yuan(cur.shift.float_fen), n=cur.orders))
        else:
            text = self.tr("第 {seq} 班 · {name} · {at} 开班\n备用金 ￥{float} · {n} 单 · 应有现金 ￥{exp}")
            self.status.setText(text.format(
                seq=cur.shift.seq, name=cur.staff_name or "", at=local_time(cur.shift.opened_at),
                float=yuan(cur.shift.float_fen), n=cur.orders, exp=yuan(cur.expected_fen)))
        self.open_box.setVisible(cur is None)
        self.close_box.setVisible(cur is not None)
        fill_table(self.history, [(s.seq, local_time(s.opened_at), local_time(s.closed_at), yuan(s.float_fen),
                                   yuan(s.expected_fen or 0), yuan(s.counted_fen or 0), yuan(s.difference_fen or 0))
                                  for s in self.closed], right_align=(0, 3, 4, 5, 6))
        self._update_count()

    def counted(self) -> dict[int, int]:
        return {fen: spin.value() for fen, spin in self.counts.items() if spin.value()}

    def _update_count(self) -> None:
        counted = cash_shift.counted_total(self.counted())
        self.counted_label.setText(self.tr("实点 ￥{v}").format(v=yuan(counted)))
        if self.current is not None and self.current.expected_fen is None:
            self.expected_label.setText(self.tr("应有：交班后显示"))
            self.difference_label.setText("")
            return
        expected = self.current.expected_fen if self.current else 0
        diff = counted - expected
        self.expected_label.setText(self.tr("应有 ￥{v}").format(v=yuan(expected)))
        text = self.tr("短款 ￥{v}") if diff < 0 else self.tr("长款 ￥{v}") if diff > 0 else self.tr("无差额 ￥{v}")
        self.difference_label.setText(text.format(v=yuan(abs(diff))))
        self.difference_label.setStyleSheet("font-weight: bold; color: %s;" % ("#b71c1c" if diff else "#1b5e20"))

    def open_shift(self) -> None:
        user = self.context.user
        if user is None:
            return
        try:
            float_fen = parse_yuan(self.float_input.text()) if self.float_input.text().strip() else 0
        except ValueError:
            show_error(self, Notice(self.tr("备用金格式不对")))
            return
        self.context.worker.run(lambda store: cash_shift.open_shift(store, staff_id=user.id, float_fen=float_fen),
                                lambda _: self.float_input.clear(), lambda exc: show_error(self, exc),
                                changes=changes.SHIFT)

    def set_blind(self, enabled: bool) -> None:
        """The owner's setting (PIN asked); the box shows the stored value again whatever happens."""
        user = self.context.user
        if user is None:
            return
        self.blind_box.setChecked(self.blind)
        self.context.with_owner_approval(
            self, self.tr("更改盲点设置"),
            lambda store, approver: cash_shift.set_blind_count(store, enabled=enabled, staff_id=user.id,
                                                               approver_id=approver.id),
            None, lambda exc: show_error(self, exc), changes=changes.SETTINGS)

    def confirm_close(self) -> None:
        """Closing cannot be undone: the count and the Z report are final. 取消 is the default button."""
        if self.context.user is None or self.current is None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("交班"), self.tr(
            "确认交班？实点现金 ￥{v}。\n交班后本班的点钞和 Z 报表不能再改。").format(
                v=yuan(cash_shift.counted_total(self.counted()))), parent=self)
        box.setObjectName("confirmClose")
        yes = box.addButton(self.tr("交班"), QMessageBox.ButtonRole.AcceptRole)
        yes.setObjectName("confirmCloseYes")
        box.setDefaultButton(box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole))
        box.buttonClicked.connect(lambda button: self.close_shift() if button is yes else None)
        box.open()

    def close_shift(self) -> None:
        user, counts = self.context.user, self.counted()
        if user is None or self.current is None:
            return
        self.close_button.setEnabled(False)

        def done(data: tuple[ZReport, dict[str, str]]) -> None:
            self.close_button.setEnabled(True)
            for spin in self.counts.values():
                spin.setValue(0)
            self.open_z(*data, just_closed=True)

        def failed(exc: Exception) -> None:
            self.close_button.setEnabled(True)
            show_error(self, exc)
        self.context.worker.run(
            lambda store: (cash_shift.close_shift(store, staff_id=user.id, counts=counts), _names(store)),
            done, failed, changes=changes.SHIFT)

    def show_z(self, row: int) -> None:
        if not 0 <= row < len(self.closed):
            return
        shift_id = self.closed[row].id
        self.context.worker.run(lambda store: (cash_shift.z_report_of(store.conn(), shift_id), _names(store)),
                                lambda data: self.open_z(*data), lambda exc: show_error(self, exc))

    def open_z(self, report: ZReport, names: dict[str, str], *, just_closed: bool = False) -> None:
        dialog = ZReportDialog(self.context, report, names, just_closed=just_closed, parent=self)
        dialog.setObjectName("zReportDialog")
        dialog.open()
