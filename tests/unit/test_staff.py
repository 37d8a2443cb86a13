"""PINs: argon2id hashes, lockout after repeated failures, unlock after the lockout time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from local_cache import Store, staff
from local_cache.errors import PinLockedError, StaffDisabledError, WrongPinError


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    yield s
    s.close()


def test_pin_is_hashed_and_verified(store) -> None:
    with store.transaction() as conn:
        owner = staff.create(conn, "老王", "owner", "2468")
    assert store.conn().execute("SELECT pin_hash FROM staff").fetchone()[0].startswith("$argon2id$")
    assert staff.verify_pin(store, owner.id, "2468") == owner


def test_lockout_after_five_failures_and_release_after_timeout(store) -> None:
    with store.transaction() as conn:
        cashier = staff.create(conn, "小李", "cashier", "1357")
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPinError) as info:
            staff.verify_pin(store, cashier.id, "0000", now=now)
        assert info.value.attempts_left == left
    with pytest.raises(PinLockedError):
        staff.verify_pin(store, cashier.id, "0000", now=now)
    # Even the right PIN is refused while locked.
    with pytest.raises(PinLockedError):
        staff.verify_pin(store, cashier.id, "1357", now=now + timedelta(minutes=4))
    assert staff.verify_pin(store, cashier.id, "1357", now=now + timedelta(minutes=6)).id == cashier.id


def test_failures_are_counted_even_though_the_check_raised(store) -> None:
    """The failed attempt is written although the check raised."""
    with store.transaction() as conn:
        cashier = staff.create(conn, "小李", "cashier", "1357")
    for _ in range(2):
        with pytest.raises(WrongPinError):
            staff.verify_pin(store, cashier.id, "0000")
    assert store.conn().execute("SELECT failed_attempts FROM staff").fetchone()[0] == 2


def test_disabled_staff_and_bad_pins_refused(store) -> None:
    with store.transaction() as conn:
        cashier = staff.create(conn, "小李", "cashier", "1357")
        staff.set_active(conn, cashier.id, False)
    with pytest.raises(StaffDisabledError):
        staff.verify_pin(store, cashier.id, "1357")
    with pytest.raises(ValueError), store.transaction() as conn:
        staff.create(conn, "阿强", "cashier", "12a4")
