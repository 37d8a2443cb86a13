"""One counter per data folder: a second counter would share the outbox and the print queue, and a rekey or
restore from the command line would replace the database under a running one.

An OS file lock (filelock: flock on POSIX, LockFileEx on Windows) rather than a PID file: the system releases it
when its process dies however it dies, so a crashed counter never blocks the next start.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

LOCK_NAME = "kameng-desk.lock"
WAIT_S = 0.1


class InstanceLock:
    """Held until ``unlock()`` or the end of the process."""

    def __init__(self, lock: FileLock) -> None:
        self._lock = lock

    def unlock(self) -> None:
        self._lock.release(force=True)


def acquire_instance_lock(data_dir: Path) -> InstanceLock | None:
    """The folder's lock, or None when another process holds it."""
    # thread_local=False: the counter takes it on the GUI thread and may release it from another.
    lock = FileLock(str(data_dir / LOCK_NAME), timeout=WAIT_S, mode=0o600, thread_local=False, is_singleton=False)
    try:
        lock.acquire()
    except Timeout:
        return None
    return InstanceLock(lock)
