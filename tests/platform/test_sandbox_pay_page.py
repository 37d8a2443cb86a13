"""The sandbox pay page (real platform on loopback, SQLite and PostgreSQL): it calls no one, so a forged Host
header cannot aim the platform at another machine; it holds no request worker waiting on the platform itself;
and in the demo it alone is reachable from the café's network."""

from __future__ import annotations

import socket
import threading
import time
import uuid

import httpx
import pytest

from kameng_platform.server import lan_address
from tests.platform.client import Terminal

ANONYMOUS_POSTS = 45


class Listener:
    """A TCP port on loopback standing for the attacker's machine: it counts who connects."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sock.close()


def sandbox_payment(t: Terminal, amount_fen: int = 1000) -> dict:
    reply = t.request("POST", "/v1/payments", {"payment_id": str(uuid.uuid4()), "order_id": str(uuid.uuid4()),
                                               "amount_fen": amount_fen, "method": "sandbox", "description": ""})
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_a_forged_host_header_makes_the_platform_call_no_one(harness) -> None:
    attacker = Listener()
    forged = f"127.0.0.1:{attacker.port}"
    try:
        t = harness.pair()
        t.http.headers["Host"] = forged  # the signature covers method, path and body, not the Host
        payment = sandbox_payment(t)
        # The QR names the configured public URL, whatever Host the request carried.
        assert payment["qr_content"] == f"{harness.server.public_url}/pay/{payment['payment_id']}"
        page = f"{harness.url}/pay/{payment['payment_id']}"
        assert "付款" in httpx.get(page, headers={"Host": forged}).text
        assert "付款成功" in httpx.post(page, headers={"Host": forged}).text
        time.sleep(0.5)  # a notify sent in the background would have arrived by now
        assert attacker.connections == 0
        del t.http.headers["Host"]
        assert t.request("GET", f"/v1/payments/{payment['payment_id']}").json()["status"] == "paid"
    finally:
        attacker.close()


def test_anonymous_pay_posts_do_not_hold_up_signed_requests(harness) -> None:
    """The pay page called its own server from a request worker: 45 posts took every worker, each waiting for
    a notify that needed one, and a signed request waited out their timeouts (about 9 s)."""
    t = harness.pair()
    page = f"{harness.url}/pay/{sandbox_payment(t)['payment_id']}"
    t.request("GET", "/v1/catalog")  # connections and caches warm: what is timed below is the waiting
    quiet_started = time.monotonic()
    assert t.request("GET", "/v1/catalog").status_code == 200
    quiet = time.monotonic() - quiet_started
    gate = threading.Barrier(ANONYMOUS_POSTS + 1)
    answers: list[int] = []

    def customer() -> None:
        with httpx.Client(timeout=30) as http:
            gate.wait()
            answers.append(http.post(page).status_code)

    posts = [threading.Thread(target=customer) for _ in range(ANONYMOUS_POSTS)]
    for p in posts:
        p.start()
    gate.wait()
    time.sleep(0.05)  # the posts are in
    started = time.monotonic()
    assert t.request("GET", "/v1/catalog").status_code == 200
    busy = time.monotonic() - started
    for p in posts:
        p.join()
    print(f"\nsigned GET /v1/catalog: {quiet * 1000:.0f} ms alone, {busy * 1000:.0f} ms during "
          f"{ANONYMOUS_POSTS} anonymous pay posts")
    assert answers == [200] * ANONYMOUS_POSTS
    assert busy < 3.0


def test_pay_page_ids_that_postgres_cannot_hold_are_not_found(harness) -> None:
    for method in ("GET", "POST"):
        for pid in ("%00", "a%00b", "x" * 65):
            assert httpx.request(method, f"{harness.url}/pay/{pid}").status_code == 404


def test_lan_address_falls_back_to_loopback(monkeypatch) -> None:
    def unreachable(self, address):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket.socket, "connect", unreachable)
    assert lan_address() == "127.0.0.1"


@pytest.mark.skipif(lan_address() == "127.0.0.1", reason="this machine has no LAN address")
def test_the_demo_opens_its_pay_page_alone_on_the_lan(tmp_path) -> None:
    from kameng_desk.demo import start_demo

    lan = lan_address()
    session = start_demo(tmp_path / "demo")
    try:
        api, public = httpx.URL(session.server.base_url), httpx.URL(session.server.public_url)
        assert (api.host, public.host) == ("127.0.0.1", lan)
        with pytest.raises(httpx.ConnectError):  # the API listens on loopback only
            httpx.get(f"http://{lan}:{api.port}/v1/time", timeout=2)
        assert httpx.get(f"{public}/v1/time").status_code == 404  # the LAN listener serves the pay page only
        assert httpx.post(f"{public}/v1/pair", json={"pairing_code": "X", "device_name": "x"}).status_code == 404
        client = session.engine.client()
        pid = str(uuid.uuid4())
        created = client.create_payment(payment_id=pid, order_id=str(uuid.uuid4()), amount_fen=1000,
                                        method="sandbox", description="")
        assert created.qr_content == f"{public}/pay/{pid}"  # what the phone scans: reachable on the Wi-Fi
        assert "付款" in httpx.get(created.qr_content).text
        assert "付款成功" in httpx.post(created.qr_content).text
        assert client.payment_status(pid) == "paid"
    finally:
        session.close()
