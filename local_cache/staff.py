"""Staff accounts: owner and cashiers, PINs hashed with argon2id, lockout after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from local_cache.connection import Connection
from local_cache.errors import NotFoundError, PinLockedError, StaffDisabledError, WrongPinError
from local_cache.ids import format_utc, new_id, parse_utc, utc_now

if TYPE_CHECKING:
    from local_cache.store import Store

MAX_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=5)
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


def list_all(conn: Connection, *, include_disabled: bool = False) -> list[Staff]:
    sql = "SELECT id, name, role, active FROM staff"
    if not include_disabled:
        sql += " WHERE active = 1"
    return [_row_to_staff(r) for r in conn.execute(sql + " ORDER BY role DESC, name")]


def verify_pin(store: Store, staff_id: str, pin: str, *, now: datetime | None = None) -> Staff:
    """Check a PIN in a transaction of its own, so a failed attempt is counted even though we raise."""
    now = now or datetime.now(UTC)
    with store.transaction() as conn:
        row = conn.execute(
            "SELECT id, name, role, active, pin_hash, failed_attempts, locked_until FROM staff WHERE id = ?",
            (staff_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError("No such staff member.")
        staff = _row_to_staff(row)
        pin_hash, failed, locked_until = row[4], row[5], row[6]
        if not staff.active:
            raise StaffDisabledError()
        if locked_until and parse_utc(locked_until) > now:
            raise PinLockedError(locked_until[:19].replace("T", " "))
        try:
            _hasher.verify(pin_hash, pin)
            failure: Exception | None = None
        except (VerificationError, InvalidHashError):
            failed += 1
            if failed >= MAX_ATTEMPTS:
                until = format_utc(now + LOCKOUT)
                conn.execute("UPDATE staff SET failed_attempts = 0, locked_until = ? WHERE id = ?",
                             (until, staff_id))
                failure = PinLockedError(until[:19].replace("T", " "))
            else:
                conn.execute("UPDATE staff SET failed_attempts = ? WHERE id = ?", (failed, staff_id))
                failure = WrongPinError(MAX_ATTEMPTS - failed)
        else:
            if failed or locked_until:
                conn.execute("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?",
                             (staff_id,))
    if failure is not None:
        raise failure
    return staff


def set_pin(conn: Connection, staff_id: str, pin: str) -> None:
    validate_pin(pin)
    conn.execute(
        "UPDATE staff SET pin_hash = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?",
        (_hasher.hash(pin), staff_id),
    )


def set_active(conn: Connection, staff_id: str, active: bool) -> None:
    conn.execute("UPDATE staff SET active = ? WHERE id = ?", (int(active), staff_id))
