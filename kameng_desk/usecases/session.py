"""Who is at the counter: PIN login and the owner's on-the-spot approval."""

from __future__ import annotations

from dataclasses import dataclass

from kameng_desk.usecases.errors import NotOwnerError
from local_cache import Store, audit, staff
from local_cache.connection import Connection
from local_cache.staff import Staff


@dataclass(frozen=True)
class PinAlerts:
    """Wrong PINs (on any account, at login or approval) and the lockouts they caused since an owner last logged
    in: a guesser at the counter shows up here at the owner's next login."""

    failed_attempts: int
    lockouts: int


@dataclass(frozen=True)
class Login:
    staff: Staff
    alerts: PinAlerts | None  # for an owner, when anything happened since their last login


def login(store: Store, staff_id: str, pin: str) -> Login:
    person = staff.verify_pin(store, staff_id, pin)
    with store.transaction() as conn:
        alerts = _alerts_since_last_login(conn, person.id) if person.is_owner else None
        audit.append(conn, "login", staff_id=person.id)
    return Login(person, alerts)


def _alerts_since_last_login(conn: Connection, owner_id: str) -> PinAlerts | None:
    counts = audit.count_since(conn, ("pin_failed", "pin_lockout"),
                               after_seq=audit.last_seq(conn, "login", staff_id=owner_id))
    alerts = PinAlerts(counts["pin_failed"], counts["pin_lockout"])
    return alerts if alerts.failed_attempts else None


def authorize_owner(store: Store, owner_id: str, pin: str) -> Staff:
    """An owner's PIN entered at the counter to approve a cashier's void, refund, reprint or setting."""
    person = staff.get(store.conn(), owner_id)
    if not person.is_owner:
        raise NotOwnerError()
    return staff.verify_pin(store, owner_id, pin)


def require_owner(conn: Connection, approver_id: str) -> Staff:
    """The approver recorded with a void, refund, reprint or setting must be an owner (their PIN was checked by
    authorize_owner just before, on the same thread)."""
    approver = staff.get(conn, approver_id)
    if not approver.is_owner:
        raise NotOwnerError()
    return approver


def needs_approval(person: Staff) -> bool:
    return not person.is_owner
