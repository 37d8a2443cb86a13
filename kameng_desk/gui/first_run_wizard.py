"""The first-run wizard: the shop and its owner, then pairing with a platform, or the demo instead."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from kameng_desk.gui.pairing_fields import accept_pairing_link
from kameng_desk.gui.settings.common import ResultLine
from kameng_desk.gui.worker import DbWorker
from kameng_desk.sync.pairing import pair_store
from kameng_desk.usecases.first_run import ShopSetup, set_up_shop


class ShopPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("欢迎使用卡盟收银台"))
        self.setSubTitle(self.tr("先填写店名和店长账户。店长 PIN 用于登录和授权作废、退款、重印等操作。"))
        self.shop_name = QLineEdit(objectName="shopName")
        self.owner_name = QLineEdit(objectName="ownerName")
        self.pin = QLineEdit(objectName="ownerPin", echoMode=QLineEdit.EchoMode.Password)
        self.pin_again = QLineEdit(objectName="ownerPinAgain", echoMode=QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText(self.tr("4 到 8 位数字"))
        self.message = ResultLine("wizardMessage")
        self.demo_button = QPushButton(self.tr("先试用演示（不保存）"), objectName="startDemo")
        form = QFormLayout(self)
        form.addRow(self.tr("店名"), self.shop_name)
        form.addRow(self.tr("店长姓名"), self.owner_name)
        form.addRow(self.tr("店长 PIN"), self.pin)
        form.addRow(self.tr("再输一次 PIN"), self.pin_again)
        form.addRow(self.message)
        form.addRow(self.demo_button)

    def setup(self) -> ShopSetup:
        return ShopSetup(self.shop_name.text(), self.owner_name.text(), self.pin.text(), self.pin_again.text())

    def validatePage(self) -> bool:
        try:
            self.setup().check()
        except Exception as exc:  # a field to correct, in words
            self.message.error(exc)
            return False
        self.message.clear()
        return True


class PlatformPage(QWizardPage):
    """Pair now with the URL and pairing code from the platform's operator, or later (sales work offline)."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.setTitle(self.tr("连接平台"))
        self.setSubTitle(self.tr("填写平台地址和配对码（向平台运营方索取）。也可以以后在“后台 → 设置”中配对。"))
        self._wizard = wizard
        self.pair_now = QRadioButton(self.tr("现在配对"), objectName="pairNow", checked=True)
        self.pair_later = QRadioButton(self.tr("以后再配对（先离线使用）"), objectName="pairLater")
        self.url = QLineEdit(objectName="platformUrl", placeholderText="https://")
        self.code = QLineEdit(objectName="pairingCode")
        self.busy = QProgressBar(objectName="pairingBusy", minimum=0, maximum=0, visible=False)
        self.message = ResultLine("wizardMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(self.pair_now)
        form = QFormLayout()
        form.addRow(self.tr("平台地址"), self.url)
        form.addRow(self.tr("配对码"), self.code)
        layout.addLayout(form)
        layout.addWidget(self.pair_later)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        self.pair_later.toggled.connect(lambda later: (self.url.setDisabled(later), self.code.setDisabled(later)))
        accept_pairing_link(self.url, self.code)

    def validatePage(self) -> bool:
        # The work runs on the database thread; Finish is pressed again for us when it is done.
        if self._wizard.finished_ok:
            return True
        if not self.busy.isHidden():
            return False
        if self.pair_now.isChecked() and not (self.url.text().strip() and self.code.text().strip()):
            self.message.setText(self.tr("请填写平台地址和配对码，或选择以后再配对。"))
            return False
        self.message.clear()
        self.busy.show()
        self._wizard.finish(self.url.text().strip() if self.pair_now.isChecked() else None, self.code.text().strip())
        return False

    def failed(self, exc: Exception) -> None:
        self.busy.hide()
        self.message.error(exc)


class SetupWizard(QWizard):
    """Result: `choice` is "ready" (owner created, maybe paired), "demo", or None when closed."""

    def __init__(self, worker: DbWorker) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("卡盟收银台 — 首次设置"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.worker = worker
        self.choice: str | None = None
        self.finished_ok = False
        self._owner_created = False
        self.shop = ShopPage()
        self.platform = PlatformPage(self)
        self.addPage(self.shop)
        self.addPage(self.platform)
        self.shop.demo_button.clicked.connect(self._demo)
        self.resize(640, 460)

    def _demo(self) -> None:
        self.choice = "demo"
        self.accept()

    def finish(self, url: str | None, code: str) -> None:
        if self._owner_created:
            self._pair(url, code)
            return
        setup = self.shop.setup()

        def created(_) -> None:
            self._owner_created = True  # a retry after a failed pairing only pairs
            self._pair(url, code)
        self.worker.run(lambda store: set_up_shop(store, setup), created, self.platform.failed)

    def _pair(self, url: str | None, code: str) -> None:
        if url is None:
            self._done()
            return
        self.worker.run_network(lambda store: pair_store(store, url, code), lambda _: self._done(),
                                self.platform.failed)

    def _done(self) -> None:
        self.finished_ok, self.choice = True, "ready"
        self.accept()
