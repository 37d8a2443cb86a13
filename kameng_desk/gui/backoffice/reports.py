"""Reports: today or a chosen range, revenue, cost and profit (毛利) by product / payment method / staff / day, a bar
chart, the last 30 days' chart, CSV and XLSX."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kameng_desk.gui.backoffice.common import DateRange, OwnerGate, fill_table, make_table, show_info
from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.messages import show_error
from kameng_desk.gui.texts import payment_label
from kameng_desk.records.money import yuan
from kameng_desk.usecases import reports
from kameng_desk.usecases.reports import ExportLabels, ReportRow, SalesReport, margin_text


class BarChart(QWidget):
    """Horizontal bars drawn with QPainter (pyside6-essentials ships no QtCharts): label, bar, amount."""

    BAR_COLOR = QColor("#c62828")

    def __init__(self) -> None:
        super().__init__()
        self.bars: list[tuple[str, int]] = []
        self.setMinimumSize(320, 200)

    def set_bars(self, bars: list[tuple[str, int]]) -> None:
        self.bars = bars
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 40 + 30 * max(1, len(self.bars)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(self.font())
        if not self.bars:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("所选时间内没有销售"))
            return
        pad, gap = 12, 6
        shown = self.bars[: max(1, (self.height() - 2 * pad) // (metrics.height() + 2 * gap))]
        label_w = min(self.width() // 3, max(metrics.horizontalAdvance(label) for label, _ in shown) + pad)
        value_w = max(metrics.horizontalAdvance(yuan(v)) for _, v in shown) + pad
        bar_space = max(10, self.width() - 2 * pad - label_w - value_w)
        top_value = max(v for _, v in shown) or 1
        row_h = min(36, (self.height() - 2 * pad) / len(shown))
        text = self.palette().text().color()
        for i, (label, value) in enumerate(shown):
            y = pad + i * row_h
            painter.setPen(text)
            elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w - gap)
            painter.drawText(QRectF(pad, y, label_w - gap, row_h), Qt.AlignmentFlag.AlignVCenter, elided)
            width = bar_space * value / top_value
            painter.fillRect(QRectF(pad + label_w, y + gap / 2, max(1.0, width), row_h - gap), self.BAR_COLOR)
            painter.drawText(QRectF(pad + label_w + width + gap, y, value_w, row_h), Qt.AlignmentFlag.AlignVCenter,
                             yuan(value))
        painter.end()


class DailyChart(QWidget):
    """The last 30 days as columns: revenue (light) with its profit (毛利, dark) inside, a day label every week."""

    REVENUE_COLOR, PROFIT_COLOR = QColor("#ef9a9a"), QColor("#c62828")

    def __init__(self) -> None:
        super().__init__()
        self.days: list[ReportRow] = []
        self.setMinimumSize(320, 160)

    def set_days(self, days: list[ReportRow]) -> None:
        self.days = days
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(self.font())
        pad, text_h = 8, metrics.height()
        text = self.palette().text().color()
        painter.setPen(text)
        title = self.tr("近 {n} 天销售额（浅色）与毛利（深色）").format(n=len(self.days))
        painter.drawText(QRectF(pad, 0, self.width() - 2 * pad, text_h + pad), Qt.AlignmentFlag.AlignVCenter, title)
        if not self.days:
            return
        top_value = max(max(d.amount_fen for d in self.days), 1)
        top, bottom = text_h + 2 * pad, self.height() - text_h - pad
        slot = (self.width() - 2 * pad) / len(self.days)
        for i, day in enumerate(self.days):
            x = pad + i * slot
            for value, color in ((day.amount_fen, self.REVENUE_COLOR), (max(day.profit_fen, 0), self.PROFIT_COLOR)):
                h = (bottom - top) * value / top_value
                painter.fillRect(QRectF(x + 1, bottom - h, max(1.0, slot - 2), h), color)
            if (len(self.days) - 1 - i) % 7 == 0:  # today and every week back: the labels never collide
                painter.drawText(QRectF(x - slot, bottom, 3 * slot, text_h + pad), Qt.AlignmentFlag.AlignCenter,
                                 day.key[5:])
        painter.end()


class ReportsTab(QWidget):
    exported = Signal(object)  # the Path written

    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.report: SalesReport | None = None
        content = QWidget()
        self.dates = DateRange(["today", "yesterday", "7", "month", "custom"], name="reportRange", default="today")
        self.dates.changed.connect(self.load)
        self.totals = QLabel()
        self.totals.setObjectName("reportTotals")
        self.totals.setStyleSheet("font-size: 20px; font-weight: bold;")
        csv_button = QPushButton(self.tr("导出 CSV"))
        csv_button.setObjectName("exportCsv")
        csv_button.clicked.connect(lambda: self.ask_export("csv"))
        xlsx_button = QPushButton(self.tr("导出 Excel"))
        xlsx_button.setObjectName("exportXlsx")
        xlsx_button.clicked.connect(lambda: self.ask_export("xlsx"))

        headers = [self.tr("名称"), self.tr("订单"), self.tr("数量"), self.tr("金额"), self.tr("成本"), self.tr("毛利"),
                   self.tr("毛利率")]
        self.headers = headers
        self.by_product = make_table(headers, name="byProduct")
        self.by_payment = make_table(headers, name="byPayment")
        self.by_staff = make_table(headers, name="byStaff")
        self.by_day = make_table([self.tr("日期"), *headers[1:]], name="byDay")
        self.sections = QTabWidget()
        self.sections.setObjectName("reportSections")
        self.sections.addTab(self.by_product, self.tr("按商品"))
        self.sections.addTab(self.by_payment, self.tr("按支付方式"))
        self.sections.addTab(self.by_staff, self.tr("按员工"))
        self.sections.addTab(self.by_day, self.tr("按日"))
        self.sections.currentChanged.connect(lambda _: self._draw_chart())
        self.chart = BarChart()
        self.chart.setObjectName("reportChart")
        self.daily = DailyChart()
        self.daily.setObjectName("dailyChart")

        top = QHBoxLayout()
        top.addWidget(self.dates)
        top.addStretch(1)
        top.addWidget(csv_button)
        top.addWidget(xlsx_button)
        body = QHBoxLayout()
        body.addWidget(self.sections, 1)
        body.addWidget(self.chart, 1)
        layout = QVBoxLayout(content)
        layout.addLayout(top)
        layout.addWidget(self.totals)
        layout.addLayout(body, 1)
        layout.addWidget(self.daily)
        self.gate = OwnerGate(context, content, self.tr("查看报表"), self.load)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.gate)

    def refresh(self) -> None:
        self.gate.refresh()

    def load(self) -> None:
        start, end = self.dates.utc_bounds()
        self.context.worker.run(lambda store: (reports.sales_report(store.conn(), start, end),
                                               reports.last_days(store.conn(), 30)), self._show,
                                lambda exc: show_error(self, exc))

    def _show(self, data: tuple[SalesReport, tuple[ReportRow, ...]]) -> None:
        report, days = data
        self.report = report
        self.totals.setText(self.tr("销售额 ￥{v} · {n} 单 · 成本 ￥{c} · 毛利 ￥{p}（{m}）").format(
            v=yuan(report.total_fen), n=report.orders, c=yuan(report.cost_fen), p=yuan(report.profit_fen),
            m=margin_text(report.margin)) + (self.tr(" · 退款 {n} 笔 ￥{v}").format(
                n=sum(r.orders for r in report.refunds), v=yuan(report.refunded_fen)) if report.refunds else ""))
        for table, rows, label in ((self.by_product, report.by_product, None),
                                   (self.by_payment, report.by_payment_method, payment_label),
                                   (self.by_staff, report.by_staff, None),
                                   (self.by_day, report.by_day, None)):
            fill_table(table, [((label or str)(r.label), r.orders, r.quantity, yuan(r.amount_fen), yuan(r.cost_fen),
                                yuan(r.profit_fen), margin_text(r.margin)) for r in rows],
                       right_align=(1, 2, 3, 4, 5, 6))
        self.daily.set_days(list(days))
        self._draw_chart()

    def _section_rows(self) -> list[ReportRow]:
        if self.report is None:
            return []
        return list((self.report.by_product, self.report.by_payment_method, self.report.by_staff,
                     self.report.by_day)[self.sections.currentIndex()])

    def _draw_chart(self) -> None:
        label = payment_label if self.sections.currentIndex() == 1 else str
        self.chart.set_bars([(label(r.label), r.amount_fen) for r in self._section_rows()])

    def ask_export(self, kind: str) -> None:
        if self.report is None:
            return
        first, last = self.dates.days()
        suggested = str(Path.home() / f"sales_{first:%Y%m%d}-{last:%Y%m%d}.{kind}")
        filters = self.tr("CSV 文件 (*.csv)") if kind == "csv" else self.tr("Excel 工作簿 (*.xlsx)")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出报表"), suggested, filters)
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        """Write the report shown to `path` (.csv or .xlsx) on the database thread."""
        report = self.report
        if report is None:
            return
        write = reports.export_xlsx if path.suffix.lower() == ".xlsx" else reports.export_csv
        labels = self.export_labels(report)

        def done(_: object) -> None:
            show_info(self, self.tr("已导出到 {p}").format(p=str(path)), "exportDone")
            self.exported.emit(path)
        def failed(exc: Exception) -> None:
            if isinstance(exc, OSError):  # a read-only folder, a full disk, the file open in Excel
                show_error(self, self.tr("无法写入 {p}：{e}").format(p=str(path), e=exc.strerror or type(exc).__name__))
            else:
                show_error(self, exc)
        self.context.worker.run(lambda store: write(report, path, labels), done, failed)

    def export_labels(self, report: SalesReport) -> ExportLabels:
        """The export in the language on screen: the column and section names, staff and payment names."""
        return ExportLabels(
            headers=tuple(self.headers), date_header=self.tr("日期"),
            sections={"by_product": self.tr("按商品"), "by_payment_method": self.tr("按支付方式"),
                      "by_staff": self.tr("按员工"), "by_day": self.tr("按日")},
            section_header=self.tr("分类"), total=self.tr("合计"), period=self.tr("时间范围"),
            payment_names={r.key: payment_label(r.key) for r in report.by_payment_method})
