"""Child process for the kill-mid-send test: the desk's print queue on its own, until it is killed."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from kameng_desk.printing.service import PrintService
from local_cache import Store
from local_cache.keystore import SERVICE, MemoryKeyring


def main() -> None:
    data_dir = Path(sys.argv[1])
    backend = MemoryKeyring()
    store_id = (data_dir / "store-id").read_text().strip()
    backend.set_password(SERVICE, f"db-key/{store_id}", os.environ["KAMENG_TEST_DB_KEY"])
    store = Store.open(data_dir, backend)
    PrintService(store, poll_seconds=0.05).start()
    print("ready", flush=True)
    while True:
        time.sleep(60)


if __name__ == "__main__":
    main()
