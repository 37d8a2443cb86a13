"""The log file is the only way out for log records, and it never carries a card code."""

from __future__ import annotations

import importlib
import logging

from kameng_desk.logging_setup import RedactFilter, setup_logging


def test_a_library_basicconfig_leaves_no_unredacted_handler(tmp_path, root_handlers) -> None:
    importlib.import_module("escpos.printer")  # python-escpos calls logging.basicConfig() on import
    logging.basicConfig()
    path = setup_logging(tmp_path)
    assert len(root_handlers.handlers) == 1
    assert any(isinstance(f, RedactFilter) for f in root_handlers.handlers[0].filters)
    logging.getLogger("kameng_desk.test").warning("sold %s", "CARDNO12345678 SECRET-9f8e7d6c5b4a")
    root_handlers.handlers[0].flush()
    text = path.read_text(encoding="utf-8")
    assert "sold [redacted] [redacted]" in text
    assert "12345678" not in text and "9f8e7d6c5b4a" not in text
