"""The sync thread survives every error, against the real platform: a bug in a round, httpx's error on a closed
client, and the GUI thread forgetting the client while a round is in flight (real threads)."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from kameng_desk.cli import main
from kameng_desk.sync.pairing import client_for, pair_store
from kameng_desk.sync.status import SyncStatus
from kameng_desk.usecases.syncing import Backoff, SyncEngine
from local_cache import Store

SECRET_LOOKING = "card secret 8843-1190-5521-7730"


class RecordingBackoff(Backoff):
    """The engine's own backoff, fast for a test, remembering the delays it chose."""

    def __init__(self) -> None:
        super().__init__(base=0.02, cap=0.1)
        self.delays: list[float] = []

    def next_delay(self, retry_after: float | None = None) -> float:
        delay = super().next_delay(retry_after)
        self.delays.append(delay)
        return delay


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def engine(tmp_path, platform, cable):
    """An engine of a desk paired through the cable, counting the clients it builds; its statuses collected."""
    store = Store.open(tmp_path / "desk")
    pair_store(store, cable.url, platform.first_code, device_name="前台")
    built = []

    def factory():
        built.append(client_for(store))
        return built[-1]
    e = SyncEngine(store, factory, interval=0.05)
    e.backoff = RecordingBackoff()
    e.statuses: list[SyncStatus] = []
    e.built = built
    e.add_status_listener(e.statuses.append)
    e.sync_once()  # the catalog is loaded
    yield e
    e.stop()
    store.close()


def synced_after(engine: SyncEngine, index: int) -> bool:
    return any(s.last_error is None and s.error_kind is None and s.online for s in engine.statuses[index:])


def first_failure_after(engine: SyncEngine, index: int) -> int | None:
    return next((i for i, s in enumerate(engine.statuses) if i >= index and s.error_kind), None)


def test_the_sync_thread_survives_a_bug_and_a_closed_client(engine, monkeypatch, caplog) -> None:
    caplog.set_level(logging.ERROR, logger="kameng_desk.usecases.syncing")
    pull = SyncEngine._pull
    bugs = [RuntimeError(SECRET_LOOKING)]

    def buggy_pull(self, client) -> None:
        if bugs:
            raise bugs.pop()
        pull(self, client)
    monkeypatch.setattr(SyncEngine, "_pull", buggy_pull)
    engine.start()
    wait_for(lambda: first_failure_after(engine, 0) is not None)
    wait_for(lambda: synced_after(engine, first_failure_after(engine, 0) + 1))
    failed = [s for s in engine.statuses if s.error_kind]
    assert [s.error_kind for s in failed] == ["RuntimeError"] and not failed[0].online
    assert len(engine.backoff.delays) == 1 and 0 <= engine.backoff.delays[0] <= 0.04  # backed off once
    wait_for(lambda: engine.backoff.failures == 0)  # and starts over after the round that worked
    assert len(engine.built) == 2  # the next round got a fresh client

    # What forget_client() did from the GUI thread: the client closed under the engine. httpx says so with a
    # RuntimeError; the next round builds a new client and goes on.
    seen = len(engine.statuses)
    engine.client().close()
    engine.wake()
    wait_for(lambda: first_failure_after(engine, seen) is not None)
    wait_for(lambda: synced_after(engine, first_failure_after(engine, seen) + 1))
    assert engine._thread.is_alive()
    assert [s.error_kind for s in engine.statuses if s.error_kind] == ["RuntimeError", "RuntimeError"]
    assert len(engine.built) == 3
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 2 and all(m.startswith("sync round failed: RuntimeError") for m in logged)
    assert "syncing.py" in logged[0] and SECRET_LOOKING not in caplog.text  # where, never the message


def test_the_gui_thread_forgets_the_client_while_a_round_is_in_flight(engine, cable) -> None:
    old = engine.client()
    cable.gate.clear()
    engine.start()
    assert cable.holding.wait(10)  # the round's request is on its way to the platform
    started = time.monotonic()
    forgetter = threading.Thread(target=engine.forget_client, name="gui")  # pairing changed, on the GUI thread
    forgetter.start()
    forgetter.join(5)
    assert not forgetter.is_alive() and time.monotonic() - started < 1.0  # the GUI never waits for a round
    seen = len(engine.statuses)
    cable.gate.set()
    wait_for(lambda: len(engine.built) == 2 and synced_after(engine, seen + 1))  # a round with the new client
    assert engine._thread.is_alive()
    assert all(s.error_kind is None and s.last_error is None for s in engine.statuses)  # the round finished
    assert engine.client() is engine.built[1] and not old._http.is_closed  # still usable by whoever holds it
    engine.stop()
    assert old._http.is_closed and engine.built[1]._http.is_closed  # closed once nobody can use them


def test_sync_once_from_the_command_line_reports_an_unexpected_error_in_one_line(tmp_path, engine, monkeypatch,
                                                                                   capsys) -> None:
    def buggy_pull(self, client) -> None:
        raise RuntimeError(SECRET_LOOKING)
    monkeypatch.setattr(SyncEngine, "_pull", buggy_pull)
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "desk"), "sync", "--once"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "sync failed: unexpected RuntimeError (logged)\n"
    assert SECRET_LOOKING not in captured.out + captured.err and "Traceback" not in captured.err
