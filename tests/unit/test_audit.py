"""The audit chain detects an edited, a deleted (also the last) and a reordered row."""

from __future__ import annotations

import pytest

from local_cache import Store, audit
from local_cache.connection import IntegrityError


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    with s.transaction() as conn:
        for n in range(5):
            audit.append(conn, "reprint", staff_id="s-1", approver_id="s-owner", subject=f"order-{n}",
                         detail={"n": n})
    yield s
    s.close()


def tamper(store: Store, *statements: str) -> None:
    """What an attacker with the key could do: drop the guard triggers and edit rows."""
    conn = store.conn()
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    for sql in statements:
        conn.execute(sql)


def test_intact_log_verifies(store) -> None:
    result = audit.verify(store.conn())
    assert result.ok and result.checked == 5


def test_triggers_refuse_update_and_delete(store) -> None:
    with pytest.raises(IntegrityError, match="append-only"):
        store.conn().execute("UPDATE audit_log SET action = 'x' WHERE seq = 1")
    with pytest.raises(IntegrityError, match="append-only"):
        store.conn().execute("DELETE FROM audit_log WHERE seq = 1")


def test_edited_row_detected(store) -> None:
    tamper(store, "UPDATE audit_log SET staff_id = 's-2' WHERE seq = 3")
    result = audit.verify(store.conn())
    assert not result.ok and result.seq == 3 and "changed" in result.problem


def test_deleted_row_detected(store) -> None:
    tamper(store, "DELETE FROM audit_log WHERE seq = 2")
    result = audit.verify(store.conn())
    assert not result.ok and result.seq == 3


def test_deleted_last_row_detected(store) -> None:
    tamper(store, "DELETE FROM audit_log WHERE seq = 5")
    result = audit.verify(store.conn())
    assert not result.ok and "ends at entry 4" in result.problem


def test_reordered_rows_detected(store) -> None:
    # Swap the contents of entries 2 and 4, keeping their sequence numbers in place.
    tamper(
        store,
        "UPDATE audit_log SET seq = 100 WHERE seq = 2",
        "UPDATE audit_log SET seq = 2 WHERE seq = 4",
        "UPDATE audit_log SET seq = 4 WHERE seq = 100",
    )
    result = audit.verify(store.conn())
    assert not result.ok and result.seq == 2
