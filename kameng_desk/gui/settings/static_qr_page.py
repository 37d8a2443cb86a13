"""The shop's static collection QR (收款码): an image of the QR from WeChat/Alipay, or the text inside it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.settings.common import ResultLine
from kameng_desk.gui.static_qr_dialog import static_qr_pixmap
from kameng_desk.usecases import static_qr
from kameng_desk.usecases.static_qr import StaticQr


class StaticQrPage(QWidget):
    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        intro = QLabel(self.tr("平台连不上时，顾客可以扫店铺自己的收款码付款；收银员确认到账后点“收到款项”，"
                               "系统会记录是谁确认的。"), wordWrap=True)
        self.preview = QLabel(self.tr("尚未设置"), objectName="staticQrPreview",
                              alignment=Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(220)
        self.text = QLineEdit(objectName="staticQrText")
        self.text.setPlaceholderText(self.tr("或粘贴收款码里的链接文字"))
        image_button = QPushButton(self.tr("选择收款码图片…"), objectName="chooseStaticImage")
        text_button = QPushButton(self.tr("保存文字"), objectName="saveStaticText")
        image_button.clicked.connect(self.choose_image)
        text_button.clicked.connect(self.save_text)
        self.result = ResultLine("staticQrResult")
        row = QHBoxLayout()
        row.addWidget(self.text, 1)
        row.addWidget(text_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.preview)
        layout.addWidget(image_button)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addStretch(1)

    def refresh(self) -> None:
        self.context.worker.run(lambda store: static_qr.load(store.conn()), self._show, self.result.error)

    def _show(self, qr: StaticQr | None) -> None:
        if qr is None:
            self.preview.setText(self.tr("尚未设置"))
            return
        self.preview.setPixmap(static_qr_pixmap(qr, self.devicePixelRatioF()))

    def choose_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("收款码图片"), "", "Images (*.png *.jpg *.jpeg *.bmp)")
        if path:
            self.save_image(Path(path))

    def save_image(self, path: Path) -> None:
        self._save(lambda: static_qr.image_qr(path.read_bytes()))

    def save_text(self) -> None:
        text = self.text.text()
        self._save(lambda: static_qr.text_qr(text))

    def _save(self, build) -> None:
        """Check the image or text first (off the GUI thread), then ask the owner, then store it."""
        user = self.context.user

        def approve(qr: StaticQr) -> None:
            self.context.with_owner_approval(
                self, self.tr("设置收款码"),
                lambda store, approver: static_qr.save(store, qr, staff_id=user.id, approver_id=approver.id),
                lambda _: saved(qr), self.result.error)

        def saved(qr: StaticQr) -> None:
            self.result.ok(self.tr("收款码已保存。"))
            self._show(qr)
        self.context.worker.run(lambda store: build(), approve, self.result.error)
