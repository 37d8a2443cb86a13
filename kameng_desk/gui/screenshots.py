"""Regenerate docs/screenshots: `python -m kameng_desk.gui.screenshots [OUTDIR]` (offscreen, Fusion, 1x)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_SCALE_FACTOR", "1")

from PySide6.QtCore import QCoreApplication, QEventLoop, QSize, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QMessageBox

from kameng_desk.demo import CASHIER, start_demo
from kameng_desk.gui.app import demo_login_hint, prepare_app
from kameng_desk.gui.backoffice import screenshots as backoffice_shots
from kameng_desk.gui.customer_display import CustomerDisplayWindow
from kameng_desk.gui.first_run_wizard import SetupWizard
from kameng_desk.gui.i18n import install_translation
from kameng_desk.gui.main_window import MainWindow
from kameng_desk.gui.refund_dialog import RefundDialog
from kameng_desk.gui.worker import DbWorker
from kameng_desk.records.payment_port import PaymentOption, PaymentPort
from kameng_desk.sync.status import SyncStatus
from kameng_desk.usecases import refunds, static_qr, stock
from kameng_desk.usecases.cash_shift import open_shift
from kameng_desk.usecases.checkout import WaitingForPassword
from kameng_desk.usecases.customer_view import Line, Phase, Screen
from local_cache import staff

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MISFITS: list[str] = []  # shots at a shop's screen size that the window could not take
SHOP_SCREENS = ((1024, 768), (1366, 768))
# The demo sandbox's rules (docs/payments.md): an amount ending in 99 fen asks for the password, a code ending
# in 0000 is refused (AUTH_CODE_INVALID).
WECHAT_CODE, REFUSED_CODE = "134567890123456789", "134567890123450000"


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def shoot(outdir: Path) -> list[Path]:
    app = prepare_app()
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for language in ("zh_CN", "en"):
        translators = install_translation(app, language)
        session = start_demo(Path(tempfile.mkdtemp(prefix="kameng-shots-")))
        worker = DbWorker(session.store)
        window = MainWindow(worker, engine=session.engine, login_hint=demo_login_hint)
        window.resize(1180, 760)
        window.show()
        settle()
        written.append(outdir / f"login_{language}.png")
        window.grab().save(str(written[-1]))
        cashier = next(s for s in staff.list_all(session.store.conn()) if s.name == CASHIER)
        session.store.close_thread_connection()
        # The float counted first, as the shift gate asks before the first cash sale.
        open_shift(session.store, staff_id=cashier.id, float_fen=500_00)
        session.store.close_thread_connection()
        window._logged_in(cashier)
        settle()
        for pid, qty in (("qb30", 2), ("wy50", 1)):
            window.counter.add_product(pid, qty)
        window.counter.cash.setText("200")
        window.show_status(session.engine.status())
        # ↓ in the scan box highlights the first tile (what Enter would add): the selection must read.
        QTest.keyClick(window.counter.search, Qt.Key.Key_Down)
        settle()
        written.append(outdir / f"counter_{language}.png")
        window.grab().save(str(written[-1]))
        written += _counter_at_shop_sizes(window, outdir, language)
        payment_port = window.counter._payment_port
        window.counter._payment_port = lambda port=payment_port: _AlipayToo(port())
        window.counter.checkout_qr()
        settle(1000)
        payment = window.findChild(QDialog, "paymentDialog")
        written.append(outdir / f"payment_{language}.png")
        payment.grab().save(str(written[-1]))
        _fits_shop_screens(payment, written[-1])
        payment.cancel_payment()  # the cart stays, so the customer can pay cash instead
        window.counter._payment_port = payment_port
        settle(800)
        for box in window.findChildren(QMessageBox):
            box.close()
        window.counter.checkout()
        settle(800)
        dialog = window.findChild(QDialog, "codesDialog")
        dialog.reveal()
        settle()
        written.append(outdir / f"codes_{language}.png")
        dialog.grab().save(str(written[-1]))
        window.counter.start_topup()
        settle()
        topup = window.findChild(QDialog, "topupDialog")
        topup.account.setText("13812345678")
        settle()
        written.append(outdir / f"topup_{language}.png")
        topup.grab().save(str(written[-1]))
        topup.reject()
        written += _offline_and_settings(window, session, outdir, language)
        written += _code_payment_shots(window, session, outdir, language)
        written += customer_display_shots(window, outdir, language)
        written += backoffice_shots.shoot(window, outdir, language)
        window.lock()
        session.engine.stop()
        worker.stop()
        session.close()
        window.deleteLater()
        for t in translators:
            app.removeTranslator(t)
    return written


def _counter_at_shop_sizes(window: MainWindow, outdir: Path, language: str) -> list[Path]:
    """The counter at the small screens shops have, with an outcome above the cart."""
    written = []
    for width, height in SHOP_SCREENS:
        window.resize(width, height)
        window.tell(QCoreApplication.translate("MainWindow", "已恢复联网，排队的订单正在上传。"), "ok")
        settle()
        written.append(outdir / f"counter_{width}x{height}_{language}.png")
        window.grab().save(str(written[-1]))
        if window.size() != QSize(width, height):  # saved, but said: the picture is not what its name says
            MISFITS.append(f"{written[-1].name}: the window is {window.width()}×{window.height()}, "
                           f"{_widest_pages(window, width)}")
    window.counter.outcome.hide()
    window.resize(1180, 760)
    return written


def _widest_pages(window: MainWindow, width: int) -> str:
    """Which pages or back-office tabs need more than `width` (the stacked pages' widest sets the window's)."""
    pages = [(window.stack.widget(i), type(window.stack.widget(i)).__name__) for i in range(window.stack.count())]
    tabs = window.backoffice.tabs
    pages += [(tabs.widget(i), tabs.tabText(i)) for i in range(tabs.count())]
    wide = [f"{name} needs {page.minimumSizeHint().width()} px" for page, name in pages
            if page.minimumSizeHint().width() > width]
    return ", ".join(wide) or "no page needs more"


def customer_display_shots(window: MainWindow, outdir: Path, language: str) -> list[Path]:
    """The customer's screen at the shops' sizes (the QR waiting beside the cart; the customer's phone asking for
    the password after their payment code was scanned; paid in cash with the change),
    and its settings page."""
    written = []
    products = window.counter.products
    lines = tuple(Line(products[pid].name, q, products[pid].retail_price_fen) for pid, q in (("qb30", 2), ("wy50", 1)))
    total = sum(line.subtotal_fen for line in lines)
    states = {"qr": Screen(Phase.QR, lines, total, "https://pay.example.com/p/KM-DEMO-0001", ("wechat", "alipay")),
              "password": Screen(Phase.PASSWORD, lines, total, apps=("wechat",)),
              "paid": Screen(Phase.PAID, total_fen=total, paid_by="cash", received_fen=200_00,
                             change_fen=200_00 - total)}
    customer = CustomerDisplayWindow(QCoreApplication.translate("app", "星星网吧"))
    for width, height in SHOP_SCREENS:
        customer.resize(width, height)
        customer.show()
        for name, state in states.items():
            customer.show_screen(state)
            settle()
            written.append(outdir / f"customer_{name}_{width}x{height}_{language}.png")
            customer.grab().save(str(written[-1]))
    customer.close()
    customer.deleteLater()
    window.open_backoffice()
    window.backoffice.tabs.setCurrentWidget(window.settings)
    window.settings.setCurrentWidget(window.settings.displays)
    settle(800)
    written.append(outdir / f"settings_displays_{language}.png")
    window.grab().save(str(written[-1]))
    window.back_to_counter()
    return written


class _AlipayToo:
    """The demo platform's payment port, listing Alipay 当面付 after the sandbox as a platform running both
    gateways does: the QR dialog then shows its F6 hint. For the picture only (F6 is not pressed): the QR, its
    marks and everything else are the demo platform's own."""

    def __init__(self, port: PaymentPort | None) -> None:
        self._port = port

    def payment_options(self) -> list[PaymentOption]:
        return [*self._port.payment_options(), PaymentOption("alipay", ("alipay",), ("alipay",), True)]

    def __getattr__(self, name: str):
        return getattr(self._port, name)


def _fits_shop_screens(dialog: QDialog, path: Path) -> None:
    """A dialog must fit the smallest screen shops have (SHOP_SCREENS), or the cashier cannot reach its buttons."""
    width, height = min(SHOP_SCREENS)
    if dialog.width() > width or dialog.height() > height:
        MISFITS.append(f"{path.name}: the dialog is {dialog.width()}×{dialog.height()}, over {width}×{height}")


def _code_payment_shots(window: MainWindow, session, outdir: Path, language: str) -> list[Path]:
    """The customer's payment code charged by the demo platform's sandbox: paid at once and refunded to it (F6),
    waiting for the password (WeChat, an amount ending in 99 fen), then refused (a code ending in 0000)."""
    written = []
    counter = window.counter
    counter.add_product("qb30")
    counter._payment_code_scanned(WECHAT_CODE)
    backoffice_shots._wait_until(lambda: window.findChild(QDialog, "codesDialog") is not None)
    window.findChild(QDialog, "codesDialog").reject()  # the codes never shown: the sale can be refunded whole
    settle()
    refund = RefundDialog(refunds.last_sale_plan(session.store.conn()), window)  # what F6 opens
    session.store.close_thread_connection()
    refund.show()
    settle()
    written.append(outdir / f"refund_code_{language}.png")
    refund.grab().save(str(written[-1]))
    _fits_shop_screens(refund, written[-1])
    refund.reject()
    refund.deleteLater()
    owner = next(s for s in staff.list_all(session.store.conn()) if s.is_owner)
    stock.set_retail_price(session.store, product_id="qb10", price_fen=10_99, staff_id=owner.id, approver_id=owner.id)
    session.store.close_thread_connection()
    counter.reload()
    backoffice_shots._wait_until(lambda: counter.products.get("qb10") is not None
                                 and counter.products["qb10"].retail_price_fen == 10_99)
    counter.add_product("qb10")
    def dialog() -> QDialog | None:  # the counter lets go of it once the charge ends; it stays up till closed
        return next((d for d in window.findChildren(QDialog) if d.objectName() == "codePayDialog" and d.isVisible()),
                    None)
    for code, name, waiting in ((WECHAT_CODE, "code_pay_waiting", True), (REFUSED_CODE, "code_pay_refused", False)):
        counter._payment_code_scanned(code)
        backoffice_shots._wait_until(lambda w=waiting: dialog() is not None and (
            isinstance(counter.till.state, WaitingForPassword) if w else not counter.till.busy))
        shown = dialog()
        settle()
        written.append(outdir / f"{name}_{language}.png")
        shown.grab().save(str(written[-1]))
        _fits_shop_screens(shown, written[-1])
        counter.till.cancel_code()  # Esc: the platform reverses the charge; the cart stays for the next try
        backoffice_shots._wait_until(lambda: not counter.till.busy)
        shown.reject()
        settle()
    counter.clear_cart()
    stock.set_retail_price(session.store, product_id="qb10", price_fen=None, staff_id=owner.id, approver_id=owner.id)
    session.store.close_thread_connection()
    counter.reload()
    return written


def _offline_and_settings(window: MainWindow, session, outdir: Path, language: str) -> list[Path]:
    """The shop QR offered without the platform, the settings tab, and the first-run wizard."""
    written = []
    owner = next(s for s in staff.list_all(session.store.conn()) if s.is_owner)
    static_qr.save(session.store, static_qr.text_qr("wxp://f2f0Demo-Shop-Collection"), staff_id=owner.id,
                   approver_id=owner.id)
    session.store.close_thread_connection()
    window.counter.add_product("qb30")
    # Through the checkout, as F11 does when the last sync round could not reach the platform.
    window.counter.till.pay_by_qr(window.counter._basket(), SyncStatus(paired=True, online=False, orders_waiting=0))
    settle(800)
    dialog = window.findChild(QDialog, "staticQrDialog")
    written.append(outdir / f"static_qr_{language}.png")
    dialog.grab().save(str(written[-1]))
    dialog.done(0)
    window.counter.clear_cart()
    window.open_backoffice()
    window.backoffice.tabs.setCurrentWidget(window.settings)
    settle(800)
    written.append(outdir / f"settings_{language}.png")
    window.grab().save(str(written[-1]))
    window.back_to_counter()
    wizard = SetupWizard(window.worker)
    wizard.shop.shop_name.setText(QCoreApplication.translate("app", "星星网吧"))
    wizard.show()
    settle()
    written.append(outdir / f"first_run_{language}.png")
    wizard.grab().save(str(written[-1]))
    wizard.close()
    return written


if __name__ == "__main__":
    for path in shoot(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
    if MISFITS:
        sys.exit("Not at the screen size they are named for:\n" + "\n".join(MISFITS))
