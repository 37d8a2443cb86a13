"""`kameng-desk` started from the command line on a real data folder: which language the window speaks."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kameng_desk import first_run
from kameng_desk.cli import main
from kameng_desk.gui.i18n import switch_language
from kameng_desk.gui.main_window import MainWindow
from local_cache import Store, settings


@pytest.fixture
def english_shop(tmp_path):
    """A set-up shop whose owner chose English in 设置 → 店铺与语言 (the setting the app saves)."""
    folder = tmp_path / "shop"
    store = Store.open(folder)
    first_run.set_up_shop(store, first_run.ShopSetup("星星网吧", "王老板", "2468", "2468"))
    with store.transaction() as conn:
        settings.put(conn, "language", "en")
    store.close()
    return folder


@pytest.fixture
def app_start(qapp, monkeypatch):
    """Runs `kameng-desk ARGS` until its window is shown, then quits it; returns the window's title and its login
    button's text. The app's process-wide settings (log handlers, excepthook, language) are put back after."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)

    def run(*args: str) -> tuple[str, str]:
        seen: list[tuple[str, str]] = []

        def probe() -> None:
            window = next((w for w in QApplication.topLevelWidgets()
                           if isinstance(w, MainWindow) and w.isVisible()), None)
            if window is None:
                QTimer.singleShot(20, probe)
                return
            seen.append((window.windowTitle(), window.login.pin.placeholderText()))
            qapp.quit()
        QTimer.singleShot(0, probe)
        assert main(list(args)) == 0
        return seen[0]

    yield run
    switch_language("zh_CN")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_the_saved_language_is_used_on_restart(english_shop, app_start) -> None:
    assert app_start("--data-dir", str(english_shop)) == ("Kameng Desk", "Enter your PIN and press Enter")


def test_an_explicit_lang_wins_over_the_saved_one(english_shop, app_start) -> None:
    assert app_start("--data-dir", str(english_shop), "--lang", "zh_CN") == ("卡盟收银台", "输入 PIN 后按 Enter")
