"""Staff accounts: owner and cashiers, PINs hashed with argon2id, escalating lockout after repeated failures.

The lockout holds against someone at the PC who has no owner PIN but can restart the app and change the clock:
wrong PINs are counted in the encrypted database until a correct PIN (or an owner's PIN reset), each run of
``MAX_ATTEMPTS`` failures locks the account for the next step of ``LOCK_STEPS``, and a lock counts down only by
time the monotonic clock has measured (see :class:`LockState`), never by the wall clock. Every failure and every
lockout is in the audit log.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from local_cache import audit
from local_cache.connection import Connection
from local_cache.errors import EmptyPinError, NotFoundError, PinLockedError, StaffDisabledError, WrongPinError
from local_cache.ids import format_utc, new_id, parse_utc, utc_now

if TYPE_CHECKING:
    from local_cache.store import Store

MAX_ATTEMPTS = 5  # wrong PINs in a row before each lock
# The n-th lock since the last correct PIN lasts LOCK_STEPS[n - 1]; from the last step on every lock is 24 h, so a
# guesser gets 5 tries a day once past the first 30 (5 h 21 min of locks).
LOCK_STEPS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
              timedelta(hours=4), timedelta(hours=24))
# How far "wall clock minus monotonic clock" may drift (NTP slewing) and still count as the same boot.
SAME_BOOT_TOLERANCE = timedelta(minutes=2)
PIN_DIGITS = range(4, 9)

# argon2id with modest memory: a PIN check must stay well under a second on an old counter PC.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@dataclass(frozen=True)
class Staff:
    id: str
    name: str
    role: str
    active: bool

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"


def validate_pin(pin: str) -> None:
    if not (pin.isdigit() and len(pin) in PIN_DIGITS):
        raise ValueError(f"A PIN has {PIN_DIGITS.start} to {PIN_DIGITS.stop - 1} digits.")


def create(conn: Connection, name: str, role: str, pin: str) -> Staff:
    validate_pin(pin)
    if role not in ("owner", "cashier"):
        raise ValueError(f"unknown role {role!r}")
    staff_id = new_id()
    conn.execute(
        "INSERT INTO staff(id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        (staff_id, name, role, _hasher.hash(pin), utc_now()),
    )
    return Staff(staff_id, name, role, True)


def _row_to_staff(row: tuple) -> Staff:
    return Staff(row[0], row[1], row[2], bool(row[3]))


def get(conn: Connection, staff_id: str) -> Staff:
    row = conn.execute("SELECT id, name, role, active FROM staff WHERE id = ?", (staff_id,)).fetchone()
    if row is None:
        raise NotFoundError("No such staff member.")
    return _row_to_staff(row)


def name_of(conn: Connection, staff_id: str) -> str | None:
    """A staff member's name for a slip or a screen, disabled or not; None if no such id (each caller says what
    stands in for it)."""
    row = conn.execute("SELECT name FROM staff WHERE id = ?", (staff_id,)).fetchone()
    return row[0] if row else None


def list_all(conn: Connection, *, include_disabled: bool = False) -> list[Staff]:
    sql = "SELECT id, name, role, active FROM staff"
    if not include_disabled:
        sql += " WHERE active = 1"
    return [_row_to_staff(r) for r in conn.execute(sql + " ORDER BY role DESC, name")]


@dataclass(frozen=True)
class ClockReading:
    wall: datetime
    monotonic: float  # seconds, time.monotonic(): system-wide since boot, not moved by setting the clock
    process: str  # which process read it


class Clock(Protocol):
    def read(self) -> ClockReading: ...


class SystemClock:
    def __init__(self) -> None:
        self.process = new_id()

    def read(self) -> ClockReading:
        return ClockReading(datetime.now(UTC), time.monotonic(), self.process)


SYSTEM_CLOCK = SystemClock()


@dataclass(frozen=True)
class LockState:
    """A lock's remaining time as last observed, with the clocks at that moment.

    Time passed since then is credited only when the monotonic clock measured it: in the same process, or in
    another process of the same boot (wall minus monotonic unchanged). A restart after a reboot, a suspend, or a
    clock changed while the app was closed credits nothing, so the rest of the lock is served again while the desk
    runs. Moving the clock, forward or back, therefore never shortens a lock; it can only lengthen it.
    """

    left: timedelta
    seen: ClockReading | None  # None: migrated from a schema that kept no monotonic reading

    def left_at(self, now: ClockReading) -> timedelta:
        if self.seen is None:
            return self.left
        elapsed = now.monotonic - self.seen.monotonic
        same_boot = abs((now.wall - timedelta(seconds=now.monotonic))
                        - (self.seen.wall - timedelta(seconds=self.seen.monotonic))) <= SAME_BOOT_TOLERANCE
        if elapsed < 0 or not (now.process == self.seen.process or same_boot):
            return self.left
        return max(self.left - timedelta(seconds=elapsed), timedelta(0))


def _lock_from_row(left_s: float | None, seen_at: str | None, seen_mono: float | None,
                   seen_process: str | None) -> LockState | None:
    if left_s is None:
        return None
    seen = (ClockReading(parse_utc(seen_at), seen_mono, seen_process or "")
            if seen_at is not None and seen_mono is not None else None)
    return LockState(timedelta(seconds=left_s), seen)


def _save_lock(conn: Connection, staff_id: str, left: timedelta | None, now: ClockReading) -> None:
    if left is None:
        conn.execute("UPDATE staff SET lock_left_s = NULL, lock_seen_at = NULL, lock_seen_mono = NULL, "
                     "lock_seen_process = NULL WHERE id = ?", (staff_id,))
    else:
        conn.execute("UPDATE staff SET lock_left_s = ?, lock_seen_at = ?, lock_seen_mono = ?, lock_seen_process = ? "
                     "WHERE id = ?", (left.total_seconds(), format_utc(now.wall), now.monotonic, now.process,
                                      staff_id))


def lock_length(failures: int) -> timedelta:
    """The lock that the failures-th wrong PIN in a row starts (a multiple of MAX_ATTEMPTS)."""
    return LOCK_STEPS[min(failures // MAX_ATTEMPTS, len(LOCK_STEPS)) - 1]


def _seconds_up(left: timedelta) -> int:
    return max(1, math.ceil(left.total_seconds()))


def verify_pin(store: Store, staff_id: str, pin: str, *, clock: Clock = SYSTEM_CLOCK) -> Staff:
    """Check a PIN in a transaction of its own, so a failed attempt is counted even though we raise.

    Only a correct PIN resets the count; a locked account is refused without looking at the PIN (not counted).
    """
    now = clock.read()
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT id, name, role, active, pin_hash, failed_attempts, lock_left_s, lock_seen_at, lock_seen_mono, "
            "lock_seen_process FROM staff WHERE id = ?",
            (staff_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError("No such staff member.")
        staff = _row_to_staff(row)
        pin_hash, failed, lock = row[4], row[5], _lock_from_row(*row[6:10])
        if not staff.active:
            raise StaffDisabledError()
        failure: Exception | None = None
        left = lock.left_at(now) if lock is not None else None
        if left:
            # Written back so the time credited so far survives a restart that credits nothing more.
            _save_lock(conn, staff_id, left, now)
            failure = PinLockedError(_seconds_up(left))
        elif not pin:
            raise EmptyPinError()
        else:
            if lock is not None:
                _save_lock(conn, staff_id, None, now)  # served: the next failures may start the next step
            try:
                _hasher.verify(pin_hash, pin)
            except (VerificationError, InvalidHashError):
                failure = _count_failure(conn, staff, failed + 1, now)
            else:
                if failed:
                    conn.execute("UPDATE staff SET failed_attempts = 0 WHERE id = ?", (staff_id,))
    if failure is not None:
        raise failure
    return staff


def _count_failure(conn: Connection, staff: Staff, failed: int, now: ClockReading) -> Exception:
    conn.execute("UPDATE staff SET failed_attempts = ? WHERE id = ?", (failed, staff.id))
    # Nobody is known to have typed it: the account is the subject, not the actor.
    audit.append(conn, "pin_failed", staff_id=None, subject=staff.id,
                 detail={"account": staff.name, "failures": failed})
    if failed % MAX_ATTEMPTS:
        return WrongPinError(MAX_ATTEMPTS - failed % MAX_ATTEMPTS)
    length = lock_length(failed)
    _save_lock(conn, staff.id, length, now)
    audit.append(conn, "pin_lockout", staff_id=None, subject=staff.id,
                 detail={"account": staff.name, "failures": failed, "minutes": int(length.total_seconds() // 60)})
    return PinLockedError(_seconds_up(length))


def set_pin(conn: Connection, staff_id: str, pin: str) -> None:
    validate_pin(pin)
    conn.execute(
        "UPDATE staff SET pin_hash = ?, failed_attempts = 0, lock_left_s = NULL, lock_seen_at = NULL, "
        "lock_seen_mono = NULL, lock_seen_process = NULL WHERE id = ?",
        (_hasher.hash(pin), staff_id),
    )


def set_active(conn: Connection, staff_id: str, active: bool) -> None:
    conn.execute("UPDATE staff SET active = ? WHERE id = ?", (int(active), staff_id))
