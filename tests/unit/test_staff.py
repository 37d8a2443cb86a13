"""PINs: argon2id hashes; escalating lockout after repeated failures that neither the clock nor a restart ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from local_cache import Store, audit, staff
from local_cache.errors import EmptyPinError, PinLockedError, StaffDisabledError, WrongPinError


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


class FakeClock:
    """The wall and monotonic clocks of one process, moved by the test. `restart()` is a new process on the same
    boot (the monotonic clock goes on); `reboot()` also starts the monotonic clock again."""

    def __init__(self) -> None:
        self.wall = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
        self.mono = 1000.0
        self.process = "p1"

    def read(self) -> staff.ClockReading:
        return staff.ClockReading(self.wall, self.mono, self.process)

    def wait(self, delta: timedelta) -> None:
        """Real time passes: both clocks move."""
        self.wall += delta
        self.mono += delta.total_seconds()

    def set_wall(self, delta: timedelta) -> None:
        """Someone changes the date and time: only the wall clock moves."""
        self.wall += delta

    def restart(self) -> None:
        self.process += "+"

    def reboot(self, off_for: timedelta = timedelta(0)) -> None:
        self.restart()
        self.wall += off_for + timedelta(seconds=30)
        self.mono = 30.0


@pytest.fixture
def cashier(store):
    with store.transaction() as conn:
        return staff.create(conn, "小李", "cashier", "1357")


def fail(store, person, clock, times: int) -> Exception:
    """`times` wrong PINs; the error of the last one."""
    for _ in range(times):
        with pytest.raises((WrongPinError, PinLockedError)) as info:
            staff.verify_pin(store, person.id, "0000", clock=clock)
    return info.value


def locked(store, person, clock) -> bool:
    """Whether the right PIN is refused as locked (a correct PIN while unlocked logs in and resets the count)."""
    try:
        staff.verify_pin(store, person.id, "1357", clock=clock)
    except PinLockedError:
        return True
    return False


def test_five_failures_lock_and_the_lock_ends_after_its_time(store, cashier) -> None:
    clock = FakeClock()
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPinError) as info:
            staff.verify_pin(store, cashier.id, "0000", clock=clock)
        assert info.value.attempts_left == left
    with pytest.raises(PinLockedError) as lock:
        staff.verify_pin(store, cashier.id, "0000", clock=clock)
    assert lock.value.seconds_left == 60
    clock.wait(timedelta(seconds=50))
    with pytest.raises(PinLockedError) as lock:  # even the right PIN is refused while locked
        staff.verify_pin(store, cashier.id, "1357", clock=clock)
    assert lock.value.seconds_left == 10
    clock.wait(timedelta(seconds=11))
    assert staff.verify_pin(store, cashier.id, "1357", clock=clock).id == cashier.id


@pytest.mark.parametrize("jump", [timedelta(hours=25), timedelta(days=400), -timedelta(hours=3)])
def test_moving_the_clock_does_not_shorten_a_lock(store, cashier, jump) -> None:
    clock = FakeClock()
    fail(store, cashier, clock, 5)
    clock.set_wall(jump)
    assert locked(store, cashier, clock)
    clock.restart()  # and again in a new process, which cannot tell the jump from a reboot
    clock.set_wall(jump)
    assert locked(store, cashier, clock)
    clock.wait(timedelta(seconds=59))
    assert locked(store, cashier, clock)
    clock.wait(timedelta(seconds=2))  # only time the monotonic clock measured counts
    assert not locked(store, cashier, clock)


def test_a_restart_keeps_the_lock_and_its_time_served(store, cashier) -> None:
    clock = FakeClock()
    fail(store, cashier, clock, 5)
    clock.wait(timedelta(seconds=20))
    clock.restart()  # same boot: the monotonic clock still counts the time in between
    with pytest.raises(PinLockedError) as lock:
        staff.verify_pin(store, cashier.id, "1357", clock=clock)
    assert lock.value.seconds_left == 40
    clock.reboot(off_for=timedelta(hours=8))  # powered off overnight: the time off is not credited
    with pytest.raises(PinLockedError) as lock:
        staff.verify_pin(store, cashier.id, "1357", clock=clock)
    assert lock.value.seconds_left == 40
    clock.wait(timedelta(seconds=41))
    assert not locked(store, cashier, clock)


def test_reopening_the_store_keeps_the_count(tmp_path) -> None:
    clock = FakeClock()
    store = Store.open(tmp_path)
    with store.transaction() as conn:
        person = staff.create(conn, "小李", "cashier", "1357")
    fail(store, person, clock, 3)
    store.close()
    store = Store.open(tmp_path)
    try:
        assert isinstance(fail(store, person, clock, 2), PinLockedError)  # 3 + 2: the fifth in a row locks
    finally:
        store.close()


def test_locks_escalate_and_time_never_resets_the_count(store, cashier) -> None:
    clock = FakeClock()
    lengths = []
    for _ in range(len(staff.LOCK_STEPS) + 2):
        lock = fail(store, cashier, clock, staff.MAX_ATTEMPTS)
        assert isinstance(lock, PinLockedError)
        lengths.append(lock.seconds_left)
        assert isinstance(fail(store, cashier, clock, 1), PinLockedError)  # refused uncounted while locked
        clock.wait(timedelta(days=2))  # the lock runs out, but the count stays
    assert lengths == [60, 300, 900, 3600, 4 * 3600, 24 * 3600, 24 * 3600, 24 * 3600]
    assert store.conn().execute("SELECT failed_attempts FROM staff").fetchone()[0] == 8 * staff.MAX_ATTEMPTS


def test_a_correct_pin_resets_the_count_and_the_steps(store, cashier) -> None:
    clock = FakeClock()
    fail(store, cashier, clock, 5)
    clock.wait(timedelta(minutes=2))
    fail(store, cashier, clock, 4)
    assert staff.verify_pin(store, cashier.id, "1357", clock=clock).id == cashier.id
    with pytest.raises(WrongPinError) as info:
        staff.verify_pin(store, cashier.id, "0000", clock=clock)
    assert info.value.attempts_left == 4
    assert fail(store, cashier, clock, 4).seconds_left == 60  # the first step again


def test_an_owners_pin_reset_unlocks(store, cashier) -> None:
    clock = FakeClock()
    fail(store, cashier, clock, 5)
    with store.transaction() as conn:
        staff.set_pin(conn, cashier.id, "8642")
    assert staff.verify_pin(store, cashier.id, "8642", clock=clock).id == cashier.id


def test_an_empty_pin_is_not_an_attempt(store, cashier) -> None:
    clock = FakeClock()
    fail(store, cashier, clock, 4)
    head = audit.entries(store.conn(), limit=1)
    for _ in range(3):
        with pytest.raises(EmptyPinError):
            staff.verify_pin(store, cashier.id, "", clock=clock)
    assert audit.entries(store.conn(), limit=1) == head
    assert staff.verify_pin(store, cashier.id, "1357", clock=clock).id == cashier.id


def test_every_failure_and_lockout_is_audited(store, cashier) -> None:
    clock = FakeClock()
    fail(store, cashier, clock, 6)  # the sixth is refused as locked, not counted
    clock.wait(timedelta(minutes=1))
    fail(store, cashier, clock, 5)
    log = list(reversed(audit.entries(store.conn())))
    assert [e.action for e in log] == ["pin_failed"] * 5 + ["pin_lockout"] + ["pin_failed"] * 5 + ["pin_lockout"]
    assert {(e.staff_id, e.subject, e.detail["account"]) for e in log} == {(None, cashier.id, "小李")}
    assert [e.detail for e in log if e.action == "pin_lockout"] == [
        {"account": "小李", "failures": 5, "minutes": 1}, {"account": "小李", "failures": 10, "minutes": 5}]
    assert audit.verify(store.conn()).ok


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


def test_a_lock_running_at_the_upgrade_to_schema_4_keeps_going(tmp_path) -> None:
    """Schema 3 kept only the end of a lock in wall time; the upgrade turns it into time left (at most the old
    5 minutes) that the new clocks count down, and the lock counts toward the next, longer step."""
    from local_cache.connection import open_connection
    from local_cache.ids import format_utc
    from tests.unit.test_migrations import db_at_version

    db_at_version(tmp_path, 3)
    conn = open_connection(tmp_path / "kameng.db", bytes(range(32)))
    now = datetime.now(UTC)
    for name, until in (("小李", now + timedelta(minutes=3)), ("阿强", now - timedelta(minutes=1))):
        conn.execute("INSERT INTO staff(id, name, role, pin_hash, locked_until, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                     (name, name, "cashier", staff._hasher.hash("1357"), format_utc(until), format_utc(now)))
    conn.close()
    store = Store.open(tmp_path)
    try:
        clock = FakeClock()
        clock.wall = datetime.now(UTC)
        with pytest.raises(PinLockedError) as lock:
            staff.verify_pin(store, "小李", "1357", clock=clock)
        assert 170 <= lock.value.seconds_left <= 180
        with pytest.raises(WrongPinError) as info:
            staff.verify_pin(store, "阿强", "0000", clock=clock)  # its lock ran out, but it still counts
        assert info.value.attempts_left == 4
        assert fail(store, staff.Staff("阿强", "阿强", "cashier", True), clock, 4).seconds_left == 300
    finally:
        store.close()


def test_a_name_for_slips_and_screens_even_once_disabled(store) -> None:
    with store.transaction() as conn:
        cashier = staff.create(conn, "小李", "cashier", "1357")
        staff.set_active(conn, cashier.id, False)
    assert staff.name_of(store.conn(), cashier.id) == "小李"  # a past shift's cashier who has left
    assert staff.name_of(store.conn(), "no-such-id") is None
