"""Suite-wide setup: an in-memory keyring (never the machine's real one) and an offscreen Qt platform."""

from __future__ import annotations

import logging
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


@pytest.fixture
def root_handlers():
    """The root logger as the test found it, restored after (tests that set up the app's logging change it)."""
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    yield root
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in saved:
        root.addHandler(handler)
    root.setLevel(level)
