"""The audit log viewer: newest entries first, older ones on demand, and the hash-chain integrity check."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kameng_desk.gui.backoffice.common import OwnerGate, fill_table, make_table
from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.messages import show_error
from kameng_desk.gui.texts import local_time, tr
from kameng_desk.records.money import yuan
from local_cache import audit, staff
from local_cache.audit import AuditEntry, VerifyResult

PAGE = 200


def action_label(action: str) -> str:
    return {"retail_price": tr("修改售价"), "restock": tr("补货"), "auto_restock": tr("自动补货"),
            "restock_policy": tr("设置自动补货"), "restock_budget": tr("修改自动补货预算"),
            "sale": tr("卖卡"), "topup": tr("直充"), "void": tr("作废"), "refund": tr("退款"),
            "refund_request": tr("申请退款"), "refund_failed": tr("退款未成功"),
            "reprint": tr("重印"), "reveal": tr("显示卡密"), "login": tr("登录"), "shift_open": tr("开班"),
            "shift_close": tr("交班结算"), "drawer_open": tr("开钱箱"), "stock_threshold": tr("修改预警值"),
            "refund_flag": tr("标记退款"), "settings": tr("修改设置"), "print": tr("打印"),
            "payment_cancel": tr("取消扫码收款"), "payment_released": tr("扫码未付款，卡密回库"),
            "static_qr_confirm": tr("收到款项"), "setup": tr("首次设置"), "pair": tr("配对平台"),
            "unpair": tr("解除配对"), "staff_add": tr("添加员工"), "staff_disable": tr("停用员工"),
            "staff_enable": tr("启用员工"), "staff_pin_reset": tr("重置 PIN"), "backup": tr("备份数据"),
            "restore": tr("从备份恢复"), "rekey": tr("更换数据库密钥"),
            "pin_failed": tr("PIN 错误"), "pin_lockout": tr("PIN 锁定"),
            "barcode_attach": tr("绑定条码")}.get(action, action)


def detail_text(entry: AuditEntry) -> str:
    """The flat facts of an entry; nested data (a Z report) is summarised, never dumped."""
    parts = [f"{k[:-4]}=￥{yuan(v)}" if k.endswith("_fen") and isinstance(v, int) else f"{k}={v}"
             for k, v in entry.detail.items() if not isinstance(v, dict | list)]
    return ", ".join(parts)


class AuditTab(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.entries: list[AuditEntry] = []
        self.names: dict[str, str] = {}
        content = QWidget()
        self.table = make_table([self.tr("序号"), self.tr("时间"), self.tr("操作"), self.tr("员工"), self.tr("授权人"),
                                 self.tr("详情")], stretch=5, name="auditTable")
        self.verify_button = QPushButton(self.tr("校验完整性"))
        self.verify_button.setObjectName("verifyAudit")
        self.verify_button.clicked.connect(self.verify)
        self.more_button = QPushButton(self.tr("加载更早的记录"))
        self.more_button.setObjectName("moreAudit")
        self.more_button.clicked.connect(self.load_more)
        self.result = QLabel()
        self.result.setObjectName("verifyResult")
        self.result.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.verify_button)
        top.addWidget(self.result, 1)
        layout = QVBoxLayout(content)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.more_button)
        self.gate = OwnerGate(context, content, self.tr("查看审计日志"), self.load)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.gate)

    def refresh(self) -> None:
        self.gate.refresh()

    def load(self) -> None:
        self.entries = []
        self.result.clear()
        self._fetch(None)

    def load_more(self) -> None:
        if self.entries:
            self._fetch(self.entries[-1].seq)

    def _fetch(self, before_seq: int | None) -> None:
        def query(store) -> tuple[list[AuditEntry], dict[str, str]]:
            conn = store.conn()
            names = {s.id: s.name for s in staff.list_all(conn, include_disabled=True)}
            return audit.entries(conn, limit=PAGE, before_seq=before_seq), names
        self.context.worker.run(query, self._show, lambda exc: show_error(self, exc))

    def _show(self, data: tuple[list[AuditEntry], dict[str, str]]) -> None:
        page, self.names = data
        self.entries.extend(page)
        self.more_button.setEnabled(len(page) == PAGE)
        fill_table(self.table, [self._row(e) for e in self.entries], right_align=(0,))

    def _row(self, e: AuditEntry) -> tuple[Any, ...]:
        return (e.seq, local_time(e.at), action_label(e.action), self.names.get(e.staff_id or "", ""),
                self.names.get(e.approver_id or "", ""), detail_text(e))

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.result.setText(self.tr("校验中…"))

        def failed(exc: Exception) -> None:
            self.verify_button.setEnabled(True)
            show_error(self, exc)
        self.context.worker.run(lambda store: audit.verify(store.conn()), self._verified, failed)

    def _verified(self, result: VerifyResult) -> None:
        self.verify_button.setEnabled(True)
        if result.ok:
            text = self.tr("完整：{n} 条记录全部校验通过，没有被修改、删除或调换。").format(n=result.checked)
        else:
            text = self.tr("发现问题：第 {seq} 条记录起校验失败（{problem}）。请保留本机数据并联系运营方。").format(
                seq=result.seq, problem=result.problem)
        self.result.setText(text)
        self.result.setStyleSheet("font-weight: bold; color: %s;" % ("#1b5e20" if result.ok else "#b71c1c"))
