"""Run the platform: in a background thread (the desk's --demo, tests) or as a process (the CLI)."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn

from kameng_platform import topups
from kameng_platform.app import create_app
from kameng_platform.gateways import reconcile
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.periodic import Periodic
from kameng_platform.settings import PlatformSettings
from kameng_platform.suppliers import make_supplier


@dataclass
class RunningServer:
    base_url: str
    _server: uvicorn.Server
    _thread: threading.Thread
    _topups: Periodic
    _reconciler: Periodic

    def stop(self) -> None:
        self._topups.stop()
        self._reconciler.stop()
        self._server.should_exit = True
        self._thread.join(timeout=10)
        # Close the database's pooled connections: Windows cannot delete a file that is still open (the demo's
        # and the self-test's throwaway folders).
        self._server.config.app.state.engine.dispose()


def start_topup_worker(app, settings: PlatformSettings) -> Periodic:
    supplier, engine, sealer = make_supplier(settings), app.state.engine, app.state.sealer
    return Periodic("topups", lambda: topups.process(engine, sealer, supplier), settings.topup_interval_s).start()


def start_reconciler(app, settings: PlatformSettings) -> Periodic:
    """Asks the gateways about payments whose notify never came (see gateways/reconcile.py)."""
    engine, gateways = app.state.engine, app.state.gateways
    return Periodic("reconcile", lambda: reconcile.process(engine, gateways, after_s=settings.reconcile_after_s,
                                                           window_s=settings.reconcile_window_s,
                                                           every_s=settings.reconcile_interval_s),
                    settings.reconcile_interval_s).start()


def serve_in_thread(settings: PlatformSettings, host: str = "127.0.0.1", port: int = 0, *,
                    gateways: GatewayRegistry | None = None) -> RunningServer:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    app = create_app(settings, gateways=gateways)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="kameng-platform", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the platform server did not start")
        time.sleep(0.01)
    return RunningServer(f"http://{host}:{bound}", server, thread, start_topup_worker(app, settings),
                         start_reconciler(app, settings))
