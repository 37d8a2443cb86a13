"""What the print-queue tests share: waiting for the print thread, the jobs still open and why they wait."""

from __future__ import annotations

import time
from collections.abc import Callable

from local_cache import Store, print_jobs


def wait_for(condition: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def jobs(store: Store) -> list[print_jobs.PrintJob]:
    return print_jobs.open_jobs(store.conn())


def reason_code(job: print_jobs.PrintJob) -> str | None:
    """The code of the job's reason (a job stores a code, never English words)."""
    return job.reason.code if job.reason else None
