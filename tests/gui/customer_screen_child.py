"""Child process for the second-screen test: the demo counter on a machine with two screens (the offscreen platform's
configfile gives them: COUNTER-1 and HDMI-2). The customer window is set to HDMI-2 before the counter starts, a
product is scanned, and what happened is printed as one JSON line; then the choice is moved to a screen that is not
plugged in, then to the counter's own screen."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from kameng_desk.demo import CASHIER, start_demo
from kameng_desk.gui.app import prepare_app
from kameng_desk.gui.main_window import MainWindow
from kameng_desk.gui.worker import DbWorker
from kameng_desk.usecases import shop_admin
from kameng_desk.usecases.cash_shift import open_shift
from kameng_desk.usecases.shop_admin import DisplaySettings
from local_cache import staff


def main() -> int:
    app = prepare_app()
    session = start_demo(Path(sys.argv[1]))
    people = staff.list_all(session.store.conn())
    owner = next(s for s in people if s.is_owner)
    cashier = next(s for s in people if s.name == CASHIER)
    shop_admin.save(session.store, DisplaySettings(customer_screen="HDMI-2"), staff_id=owner.id,
                    approver_id=owner.id)
    open_shift(session.store, staff_id=cashier.id, float_fen=50_000)
    session.store.close_thread_connection()
    worker = DbWorker(session.store)
    win = MainWindow(worker, engine=session.engine, login_hint="demo")
    win.setScreen(app.screens()[0])
    win.show()
    win.activateWindow()
    seen: dict = {}

    def opened() -> None:
        customer = win.customer_displays.window()
        # The counter stays the active window (a customer window that took it would hold this loop to the timeout).
        if customer is None or not customer.isVisible() or "qb10" not in win.counter.products or \
                not win.isActiveWindow():
            QTimer.singleShot(20, opened)
            return
        geometry = customer.geometry()
        seen["opened"] = {"screen": customer.screen().name(),
                          "geometry": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
                          "full_screen": customer.isFullScreen(),
                          "frameless": bool(customer.windowFlags() & Qt.WindowType.FramelessWindowHint),
                          "takes_focus": not customer.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus}
        win.counter.add_product("qb10")
        focus = QApplication.focusWidget()
        seen["focus"] = focus.objectName() if focus is not None else None
        seen["focus_window"] = type(focus.window()).__name__ if focus is not None else None
        seen["active"] = type(QApplication.activeWindow()).__name__
        seen["headline"] = customer.headline.text()
        shop_admin.save(session.store, DisplaySettings(customer_screen="DP-9"), staff_id=owner.id,
                        approver_id=owner.id)
        session.store.close_thread_connection()
        win.customer_displays.apply()
        QTimer.singleShot(300, unplugged)

    def shown_window() -> str | None:
        customer = win.customer_displays.window()
        return customer.screen().name() if customer is not None else None

    def unplugged() -> None:
        seen["unplugged_choice"] = shown_window()
        shop_admin.save(session.store, DisplaySettings(customer_screen="COUNTER-1"), staff_id=owner.id,
                        approver_id=owner.id)
        session.store.close_thread_connection()
        win.customer_displays.apply()
        QTimer.singleShot(300, on_the_counters_screen)

    def on_the_counters_screen() -> None:
        seen["counter_screen_choice"] = shown_window()
        print(json.dumps(seen, ensure_ascii=False), flush=True)
        app.quit()

    win._logged_in(cashier)
    QTimer.singleShot(0, opened)
    code = app.exec()
    session.engine.stop()
    worker.stop()
    session.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
