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

    def error(self, problem: Exception | str) -> None:
        """An error in words (describe()), or words a screen already chose (e.g. a printer's reason)."""
        self.setStyleSheet("color: #b71c1c;")
        self.setText(problem if isinstance(problem, str) else describe(problem))
