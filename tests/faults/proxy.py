"""A fault-injecting HTTP proxy between desk and platform (asyncio, one request per connection).

Per request, a seeded choice among: pass, refuse, reset, delay past the client timeout, commit then drop
the response, deliver twice (concurrently), 503 / 429 bursts, and truncated response bodies. With several
upstreams (platform processes on one database) each request goes to one of them at random, as a load balancer
without health checks would send it (a process being restarted refuses it), and a duplicate goes to two.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
import threading
from collections import Counter

FAULTS = ["refuse", "reset", "delay", "drop_response", "duplicate", "burst_5xx", "burst_429", "truncate"]


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length) if length else b""
    # One request per connection: both sides close after the response, so each request gets its own fate.
    lines = [ln for ln in head.rstrip(b"\r\n").split(b"\r\n") if not ln.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError, asyncio.CancelledError):
        await writer.wait_closed()


class FaultProxy:
    def __init__(self, upstream_ports: list[int], *, seed: int, fault_rate: float, client_timeout: float) -> None:
        self.upstream_ports = upstream_ports
        self.rng = random.Random(seed)
        self.fault_rate = fault_rate
        self.client_timeout = client_timeout
        self.enabled = True
        self.injected: Counter[str] = Counter()
        self._burst = (None, 0)
        self._loop = asyncio.new_event_loop()
        self._server = None
        self.port = 0
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True, name="fault-proxy")
        self._thread.start()
        ready.wait(10)

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()
        self._loop.run_forever()
        # Stopped: cancel the handlers still waiting (a "delay" fault sleeps), let their finally blocks close
        # their sockets on this loop, then close it; left pending, they were closed later by the garbage
        # collector in whichever test ran then, on a loop that no longer ran.
        self._server.close()
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.run_until_complete(self._server.wait_closed())
        self._loop.close()

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _choose(self) -> str:
        kind, left = self._burst
        if left:
            self._burst = (kind, left - 1)
            return kind
        if not self.enabled or self.rng.random() >= self.fault_rate:
            return "pass"
        fault = self.rng.choice(FAULTS)
        if fault.startswith("burst"):
            self._burst = (fault, self.rng.randint(1, 4))
        return fault

    async def _upstream(self, request: bytes, port: int) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(request)
            await writer.drain()
            return await reader.read()
        finally:
            await _close(writer)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        fault = self._choose()
        ports = self.upstream_ports
        if len(ports) > 1:  # (one upstream draws nothing: its seeded runs stay as they were)
            ports = self.rng.sample(ports, len(ports))  # where this request goes first
        if fault != "pass":
            self.injected[fault] += 1
        try:
            if fault == "refuse":
                return
            request = await _read_request(reader)
            if fault == "reset":
                sock = writer.get_extra_info("socket")
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if fault in ("burst_5xx", "burst_429"):
                status = b"503 Service Unavailable" if fault == "burst_5xx" else b"429 Too Many Requests"
                writer.write(b"HTTP/1.1 " + status + b"\r\nRetry-After: 0\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                return
            if fault == "duplicate":
                # The two copies reach two processes when there are two: the race between them.
                first, _ = await asyncio.gather(self._upstream(request, ports[0]),
                                                self._upstream(request, ports[-1]), return_exceptions=True)
                response = first if isinstance(first, bytes) else b""
            else:
                if fault == "delay":
                    await asyncio.sleep(self.client_timeout + 0.5)
                response = await self._upstream(request, ports[0])
            if fault == "drop_response":
                return  # the platform committed; the desk never hears
            if fault == "truncate":
                response = response[: max(1, len(response) * 2 // 3)]
            writer.write(response)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            await _close(writer)
