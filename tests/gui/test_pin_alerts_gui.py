"""The login screen: a locked account says for how long, and the owner's next login tells of the wrong PINs."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from kameng_desk.demo import CASHIER, OWNER, OWNER_PIN
from tests.gui.conftest import log_in


def alerts_box(win) -> QMessageBox | None:
    return next((b for b in win.findChildren(QMessageBox) if b.objectName() == "pinAlerts" and b.isVisible()), None)


def test_lockout_shown_and_owner_told_at_next_login(qtbot, window) -> None:
    win, _ = window
    for attempt in range(1, 6):
        log_in(qtbot, win, CASHIER, "0000")
        qtbot.waitUntil(lambda: "PIN" in win.login.message.text())
        if attempt < 5:
            qtbot.waitUntil(lambda n=attempt: f"还可尝试 {5 - n} 次" in win.login.message.text())
    qtbot.waitUntil(lambda: "已锁定，请 1 分钟后再试" in win.login.message.text())
    log_in(qtbot, win, OWNER, "")  # Enter on an empty PIN is not an attempt
    qtbot.waitUntil(lambda: win.login.message.text() == "请输入 PIN。")
    log_in(qtbot, win, OWNER, "0000")
    qtbot.waitUntil(lambda: "还可尝试 4 次" in win.login.message.text())
    log_in(qtbot, win, OWNER, OWNER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    qtbot.waitUntil(lambda: alerts_box(win) is not None)
    assert "PIN 输错 6 次，账号因此被锁定 1 次" in alerts_box(win).text()
    win.lock()  # the next owner login has nothing new to tell
    assert alerts_box(win) is None
    log_in(qtbot, win, OWNER, OWNER_PIN)
    qtbot.waitUntil(lambda: win.stack.currentWidget() is win.counter)
    assert alerts_box(win) is None  # it would have opened in the same slot that showed the counter
