"""A network cable between desk and platform that a test can pull, and a gate that holds requests in flight.

A real loopback relay (the fault run's proxy, without its random faults): unplugged, every connection is closed
before a reply, which the desk sees as the platform being unreachable.
"""

from __future__ import annotations

import asyncio
import threading

from tests.faults.proxy import FaultProxy, _close, _read_request


class Cable(FaultProxy):
    def __init__(self, upstream_port: int) -> None:
        super().__init__([upstream_port], seed=0, fault_rate=0.0, client_timeout=0.0)
        self.plugged = True
        self.gate = threading.Event()  # cleared: requests wait here, after they were read, before the platform
        self.gate.set()
        self.holding = threading.Event()  # set once a request waits at the closed gate

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if not self.plugged:
                return
            request = await _read_request(reader)
            while not self.gate.is_set():
                self.holding.set()
                await asyncio.sleep(0.01)
            writer.write(await self._upstream(request, self.upstream_ports[0]))
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            pass
        finally:
            await _close(writer)
