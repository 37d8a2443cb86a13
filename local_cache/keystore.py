"""Secrets in the OS keyring: the database key (current and pending during a rekey) and the terminal secret.

Keyring service: ``kameng-desk``. Entries, per data folder (``<store-id>`` is the UUID in the folder's
``store-id`` file, so a folder keeps its key when it is moved):

- ``db-key/<store-id>``          the SQLCipher raw key, 64 hex digits
- ``db-key-pending/<store-id>``  the next key while a rekey is in progress
- ``terminal-secret/<store-id>`` the platform terminal secret (written by pairing)
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys

import keyring
import keyring.backend
from keyring.errors import KeyringError, PasswordDeleteError

from local_cache.errors import KeyringUnavailableError

SERVICE = "kameng-desk"

# Backends that store secrets in plaintext or not at all. Production never uses them silently.
_REFUSED = {
    "keyring.backends.fail.Keyring",
    "keyring.backends.null.Keyring",
    "keyrings.alt.file.PlaintextKeyring",
    "keyrings.alt.file.EncryptedKeyring",  # its password prompt cannot work in a POS app
}


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Secrets in process memory only: for the test suite and the throwaway ``--demo`` mode."""

    priority = 0
    # Not a candidate for keyring's own discovery: a tie with fail.Keyring (also 0) could otherwise pick it,
    # and a database key kept only in memory is lost when the app exits. Only ever set explicitly.
    viable = False

    def __init__(self) -> None:
        super().__init__()
        self._items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._items.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def backend_name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


# keyring discovers backends through installed packages' entry points, which a frozen (PyInstaller) app does
# not reliably have: there the operating system's own store is named explicitly.
_PLATFORM_BACKENDS = {
    "win32": "keyring.backends.Windows.WinVaultKeyring",  # Windows Credential Manager
    "darwin": "keyring.backends.macOS.Keyring",
}
_OTHER_PLATFORM_BACKEND = "keyring.backends.SecretService.Keyring"  # GNOME Keyring, KWallet 6, KeePassXC


def platform_backend_name(platform: str | None = None) -> str:
    return _PLATFORM_BACKENDS.get(platform or sys.platform, _OTHER_PLATFORM_BACKEND)


def platform_backend(platform: str | None = None) -> keyring.backend.KeyringBackend:
    """An instance of this platform's backend; whether it works here is checked on first use."""
    module_name, _, class_name = platform_backend_name(platform).rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)()


def select_frozen_backend() -> None:
    """Called by the frozen app's entry point before anything touches the keyring.

    ``PYTHON_KEYRING_BACKEND`` still wins (support can point at another store); a later
    ``keyring.set_keyring`` (``--demo``'s in-memory keyring) replaces this choice."""
    if "PYTHON_KEYRING_BACKEND" not in os.environ:
        keyring.set_keyring(platform_backend())


def secure_backend() -> keyring.backend.KeyringBackend:
    """The configured keyring, refusing plaintext or failing backends with a clear error."""
    backend = keyring.get_keyring()
    name = backend_name(backend)
    if name in _REFUSED:
        raise KeyringUnavailableError(name)
    if name == "keyring.backends.chainer.ChainerBackend" and not backend.backends:
        raise KeyringUnavailableError("no keyring backend")
    try:
        type(backend).priority  # noqa: B018 -- keyring's viability check: a named store that is absent raises
    except RuntimeError as exc:
        raise KeyringUnavailableError(f"{name}, not usable here: {exc}") from None
    return backend


class Secrets:
    """The secrets of one data folder."""

    def __init__(self, store_id: str, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self.store_id = store_id
        self._backend = backend

    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        if self._backend is None:
            self._backend = secure_backend()
        return self._backend

    def entry(self, kind: str) -> str:
        return f"{kind}/{self.store_id}"

    def _get(self, kind: str) -> str | None:
        try:
            return self.backend.get_password(SERVICE, self.entry(kind))
        except KeyringError as exc:
            raise KeyringUnavailableError(f"{backend_name(self.backend)}: {type(exc).__name__}") from None

    def _set(self, kind: str, value: str) -> None:
        try:
            self.backend.set_password(SERVICE, self.entry(kind), value)
        except KeyringError as exc:
            raise KeyringUnavailableError(f"{backend_name(self.backend)}: {type(exc).__name__}") from None
        if self._get(kind) != value:  # a keyring that silently drops writes would lose the key
            raise KeyringUnavailableError(f"{backend_name(self.backend)} (write not kept)")

    def _delete(self, kind: str) -> None:
        with contextlib.suppress(PasswordDeleteError):
            self.backend.delete_password(SERVICE, self.entry(kind))

    @staticmethod
    def _decode_key(text: str | None) -> bytes | None:
        if text is None:
            return None
        key = bytes.fromhex(text)
        if len(key) != 32:
            raise ValueError("database key in the keyring has the wrong length")
        return key

    def db_key(self) -> bytes | None:
        return self._decode_key(self._get("db-key"))

    def set_db_key(self, key: bytes) -> None:
        self._set("db-key", key.hex())

    def pending_db_key(self) -> bytes | None:
        return self._decode_key(self._get("db-key-pending"))

    def set_pending_db_key(self, key: bytes) -> None:
        self._set("db-key-pending", key.hex())

    def clear_pending_db_key(self) -> None:
        self._delete("db-key-pending")

    def terminal_secret(self) -> str | None:
        return self._get("terminal-secret")

    def set_terminal_secret(self, secret: str) -> None:
        self._set("terminal-secret", secret)

    def clear_terminal_secret(self) -> None:
        self._delete("terminal-secret")
