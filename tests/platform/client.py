"""A real platform server on loopback and a signing client written from the wire contract."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from kameng_platform.seed import seed_demo
from kameng_platform.server import RunningServer, serve_in_thread
from kameng_platform.settings import PlatformSettings, sandbox_settings


@dataclass
class Terminal:
    base_url: str
    terminal_id: str
    secret: str
    prefix: str
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))
    clock_offset: int = 0

    def request(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
                nonce: str | None = None, secret: str | None = None, signed_path: str | None = None,
                ) -> httpx.Response:
        """`path` is sent as given (already percent-encoded) and signed, or `signed_path` is signed instead."""
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        ts = str(int(time.time()) + self.clock_offset)
        nonce = nonce or secrets.token_hex(16)
        msg = "\n".join([method, signed_path or path, ts, nonce, hashlib.sha256(data).hexdigest()]).encode()
        sig = hmac.new((secret or self.secret).encode(), msg, hashlib.sha256).hexdigest()
        headers = {"X-Kameng-Terminal": self.terminal_id, "X-Kameng-Timestamp": ts, "X-Kameng-Nonce": nonce,
                   "X-Kameng-Signature": sig, "Content-Type": "application/json"}
        return self.http.request(method, self.base_url + path, content=data or None, headers=headers)


@dataclass
class PlatformHarness:
    settings: PlatformSettings
    server: RunningServer
    reseller_id: str
    first_code: str

    @classmethod
    def start(cls, db_url: str, codes_per_product: int = 20, **settings_fields: Any) -> PlatformHarness:
        settings = sandbox_settings(db_url, secrets.token_bytes(32), **settings_fields)
        seed = seed_demo(settings, codes_per_product=codes_per_product)
        return cls(settings, serve_in_thread(settings), seed.reseller_id, seed.pairing_code)

    @property
    def url(self) -> str:
        return self.server.base_url

    def pairing_code(self) -> str:
        from kameng_platform import terminals
        from kameng_platform.crypto import Sealer
        from kameng_platform.db import make_engine

        engine = make_engine(self.settings.db_url)
        with engine.begin() as conn:
            code = terminals.create_pairing_code(conn, Sealer(self.settings.server_key), self.reseller_id, 3600)
        engine.dispose()
        return code

    def pair(self, code: str | None = None, name: str = "前台1号") -> Terminal:
        reply = httpx.post(self.url + "/v1/pair", json={"pairing_code": code or self.pairing_code(),
                                                        "device_name": name})
        reply.raise_for_status()
        body = reply.json()
        return Terminal(self.url, body["terminal_id"], body["terminal_secret"], body["terminal_prefix"])

    def engine(self):
        from kameng_platform.db import make_engine

        return make_engine(self.settings.db_url)

    def stop(self) -> None:
        self.server.stop()
