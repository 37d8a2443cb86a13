"""Data safety: an encrypted backup with the owner's passphrase, restore, and rotating the database key.

The owner's PIN, the audit entry and stopping the background services for a restore or a key rotation are
kameng_desk.usecases.maintenance's, the same use cases as the command line's; this page only asks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.settings.common import ResultLine
from kameng_desk.usecases import maintenance
from kameng_desk.usecases.maintenance import OwnerPin
from local_cache import Store
from local_cache.errors import BackupError


class DataPage(QWidget):
    restored = Signal()

    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.file = QLineEdit(objectName="backupFile")
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self._browse)
        self.passphrase = QLineEdit(objectName="backupPassphrase", echoMode=QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("至少 8 个字符，请另外保管"))
        self.passphrase_again = QLineEdit(objectName="backupPassphraseAgain", echoMode=QLineEdit.EchoMode.Password)
        self.backup_button = QPushButton(self.tr("备份"), objectName="backup")
        self.restore_button = QPushButton(self.tr("从备份恢复…"), objectName="restore")
        self.rekey_button = QPushButton(self.tr("更换数据库密钥"), objectName="rekey")
        self.result = ResultLine("dataResult")
        self.backup_button.clicked.connect(self.backup)
        self.restore_button.clicked.connect(self.restore)
        self.rekey_button.clicked.connect(self.rekey)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(browse)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.rekey_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("备份文件已加密，没有口令无法打开。磁盘损坏时，系统钥匙串会一起丢失，"
                                   "所以备份用店长自己的口令。"), wordWrap=True))
        form.addRow(self.tr("备份文件"), file_row)
        form.addRow(self.tr("备份口令"), self.passphrase)
        form.addRow(self.tr("再输一次"), self.passphrase_again)
        form.addRow(buttons)
        form.addRow(self.result)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("备份文件"), self.file.text() or "kameng-backup.db")
        if path:
            self.file.setText(path)

    def _inputs(self, *, confirm: bool) -> tuple[Path, str] | None:
        if not self.file.text().strip():
            self.result.setText(self.tr("请选择备份文件。"))
            return None
        if confirm and self.passphrase.text() != self.passphrase_again.text():
            self.result.setText(self.tr("两次输入的口令不一致。"))
            return None
        return Path(self.file.text().strip()), self.passphrase.text()

    def _with_owner(self, title: str, work: Callable[[Store, OwnerPin, str], Any], done) -> None:
        """`work(store, owner_pin, staff_id)` calls a kameng_desk.usecases.maintenance use case after the owner's PIN
        dialog: it checks the PIN and writes the audit entry, exactly as `kameng-desk backup|restore|rekey`."""
        user = self.context.user
        self.context.with_owner_pin(
            self, title, lambda store, owner_id, pin: work(store, OwnerPin(owner_id, pin), user.id),
            done, self.result.error)

    def _services(self) -> list:
        # They hold database connections of their own: rekey and restore stop them first, on the database thread.
        return [s for s in (self.context.engine, self.context.printing) if s is not None]

    def backup(self) -> None:
        inputs = self._inputs(confirm=True)
        if inputs is None:
            return
        target, passphrase = inputs
        self._with_owner(self.tr("备份数据"),
                         lambda store, owner, staff_id: maintenance.backup_data(store, target, passphrase, owner,
                                                                                staff_id=staff_id),
                         lambda _: self.result.ok(self.tr("备份已写入 {f}").format(f=target)))

    def rekey(self) -> None:
        self._with_owner(self.tr("更换数据库密钥"),
                         lambda store, owner, staff_id: maintenance.rekey_data(store, owner, staff_id=staff_id,
                                                                               services=self._services()),
                         lambda _: self.result.ok(self.tr("数据库密钥已更换，新密钥在系统钥匙串中。")))

    def restore(self) -> None:
        inputs = self._inputs(confirm=False)
        if inputs is None:
            return
        source, passphrase = inputs
        if not source.exists():
            self.result.error(BackupError("no backup file", "no_file", str(source)))
            return

        def done(moved) -> None:
            self.result.ok(self.tr("已恢复。原数据库保存为 {m}。收银台将关闭，请重新打开。").format(m=moved))
            self.restored.emit()
        self._with_owner(self.tr("从备份恢复"),
                         lambda store, owner, staff_id: maintenance.restore_data(
                             store, source, passphrase, owner, staff_id=staff_id, services=self._services()),
                         done)
