"""Errors of the local store. Each says what happened and what the owner can do about it.

Messages never contain a key, a PIN or a card code.
"""

from __future__ import annotations

from typing import Literal

# What went wrong with a backup or a restore: the screens word it from this and `path`, not from the message.
BackupProblem = Literal["short_passphrase", "write_failed", "no_file", "wrong_passphrase"]


class StoreError(Exception):
    """Base of every local-store error."""


class KeyringUnavailableError(StoreError):
    def __init__(self, backend: str) -> None:
        self.backend = backend
        super().__init__(
            f"No secure keyring is available (found {backend}). The database key must live in the system "
            "keyring: on Windows, Credential Manager; on Linux, a Secret Service such as GNOME Keyring or "
            "KWallet. Start one, or run `kameng-desk --demo` for a throwaway trial."
        )


class MissingKeyError(StoreError):
    def __init__(self, db_path: str, service: str, entry: str) -> None:
        self.db_path, self.service, self.entry = db_path, service, entry
        super().__init__(
            f"The database {db_path} exists but its key is not in the system keyring "
            f"(service '{service}', entry '{entry}'). Nothing was changed. Restore the keyring entry, or "
            "restore a backup into a new data folder with `kameng-desk restore`."
        )


class WrongKeyError(StoreError):
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        super().__init__(
            f"The key in the system keyring does not open {db_path}. Nothing was changed. The keyring entry "
            "may belong to another data folder or may have been replaced; restore it or restore a backup."
        )


class SchemaTooNewError(StoreError):
    def __init__(self, found: int, known: int) -> None:
        self.found, self.known = found, known
        super().__init__(
            f"This database was written by a newer version of the app (schema {found}, this app knows "
            f"{known}). Install the newer version; the database was not changed."
        )


class MigrationError(StoreError):
    pass


class DiskFullError(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "The disk is full: the last change was not saved (everything saved before it is kept). "
            "Free some disk space and try again."
        )


class InvalidTransitionError(StoreError):
    def __init__(self, machine: str, current: str, target: str) -> None:
        super().__init__(f"A {machine} cannot go from '{current}' to '{target}'.")
        self.machine, self.current, self.target = machine, current, target


class OutOfStockError(StoreError):
    def __init__(self, product_name: str, wanted: int, available: int) -> None:
        super().__init__(
            f"Not enough codes for {product_name}: {wanted} wanted, {available} in stock. Nothing was sold."
        )
        self.product_name, self.wanted, self.available = product_name, wanted, available


class NotFoundError(StoreError):
    pass


class WrongPinError(StoreError):
    def __init__(self, attempts_left: int) -> None:
        super().__init__(f"Wrong PIN. {attempts_left} attempt(s) left before this account is locked.")
        self.attempts_left = attempts_left


class PinLockedError(StoreError):
    def __init__(self, seconds_left: int) -> None:
        minutes = -(-seconds_left // 60)
        super().__init__(f"Too many wrong PINs: this account is locked for another {minutes} minute(s). The lock "
                         "counts down only while Kameng Desk runs and the clock is not changed.")
        self.seconds_left = seconds_left
        self.minutes_left = minutes


class EmptyPinError(StoreError):
    """No PIN was typed: not an attempt, so nothing is counted."""

    def __init__(self) -> None:
        super().__init__("Enter the PIN.")


class StaffDisabledError(StoreError):
    def __init__(self) -> None:
        super().__init__("This staff account is disabled. Ask the owner to enable it.")


class ClosedShiftError(StoreError):
    def __init__(self) -> None:
        super().__init__("This shift is closed and can no longer be changed.")


class BackupError(StoreError):
    def __init__(self, message: str, problem: BackupProblem, path: str = "", minimum: int = 0) -> None:
        super().__init__(message)
        self.problem, self.path, self.minimum = problem, path, minimum
