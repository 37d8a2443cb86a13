"""Child process for the SIGKILL test: sells codes in a loop, printing each order id once committed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kameng_desk.usecases.sell import CartLine, sell_codes
from local_cache import Store
from local_cache.keystore import SERVICE, MemoryKeyring


def main() -> None:
    data_dir = Path(sys.argv[1])
    staff_id, product_id = sys.argv[2], sys.argv[3]
    backend = MemoryKeyring()
    store_id = (data_dir / "store-id").read_text().strip()
    backend.set_password(SERVICE, f"db-key/{store_id}", os.environ["KAMENG_TEST_DB_KEY"])
    store = Store.open(data_dir, backend)
    print("ready", flush=True)
    while True:
        sale = sell_codes(store, staff_id=staff_id, cart=[CartLine(product_id, 2)])
        print(sale.order.id, flush=True)


if __name__ == "__main__":
    main()
