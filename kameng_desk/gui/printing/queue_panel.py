"""The print queue as the cashier sees it: every job not yet printed, its state and why it waits; retry, cancel."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.printing.reasons import error_text, reason_text
from kameng_desk.gui.settings.common import ResultLine
from kameng_desk.gui.texts import local_time
from kameng_desk.gui.worker import listen_while_alive
from kameng_desk.printing.service import JobEvent
from kameng_desk.usecases import print_queue
from local_cache import print_jobs
from local_cache.print_jobs import PrintJob


class PrintQueuePanel(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.jobs: list[PrintJob] = []
        self.kinds = {"sale_receipt": self.tr("销售小票"), "card_slip": self.tr("卡密凭证"),
                      "topup_receipt": self.tr("充值凭证"), "z_report": self.tr("交班报表"),
                      "test_page": self.tr("测试页"), "drawer_kick": self.tr("开钱箱"),
                      "refund_slip": self.tr("退款凭证")}
        self.states = {"queued": self.tr("等待打印"), "printing": self.tr("打印中"), "failed": self.tr("失败")}
        self.table = QTableWidget(0, 5, objectName="printQueueTable")
        self.table.setHorizontalHeaderLabels([self.tr("时间"), self.tr("类型"), self.tr("状态"), self.tr("次数"),
                                              self.tr("原因")])
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty = QLabel(self.tr("打印队列是空的：所有小票都已打印。"), objectName="printQueueEmpty")
        self.retry_button = QPushButton(self.tr("重试"), objectName="printRetry")
        self.cancel_button = QPushButton(self.tr("取消此单"), objectName="printCancel")
        self.retry_button.clicked.connect(self.retry)
        self.cancel_button.clicked.connect(self.cancel)
        self.result = ResultLine("printQueueResult")
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        self._update_buttons()
        if context.printing is not None:
            listen_while_alive(self, context.printing.add_listener, context.printing.remove_listener,
                               context.worker.to_gui(self._job_changed))

    def _job_changed(self, _event: JobEvent) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.context.worker.run(lambda store: print_jobs.open_jobs(store.conn()), self._show, self._error)

    def _show(self, jobs: list[PrintJob]) -> None:
        if not isValid(self):
            return
        selected = self.selected()
        self.jobs = jobs
        self.table.setRowCount(len(jobs))
        for row, job in enumerate(jobs):
            kind = self.kinds.get(job.kind, job.kind) + (self.tr("（重印）") if job.is_copy else "")
            cells = [local_time(job.created_at, with_date=False), kind,
                     self.states.get(job.state, job.state), str(job.attempts), reason_text(job.reason)]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if selected is not None and job.id == selected.id:
                self.table.selectRow(row)
        self.empty.setVisible(not jobs)
        self._update_buttons()

    def selected(self) -> PrintJob | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self.jobs[rows.pop()] if len(rows) == 1 and self.jobs else None

    def _update_buttons(self) -> None:
        job = self.selected()
        self.retry_button.setEnabled(job is not None and job.state == "failed")
        self.cancel_button.setEnabled(job is not None and job.state in ("queued", "failed"))

    def _error(self, exc: Exception) -> None:
        if isValid(self):
            self.result.error(error_text(exc))

    def _done(self, message: str):
        def done(_result: object) -> None:
            if self.context.printing is not None:
                self.context.printing.wake()
            self.result.ok(message)
            self.refresh()
        return done

    def retry(self) -> None:
        job, user = self.selected(), self.context.user
        if job is None:
            return
        done = self.tr("已重新排队，将印为重印。") if job.is_copy else self.tr("已重新排队。")
        self.context.worker.run(lambda store: print_queue.retry_job(store, job.id, staff_id=user.id if user else None),
                                self._done(done), self._error)

    def cancel(self) -> None:
        job, user = self.selected(), self.context.user
        if job is None:
            return
        self.context.worker.run(lambda store: print_queue.cancel_job(store, job.id, staff_id=user.id if user else None),
                                self._done(self.tr("已取消（已记录在操作日志）。")), self._error)
