"""An owner's login reports the wrong PINs and lockouts on any account since that owner's last login."""

from __future__ import annotations

import pytest

from kameng_desk.usecases.session import PinAlerts, authorize_owner, login
from local_cache import Store
from local_cache.errors import PinLockedError, WrongPinError
from tests.factories import make_staff


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path)
    yield s
    s.close()


def test_owner_login_counts_failures_and_lockouts_since_their_last_login(store) -> None:
    owner = make_staff(store, "老王", "owner", "2468")
    other_owner = make_staff(store, "王太", "owner", "8024")
    cashier = make_staff(store, "小李", "cashier", "1357")
    colleague = make_staff(store, "阿强", "cashier", "9753")
    assert login(store, owner.id, "2468").alerts is None
    for _ in range(5):  # someone guesses the cashier's PIN at the login screen
        with pytest.raises((WrongPinError, PinLockedError)):
            login(store, cashier.id, "0000")
    for _ in range(2):  # and the owner's in the approval dialog
        with pytest.raises(WrongPinError):
            authorize_owner(store, owner.id, "1111")
    with pytest.raises(PinLockedError):
        login(store, cashier.id, "1357")  # locked: not counted as a failure
    assert login(store, colleague.id, "9753").alerts is None  # a cashier is not told
    assert login(store, owner.id, "2468").alerts == PinAlerts(failed_attempts=7, lockouts=1)
    assert login(store, owner.id, "2468").alerts is None  # told once
    assert login(store, other_owner.id, "8024").alerts == PinAlerts(failed_attempts=7, lockouts=1)  # since theirs
