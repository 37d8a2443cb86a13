"""Store maintenance for owners and support, without Qt: audit verify, key rotation, backup, restore.

Backup, restore and key rotation each need an owner's PIN, checked here (through the counter's own
``authorize_owner``, so a wrong PIN counts towards that owner's lockout), and each writes the same audit entry,
whether the settings screen or a `kameng-desk` subcommand asked: a cashier with a shell must not be able to copy
every unsold code into a backup under a passphrase of their own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kameng_desk.instance_lock import acquire_instance_lock
from kameng_desk.usecases import session
from kameng_desk.usecases.errors import CounterError
from local_cache import Store, audit, backup, rekey, staff
from local_cache.files import private_dir
from local_cache.staff import Staff
from local_cache.store import DB_NAME


class OwnerChoiceError(CounterError):
    """The command line gave no PIN, named no owner where several could approve, or one that does not exist."""


@dataclass(frozen=True)
class OwnerPin:
    """An owner and the PIN typed for them, not yet checked."""

    owner_id: str
    pin: str = field(repr=False)


class Service(Protocol):
    """A background service with connections of its own (the sync engine, the print service)."""

    def stop(self) -> None: ...

    def start(self) -> None: ...


def _approve(store: Store, owner: OwnerPin) -> Staff:
    return session.authorize_owner(store, owner.owner_id, owner.pin)


def _record(store: Store, action: str, approver: Staff, staff_id: str | None, file: Path | None) -> None:
    # staff_id: who asked (the cashier logged in at the counter); on the command line the owner themself.
    with store.transaction() as conn:
        audit.append(conn, action, staff_id=staff_id or approver.id, approver_id=approver.id,
                     detail={"file": str(file)} if file is not None else None)


def backup_data(store: Store, target: Path, passphrase: str, owner: OwnerPin, *,
                staff_id: str | None = None) -> None:
    """An encrypted backup under the owner's passphrase, after the owner's PIN; audited as ``backup``."""
    approver = _approve(store, owner)
    backup.backup(store, target, passphrase)
    _record(store, "backup", approver, staff_id, target)


def rekey_data(store: Store, owner: OwnerPin, *, staff_id: str | None = None,
               services: Sequence[Service] = ()) -> None:
    """Rotate the database key after the owner's PIN; audited as ``rekey``. Call on the database thread:
    ``services`` stop first (their connections must close) and start again afterwards."""
    approver = _approve(store, owner)
    for service in services:
        service.stop()
    try:
        rekey.rekey(store)
    finally:
        for service in services:
            service.start()
    _record(store, "rekey", approver, staff_id, None)


def restore_data(store: Store, source: Path, passphrase: str, owner: OwnerPin, *, staff_id: str | None = None,
                 services: Sequence[Service] = ()) -> Path | None:
    """Replace the folder's database with a backup, after a PIN of an owner of the database being replaced.

    ``services`` stop first and, once the database is replaced, stay stopped: the counter closes. The audit entry
    goes into the restored database (the folder's key opens it). Returns where the old database was moved."""
    approver = _approve(store, owner)
    for service in services:
        service.stop()
    try:
        store.close_thread_connection()
        moved = backup.restore(store.data_dir, source, passphrase, store.secrets.backend)
    except BaseException:
        for service in services:  # nothing was replaced: carry on as before
            service.start()
        raise
    _record(store, "restore", approver, staff_id, source)
    return moved


def restore_into_new_folder(data_dir: Path, source: Path, passphrase: str, owner_name: str | None,
                            pin: str) -> None:
    """Restore into a folder without a database (a new PC after a dead disk).

    Nobody there to ask, so an owner of the backup approves: their PIN is checked on the restored copy, and a
    wrong one removes it again, leaving the folder without a database as before. (Whoever has the backup and its
    passphrase can read it anyway: the passphrase is what guards a backup; the PIN names who restored it.)"""
    backup.restore(data_dir, source, passphrase)
    try:
        store = Store.open(data_dir)
        try:
            approver = _approve(store, OwnerPin(choose_owner(store, owner_name).id, pin))
            _record(store, "restore", approver, None, source)
        finally:
            store.close()
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            (data_dir / (DB_NAME + suffix)).unlink(missing_ok=True)
        raise


def choose_owner(store: Store, name: str | None) -> Staff:
    """The staff member named (by name or id), or the shop's only owner when no name is given. A named cashier
    is returned as such: the PIN check then refuses them."""
    people = staff.list_all(store.conn())
    if name is not None:
        found = [p for p in people if name in (p.name, p.id)]
        if not found:
            raise OwnerChoiceError(f"No active staff member is called {name!r}.")
        return found[0]
    owners = [p for p in people if p.is_owner]
    if len(owners) != 1:
        names = ", ".join(o.name for o in owners) or "none"
        raise OwnerChoiceError(f"Name the approving owner with --owner NAME (owners: {names}).")
    return owners[0]


class CounterRunningError(CounterError):
    def __init__(self) -> None:
        super().__init__("The counter is running on this data folder: close it first, or use 后台 → 设置 in it.")


@contextmanager
def counter_closed(data_dir: Path) -> Iterator[None]:
    """Rekey and restore replace the database file: a counter running on the folder would go on writing into the
    replaced file through its open connections, and those sales would be lost. So the command holds the lock the
    app holds (the settings screen stops the app's own services instead)."""
    lock = acquire_instance_lock(private_dir(data_dir))
    if lock is None:
        raise CounterRunningError()
    try:
        yield
    finally:
        lock.unlock()
