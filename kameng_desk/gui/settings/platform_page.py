"""The platform this counter syncs with: pair, move to another platform, or un-pair (owner's PIN)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.pairing_fields import accept_pairing_link
from kameng_desk.gui.settings.common import ResultLine
from kameng_desk.usecases import changes, shop_admin
from local_cache import sync_state


class PlatformPage(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.status = QLabel(objectName="pairingStatus", wordWrap=True)
        self.url = QLineEdit(objectName="platformUrl", placeholderText="https://")
        self.code = QLineEdit(objectName="pairingCode")
        self.pair_button = QPushButton(self.tr("配对"), objectName="pair")
        self.unpair_button = QPushButton(self.tr("解除配对"), objectName="unpair")
        self.result = ResultLine("platformResult")
        self.pair_button.clicked.connect(self.pair)
        accept_pairing_link(self.url, self.code)
        self.unpair_button.clicked.connect(self.unpair)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pair_button)
        buttons.addWidget(self.unpair_button)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.status)
        form.addRow(self.tr("平台地址"), self.url)
        form.addRow(self.tr("配对码"), self.code)
        form.addRow(buttons)
        form.addRow(self.result)

    def refresh(self) -> None:
        def load(store) -> tuple[str | None, str | None, str | None]:
            conn = store.conn()
            return tuple(sync_state.get(conn, k) for k in ("platform_url", "terminal_id", "reseller_name"))
        self.context.worker.run(load, self._show, self.result.error)

    def _show(self, facts: tuple[str | None, str | None, str | None]) -> None:
        url, terminal, reseller = facts
        if terminal:
            self.status.setText(self.tr("已配对：{url}（{reseller}，终端 {t}）").format(
                url=url, reseller=reseller or "", t=terminal))
        else:
            self.status.setText(self.tr("未配对：销售在本机离线记录，配对后才能补货、充值和扫码收款。"))
        self.unpair_button.setEnabled(bool(terminal))

    def _after_change(self, text: str) -> None:
        self.result.ok(text)
        self.code.clear()
        if self.context.engine is not None:
            self.context.engine.forget_client()
            self.context.engine.wake()
        self.refresh()

    def pair(self) -> None:
        url, code, user = self.url.text().strip(), self.code.text().strip(), self.context.user
        if not (url and code):
            self.result.setText(self.tr("请填写平台地址和配对码。"))
            return
        self.context.with_owner_approval(
            self, self.tr("配对平台"),
            lambda store, approver: shop_admin.pair(store, url, code, staff_id=user.id, approver_id=approver.id),
            lambda reseller: self._after_change(self.tr("已与 {r} 配对。").format(r=reseller)), self.result.error,
            changes=changes.SETTINGS, network=True)

    def unpair(self) -> None:
        user = self.context.user
        self.context.with_owner_approval(
            self, self.tr("解除配对"),
            lambda store, approver: shop_admin.unpair(store, staff_id=user.id, approver_id=approver.id),
            lambda _: self._after_change(self.tr("已解除配对。")), self.result.error, changes=changes.SETTINGS)
