"""Background work in two lanes, results back on the GUI thread (the pattern of Anki's TaskManager and CollectionOp).

The GUI thread never touches the database or the network. `run(fn, ...)` puts `fn(store)` on the database lane:
one thread, its own connection, the reads the screens wait for. `run_network(fn, ...)` puts work that talks to the
platform (QR start/poll/cancel, pairing, restock) on the network lane, a thread of its own: a platform that stalls
for its whole read timeout then delays the next network call, never a database read (Anki keeps its
`without_collection` work off the collection's executor for the same reason). Network work may record what the
platform said through `store` too: that lane opens a connection per job and closes it after, so a key rotation
or a restore never leaves it holding a stale one.

Every failure reaches the user: the caller's `on_error`, or else the window's handler (`set_error_handler`). Work
that changed data names what in `changes`; once its `on_done` has run, every listener (`listen_for_changes`, as
Anki's `operation_did_execute`) hears it, and a listener goes with the widget that registered it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from kameng_desk.usecases.changes import NOTHING, Changes
from local_cache import Store

log = logging.getLogger(__name__)

ChangeListener = Callable[[Changes], None]
# What a job changes: known before it runs, or read from its result (a poll may or may not have sold).
ChangesOf = Changes | Callable[[Any], Changes]


@dataclass(frozen=True)
class _Job:
    fn: Callable[[Store], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[Exception], None] | None
    changes: ChangesOf


def _alive(callback: Callable[..., Any]) -> bool:
    """False when the callback is a method of a widget already destroyed (a screen closed or rebuilt meanwhile)."""
    owner = getattr(callback, "__self__", None)
    return not (isinstance(owner, QObject) and not shiboken6.isValid(owner))


class _Bridge(QObject):
    """Lives on the GUI thread: signals emitted from the lanes arrive here queued, in the order emitted."""

    deliver = Signal(object, object)
    succeeded = Signal(object, object)  # job, result
    failed = Signal(object, object)  # job, exception

    def __init__(self, worker: DbWorker) -> None:
        super().__init__()
        self._worker = worker
        self.deliver.connect(self._call)
        self.succeeded.connect(self._succeeded)
        self.failed.connect(self._failed)

    @Slot(object, object)
    def _call(self, callback: Callable[[Any], None], value: Any) -> None:
        if _alive(callback):
            callback(value)

    @Slot(object, object)
    def _succeeded(self, job: _Job, result: Any) -> None:
        if job.on_done is not None and _alive(job.on_done):
            job.on_done(result)
        changes = job.changes(result) if callable(job.changes) else job.changes
        if changes:  # even when the screen that asked is gone: the data changed all the same
            self._worker.broadcast(changes)

    @Slot(object, object)
    def _failed(self, job: _Job, exc: Exception) -> None:
        if job.on_error is not None and _alive(job.on_error):
            job.on_error(exc)
        else:
            self._worker.unhandled(exc)


class _Runner(QObject):
    submit = Signal(object)

    def __init__(self, store: Store, bridge: _Bridge, *, connection_per_job: bool) -> None:
        super().__init__()
        self._store, self._bridge, self._connection_per_job = store, bridge, connection_per_job
        self.submit.connect(self._run)

    @Slot(object)
    def _run(self, job: _Job) -> None:
        try:
            result = job.fn(self._store)
        except Exception as exc:  # delivered to the caller (or the window), who shows it in words
            log.info("background operation failed: %s", type(exc).__name__)
            self._bridge.failed.emit(job, exc)
            return
        finally:
            if self._connection_per_job:
                self._store.close_thread_connection()
        self._bridge.succeeded.emit(job, result)

    @Slot()
    def close_connection(self) -> None:
        self._store.close_thread_connection()


class _Lane:
    def __init__(self, name: str, store: Store, bridge: _Bridge, *, connection_per_job: bool) -> None:
        self.thread = QThread()
        self.thread.setObjectName(name)
        self.runner = _Runner(store, bridge, connection_per_job=connection_per_job)
        self.runner.moveToThread(self.thread)
        self.thread.start()

    def stop(self) -> None:
        self.runner.submit.emit(_Job(lambda store: store.close_thread_connection(), None, lambda _exc: None, NOTHING))
        self.thread.quit()
        self.thread.wait(5000)


def listen_while_alive(owner: QObject, add: Callable[[Callable[[Any], None]], None],
                       remove: Callable[[Callable[[Any], None]], None], listener: Callable[[Any], None]) -> None:
    """`add(listener)` to a service (the sync engine, the print service) now, `remove(listener)` when `owner`
    is destroyed: a closed screen leaves nothing behind that the service's thread would call."""
    add(listener)
    owner.destroyed.connect(lambda *_: remove(listener))


class DbWorker:
    def __init__(self, store: Store) -> None:
        self.bridge = _Bridge(self)
        self._database = _Lane("kameng-db", store, self.bridge, connection_per_job=False)
        self._network = _Lane("kameng-net", store, self.bridge, connection_per_job=True)
        self._error_handler: Callable[[Exception], None] | None = None
        self._change_listeners: list[ChangeListener] = []

    def run(self, fn: Callable[[Store], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None, *, changes: ChangesOf = NOTHING) -> None:
        """`fn(store)` on the database lane; never for work that waits on the network."""
        self._database.runner.submit.emit(_Job(fn, on_done, on_error, changes))

    def run_network(self, fn: Callable[[Store], Any], on_done: Callable[[Any], None] | None = None,
                    on_error: Callable[[Exception], None] | None = None, *, changes: ChangesOf = NOTHING) -> None:
        """`fn(store)` on the network lane: work that asks the platform (and may record its answer)."""
        self._network.runner.submit.emit(_Job(fn, on_done, on_error, changes))

    def to_gui(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """Wrap a callback so that calling it from any thread runs it on the GUI thread."""
        return lambda value: self.bridge.deliver.emit(callback, value)

    # -- the one error path ----------------------------------------------------------------------------

    def set_error_handler(self, handler: Callable[[Exception], None] | None) -> None:
        """Who shows a background failure nobody else handles (the main window, in the cashier's words)."""
        self._error_handler = handler

    def unhandled(self, exc: Exception) -> None:
        if self._error_handler is not None and _alive(self._error_handler):
            self._error_handler(exc)
        else:  # no window yet (the first-run wizard's own lines show theirs): the type only, never the details
            log.warning("background operation failed with nobody to tell: %s", type(exc).__name__)

    # -- the change broadcast --------------------------------------------------------------------------

    def listen_for_changes(self, owner: QObject, listener: ChangeListener) -> None:
        """`listener(changes)` after each operation that changed data, until `owner` is destroyed."""
        listen_while_alive(owner, self._change_listeners.append, self._forget, listener)

    def _forget(self, listener: ChangeListener) -> None:
        if listener in self._change_listeners:
            self._change_listeners.remove(listener)

    def broadcast(self, changes: Changes) -> None:
        """On the GUI thread: tell every listener what changed (also for changes the sync engine made)."""
        for listener in list(self._change_listeners):
            if listener in self._change_listeners:  # one listener's refresh may have destroyed another's widget
                listener(changes)

    def stop(self) -> None:
        self._network.stop()
        self._database.stop()
