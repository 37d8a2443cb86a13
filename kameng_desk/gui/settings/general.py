"""Shop name, receipt header, auto-lock time, language, the counter's sounds and the spoken confirmation; saved
after an owner's PIN."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLineEdit, QPushButton, QSpinBox, QWidget

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.settings.common import ResultLine
from kameng_desk.usecases import shop_admin
from kameng_desk.usecases.shop_admin import ShopSettings


class GeneralPage(QWidget):
    language_changed = Signal(str)
    auto_lock_changed = Signal(int)

    def __init__(self, context: DeskContext) -> None:
        super().__init__()
        self.context = context
        self.current = ShopSettings()
        self.shop_name = QLineEdit(objectName="shopName")
        self.receipt_header = QLineEdit(objectName="receiptHeader")
        self.receipt_header.setPlaceholderText(self.tr("如：欢迎光临，点卡售出概不退换"))
        self.auto_lock = QSpinBox(objectName="autoLockMinutes", minimum=1, maximum=120)
        self.auto_lock.setSuffix(self.tr(" 分钟"))
        self.language = QComboBox(objectName="language")
        self.language.addItem("简体中文", "zh_CN")
        self.language.addItem("English", "en")
        self.sounds = QCheckBox(self.tr("扫码成功、失败时发出提示音"), objectName="sounds")
        self.spoken = QCheckBox(self.tr("扫码或付款码收款、退款完成时语音播报（如“微信收款一百元”）"),
                                objectName="spokenConfirmation")
        self.save_button = QPushButton(self.tr("保存（需店长 PIN）"), objectName="saveSettings")
        self.save_button.clicked.connect(self.save)
        self.result = ResultLine("settingsResult")
        form = QFormLayout(self)
        form.addRow(self.tr("店名"), self.shop_name)
        form.addRow(self.tr("小票抬头"), self.receipt_header)
        form.addRow(self.tr("无操作自动锁屏"), self.auto_lock)
        form.addRow(self.tr("界面语言"), self.language)
        form.addRow(self.tr("提示音"), self.sounds)
        form.addRow(self.tr("语音播报"), self.spoken)
        form.addRow(self.save_button)
        form.addRow(self.result)

    def refresh(self) -> None:
        self.context.worker.run(lambda store: shop_admin.load(store.conn()), self._show, self.result.error)

    def _show(self, current: ShopSettings) -> None:
        self.current = current
        self.shop_name.setText(current.shop_name)
        self.receipt_header.setText(current.receipt_header)
        self.auto_lock.setValue(current.auto_lock_minutes)
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self.sounds.setChecked(current.sounds)
        self.spoken.setChecked(current.spoken_confirmation)

    def form(self) -> ShopSettings:
        return ShopSettings(self.shop_name.text().strip(), self.receipt_header.text().strip(), self.auto_lock.value(),
                            self.language.currentData(), self.sounds.isChecked(), self.spoken.isChecked())

    def save(self) -> None:
        new, old, user = self.form(), self.current, self.context.user

        def saved(changed: list[str]) -> None:
            self.current = new
            self.result.ok(self.tr("已保存。") if changed else self.tr("没有改动。"))
            self.context.customer.voice.enabled = new.spoken_confirmation
            if "auto_lock_minutes" in changed:
                self.auto_lock_changed.emit(new.auto_lock_minutes)
            if "language" in changed and new.language != old.language:
                self.language_changed.emit(new.language)
        self.context.with_owner_approval(
            self, self.tr("修改设置"),
            lambda store, approver: shop_admin.save(store, new, staff_id=user.id, approver_id=approver.id),
            saved, self.result.error)
