"""A fresh process that opens the counter on a new data folder, used by bench_gui (start time) and by
tests/gui/test_high_dpi.py (the window at 200 %).

`python -m bench.counter_start T0 FOLDER` prints: seconds since T0 (time.time() of the parent just before it
started this process) until the staff list is there to pick from, the window's device pixel ratio, the size
of a grab of the window, and the window's logical size.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import keyring

from kameng_desk.gui.app import prepare_app, switch_language
from kameng_desk.gui.main_window import MainWindow
from kameng_desk.gui.worker import DbWorker
from local_cache import Store, staff
from local_cache.keystore import MemoryKeyring


def main(t0: float, folder: Path) -> None:
    keyring.set_keyring(MemoryKeyring())  # a fresh folder each start: the key lives as long as the process
    app = prepare_app()
    switch_language("zh_CN")
    store = Store.open(folder)
    with store.transaction() as conn:
        staff.create(conn, "小李", "cashier", "1234")
    store.close_thread_connection()
    worker = DbWorker(store)
    window = MainWindow(worker, idle_lock_ms=300_000)
    window.show()
    while window.login.staff_list.count() == 0:  # interactive: the staff list is there to pick from
        app.processEvents()
    elapsed = time.time() - t0
    shot = window.grab()
    print(elapsed, window.devicePixelRatioF(), shot.width(), shot.height(), window.width(), window.height(),
          flush=True)
    worker.stop()


if __name__ == "__main__":
    main(float(sys.argv[1]), Path(sys.argv[2]))
