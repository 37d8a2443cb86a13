"""Server time in unix seconds (one place, so tests can move it)."""

from __future__ import annotations

import time


def now() -> int:
    return int(time.time())
