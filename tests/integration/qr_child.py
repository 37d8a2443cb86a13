"""A desk process that starts a QR sale against the platform and then waits with its QR on screen until the
test kills it (SIGKILL): the crash that leaves a payment open in the store."""

from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

from kameng_desk.sync.pairing import client_for
from kameng_desk.usecases import qr_sale
from kameng_desk.usecases.sell import CartLine
from local_cache import Store
from local_cache.keystore import SERVICE, MemoryKeyring


def main() -> None:
    data_dir, staff_id, product_id = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    backend = MemoryKeyring()
    store_id = (data_dir / "store-id").read_text().strip()
    backend.set_password(SERVICE, f"db-key/{store_id}", os.environ["KAMENG_TEST_DB_KEY"])
    store = Store.open(data_dir, backend)
    store.secrets.set_terminal_secret(os.environ["KAMENG_TEST_TERMINAL_SECRET"])
    client = client_for(store)
    session = qr_sale.start(store, client, staff_id=staff_id, cart=[CartLine(product_id, 1)], method="sandbox")
    print(json.dumps({"payment_id": session.payment_id, "order_id": session.order_id,
                      "qr_content": session.qr_content}), flush=True)
    threading.Event().wait()  # the QR stays on screen until the process dies


if __name__ == "__main__":
    main()
