"""A real platform on loopback (SQLite) and a paired desk store."""

from __future__ import annotations

import httpx
import pytest

from kameng_desk.sync.pairing import client_for, pair_store
from kameng_desk.usecases.syncing import SyncEngine
from local_cache import Store
from tests.integration.cable import Cable
from tests.integration.stocking import keep_stocked
from tests.platform.client import PlatformHarness


@pytest.fixture
def platform(tmp_path):
    h = PlatformHarness.start(f"sqlite:///{tmp_path / 'platform.db'}", codes_per_product=60)
    yield h
    h.stop()


@pytest.fixture
def desk(tmp_path, platform):
    store = Store.open(tmp_path / "desk")
    pair_store(store, platform.url, platform.first_code, device_name="前台")
    keep_stocked(store, 10)  # the owner's opt-in: every card product keeps 10 codes
    engine = SyncEngine(store, lambda: client_for(store))
    yield store, engine
    engine.stop()
    store.close()


@pytest.fixture
def cable(platform):
    """The desk's network cable to the platform (tests/integration/cable.py): pull it, or hold requests."""
    c = Cable(httpx.URL(platform.url).port)
    yield c
    c.gate.set()
    c.stop()
