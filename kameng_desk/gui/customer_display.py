"""The customer's second screen: a frameless full-screen window showing the cart, the total, the QR while it waits,
the change and 谢谢惠顾 (what kameng_desk.usecases.customer_view says is on show), and the controller that opens it
and the pole display as the settings say.

The window never takes the focus (a scanner's digits must land in the counter), and it opens only on a screen that
is plugged in and is not the counter's own: none chosen, or the screen gone, and it is simply off.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kameng_desk.gui.context import DeskContext
from kameng_desk.gui.payment_dialog import qr_pixmap
from kameng_desk.pole_display import PoleDisplay
from kameng_desk.records.money import yuan
from kameng_desk.usecases import shop_admin
from kameng_desk.usecases.customer_view import CustomerView, Phase, PoleOut, Screen
from kameng_desk.usecases.shop_admin import DisplaySettings

log = logging.getLogger(__name__)

THANKS_MS = 15_000  # how long 谢谢惠顾 stays before the welcome (the next scan replaces it at once)
STYLE = """
QWidget#customerDisplay { background: #fafafa; }
QLabel { color: #212121; }
QLabel#customerHeadline { font-weight: bold; color: #b71c1c; }
QLabel#customerAmount { font-weight: bold; color: #b71c1c; }
QLabel#customerChange { font-weight: bold; color: #1b5e20; }
QTableWidget#customerCart { border: none; background: #fafafa; }
"""


def screen_label(number: int, screen: QScreen) -> str:
    """How the settings name a screen: its number, name and size (屏幕 2：HDMI-1（1920×1080）)."""
    size = screen.size()
    return QGuiApplication.translate("CustomerDisplay", "屏幕 {n}：{name}（{w}×{h}）").format(
        n=number, name=screen.name(), w=size.width(), h=size.height())


def find_screen(name: str) -> QScreen | None:
    return next((s for s in QGuiApplication.screens() if name and s.name() == name), None)


class CustomerDisplayWindow(QWidget):
    """Shows one Screen at a time, in type big enough to read across the counter."""

    def __init__(self, shop_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setObjectName("customerDisplay")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.shop_name = shop_name
        self.headline = QLabel(objectName="customerHeadline", alignment=Qt.AlignmentFlag.AlignCenter)
        self.headline.setWordWrap(True)
        self.cart = QTableWidget(0, 3, objectName="customerCart")
        header = self.cart.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.cart.verticalHeader().hide()
        self.cart.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cart.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.cart.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.qr = QLabel(objectName="customerQr", alignment=Qt.AlignmentFlag.AlignCenter)
        self.apps = QLabel(objectName="customerApps", alignment=Qt.AlignmentFlag.AlignCenter)
        self.amount = QLabel(objectName="customerAmount", alignment=Qt.AlignmentFlag.AlignCenter)
        self.change = QLabel(objectName="customerChange", alignment=Qt.AlignmentFlag.AlignCenter)
        self.footer = QLabel(objectName="customerFooter", alignment=Qt.AlignmentFlag.AlignCenter)
        side = QVBoxLayout()
        side.addStretch(1)
        for label in (self.qr, self.apps, self.amount, self.change):
            side.addWidget(label)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.cart, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.headline)
        layout.addLayout(body, 1)
        layout.addWidget(self.footer)
        self._scale_fonts()
        self._back_to_welcome = QTimer(self, singleShot=True, interval=THANKS_MS)
        self._back_to_welcome.timeout.connect(lambda: self.show_screen(Screen()))
        self.screen_shown = Screen()
        self.show_screen(self.screen_shown)

    def _scale_fonts(self) -> None:
        """Sizes follow the window's height: readable from a metre and a half on 768 lines as on 1080. Set in the
        style sheet: the app's sheet gives every widget 15 px, which would win over setFont."""
        unit = max(12, self.height() // 40)
        sizes = {"QLabel#customerHeadline": 2.6, "QLabel#customerAmount": 3.2, "QLabel#customerChange": 2.4,
                 "QLabel#customerApps": 1.5, "QLabel#customerFooter": 1.8, "QTableWidget#customerCart": 1.4,
                 "QTableWidget#customerCart QHeaderView": 1.2}
        self.setStyleSheet(STYLE + "".join(f"{selector} {{ font-size: {int(unit * factor)}px; }}\n"
                                           for selector, factor in sizes.items()))
        self.cart.verticalHeader().setDefaultSectionSize(int(unit * 2.4))
        self._qr_side = min(self.width() // 3, self.height() // 2)

    def changeEvent(self, event) -> None:
        """The shop's language switched while the customer looks: the texts follow at once."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.show_screen(self.screen_shown)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._scale_fonts()
        self.show_screen(self.screen_shown)

    # The fan-out's Display protocol: show() is QWidget's, so the window answers to show_screen (CustomerWindowOut).
    def show_screen(self, screen: Screen) -> None:
        self.screen_shown = screen
        self._back_to_welcome.stop()
        self.setWindowTitle(self.tr("顾客显示"))
        self.cart.setHorizontalHeaderLabels([self.tr("商品"), self.tr("数量"), self.tr("金额")])
        phase = screen.phase
        with_cart = phase in (Phase.CART, Phase.QR, Phase.PASSWORD)
        self._fill_cart(screen if with_cart else Screen())
        self.cart.setVisible(with_cart)
        self.qr.setVisible(phase is Phase.QR)
        self.apps.setVisible(phase in (Phase.QR, Phase.PASSWORD))
        self.change.setVisible(False)
        self.footer.setText(self.tr("谢谢惠顾，欢迎再来") if phase in (Phase.PAID, Phase.REFUND) else self.shop_name)
        names = {"wechat": self.tr("微信"), "alipay": self.tr("支付宝")}
        match phase:
            case Phase.WELCOME:
                self.headline.setText(self.tr("欢迎光临"))
                self.amount.setText("")
            case Phase.CART:
                self.headline.setText(self.tr("您的商品"))
                self.amount.setText(self.tr("合计 ￥{v}").format(v=yuan(screen.total_fen)))
            case Phase.QR:
                self.headline.setText(self.tr("请扫码付款"))
                self.amount.setText(self.tr("应付 ￥{v}").format(v=yuan(screen.total_fen)))
                self.qr.setPixmap(qr_pixmap(screen.qr_content or "", self._qr_side, self.devicePixelRatioF()))
                self.apps.setText(self.tr("支持 {apps} 扫码").format(apps=" / ".join(names[a] for a in screen.apps))
                                  if screen.apps else self.tr("请用手机扫码"))
            case Phase.PASSWORD:
                self.headline.setText(self.tr("请在手机上输入支付密码"))
                self.amount.setText(self.tr("应付 ￥{v}").format(v=yuan(screen.total_fen)))
                self.apps.setText(self.tr("在{app}里确认付款").format(app=names[screen.apps[0]]) if screen.apps
                                  else self.tr("在付款的手机上确认付款"))
            case Phase.PAID:
                self.headline.setText(self.tr("付款成功"))
                self.amount.setText(self._paid_text(screen))
                if screen.received_fen is not None and screen.change_fen is not None:
                    self.change.setText(self.tr("实收 ￥{r}　找零 ￥{c}").format(
                        r=yuan(screen.received_fen), c=yuan(screen.change_fen)))
                    self.change.setVisible(True)
                self._back_to_welcome.start()
            case Phase.REFUND:
                self.headline.setText(self.tr("退款成功"))
                self.amount.setText(self.tr("已退款 ￥{v}").format(v=yuan(screen.total_fen)))
                self._back_to_welcome.start()

    def _paid_text(self, screen: Screen) -> str:
        how = {"cash": self.tr("现金"), "wechat": self.tr("微信"), "alipay": self.tr("支付宝"),
               "qr": self.tr("扫码")}.get(screen.paid_by or "cash", "")
        return self.tr("{how}收款 ￥{v}").format(how=how, v=yuan(screen.total_fen))

    def _fill_cart(self, screen: Screen) -> None:
        self.cart.setRowCount(len(screen.lines))
        for row, line in enumerate(screen.lines):
            for col, text in enumerate((line.name, f"×{line.quantity}", yuan(line.subtotal_fen))):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.cart.setItem(row, col, item)
        if screen.lines:
            self.cart.scrollToBottom()  # the line just scanned


class CustomerWindowOut:
    """The window as one of the fan-out's displays."""

    def __init__(self, window: CustomerDisplayWindow) -> None:
        self.window = window

    def show(self, screen: Screen) -> None:
        self.window.show_screen(screen)

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()


class CustomerDisplays(QObject):
    """Opens, moves and closes the customer's window and pole display as the settings and the plugged-in screens
    say; switches the spoken confirmation. `apply()` at start and after the settings change."""

    def __init__(self, context: DeskContext, counter_window: QWidget) -> None:
        super().__init__(counter_window)
        self.context, self.counter_window = context, counter_window
        self.settings: DisplaySettings | None = None
        self.shop_name = ""
        app = QGuiApplication.instance()
        app.screenAdded.connect(self._screens_changed)  # bound methods: disconnected when the counter goes
        app.screenRemoved.connect(self._screens_changed)
        app.aboutToQuit.connect(self._quitting)

    def _quitting(self) -> None:
        """The app quits: the pole display is blanked and its thread and port closed, the window goes."""
        self.view.close()

    @property
    def view(self) -> CustomerView:
        return self.context.customer

    def apply(self) -> None:
        def load(store) -> tuple[DisplaySettings, str, bool]:
            conn = store.conn()
            shop = shop_admin.load(conn)
            return shop_admin.load(conn, DisplaySettings), shop.shop_name, shop.spoken_confirmation
        self.context.worker.run(load, self._loaded)

    def _loaded(self, loaded: tuple[DisplaySettings, str, bool]) -> None:
        new, shop_name, speak = loaded
        self.view.voice.enabled = speak
        old, self.settings = self.settings, new
        if old is None or (old.pole_port, old.pole_baud) != (new.pole_port, new.pole_baud):
            self.view.detach("pole")
            if new.pole_port:
                self.view.attach("pole", PoleOut(PoleDisplay(new.pole_port, new.pole_baud)))
        if shop_name != self.shop_name:
            self.shop_name = shop_name
            self.view.detach("window")  # rebuilt with the new name below
        self._place_window()

    def _screens_changed(self, _screen: QScreen) -> None:
        QTimer.singleShot(0, self, self._place_window)  # once Qt has moved the windows of a screen that went

    def target_screen(self) -> QScreen | None:
        """The chosen screen, if it is plugged in and is not where the counter itself is."""
        if self.settings is None:
            return None
        screen = find_screen(self.settings.customer_screen)
        if screen is None or screen is self.counter_window.screen():
            return None
        return screen

    def _place_window(self) -> None:
        screen = self.target_screen()
        shown = self.view.attached("window")
        if screen is None:
            if shown is not None:
                log.info("customer display off: its screen is not plugged in or is the counter's")
            self.view.detach("window")
            return
        opening = shown is None
        if shown is None:
            # A child of the counter's window: it goes when the counter closes, and never keeps the app running.
            shown = CustomerWindowOut(CustomerDisplayWindow(self.shop_name, self.counter_window))
            self.view.attach("window", shown)
        window = shown.window
        window.setScreen(screen)
        window.setGeometry(screen.geometry())
        window.showFullScreen()
        if opening and self.counter_window.isVisible():
            # Some platforms activate any window that appears, whatever its flags: the counter takes the keyboard
            # back at once, or the next scan would go nowhere.
            self.counter_window.activateWindow()

    def window(self) -> CustomerDisplayWindow | None:
        shown = self.view.attached("window")
        return shown.window if isinstance(shown, CustomerWindowOut) else None

