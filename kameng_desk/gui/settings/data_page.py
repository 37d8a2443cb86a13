"""Data safety: an encrypted backup with the owner's passphrase, restore, and rotating the database key.

Restore and key rotation need every other database connection closed: the sync engine (and the print service)
stop first, on the database thread, so the window never waits.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.settings.common import ResultLine
from local_cache import audit, backup, rekey
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

    def _approved(self, action: str, title: str, work, done) -> None:
        """After an owner's PIN: the work, then its audit entry in the database as it is afterwards (for a
        restore, the restored one, which the folder's key still opens)."""
        user = self.context.user

        def run(store, approver):
            result = work(store)
            with store.transaction() as conn:
                audit.append(conn, action, staff_id=user.id, approver_id=approver.id)
            return result
        self.context.with_owner_approval(self, title, run, done, self.result.error)

    def _pause_background(self) -> None:
        # Called on the database thread: other threads must close their connections first.
        for service in (self.context.engine, self.context.printing):
            if service is not None:
                service.stop()

    def _resume_background(self) -> None:
        for service in (self.context.engine, self.context.printing):
            if service is not None:
                service.start()

    def backup(self) -> None:
        inputs = self._inputs(confirm=True)
        if inputs is None:
            return
        target, passphrase = inputs
        self._approved("backup", self.tr("备份数据"), lambda store: backup.backup(store, target, passphrase),
                       lambda _: self.result.ok(self.tr("备份已写入 {f}").format(f=target)))

    def rekey(self) -> None:
        def work(store) -> None:
            self._pause_background()
            try:
                rekey.rekey(store)
            finally:
                self._resume_background()
        self._approved("rekey", self.tr("更换数据库密钥"), work,
                       lambda _: self.result.ok(self.tr("数据库密钥已更换，新密钥在系统钥匙串中。")))

    def restore(self) -> None:
        inputs = self._inputs(confirm=False)
        if inputs is None:
            return
        source, passphrase = inputs
        if not source.exists():
            self.result.error(BackupError(self.tr("找不到备份文件 {f}").format(f=source)))
            return

        def work(store):
            self._pause_background()
            try:
                store.close_thread_connection()
                return backup.restore(store.data_dir, source, passphrase)
            except Exception:
                self._resume_background()  # nothing was replaced: carry on as before
                raise

        def done(moved) -> None:
            self.result.ok(self.tr("已恢复。原数据库保存为 {m}。收银台将关闭，请重新打开。").format(m=moved))
            self.restored.emit()
        self._approved("restore", self.tr("从备份恢复"), work, done)
