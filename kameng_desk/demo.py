"""The embedded demo: a platform on loopback with demo data, a paired desk and its staff (the first cash sale
asks for the float, as at any counter); its sandbox pay page also on the LAN address, for a phone.

Everything lives in a throwaway folder and an in-memory keyring: nothing touches the machine's keyring.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from pathlib import Path

import keyring

from kameng_desk.sync.errors import SyncError
from kameng_desk.sync.pairing import client_for, pair_store
from kameng_desk.usecases import restock_policy
from kameng_desk.usecases.syncing import SyncEngine
from kameng_platform.seed import seed_demo
from kameng_platform.server import RunningServer, lan_address, serve_in_thread
from kameng_platform.settings import PlatformSettings, sandbox_settings
from local_cache import Store, catalog, staff
from local_cache import settings as desk_settings
from local_cache.keystore import MemoryKeyring

OWNER, OWNER_PIN = "店长", "8888"
CASHIER, CASHIER_PIN = "小李", "1234"
SHOP_NAME = "演示网吧"
DEMO_KEEP, DEMO_RESTOCK_BUDGET_FEN = 10, 1_000_000  # ¥10,000 a day: more than the demo's balance


@dataclass
class DemoSession:
    store: Store
    engine: SyncEngine
    server: RunningServer
    platform_settings: PlatformSettings

    def close(self) -> None:
        self.engine.stop()
        self.server.stop()
        self.store.close()


def _keep_stocked(store: Store, owner_id: str) -> None:
    """Automatic restock is the owner's opt-in; the demo's owner opted in (fake money): every card keeps 10 codes."""
    restock_policy.set_budget(store, budget_fen=DEMO_RESTOCK_BUDGET_FEN, staff_id=owner_id, approver_id=owner_id)
    for product in catalog.products(store.conn()):
        if product.kind == "card":
            restock_policy.set_policy(store, product_id=product.id, keep=DEMO_KEEP, staff_id=owner_id,
                                      approver_id=owner_id)


def start_demo(folder: Path) -> DemoSession:
    keyring.set_keyring(MemoryKeyring())
    folder.mkdir(parents=True, exist_ok=True)
    # The demo opts in to the sandbox (fake payments, fake top-ups), as `kameng-platform serve --allow-sandbox`.
    settings = sandbox_settings(f"sqlite:///{folder / 'platform.db'}", secrets.token_bytes(32))
    seed = seed_demo(settings)
    # The API stays on loopback (only this desk talks to it); the sandbox pay page alone also listens on the LAN
    # address, so the QR opens on a customer's phone on the café's Wi-Fi. Anyone on that network who learns a
    # payment's URL can "pay" it: fake money, in a demo, which is all that listener offers.
    server = serve_in_thread(settings, pay_host=lan_address())
    store = engine = None
    try:
        store = Store.open(folder / "desk")
        pair_store(store, server.base_url, seed.pairing_code, device_name="演示收银台")
        with store.transaction() as conn:
            owner = staff.create(conn, OWNER, "owner", OWNER_PIN)
            staff.create(conn, CASHIER, "cashier", CASHIER_PIN)
            desk_settings.put(conn, "shop_name", SHOP_NAME)
        # No shift is opened for the demo: its first cash sale asks for the float, as at any counter (issue #15).
        engine = SyncEngine(store, lambda: client_for(store))
        # Catalog and first codes before the counter opens; a platform that does not answer shows in the banner.
        with contextlib.suppress(SyncError):
            engine.sync_once()  # the catalog
            _keep_stocked(store, owner.id)
            engine.sync_once()  # the first codes
    except BaseException:
        # The app shows why the demo could not start; nothing is left serving or holding files behind it.
        try:
            if engine is not None:
                engine.stop()  # its HTTP client; the engine's thread was never started
            if store is not None:
                store.close()
        finally:
            server.stop()
        raise
    store.close_thread_connection()
    return DemoSession(store, engine, server, settings)
