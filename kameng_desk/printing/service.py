"""The print queue's own thread: drains local_cache.print_jobs for the desk's printer.

queued -> printing -> done | failed. Before anything is sent the printer's status is asked (where the
connection can answer): paper out, cover open, offline or unplugged leave the job queued with the reason (a
code the screen words: print_jobs.JobReason), and it is tried again every few seconds and on wake() — so it
prints by itself when paper is back.
A connection that breaks while sending fails the job (part of it may be out); retry prints it as a COPY.
A card slip hands its sale's codes over in the transaction that claims it for sending, before the first byte
goes out (a crash mid-send still counts): from then on the sale cannot be voided. A job a void cancelled after
it was picked is not claimed, and nothing of it is sent.
Nothing here logs slip content: only job ids, kinds and exception type names.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kameng_desk.printing import config as printer_config
from kameng_desk.printing.connections import print_bytes
from kameng_desk.printing.errors import (
    NoPrinterError,
    PrinterNotReadyError,
    PrintingError,
    PrintInterruptedError,
    UnprintableSlipError,
)
from kameng_desk.printing.escpos_render import render_escpos
from kameng_desk.printing.layout import Slip
from local_cache import Store, audit, orders, print_jobs
from local_cache.print_jobs import JobReason, PrintJob

log = logging.getLogger(__name__)

POLL_SECONDS = 3.0


@dataclass(frozen=True)
class JobEvent:
    """What changed, for listeners (the queue panel). ``state`` is the job's state, or 'waiting' when a
    queued job waits for the printer (``reason`` says why)."""
    job_id: str
    kind: str
    state: str
    reason: JobReason | None = None


Listener = Callable[[JobEvent], None]


class _Withdrawn(Exception):
    """The job left the queue between being picked and being claimed (its sale was voided): send nothing."""


class PrintService:
    """``start()`` once the store is open, ``wake()`` after queueing/retrying or changing the printer,
    ``stop()`` at exit. Listeners are called on the print thread (wrap them for the GUI thread)."""

    def __init__(self, store: Store, *, poll_seconds: float = POLL_SECONDS,
                 send: Callable[..., None] = print_bytes) -> None:
        self._store, self._poll, self._send = store, poll_seconds, send
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._listeners: list[Listener] = []

    # -- control -----------------------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the print service is already running")
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="kameng-printer", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 15.0) -> None:
        """Finish the job being sent (if any), then stop. A job cut off by exit is recovered as a copy."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopping.set()
        self._wake.set()
        thread.join(timeout)

    # -- the thread --------------------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            with self._store.transaction() as conn:
                recovered = print_jobs.recover_interrupted(conn)
            if recovered:
                log.info("print queue: %d job(s) cut off by the last exit will print again as copies", recovered)
            while not self._stopping.is_set():
                try:
                    busy = self._step()
                except Exception as exc:  # a bug or the database: keep the queue alive, say what kind
                    log.error("print queue step failed: %s", type(exc).__name__)
                    busy = False
                if not busy:
                    self._wake.wait(self._poll)
                    self._wake.clear()
        finally:
            self._store.close_thread_connection()

    def _notify(self, event: JobEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception as exc:
                log.error("print queue listener failed: %s", type(exc).__name__)

    def _wait(self, job: PrintJob, reason: JobReason) -> bool:
        with self._store.transaction() as conn:
            print_jobs.note_waiting(conn, job.printer, reason)
        self._notify(JobEvent(job.id, job.kind, "waiting", reason))
        return False

    def _fail(self, job: PrintJob, reason: JobReason, *, started: bool) -> bool:
        with self._store.transaction() as conn:
            if not started and not print_jobs.claim(conn, job.id):
                return True  # a void cancelled it meanwhile: nothing left to fail
            print_jobs.mark_failed(conn, job.id, reason, partly_printed=started)
        log.warning("print job %s (%s) failed", job.id, job.kind)
        self._notify(JobEvent(job.id, job.kind, "failed", reason))
        return True

    def _step(self) -> bool:
        """Print the oldest queued job; False when there is nothing to do or the printer is not ready."""
        conn = self._store.conn()
        job = print_jobs.next_queued(conn, printer_config.PRINTER_NAME)
        if job is None:
            return False
        try:
            cfg = printer_config.load(conn)
        except PrintingError as exc:
            return self._wait(job, exc.reason)
        if cfg is None:
            return self._wait(job, NoPrinterError().reason)
        try:
            data = render_escpos(Slip.from_json(job.payload), cfg.profile, copy=job.is_copy)
        except PrintingError as exc:
            return self._fail(job, exc.reason, started=False)
        except Exception as exc:  # e.g. a QR too long for any QR version
            return self._fail(job, UnprintableSlipError(type(exc).__name__).reason, started=False)

        started = False

        def claim() -> None:
            nonlocal started
            with self._store.transaction() as tx:
                if not print_jobs.claim(tx, job.id):
                    raise _Withdrawn()
                if job.kind == "card_slip" and job.order_id is not None:
                    orders.mark_codes_handed_over(tx, job.order_id)
            started = True
            self._notify(JobEvent(job.id, job.kind, "printing"))

        try:
            self._send(cfg.connection, data, before_send=claim, job_name=f"卡盟 {job.kind} {job.id[-6:]}")
        except _Withdrawn:
            self._notify(JobEvent(job.id, job.kind, "cancelled"))
            return True
        except PrinterNotReadyError as exc:
            return self._wait(job, exc.reason)
        except PrintInterruptedError as exc:
            return self._fail(job, exc.reason, started=started)
        except PrintingError as exc:  # settings that cannot work (e.g. a file path that is no device)
            return self._wait(job, exc.reason)
        with self._store.transaction() as tx:
            print_jobs.mark_done(tx, job.id)
            print_jobs.note_waiting(tx, job.printer, None)
            if job.kind == "card_slip" or job.is_copy:
                audit.append(tx, "print", staff_id=None, subject=job.order_id or job.id,
                             detail={"job": job.id, "kind": job.kind, "copy": job.is_copy})
        self._notify(JobEvent(job.id, job.kind, "done"))
        return True
