"""Rotating log files in the log folder. The formatter blanks anything shaped like a card code or a secret,
as a last line of defence: the code itself never logs codes."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from local_cache.files import private_dir, private_file

# Long runs of letters and digits (card numbers, card secrets, keys, signatures) are blanked.
_SECRETISH = re.compile(r"\b(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{10,}\b")


class RedactingFormatter(logging.Formatter):
    """Blanks the message of a copy: the record itself stays whole for any other handler (a filter that rewrote
    it in place also blanked what a test's log capture saw, whenever an earlier test had set the file up)."""

    def format(self, record: logging.LogRecord) -> str:
        copy = logging.makeLogRecord(record.__dict__)
        copy.msg, copy.args = _SECRETISH.sub("[redacted]", record.getMessage()), ()
        return super().format(copy)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files only the desk's user can read (0600 on POSIX): the file opened at start, and each new one after a
    rotation (the rotated ones keep their mode when renamed)."""

    def _open(self):  # logging's own hook, called at start and after every rollover
        stream = super()._open()
        private_file(Path(self.baseFilename))
        return stream


LOG_NAME = "kameng-desk.log"


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    private_dir(log_dir, files=(LOG_NAME,))  # also tightens the logs an older version left 0644
    path = log_dir / LOG_NAME
    handler = PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    # A library may have called logging.basicConfig() on import (python-escpos does): its stderr handler has
    # no redaction filter, so it goes. Ours is the only way out.
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    return path
