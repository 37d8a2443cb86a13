"""The log file is the only way out for log records, and it never carries a card code."""

from __future__ import annotations

import importlib
import logging

from kameng_desk.logging_setup import RedactingFormatter, setup_logging


def test_a_library_basicconfig_leaves_no_unredacted_handler(tmp_path, root_handlers) -> None:
    importlib.import_module("escpos.printer")  # python-escpos calls logging.basicConfig() on import
    logging.basicConfig()
    path = setup_logging(tmp_path)
    assert len(root_handlers.handlers) == 1
    assert isinstance(root_handlers.handlers[0].formatter, RedactingFormatter)
    seen: list[logging.LogRecord] = []
    other = logging.Handler()
    other.emit = seen.append  # another handler after ours (a test's log capture) gets the record whole
    root_handlers.addHandler(other)
    try:
        logging.getLogger("kameng_desk.test").warning("sold %s", "CARDNO12345678 SECRET-9f8e7d6c5b4a")
    finally:
        root_handlers.removeHandler(other)
    root_handlers.handlers[0].flush()
    text = path.read_text(encoding="utf-8")
    assert "sold [redacted] [redacted]" in text
    assert "12345678" not in text and "9f8e7d6c5b4a" not in text
    assert [r.getMessage() for r in seen] == ["sold CARDNO12345678 SECRET-9f8e7d6c5b4a"]
