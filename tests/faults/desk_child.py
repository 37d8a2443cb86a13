"""A desk process for the fault run: records sales and top-ups and syncs through the fault proxy,
printing each order id once it is committed. The parent kills it with SIGKILL at random moments."""

from __future__ import annotations

import contextlib
import os
import random
import sys
from pathlib import Path

import httpx

from kameng_desk.sync.client import PlatformClient
from kameng_desk.sync.errors import SyncError
from kameng_desk.usecases.sell import CartLine, sell_codes
from kameng_desk.usecases.syncing import SyncEngine
from kameng_desk.usecases.topup import record_topup
from local_cache import Store, codes, orders, staff, sync_state
from local_cache.errors import OutOfStockError
from local_cache.keystore import SERVICE, MemoryKeyring

CARDS = ["qb10", "qb30", "wy50", "jw50", "sd30"]


def main() -> None:
    data_dir, url, total, seed = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    backend = MemoryKeyring()
    store_id = (data_dir / "store-id").read_text().strip()
    backend.set_password(SERVICE, f"db-key/{store_id}", os.environ["KAMENG_TEST_DB_KEY"])
    store = Store.open(data_dir, backend)
    conn = store.conn()
    terminal_id = sync_state.get(conn, "terminal_id")
    secret = os.environ["KAMENG_TEST_TERMINAL_SECRET"]
    timeout = httpx.Timeout(connect=2.0, read=2.0, write=2.0, pool=2.0)
    engine = SyncEngine(store, lambda: PlatformClient(url, terminal_id, secret, timeout=timeout))
    cashier = staff.list_all(conn)[0].id
    done = orders.count(conn)
    rng = random.Random(seed * 100_003 + done)
    print("ready", flush=True)
    while done < total:
        if rng.random() < 0.3:
            order_id = record_topup(store, staff_id=cashier, product_id="hf30",
                                    account=f"138{rng.randrange(10**8):08d}").id
        else:
            product = rng.choice(CARDS)
            try:
                order_id = sell_codes(store, staff_id=cashier, cart=[CartLine(product, 1)]).order.id
            except OutOfStockError:
                with contextlib.suppress(SyncError):
                    engine.restock(product, 40)
                continue
        print(f"committed {order_id}", flush=True)
        done += 1
        if rng.random() < 0.5 or min(codes.stock_levels(store.conn()).get(p, 0) for p in CARDS) < 3:
            with contextlib.suppress(SyncError):
                engine.sync_once()
    print("done", flush=True)


if __name__ == "__main__":
    main()
