"""Suite-wide setup: an in-memory keyring (never the machine's real one) and an offscreen Qt platform."""

from __future__ import annotations

import os

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from local_cache.keystore import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend
