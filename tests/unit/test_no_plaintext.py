"""DESIGN §4.5: codes, PIN hashes, secrets and keys never appear in plaintext in any file of the data folder."""

from __future__ import annotations

from pathlib import Path

from kameng_desk.usecases.sell import CartLine, sell_codes
from local_cache import Store, sync_state
from tests.factories import QB10, make_staff, secret_for, seed_catalog


def all_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_data_folder_holds_no_plaintext_secret(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    seed_catalog(store, stock=50)
    owner = make_staff(store, pin="97531")
    sell_codes(store, staff_id=owner.id, cart=[CartLine(QB10.id, 3)])
    store.secrets.set_terminal_secret("terminal-secret-XYZZY-0123456789abcdef")
    with store.transaction() as conn:
        sync_state.put(conn, "terminal_id", "T-1")
    pin_hash = store.conn().execute("SELECT pin_hash FROM staff").fetchone()[0]
    # Leave the connection open: the WAL still holds the latest pages, as after a crash.
    files = all_bytes(tmp_path)
    assert any(name.endswith("-wal") and data for name, data in files.items()), "WAL should hold data"
    needles = [secret_for(QB10.id, n).encode() for n in range(50)]
    needles += [b"CARDNO00000001", pin_hash.encode(), b"$argon2id$", b"terminal-secret-XYZZY",
                store._key.hex().encode(), store._key]
    needles += [n.encode("utf-16-le") for n in (secret_for(QB10.id, 0),)]
    for name, data in files.items():
        for needle in needles:
            assert needle not in data, f"plaintext found in {name}"
    # The values searched for really were written (readable through the key).
    assert store.conn().execute("SELECT count(*) FROM card_codes WHERE card_secret = ?",
                                (secret_for(QB10.id, 0),)).fetchone()[0] == 1
    store.close()
