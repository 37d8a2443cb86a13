"""The platform's HTTP edge against a stranger: bodies, signature headers, pairing guesses, nonces, raw targets.

Against real servers on loopback: `kameng-platform serve` as a process (its memory is read from /proc) and the
in-thread harness (whose clock a test can move)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select as sql_select

from kameng_platform import clock
from kameng_platform.schema import nonces

MIB = 1024 * 1024
BIN = Path(sys.executable).parent
# Well-formed signature headers of no terminal: they pass the cheap checks made before the body is read.
FORMED = {"X-Kameng-Terminal": "t_0000000000000000", "X-Kameng-Nonce": "n" * 32, "X-Kameng-Signature": "a" * 64}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """`kameng-platform serve` as its own process, as an operator runs it."""
    port = free_port()
    env = dict(os.environ, KAMENG_PLATFORM_KEY=secrets.token_hex(32))
    proc = subprocess.Popen([str(BIN / "kameng-platform"), "serve", "--db", f"sqlite:///{tmp_path / 'p.db'}",
                             "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/v1/time", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield proc, port
    finally:
        proc.kill()
        proc.wait()


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (the peak so far) of a process, in kB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return {k: int(fields[k].split()[0]) for k in ("VmRSS", "VmHWM")}


def head(method: str, target: str, headers: dict[str, str | bytes]) -> bytes:
    lines = [f"{method} {target} HTTP/1.1".encode(), b"Host: 127.0.0.1"]
    lines += [k.encode() + b": " + (v if isinstance(v, bytes) else v.encode()) for k, v in headers.items()]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def read_status(sock: socket.socket) -> tuple[int, bytes]:
    """The status and the whole answer (head and a Content-Length body)."""
    reply = b""
    while b"\r\n\r\n" not in reply or len(reply.partition(b"\r\n\r\n")[2]) < _length(reply):
        part = sock.recv(65536)
        if not part:
            break
        reply += part
    return int(reply.split(b" ", 2)[1]), reply


def _length(reply: bytes) -> int:
    for line in reply.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


def stream_chunked(port: int, method: str, target: str, headers: dict[str, str], total: int,
                   chunk: int = 256 * 1024) -> tuple[int, int]:
    """Streams `total` bytes chunked, looking for an answer between chunks; returns (status, bytes sent)."""
    piece = b"%x\r\n" % chunk + b"x" * chunk + b"\r\n"
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head(method, target, {**headers, "Transfer-Encoding": "chunked"}))
        try:
            while sent < total:
                if select.select([sock], [], [], 0)[0]:
                    break  # the server answered before the body was sent
                sock.sendall(piece)
                sent += chunk
            else:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_status(sock)[0], sent


def test_large_bodies_are_refused_while_streaming_on_every_route(served) -> None:
    proc, port = served
    before = memory_kb(proc.pid)
    targets = [("GET", "/v1/catalog", {**FORMED, "X-Kameng-Timestamp": str(int(time.time()))}),
               ("GET", "/v1/time", {}), ("POST", "/v1/pair", {}), ("POST", "/v1/gateways/sandbox/notify", {}),
               ("POST", "/pay/p-1", {}), ("DELETE", "/v1/nowhere", {})]
    for method, target, headers in targets:
        status, sent = stream_chunked(port, method, target, headers, total=64 * MIB)
        assert status == 413, (method, target)
        assert sent < 16 * MIB, (method, target, sent)  # cut off near the 1 MiB limit, not drained to the end
    after = memory_kb(proc.pid)
    print(f"server memory kB before {before}, after {after}")
    assert after["VmHWM"] - before["VmHWM"] < 20 * 1024, (before, after)
    assert httpx.get(f"http://127.0.0.1:{port}/v1/time").status_code == 200
    # A chunked body within the limit reaches its route whole.
    small = httpx.post(f"http://127.0.0.1:{port}/v1/pair",
                       content=iter([b'{"pairing_code":', b'"WRONG-CODE","device_name":"x"}']),
                       headers={"Content-Type": "application/json"})
    assert (small.status_code, small.json()["error"]["code"]) == (403, "pairing_code_invalid")


def test_declared_length_over_the_limit_is_refused_before_any_byte(served) -> None:
    _proc, port = served
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head("GET", "/v1/time", {"Content-Length": str(400 * MIB)}))
        status, reply = read_status(sock)  # no body byte sent: the answer comes anyway
    assert status == 413 and b"body_too_large" in reply


BAD_HEADERS = [
    ({"X-Kameng-Timestamp": None}, "bad_signature"),  # missing
    ({"X-Kameng-Timestamp": b"\xb2"}, "bad_signature"),  # '2' superscript: str.isdigit() says yes
    ({"X-Kameng-Timestamp": "１７００００００００".encode()}, "bad_signature"),  # full-width digits
    ({"X-Kameng-Timestamp": "99999999999999999999999"}, "bad_signature"),
    ({"X-Kameng-Signature": b"\xe9" * 64}, "bad_signature"),  # non-ASCII, the right length
    ({"X-Kameng-Signature": "g" * 64}, "bad_signature"),
    ({"X-Kameng-Signature": "a" * 63}, "bad_signature"),
    ({"X-Kameng-Nonce": "short"}, "bad_signature"),
    ({"X-Kameng-Nonce": b"\xb2" * 20}, "bad_signature"),
    ({"X-Kameng-Terminal": b"t_\xe9"}, "bad_signature"),
    ({"X-Kameng-Timestamp": str(int(time.time()) - 3600)}, "clock_skew"),
]


@pytest.mark.parametrize(("change", "code"), BAD_HEADERS)
def test_bad_signature_headers_are_refused_before_the_body_is_read(served, change, code) -> None:
    """The client sends the head of a POST and holds its body back: the refusal must come anyway, a 401
    (never a 500, which a non-ASCII digit or signature gave)."""
    _proc, port = served
    headers = {**FORMED, "X-Kameng-Timestamp": str(int(time.time())), **change, "Content-Length": "1000",
               "Content-Type": "application/json"}
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head("POST", "/v1/restock", {k: v for k, v in headers.items() if v is not None}))
        sock.sendall(b'{"request_id":')  # and nothing more
        status, reply = read_status(sock)
    assert status == 401 and f'"code":"{code}"'.encode() in reply


def test_bad_signature_headers_over_httpx_get_401(harness) -> None:
    """The same refusals through an ordinary client, on both databases."""
    t = harness.pair()
    for change, code in BAD_HEADERS:
        headers = {**FORMED, "X-Kameng-Terminal": t.terminal_id, "X-Kameng-Timestamp": str(int(time.time())),
                   **change}
        reply = httpx.get(harness.url + "/v1/catalog", headers={k: v for k, v in headers.items() if v is not None})
        assert (reply.status_code, reply.json()["error"]["code"]) == (401, code), change


# -- pairing is rate-limited ------------------------------------------------------------------------------------

def pair_from(harness, address: str, code: str) -> httpx.Response:
    with httpx.Client(transport=httpx.HTTPTransport(local_address=address)) as http:
        return http.post(harness.url + "/v1/pair", json={"pairing_code": code, "device_name": "猜码机"})


def test_pairing_guesses_are_limited_per_address(harness, monkeypatch, caplog) -> None:
    caplog.set_level(logging.WARNING, logger="kameng_platform.terminals")
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    limit = harness.settings.pair_attempts_per_source
    replies = [pair_from(harness, "127.0.0.1", f"WRONG-{i:04d}-CODE") for i in range(300)]
    assert [r.status_code for r in replies[:limit]] == [403] * limit
    refused = replies[limit:]
    assert {r.status_code for r in refused} == {429}
    assert {r.json()["error"]["code"] for r in refused} == {"too_many_attempts"}
    retry_after = int(refused[-1].headers["Retry-After"])
    assert 0 < retry_after <= harness.settings.pair_window_s
    # Even a right code from that address waits; from another address it pairs.
    code = harness.pairing_code()
    assert pair_from(harness, "127.0.0.1", code).status_code == 429
    assert pair_from(harness, "127.0.0.2", code).status_code == 200
    # The operator is told once, with the address, and never sees a code.
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "127.0.0.1" in warnings[0], warnings
    assert "WRONG" not in caplog.text and code not in caplog.text
    # After the window the address may try again.
    monkeypatch.setattr(clock, "now", lambda: start + retry_after)
    assert pair_from(harness, "127.0.0.1", harness.pairing_code()).status_code == 200


def test_pairing_guesses_are_limited_overall(harness, monkeypatch) -> None:
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    per_source, total = harness.settings.pair_attempts_per_source, harness.settings.pair_attempts_total
    sources = [f"127.0.1.{i}" for i in range(1, total // per_source + 1)]
    for source in sources:  # each within its own limit, together at the overall one
        assert {pair_from(harness, source, "WRONG-CODE-0000").status_code for _ in range(per_source)} == {403}
    late = pair_from(harness, "127.0.2.1", harness.pairing_code())
    assert late.status_code == 429 and int(late.headers["Retry-After"]) > 0


# -- nonces are kept for the replay window only --------------------------------------------------------------

def signed(t, method: str, target: str, ts: int, nonce: str) -> dict[str, str]:
    message = "\n".join([method, target, str(ts), nonce, hashlib.sha256(b"").hexdigest()]).encode()
    return {"X-Kameng-Terminal": t.terminal_id, "X-Kameng-Timestamp": str(ts), "X-Kameng-Nonce": nonce,
            "X-Kameng-Signature": hmac.new(t.secret.encode(), message, hashlib.sha256).hexdigest()}


def test_nonces_are_pruned_after_the_replay_window(harness, monkeypatch) -> None:
    t = harness.pair()
    skew = harness.settings.max_skew_s
    now = {"t": clock.now()}
    monkeypatch.setattr(clock, "now", lambda: now["t"])
    t0 = now["t"]

    def get(ts: int, nonce: str) -> httpx.Response:
        return httpx.get(harness.url + "/v1/catalog", headers=signed(t, "GET", "/v1/catalog", ts, nonce))

    first = signed(t, "GET", "/v1/catalog", t0, "A" * 20)
    assert httpx.get(harness.url + "/v1/catalog", headers=first).status_code == 200
    now["t"] = t0 + 10
    replay = get(now["t"], "A" * 20)  # the nonce again, within the window: refused
    assert (replay.status_code, replay.json()["error"]["code"]) == (401, "replayed_nonce")
    now["t"] = t0 + skew
    assert get(now["t"], "D" * 20).status_code == 200
    now["t"] = t0 + 2 * skew + 1
    # The first request again, byte for byte, after the window: its timestamp refuses it.
    late = httpx.get(harness.url + "/v1/catalog", headers=first)
    assert (late.status_code, late.json()["error"]["code"]) == (401, "clock_skew")
    assert get(now["t"], "B" * 20).status_code == 200  # this request prunes
    engine = harness.engine()
    with engine.connect() as conn:
        kept = set(conn.execute(sql_select(nonces.c.nonce).where(nonces.c.terminal_id == t.terminal_id)).scalars())
    engine.dispose()
    assert kept == {"D" * 20, "B" * 20}


# -- the signature covers the request target as sent ---------------------------------------------------------

def test_signed_path_is_the_raw_target(harness) -> None:
    t = harness.pair()
    disguised = t.request("GET", "/v1/%63atalog", signed_path="/v1/catalog")
    assert (disguised.status_code, disguised.json()["error"]["code"]) == (401, "bad_signature")
    assert t.request("GET", "/v1/%63atalog").status_code == 200  # signed as sent, it is the catalog
    chinese = "/v1/changes?cursor=0&note=%E4%B8%AD%E6%96%87"
    assert t.request("GET", chinese).status_code == 200
    decoded = t.request("GET", chinese, signed_path="/v1/changes?cursor=0&note=中文")
    assert (decoded.status_code, decoded.json()["error"]["code"]) == (401, "bad_signature")
