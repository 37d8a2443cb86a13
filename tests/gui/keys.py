"""Keys as a cashier and a scanner send them, for the GUI tests that drive the counter only by keys (issue #15).

Keys go to whatever widget has the focus (as the window system delivers them); a scanner burst is a code's
characters and Enter typed back to back (qtbot sends them well under ScanBurst.GAP_S apart); a hand types with
`HAND_MS` between keys.

Key counting (KeyCounter): one key is one spontaneous, non-repeated KeyRelease anywhere in the application.
Every key the cashier presses produces exactly one, whether it went to a widget or fired a shortcut (a
shortcut's KeyPress is never delivered, so KeyPress cannot count it), while the copies Qt propagates to the
parents of the focus widget are not spontaneous. A scanner burst is one action, counted as 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog

HAND_MS = 90  # between a cashier's keys; a scanner's are a few ms apart


class KeyCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.keys = 0
        self._in_burst = False

    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QEvent.Type.KeyRelease and event.spontaneous() and not event.isAutoRepeat()
                and not self._in_burst):
            self.keys += 1
        return False

    @contextmanager
    def burst(self) -> Iterator[None]:
        self._in_burst = True
        try:
            yield
        finally:
            self._in_burst = False
            self.keys += 1


@contextmanager
def counted_keys() -> Iterator[KeyCounter]:
    """A KeyCounter listening to the whole application while the block runs."""
    counter = KeyCounter()
    QApplication.instance().installEventFilter(counter)
    try:
        yield counter
    finally:
        QApplication.instance().removeEventFilter(counter)


def focused(qtbot):
    """The widget the keyboard types into (as the window system would deliver them)."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(qtbot), key, modifier)


def type_by_hand(qtbot, text: str, widget=None) -> None:
    """`text` typed at a person's pace into `widget` (by default the focused one): never taken for a scan."""
    for ch in text:
        qtbot.wait(HAND_MS)
        qtbot.keyClicks(widget or focused(qtbot), ch)


def scan(qtbot, code: str, counter: KeyCounter | None = None) -> None:
    """A scanner's burst into the focused widget: the code and Enter, back to back (one action when counted)."""
    def burst() -> None:
        widget = focused(qtbot)
        qtbot.keyClicks(widget, code)
        qtbot.keyClick(widget, Qt.Key.Key_Return)
    if counter is None:
        burst()
        return
    with counter.burst():
        burst()


def visible(win, name: str):
    return next((d for d in win.findChildren(QDialog) if d.objectName() == name and d.isVisible()), None)


def wait_visible(qtbot, win, name: str, timeout: int = 5000):
    qtbot.waitUntil(lambda: visible(win, name) is not None, timeout=timeout)
    dialog = visible(win, name)
    dialog.activateWindow()  # as a window manager does with a new dialog; offscreen activates nothing itself
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def wait_closed(qtbot, win, name: str) -> None:
    qtbot.waitUntil(lambda: visible(win, name) is None)
    win.activateWindow()  # the window manager gives the window back its activation
    qtbot.waitUntil(win.isActiveWindow)
