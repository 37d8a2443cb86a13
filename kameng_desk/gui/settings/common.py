"""What the settings pages share: a line for results and errors in words."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from kameng_desk.gui.messages import describe


class ResultLine(QLabel):
    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setWordWrap(True)

    def ok(self, text: str) -> None:
        self.setStyleSheet("color: #1b5e20;")
        self.setText(text)

    def error(self, exc: Exception) -> None:
        self.setStyleSheet("color: #b71c1c;")
        self.setText(describe(exc))
