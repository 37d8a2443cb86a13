"""Run the platform: in a background thread (the desk's --demo, tests) or as a process (the CLI)."""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import socket
import threading
import time
from dataclasses import dataclass

import uvicorn
from sqlalchemy import Engine
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from kameng_platform import topups
from kameng_platform.app import create_app
from kameng_platform.gateways import reconcile
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.periodic import Periodic
from kameng_platform.settings import PlatformSettings
from kameng_platform.suppliers import make_supplier
from kameng_platform.suppliers.base import Supplier

log = logging.getLogger(__name__)


@dataclass
class Workers:
    """The background passes of one platform process; no top-up worker without a supplier."""
    topups: Periodic | None
    reconciler: Periodic
    _supplier: Supplier | None

    def stop(self) -> None:
        if self.topups is not None:
            self.topups.stop()
            self._supplier.close()
        self.reconciler.stop()


@dataclass
class RunningServer:
    base_url: str  # the API
    public_url: str  # where the sandbox pay page is reached (the LAN listener of the demo, else base_url)
    _server: uvicorn.Server
    _thread: threading.Thread
    _workers: Workers
    _engine: Engine

    def stop(self) -> None:
        self._workers.stop()
        self._server.should_exit = True
        self._thread.join(timeout=10)
        # Close the database's pooled connections: Windows cannot delete a file that is still open (the demo's
        # and the self-test's throwaway folders).
        self._engine.dispose()


def announce(settings: PlatformSettings) -> None:
    """Said at every start: what this platform takes money with and executes top-ups with, and the sandbox."""
    if settings.gateways:
        log.info("payment gateways offered to desks: %s", ", ".join(settings.gateways))
    else:
        log.warning("no payment gateway is configured: desks are offered no QR payment "
                    "(configure one with --gateway-config FILE, see docs/payments.md)")
    if not settings.supplier:
        log.warning("no top-up supplier is configured: top-up orders are kept queued until one is "
                    "(--supplier-config FILE, see docs/platform.md)")
    if sandboxed := settings.sandboxed():
        log.warning("SANDBOX %s enabled: fake money, anyone who opens a payment's page can pay it and top-ups are "
                    "never really executed; never run this on a platform that takes real money",
                    " and ".join(sandboxed))
    if "sandbox" in settings.gateways:
        log.info("the sandbox pay page is at %s/pay/<payment id>", settings.public_url)


def start_workers(app, settings: PlatformSettings) -> Workers:
    """The top-up worker (when a supplier is configured) and the reconciler, which asks the gateways about
    payments whose notify never came (see gateways/reconcile.py)."""
    services = app.state.services
    engine, sealer, gateways = services.engine, services.sealer, services.gateways
    supplier = make_supplier(settings, engine)
    worker = None if supplier is None else Periodic(
        "topups", lambda: topups.process(engine, sealer, supplier), settings.topup_interval_s).start()
    reconciler = Periodic("reconcile", lambda: reconcile.process(engine, gateways, after_s=settings.reconcile_after_s,
                                                                 window_s=settings.reconcile_window_s,
                                                                 every_s=settings.reconcile_interval_s),
                          settings.reconcile_interval_s).start()
    return Workers(worker, reconciler, supplier)


def lan_address() -> str:
    """This machine's address on its default-route network (what a phone on the same Wi-Fi can reach), or
    127.0.0.1 without one. Connecting a UDP socket sends nothing: it only makes the OS pick the interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: any routable address will do
            address = probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"
    return address if not ipaddress.ip_address(address).is_unspecified else "127.0.0.1"


class PayPageOnly:
    """Connections that arrive on the pay-page listener reach the sandbox's /pay/ pages and nothing else: the
    demo opens that page to phones on the café network while the API stays on loopback."""

    def __init__(self, app: ASGIApp, pay_listener: tuple[str, int]) -> None:
        self.app, self.pay_listener = app, pay_listener

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and tuple(scope.get("server") or ()) == self.pay_listener \
                and not scope["path"].startswith("/pay/"):
            response = JSONResponse({"error": {"code": "not_found", "message": "Only the pay page is served here."}},
                                    status_code=404)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _listen(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def serve_in_thread(settings: PlatformSettings, host: str = "127.0.0.1", port: int = 0, *,
                    gateways: GatewayRegistry | None = None, pay_host: str | None = None) -> RunningServer:
    """`pay_host`: also listen there, for the sandbox pay page only (the demo passes the LAN address so a
    phone can open the QR); the pay page's public URL is that listener unless the settings name one."""
    sock = _listen(host, port)
    base_url = f"http://{host}:{sock.getsockname()[1]}"
    sockets, pay_listener = [sock], None
    if pay_host and pay_host != host:
        try:
            pay_sock = _listen(pay_host, 0)
        except OSError as exc:  # the address went away since it was looked up: the page stays on loopback
            log.warning("cannot listen on %s for the pay page (%s); it is served on %s only", pay_host, exc, base_url)
        else:
            sockets.append(pay_sock)
            pay_listener = pay_sock.getsockname()[:2]
    public_url = settings.public_url or (f"http://{pay_listener[0]}:{pay_listener[1]}" if pay_listener else base_url)
    settings = dataclasses.replace(settings, public_url=public_url)
    announce(settings)
    app = create_app(settings, gateways=gateways)
    served = app if pay_listener is None else PayPageOnly(app, pay_listener)
    config = uvicorn.Config(served, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": sockets}, name="kameng-platform", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the platform server did not start")
        time.sleep(0.01)
    return RunningServer(base_url, public_url, server, thread, start_workers(app, settings),
                         app.state.services.engine)
