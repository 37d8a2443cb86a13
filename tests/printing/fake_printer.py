"""Receipt printers for the tests: a network one on loopback (port 9100 style) that takes jobs over TCP, and a
serial one at the far end of a pseudo-terminal. Both answer the real-time status queries DLE EOT 1/2/4 like an
Epson-compatible printer, with paper in or out, or not at all."""

from __future__ import annotations

import os
import select
import socket
import threading

DLE_EOT = b"\x10\x04"
# Fixed bits of the replies (bits 1 and 4 set) as in the ESC/POS reference.
ONLINE, OFFLINE = 0x16, 0x1E
CAUSE_OK, CAUSE_PAPER_END, CAUSE_COVER_OPEN = 0x12, 0x32, 0x16
PAPER_OK, PAPER_END = 0x12, 0x72


class PrinterState:
    """Paper, cover and whether the printer answers status queries; the replies it gives."""

    def __init__(self) -> None:
        self.paper = True
        self.cover_open = False
        self.answers_status = True
        self.status_queries = 0

    def _status(self, n: int) -> int:
        ready = self.paper and not self.cover_open
        if n == 1:
            return ONLINE if ready else OFFLINE
        if n == 2:
            return CAUSE_COVER_OPEN if self.cover_open else CAUSE_OK if self.paper else CAUSE_PAPER_END
        return PAPER_OK if self.paper else PAPER_END

    def reply_to(self, chunk: bytes, started: bool) -> bytes | None:
        """The answer to a status query (b"" when the printer is silent); None when the chunk is print data.
        Status queries arrive alone: the desk waits for each answer before sending anything else."""
        if started or len(chunk) != 3 or chunk[:2] != DLE_EOT:
            return None
        self.status_queries += 1
        return bytes((self._status(chunk[2]),)) if self.answers_status else b""


class FakePrinter(PrinterState):
    def __init__(self) -> None:
        super().__init__()
        self.jobs: list[bytes] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self.job_arrived = threading.Condition()

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            with conn:
                self._session(conn)

    def _session(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        job = bytearray()
        while True:
            try:
                chunk = conn.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            reply = self.reply_to(chunk, started=bool(job))
            if reply is not None:
                conn.sendall(reply)
                continue
            job += chunk
        if job:
            with self.job_arrived:
                self.jobs.append(bytes(job))
                self.job_arrived.notify_all()

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self._sock.close()


class FakeSerialPrinter(PrinterState):
    """A serial printer: the desk opens `device` (a pseudo-terminal) as its COM port, with pyserial, and what it
    writes arrives here. Everything that is not a status query goes to `received`, jobs one after another (each
    starts with ESC @ and ends with a cut). The fake keeps the port's other end open itself, so the desk closing
    and reopening the port between jobs never loses bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.received = bytearray()
        self._master, self._slave = os.openpty()
        self.device = os.ttyname(self._slave)
        self._stop = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop:
            if not select.select([self._master], [], [], 0.1)[0]:
                continue
            chunk = os.read(self._master, 65536)
            with self._lock:
                # The desk writes a query alone and waits for the answer; a job's bytes arrive in larger reads.
                reply = self.reply_to(chunk, started=False)
                if reply is None:
                    self.received += chunk
            if reply:
                os.write(self._master, reply)

    def data(self) -> bytes:
        with self._lock:
            return bytes(self.received)

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        os.close(self._master)
        os.close(self._slave)
