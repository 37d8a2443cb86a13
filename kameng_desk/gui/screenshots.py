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
from kameng_desk.gui.worker import DbWorker
from kameng_desk.usecases import static_qr
from kameng_desk.usecases.cash_shift import open_shift
from kameng_desk.usecases.customer_view import Line, Phase, Screen
from local_cache import staff

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MISFITS: list[str] = []  # shots at a shop's screen size that the window could not take


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
        window.counter.checkout_qr()
        settle(1000)
        payment = window.findChild(QDialog, "paymentDialog")
        written.append(outdir / f"payment_{language}.png")
        payment.grab().save(str(written[-1]))
        payment.cancel_payment()  # the cart stays, so the customer can pay cash instead
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
    for width, height in ((1024, 768), (1366, 768)):
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
    """The customer's screen at the shops' sizes (the QR waiting beside the cart; paid in cash with the change),
    and its settings page."""
    written = []
    products = window.counter.products
    lines = tuple(Line(products[pid].name, q, products[pid].retail_price_fen) for pid, q in (("qb30", 2), ("wy50", 1)))
    total = sum(line.subtotal_fen for line in lines)
    states = {"qr": Screen(Phase.QR, lines, total, "https://pay.example.com/p/KM-DEMO-0001", ("wechat", "alipay")),
              "paid": Screen(Phase.PAID, total_fen=total, paid_by="cash", received_fen=200_00,
                             change_fen=200_00 - total)}
    customer = CustomerDisplayWindow(QCoreApplication.translate("app", "星星网吧"))
    for width, height in ((1024, 768), (1366, 768)):
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


def _offline_and_settings(window: MainWindow, session, outdir: Path, language: str) -> list[Path]:
    """The shop QR offered without the platform, the settings tab, and the first-run wizard."""
    written = []
    owner = next(s for s in staff.list_all(session.store.conn()) if s.is_owner)
    static_qr.save(session.store, static_qr.text_qr("wxp://f2f0Demo-Shop-Collection"), staff_id=owner.id,
                   approver_id=owner.id)
    session.store.close_thread_connection()
    window.counter.add_product("qb30")
    window.counter._offer_static_qr(QCoreApplication.translate("CounterPage", "连不上平台，不能生成动态收款码。"))
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
