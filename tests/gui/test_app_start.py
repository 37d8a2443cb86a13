"""`kameng-desk` started from the command line on a real data folder: the language its window speaks, and the
owner-only files it leaves."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kameng_desk.cli import main
from kameng_desk.logging_setup import setup_logging
from kameng_desk.usecases import first_run
from kameng_desk.usecases.sell import CartLine, sell_codes
from local_cache import Store, settings, staff
from tests.factories import QB10, seed_catalog

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def english_shop(tmp_path):
    """A set-up shop whose owner chose English in 设置 → 店铺与语言 (the setting the app saves)."""
    folder = tmp_path / "shop"
    store = Store.open(folder)
    first_run.set_up_shop(store, first_run.ShopSetup("星星网吧", "王老板", "2468", "2468"))
    with store.transaction() as conn:
        settings.put(conn, "language", "en")
    store.close()
    return folder


@pytest.fixture
def app_start(english_shop):
    """Runs `kameng-desk ARGS` in a process of its own until its window is shown; returns the window's title and
    its PIN field's hint, and checks the window opened maximized (issue #15: a counter's screen is the counter's,
    at 1024×768 too)."""
    store = Store.open(english_shop)
    key = store._key.hex()
    store.close()

    def run(*args: str) -> tuple[str, str]:
        child = subprocess.run(
            [sys.executable, "-m", "tests.gui.app_start_child", *args], capture_output=True, text=True, timeout=60,
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
                           "KAMENG_TEST_DB_KEY": key})
        assert child.returncode == 0, child.stderr
        title, hint, maximized = json.loads(child.stdout.splitlines()[-1])
        assert maximized
        return title, hint
    return run


def test_the_saved_language_is_used_on_restart(english_shop, app_start) -> None:
    assert app_start("--data-dir", str(english_shop)) == ("Kameng Desk", "Enter your PIN and press Enter")


def test_an_explicit_lang_wins_over_the_saved_one(english_shop, app_start) -> None:
    assert app_start("--data-dir", str(english_shop), "--lang", "zh_CN") == ("卡盟收银台", "输入 PIN 后按 Enter")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions (Windows relies on the profile folder's ACL)")
def test_the_data_folder_stays_owner_only_through_start_sale_backup_and_log_rotation(
        english_shop, app_start, tmp_path, monkeypatch, root_handlers) -> None:
    old_umask = os.umask(0o022)  # the usual one: files 0644, folders 0755 unless the desk says otherwise
    try:
        # A folder as an older version left it: 0755, its files 0644, a log folder with an old log.
        logs = english_shop / "logs"
        logs.mkdir()
        (logs / "kameng-desk.log.1").write_text("older\n")
        (english_shop / "notes.txt").write_text("not the desk's\n")
        for path in (english_shop, logs, *english_shop.rglob("*")):
            path.chmod(0o755 if path.is_dir() else 0o644)

        app_start("--data-dir", str(english_shop))  # a real start: logs, store, window; then quit

        store = Store.open(english_shop)
        seed_catalog(store, stock=5)
        owner = next(s for s in staff.list_all(store.conn()) if s.is_owner)
        sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 1)])  # open until the end: its -wal, -shm
        backups = tmp_path / "backups"
        backups.mkdir()
        monkeypatch.setattr("sys.stdin", io.StringIO("2468\nlong enough passphrase\n"))
        assert main(["--data-dir", str(english_shop), "backup", str(backups / "shop.kmbak")]) == 0

        setup_logging(logs)
        handler = logging.getLogger().handlers[0]
        logging.getLogger("test").warning("before the rotation")
        handler.doRollover()
        logging.getLogger("test").warning("after it")
        modes = {str(p.relative_to(tmp_path)): oct(p.stat().st_mode & 0o777)
                 for p in (english_shop, *english_shop.rglob("*"), backups / "shop.kmbak")}
        store.close()
    finally:
        os.umask(old_umask)
    assert {"shop/kameng.db", "shop/kameng.db-wal", "shop/kameng.db-shm", "shop/store-id", "shop/logs",
            "shop/logs/kameng-desk.log", "shop/logs/kameng-desk.log.1", "shop/logs/kameng-desk.log.2",
            "backups/shop.kmbak"} <= modes.keys()
    assert modes.pop("shop/notes.txt") == "0o644"  # someone else's file in the folder is left as it was
    loose = {name: mode for name, mode in modes.items()
             if mode != ("0o700" if (tmp_path / name).is_dir() else "0o600")}
    assert loose == {}
