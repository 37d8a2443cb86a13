"""The pairing form's two fields (first-run wizard and settings): a scan of the console's pairing QR into either
fills both."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from kameng_desk.sync.pairing import parse_pairing_link


def accept_pairing_link(url: QLineEdit, code: QLineEdit) -> None:
    def split(field: QLineEdit) -> None:
        link = parse_pairing_link(field.text())
        if link is not None:
            url.setText(link.url)
            code.setText(link.code)
    # editingFinished, not textChanged: a scanner types the link a character at a time, and a prefix of it
    # already reads as a link with a shorter code. Enter ends it (and in the wizard then presses Next: pairing).
    for field in (url, code):
        field.editingFinished.connect(lambda field=field: split(field))
