"""Store work on one database thread, results back on the GUI thread (the pattern of Anki's CollectionOp).

The GUI thread never touches the database: it calls `run(fn, on_done, on_error)` and `fn(store)` runs on
the database thread with that thread's own connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from local_cache import Store

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Lives on the GUI thread: signals emitted from other threads arrive here queued."""

    deliver = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._call)

    @Slot(object, object)
    def _call(self, callback: Callable[[Any], None], value: Any) -> None:
        owner = getattr(callback, "__self__", None)
        if isinstance(owner, QObject) and not shiboken6.isValid(owner):
            return  # the screen that asked was closed or rebuilt meanwhile
        callback(value)


class _Runner(QObject):
    submit = Signal(object)

    def __init__(self, store: Store, bridge: _Bridge) -> None:
        super().__init__()
        self._store, self._bridge = store, bridge
        self.submit.connect(self._run)

    @Slot(object)
    def _run(self, job: tuple) -> None:
        fn, on_done, on_error = job
        try:
            result = fn(self._store)
        except Exception as exc:  # delivered to the caller, who shows it in words
            log.info("database operation failed: %s", type(exc).__name__)
            if on_error is not None:
                self._bridge.deliver.emit(on_error, exc)
            return
        if on_done is not None:
            self._bridge.deliver.emit(on_done, result)

    @Slot()
    def close_connection(self) -> None:
        self._store.close_thread_connection()


class DbWorker:
    def __init__(self, store: Store) -> None:
        self.bridge = _Bridge()
        self._thread = QThread()
        self._thread.setObjectName("kameng-db")
        self._runner = _Runner(store, self.bridge)
        self._runner.moveToThread(self._thread)
        self._thread.start()

    def run(self, fn: Callable[[Store], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None) -> None:
        self._runner.submit.emit((fn, on_done, on_error))

    def to_gui(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """Wrap a callback so that calling it from any thread runs it on the GUI thread."""
        return lambda value: self.bridge.deliver.emit(callback, value)

    def stop(self) -> None:
        self.run(lambda store: store.close_thread_connection())
        self._thread.quit()
        self._thread.wait(5000)
