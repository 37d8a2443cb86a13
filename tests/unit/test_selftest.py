"""`kameng-desk --self-test` from source, its failure reports, and the keyring choice it reports on.

The real proof of the bundle is installer/build_bundle.py, which runs the same self-test from dist/.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import httpx
import keyring
import keyring.backend
import pytest

import kameng_desk.printing
from kameng_desk import cli, demo
from kameng_desk.gui import app as gui_app
from kameng_desk.gui import selftest
from kameng_desk.records import voice
from kameng_desk.sync.errors import SyncError
from kameng_desk.usecases.syncing import SyncEngine
from local_cache import Store, keystore
from local_cache.errors import KeyringUnavailableError

STEPS = ["keyring backend", "encrypted database", "card slip", "Qt offscreen", "QR code", "translation zh_CN",
         "translation en", "Chinese sort order", "spoken confirmation", "counter window", "demo platform"]


@pytest.fixture(autouse=True)
def _restore_qt_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # the self-test sets it; this puts it back afterwards


def run() -> tuple[dict[str, selftest.StepResult], str]:
    out = io.StringIO()
    results = selftest.run_self_test(out)
    return {r.name: r for r in results}, out.getvalue()


def failed(results: dict[str, selftest.StepResult]) -> dict[str, str]:
    return {name: r.detail for name, r in results.items() if not r.ok}


def test_cli_self_test_passes_from_source_and_names_every_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--self-test"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("kameng-desk ") and "self-test (source" in lines[0]
    assert [line[:20].rstrip() for line in lines[1:-1]] == STEPS
    assert all(line[20:].startswith("PASS") for line in lines[1:-1])
    assert lines[-1] == f"self-test: {len(STEPS)} passed, 0 failed"


def test_missing_translation_fails_that_step_only(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(gui_app, "RESOURCES", tmp_path)  # an install without its resources/ folder
    results, text = run()
    problems = failed(results)
    assert list(problems) == ["translation en"]
    assert "kameng_desk_en.qm is missing" in problems["translation en"]
    assert "i18n_build" in problems["translation en"]  # says how to fix it
    assert "translation en      FAIL" in text
    assert text.splitlines()[-2:] == ["failed steps: translation en", f"self-test: {len(STEPS) - 1} passed, 1 failed"]
    assert selftest.main(io.StringIO()) == 1


def test_missing_voice_clips_fail_that_step_only(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setattr(voice, "FOLDER", tmp_path)  # a bundle built without resources/voice/
    problems = failed(run()[0])
    assert list(problems) == ["spoken confirmation"]
    assert "missing" in problems["spoken confirmation"] and "Reinstall" in problems["spoken confirmation"]


def test_printing_module_missing_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(kameng_desk.printing, "sample_card_slip_bytes")
    problems = failed(run()[0])
    assert problems == {"card slip": "printing module missing (kameng_desk.printing.sample_card_slip_bytes)"}


def test_missing_library_inside_printing_is_named_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def needs_yaml(columns: int = 32) -> bytes:
        raise ModuleNotFoundError("No module named 'yaml'", name="yaml")

    monkeypatch.setattr(kameng_desk.printing, "sample_card_slip_bytes", needs_yaml)
    assert failed(run()[0]) == {"card slip": "ModuleNotFoundError: No module named 'yaml'"}


@pytest.mark.parametrize(("data", "message"), [
    (b"hello\x1dV\x00", "does not start with ESC @"),
    (b"\x1b@hello\n\n\n", "no paper cut"),
])
def test_slip_bytes_are_checked(monkeypatch: pytest.MonkeyPatch, data: bytes, message: str) -> None:
    monkeypatch.setattr(kameng_desk.printing, "sample_card_slip_bytes", lambda columns=32: data)
    problems = failed(run()[0])
    assert list(problems) == ["card slip"]
    assert message in problems["card slip"]


def test_a_failed_database_step_is_named_by_the_window_step(monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Store, "open", disk_full)
    problems = failed(run()[0])
    assert list(problems) == ["encrypted database", "counter window", "demo platform"]
    assert "No space left on device" in problems["encrypted database"]
    assert "No space left on device" in problems["demo platform"]  # the demo's desk database cannot open either
    assert problems["counter window"] == "needs the encrypted database step"


def test_a_demo_platform_that_cannot_sync_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(self) -> None:
        raise SyncError("platform unreachable")

    monkeypatch.setattr(SyncEngine, "sync_once", unreachable)
    assert failed(run()[0]) == {
        "demo platform": "the demo platform started but the first sync brought 0 products and 0 codes"}


LISTS_OPEN_FILES = Path("/proc/self/fd").is_dir()


def open_files_under(folder: Path) -> list[str]:
    paths = []
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            paths.append(os.readlink(fd))
    return [p for p in paths if p.startswith(str(folder))]


def _disk_full(*args, **kwargs):
    raise OSError(28, "No space left on device")


def _bad_reply(self) -> None:
    raise KeyError("catalog")  # not a SyncError: a reply the client did not expect


@pytest.mark.skipif(not LISTS_OPEN_FILES, reason="open files are listed in /proc on Linux")
@pytest.mark.parametrize(("target", "name", "failure", "error"), [
    (Store, "open", classmethod(_disk_full), OSError),  # the desk's folder cannot be opened
    (SyncEngine, "sync_once", _bad_reply, KeyError),  # the first sync fails in an unexpected way
])
def test_a_demo_that_fails_to_start_leaves_nothing_running_or_open(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, target, name, failure, error) -> None:
    started = []
    real_serve = demo.serve_in_thread

    def spy(settings, **kwargs):
        started.append(real_serve(settings, **kwargs))
        return started[-1]

    monkeypatch.setattr(demo, "serve_in_thread", spy)
    monkeypatch.setattr(target, name, failure)
    with pytest.raises(error):
        demo.start_demo(tmp_path / "demo")
    (server,) = started
    with pytest.raises(httpx.ConnectError):  # nothing is left listening behind the error dialog
        httpx.get(f"{server.base_url}/v1/time", timeout=2)
    assert open_files_under(tmp_path) == []  # and Windows could delete the folder


@pytest.mark.skipif(not LISTS_OPEN_FILES, reason="open files are listed in /proc on Linux")
def test_a_closed_demo_leaves_no_file_open(tmp_path: Path) -> None:
    """Windows refuses to delete an open file: the self-test's throwaway folder could not be removed while the
    demo platform's database stayed open (found by running the Windows bundle under Wine)."""
    session = demo.start_demo(tmp_path / "demo")
    assert any(p.endswith("platform.db") for p in open_files_under(tmp_path))
    session.close()
    assert open_files_under(tmp_path) == []


def test_the_database_is_a_throwaway_in_the_in_memory_keyring(monkeypatch: pytest.MonkeyPatch,
                                                               memory_keyring) -> None:
    opened = []
    real_open = Store.open.__func__

    def spy(cls, data_dir, backend=None):
        opened.append((data_dir, backend))
        return real_open(cls, data_dir, backend)

    monkeypatch.setattr(Store, "open", classmethod(spy))
    results, _ = run()
    assert "SQLCipher 4." in results["encrypted database"].detail
    # Written, then reopened with the key read back from the keyring; then the demo platform's paired desk.
    assert len(opened) == 3
    (folder, backend), _, (demo_folder, _) = opened
    assert isinstance(backend, keystore.MemoryKeyring) and backend is not memory_keyring  # never the shop's keyring
    assert demo_folder.is_relative_to(folder.parent)
    assert not folder.parent.exists()  # the throwaway folder is gone afterwards
    assert keyring.get_keyring() is memory_keyring  # the demo's in-memory keyring did not stay behind


# -- the keyring the self-test reports on (local_cache/keystore.py) ---------------------------------------------


@pytest.mark.parametrize(("platform", "name"), [
    ("win32", "keyring.backends.Windows.WinVaultKeyring"),
    ("darwin", "keyring.backends.macOS.Keyring"),
    ("linux", "keyring.backends.SecretService.Keyring"),
])
def test_each_platform_names_its_own_store(platform: str, name: str) -> None:
    assert keystore.platform_backend_name(platform) == name
    backend = keystore.platform_backend(platform)  # importable everywhere: the bundle can carry it
    assert f"{type(backend).__module__}.{type(backend).__qualname__}" == name


def test_frozen_selection_names_the_store_and_refuses_it_when_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)  # no Secret Service reachable
    monkeypatch.setattr(keystore.sys, "platform", "linux")
    keystore.select_frozen_backend()
    assert type(keyring.get_keyring()).__name__ == "Keyring"
    assert type(keyring.get_keyring()).__module__ == "keyring.backends.SecretService"
    with pytest.raises(KeyringUnavailableError, match=r"SecretService\.Keyring, not usable here"):
        keystore.secure_backend()


def test_frozen_selection_leaves_an_explicit_choice_alone(monkeypatch: pytest.MonkeyPatch, memory_keyring) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.SecretService.Keyring")
    keystore.select_frozen_backend()
    assert keyring.get_keyring() is memory_keyring


def test_keyring_discovery_never_offers_the_in_memory_keyring() -> None:
    # It ties with fail.Keyring at priority 0: offered, it could be picked and the database key lost at exit.
    assert not any(isinstance(k, keystore.MemoryKeyring) for k in keyring.backend.get_all_keyring())
    assert keystore.secure_backend() is not None  # an explicitly set MemoryKeyring (the suite's) still works
