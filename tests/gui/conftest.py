"""The counter window on the embedded demo platform, for the GUI tests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kameng_desk.demo import start_demo
from kameng_desk.gui.main_window import MainWindow
from kameng_desk.gui.worker import DbWorker


@pytest.fixture
def window(qtbot, tmp_path):
    session = start_demo(tmp_path / "demo")
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


