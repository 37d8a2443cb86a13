"""A pass run every few seconds on its own thread in the server process (top-ups, payment reconciling)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Periodic:
    def __init__(self, name: str, step: Callable[[], object], interval: float) -> None:
        self.name, self._step, self.interval = name, step, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"kameng-{name}", daemon=True)

    def start(self) -> Periodic:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._step()
            except Exception:  # a bad pass must not stop the work for good: it is logged and run again
                log.exception("%s pass failed", self.name)
            self._stop.wait(self.interval)
