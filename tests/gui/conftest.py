"""The counter window on the embedded demo platform, for the GUI tests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from kameng_desk.demo import CASHIER, start_demo
from kameng_desk.gui.main_window import MainWindow
from kameng_desk.gui.worker import DbWorker
from kameng_desk.usecases.cash_shift import open_shift
from local_cache import staff


@pytest.fixture
def window(qtbot, tmp_path):
    """The demo counter with the day's shift already open (its float counted earlier), as most tests sell."""
    yield from _window(qtbot, tmp_path, shift_open=True)


@pytest.fixture
def fresh_window(qtbot, tmp_path):
    """The demo counter as it starts: no shift open, so the first cash sale asks for the float."""
    yield from _window(qtbot, tmp_path, shift_open=False)


def _window(qtbot, tmp_path, *, shift_open: bool):
    session = start_demo(tmp_path / "demo")
    if shift_open:
        with session.store.transaction() as conn:
            cashier = next(s for s in staff.list_all(conn) if s.name == CASHIER)
        open_shift(session.store, staff_id=cashier.id, float_fen=50_000)
        session.store.close_thread_connection()
    worker = DbWorker(session.store)
    win = MainWindow(worker, engine=session.engine, login_hint="demo")
    qtbot.addWidget(win)
    win.show()
    yield win, session
    session.engine.stop()
    worker.stop()
    session.close()


def log_in(qtbot, win, name: str, pin: str) -> None:
    qtbot.waitUntil(lambda: win.login.staff_list.count() == 2)
    row = next(i for i in range(2) if win.login.staff_list.item(i).text().startswith(name))
    win.login.staff_list.setCurrentRow(row)
    qtbot.keyClicks(win.login.pin, pin)
    qtbot.keyClick(win.login.pin, Qt.Key.Key_Return)




def approve_as_owner(qtbot, win, pin: str) -> None:
    """Type an owner's PIN into the approval dialog that the last action opened."""
    def dialog():
        return next((d for d in win.findChildren(QDialog) if d.objectName() == "ownerDialog" and d.isVisible()), None)
    qtbot.waitUntil(lambda: dialog() is not None)
    qtbot.keyClicks(dialog().pin, pin)
    dialog().accept()
    win.activateWindow()  # as a window manager would; the offscreen platform leaves no window active


def open_settings(qtbot, win):
    """Log in as the demo cashier and open 后台 → 设置 (F10)."""
    log_in(qtbot, win, "小李", "1234")
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    qtbot.keyClick(win.counter.search, Qt.Key.Key_F10)
    assert win.stack.currentWidget() is win.backoffice
    win.backoffice.tabs.setCurrentWidget(win.settings)
    return win.settings
