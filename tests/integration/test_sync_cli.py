"""`kameng-desk pair`, `sync --once` and `status --json` on a real data folder and platform."""

from __future__ import annotations

import contextlib
import json

from kameng_desk.cli import main
from local_cache import Store
from tests.integration.stocking import keep_stocked


def test_pair_sync_status(tmp_path, platform, capsys) -> None:
    folder = str(tmp_path / "d")
    assert main(["--data-dir", folder, "pair", "--url", platform.url, "--code", "WRONG-CODE-XX"]) == 1
    assert "pairing failed" in capsys.readouterr().out
    assert main(["--data-dir", folder, "pair", "--url", platform.url, "--code", platform.first_code]) == 0
    out = capsys.readouterr().out
    assert "paired with" in out and "terminal" in out
    with contextlib.closing(Store.open(tmp_path / "d")) as store:
        keep_stocked(store, 10)  # automatic restock is the owner's opt-in (issue #15)
    assert main(["--data-dir", folder, "sync", "--once"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", folder, "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["paired"] and status["orders_waiting"] == 0 and status["stock"]["qb10"] >= 5
    assert "secret" not in json.dumps(status)
