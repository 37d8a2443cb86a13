"""A network receipt printer on loopback (port 9100 style): takes jobs over TCP and answers the real-time
status queries DLE EOT 1/2/4 like an Epson-compatible printer, with paper in or out, or not at all."""

from __future__ import annotations

import socket
import threading

DLE_EOT = b"\x10\x04"
# Fixed bits of the replies (bits 1 and 4 set) as in the ESC/POS reference.
ONLINE, OFFLINE = 0x16, 0x1E
CAUSE_OK, CAUSE_PAPER_END, CAUSE_COVER_OPEN = 0x12, 0x32, 0x16
PAPER_OK, PAPER_END = 0x12, 0x72


class FakePrinter:
    def __init__(self) -> None:
        self.paper = True
        self.cover_open = False
        self.answers_status = True
        self.jobs: list[bytes] = []
        self.status_queries = 0
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self.job_arrived = threading.Condition()

    def _status(self, n: int) -> int:
        ready = self.paper and not self.cover_open
        if n == 1:
            return ONLINE if ready else OFFLINE
        if n == 2:
            return CAUSE_COVER_OPEN if self.cover_open else CAUSE_OK if self.paper else CAUSE_PAPER_END
        return PAPER_OK if self.paper else PAPER_END

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
            # Status queries arrive alone: the desk waits for each answer before sending anything else.
            if len(chunk) == 3 and chunk[:2] == DLE_EOT and not job:
                self.status_queries += 1
                if self.answers_status:
                    conn.sendall(bytes((self._status(chunk[2]),)))
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
