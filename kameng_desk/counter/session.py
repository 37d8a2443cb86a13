"""Who is at the counter: PIN login and the owner's on-the-spot approval."""

from __future__ import annotations

from kameng_desk.counter.errors import NotOwnerError
from local_cache import Store, audit, staff
from local_cache.connection import Connection
from local_cache.staff import Staff


def login(store: Store, staff_id: str, pin: str) -> Staff:
    person = staff.verify_pin(store, staff_id, pin)
    with store.transaction() as conn:
        audit.append(conn, "login", staff_id=person.id)
    return person


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
