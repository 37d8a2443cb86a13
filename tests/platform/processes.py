"""`kameng-platform serve` as a real process on loopback, for tests that kill it (SIGKILL) and start it again."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PlatformProcess:
    def __init__(self, db_url: str, key_hex: str, *args: str, log: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [str(BIN / "kameng-platform"), "serve", "--db", db_url, "--port", str(self.port), *args]
        self.env = dict(os.environ, KAMENG_PLATFORM_KEY=key_hex)
        self.log = log
        self.proc: subprocess.Popen | None = None
        self.kills = 0

    def leased(self, claimed_by: str | None) -> bool:
        """Whether its background passes put this id on a row they leased (kameng_platform.periodic.worker_id:
        host, process id, a random token)."""
        return (claimed_by or "").startswith(f"{socket.gethostname()[:40]}:{self.proc.pid}:")

    def start(self) -> None:
        out = self.log.open("ab") if self.log else subprocess.DEVNULL
        try:
            self.proc = subprocess.Popen(self.args, env=self.env, stdout=out, stderr=out)
        finally:
            if self.log:
                out.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{self.url}/v1/time", timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                assert self.proc.poll() is None, f"the platform exited with {self.proc.returncode}"
                time.sleep(0.1)
        raise RuntimeError("platform did not start")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.kills += 1

    def restart(self) -> None:
        """SIGKILL (whatever it was doing) and start again on the same port."""
        self.kill()
        self.start()
