"""The desk signs the request target it actually sends: checked on the wire, and accepted by the real platform."""

from __future__ import annotations

import hashlib
import hmac
import http.server
import threading
from typing import ClassVar

from kameng_desk.sync.client import PlatformClient


class Recorder(http.server.BaseHTTPRequestHandler):
    """Keeps the request line's target (`self.path` is it, undecoded) and the headers of every request."""

    seen: ClassVar[list[tuple[str, str, dict[str, str], bytes]]] = []

    def do_GET(self) -> None:
        self._record(b"")

    def do_POST(self) -> None:
        self._record(self.rfile.read(int(self.headers.get("Content-Length", "0"))))

    def _record(self, body: bytes) -> None:
        self.seen.append((self.command, self.path, dict(self.headers), body))
        reply = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args) -> None:
        pass


def test_the_client_signs_the_target_on_the_wire() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Recorder.seen = []
    client = PlatformClient(f"http://127.0.0.1:{server.server_address[1]}", "t_1", "s3cret")
    try:
        client.call("GET", "/v1/changes?cursor=0&note=中文 a")
        client.call("POST", "/v1/orders/单号-1/void", {"voided_at": "2026-12-01T00:00:00Z"})
    finally:
        client.close()
        server.shutdown()
        server.server_close()
    targets = [target for _method, target, _headers, _body in Recorder.seen]
    # httpx percent-encodes what is not ASCII; the signature must cover these bytes, not the text passed in.
    assert targets == ["/v1/changes?cursor=0&note=%E4%B8%AD%E6%96%87%20a",
                       "/v1/orders/%E5%8D%95%E5%8F%B7-1/void"]
    for method, target, headers, body in Recorder.seen:
        message = "\n".join([method, target, headers["X-Kameng-Timestamp"], headers["X-Kameng-Nonce"],
                             hashlib.sha256(body).hexdigest()]).encode()
        expected = hmac.new(b"s3cret", message, hashlib.sha256).hexdigest()
        assert headers["X-Kameng-Signature"] == expected, target


def test_the_platform_accepts_what_the_client_signs(platform) -> None:
    t = platform.pair()
    client = PlatformClient(platform.url, t.terminal_id, t.secret)
    try:
        # A query with Chinese in it (the platform ignores the unknown parameter) and an encoded path.
        assert client.call("GET", "/v1/changes?cursor=0&note=中文")["changes"] is not None
        assert client.call("GET", "/v1/%63atalog")["products"]
    finally:
        client.close()
