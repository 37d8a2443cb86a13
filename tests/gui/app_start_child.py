"""Child process for the start-up tests: `kameng-desk ARGS` on a real data folder, as a shop PC starts it.

The folder's key comes in KAMENG_TEST_DB_KEY and goes into an in-memory keyring (never the machine's). Once the
window is shown, prints its title, the PIN field's hint and whether it is maximized as one JSON line, and
quits."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import keyring
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kameng_desk.cli import main as desk_main
from kameng_desk.gui.app import prepare_app
from kameng_desk.gui.main_window import MainWindow
from local_cache.keystore import SERVICE, MemoryKeyring


def main() -> int:
    args = sys.argv[1:]
    data_dir = Path(args[args.index("--data-dir") + 1])
    backend = MemoryKeyring()
    store_id = (data_dir / "store-id").read_text().strip()
    backend.set_password(SERVICE, f"db-key/{store_id}", os.environ["KAMENG_TEST_DB_KEY"])
    keyring.set_keyring(backend)
    app = prepare_app()

    def probe() -> None:
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()),
                      None)
        if window is None:
            QTimer.singleShot(20, probe)
            return
        print(json.dumps([window.windowTitle(), window.login.pin.placeholderText(), window.isMaximized()],
                         ensure_ascii=False), flush=True)
        app.quit()
    QTimer.singleShot(0, probe)
    return desk_main(args)


if __name__ == "__main__":
    sys.exit(main())
