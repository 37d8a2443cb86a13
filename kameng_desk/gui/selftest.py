"""`kameng-desk --self-test`: does this installation (from source or the frozen bundle) have every part it needs?

Offscreen, in a throwaway folder, it opens an encrypted database whose key is in a keyring, renders a card slip
to ESC/POS bytes, builds a payment QR, loads the translations, sorts Chinese by pinyin, shows and grabs the
counter window, and runs the embedded demo platform through a first sync. Each step
is reported by name as it runs (a step that crashes the process is the one left without a verdict); the exit
code is 0 only if every step passed.

The database key goes into an in-memory keyring, never the shop's own: a support call must not leave entries
behind, and CI machines have no Secret Service. The keyring step checks the backend the app itself would use
(it is bundled; on Windows it must also work) and reports whether it is usable on this machine.
"""

from __future__ import annotations

import functools
import io
import os
import platform
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from kameng_desk import __version__

SELF_TEST_STAFF, SELF_TEST_PIN = "自检", "8888"
SAMPLE_QR = "https://pay.example.com/selftest?amount_fen=3000"
QR_SIZES = range(21, 178, 4)  # a QR code of version v is 17 + 4v modules wide
ESC_INIT = b"\x1b@"
CUT = b"\x1dV"  # GS V: full or partial cut, with or without feed
WINDOW_TIMEOUT_S = 10.0


class StepFailed(Exception):
    """A check did not hold; the message says what is wrong and, where known, how to fix it."""


@dataclass(frozen=True)
class StepResult:
    name: str
    ok: bool
    detail: str
    seconds: float


class SelfTest:
    """The steps share a throwaway folder, the database and the Qt application; a step that needs an earlier
    one's result says so when that one failed."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.store = None
        self.app = None
        self.steps: list[tuple[str, Callable[[], str]]] = [
            ("keyring backend", self.keyring_backend),
            ("encrypted database", self.encrypted_database),
            ("card slip", self.card_slip),
            ("Qt offscreen", self.qt_offscreen),
            ("QR code", self.qr_code),
            ("translation zh_CN", self.translation_zh_cn),
            ("translation en", self.translation_en),
            ("Chinese sort order", self.chinese_sort_order),
            ("spoken confirmation", self.spoken_confirmation),
            ("counter window", self.counter_window),
            ("demo platform", self.demo_platform),
        ]

    def keyring_backend(self) -> str:
        from local_cache import keystore
        from local_cache.errors import KeyringUnavailableError

        try:
            own = keystore.platform_backend()
        except (ImportError, AttributeError) as exc:
            raise StepFailed(f"{keystore.platform_backend_name()} is not in this build ({exc})") from None
        try:
            in_use = keystore.secure_backend()
        except KeyringUnavailableError as exc:
            if sys.platform == "win32":  # Credential Manager is part of every Windows: absence is a broken build
                raise StepFailed(str(exc)) from None
            return f"{keystore.backend_name(own)} present; the shop's keyring is not usable on this machine: {exc}"
        return f"the app would use {keystore.backend_name(in_use)}; {keystore.backend_name(own)} present"

    def encrypted_database(self) -> str:
        from local_cache import Store, staff
        from local_cache.keystore import MemoryKeyring
        from local_cache.store import DB_NAME

        backend = MemoryKeyring()
        folder = self.workdir / "desk"
        store = Store.open(folder, backend=backend)
        with store.transaction() as conn:
            staff.create(conn, SELF_TEST_STAFF, "owner", SELF_TEST_PIN)
        store.close()
        if (folder / DB_NAME).read_bytes()[:16] == b"SQLite format 3\x00":
            raise StepFailed("the database file is plaintext: SQLCipher is not the SQLite in this build")
        store = Store.open(folder, backend=backend)  # the key comes back out of the keyring
        conn = store.conn()
        if [s.name for s in staff.list_all(conn)] != [SELF_TEST_STAFF]:
            raise StepFailed("the reopened database does not hold what was written")
        if (check := store.integrity_check()) != "ok":
            raise StepFailed(f"integrity_check: {check}")
        version = store.cipher_version()
        store.close_thread_connection()  # the counter window's database thread opens its own
        self.store = store
        return f"SQLCipher {version}, key in {type(backend).__name__}"

    def card_slip(self) -> str:
        try:
            from kameng_desk.printing import sample_card_slip_bytes
        except ImportError as exc:
            if exc.name != "kameng_desk.printing":
                raise  # a library the printing code needs is not in this build: say which
            raise StepFailed("printing module missing (kameng_desk.printing.sample_card_slip_bytes)") from None
        data = sample_card_slip_bytes(32)
        if not data.startswith(ESC_INIT):
            raise StepFailed(f"the slip does not start with ESC @ (starts with {data[:2]!r})")
        if CUT not in data:
            raise StepFailed("the slip has no paper cut (GS V)")
        return f"{len(data)} bytes, ESC @ ... GS V"

    def qt_offscreen(self) -> str:
        from PySide6 import __version__ as pyside_version

        from kameng_desk.gui.app import prepare_app

        self.app = prepare_app()
        return f"PySide6 {pyside_version}, platform {self.app.platformName()}, font {self.app.font().family()}"

    def _need_app(self) -> None:
        if self.app is None:
            raise StepFailed("needs the Qt offscreen step")

    def qr_code(self) -> str:
        from PySide6.QtGui import QColor

        from kameng_desk.gui.payment_dialog import QUIET_ZONE, qr_pixmap

        self._need_app()
        image = qr_pixmap(SAMPLE_QR, 240, 1.0).toImage()
        if image.isNull() or image.width() != image.height():
            raise StepFailed("no square QR image")
        black, white = QColor("black").rgb(), QColor("white").rgb()
        # The quiet zone is white; the top-left finder pattern starts right after it, on the diagonal.
        edge = next((i for i in range(image.width()) if image.pixel(i, i) == black), None)
        if edge is None or edge == 0 or edge % QUIET_ZONE or image.pixel(0, 0) != white:
            raise StepFailed("the QR image has no quiet zone and finder pattern")
        scale = edge // QUIET_ZONE
        modules = image.width() // scale - 2 * QUIET_ZONE
        if modules not in QR_SIZES:
            raise StepFailed(f"the QR image is {modules} modules wide, not a QR code size")
        return f"version {(modules - 17) // 4}, {modules} modules, {scale} px each"

    def _translate_and_remove(self, language: str, context: str, source: str) -> str:
        from PySide6.QtCore import QCoreApplication

        from kameng_desk.gui.i18n import install_translation

        translators = install_translation(self.app, language)
        try:
            return QCoreApplication.translate(context, source)
        finally:
            for translator in translators:
                self.app.removeTranslator(translator)

    def translation_zh_cn(self) -> str:
        """Our source text is Chinese; what zh_CN loads is Qt's own Chinese for its standard buttons and menus."""
        self._need_app()
        text = self._translate_and_remove("zh_CN", "QPlatformTheme", "Cancel")
        if text == "Cancel":
            raise StepFailed("Qt's Chinese translation (qtbase_zh_CN.qm) did not load: standard buttons would be "
                             "in English")
        return f"Qt standard buttons: Cancel -> {text}"

    def translation_en(self) -> str:
        from kameng_desk.gui import app as gui_app

        self._need_app()
        qm = gui_app.RESOURCES / "translations" / "kameng_desk_en.qm"
        if not qm.is_file():
            raise StepFailed(f"{qm} is missing (build it: python -m kameng_desk.gui.i18n_build)")
        text = self._translate_and_remove("en", "MainWindow", "卡盟收银台")
        if text == "卡盟收银台":
            raise StepFailed(f"{qm.name} loaded but does not translate the window title")
        return f"{qm.name}: 卡盟收银台 -> {text}"

    def chinese_sort_order(self) -> str:
        """Qt sorts names (file dialogs) with ICU's collation data on Linux, trimmed in the bundle to Chinese and
        English, and with the operating system's on Windows."""
        from PySide6.QtCore import QCollator, QLocale

        words = ["次", "波", "阿"]  # code point order is the reverse of pinyin order
        ordered = sorted(words, key=functools.cmp_to_key(QCollator(QLocale("zh_CN")).compare))
        if ordered != ["阿", "波", "次"]:
            raise StepFailed(f"Chinese sorts as {' '.join(ordered)}, not by pinyin (阿 波 次): Qt's collation data "
                             "(ICU) is missing or incomplete")
        return "阿 波 次, by pinyin"

    def spoken_confirmation(self) -> str:
        """The voice clips shipped in resources/voice/ join into a phrase (the bundle's data list must carry them)."""
        from kameng_desk.records import voice

        said = voice.words(voice.Event.WECHAT, 110_00)
        try:
            audio = voice.join_clips(said)
        except voice.VoiceClipError as exc:
            raise StepFailed(str(exc)) from None
        with wave.open(io.BytesIO(audio)) as joined:
            seconds = joined.getnframes() / joined.getframerate()
        return f"{''.join(said)}: {len(said)} clips, {seconds:.1f} s"

    def counter_window(self) -> str:
        from PySide6.QtCore import QCoreApplication, QEventLoop

        from kameng_desk.gui.i18n import install_translation
        from kameng_desk.gui.main_window import MainWindow
        from kameng_desk.gui.worker import DbWorker
        from kameng_desk.sync.pairing import client_for
        from kameng_desk.usecases.syncing import SyncEngine

        self._need_app()
        if self.store is None:
            raise StepFailed("needs the encrypted database step")
        store = self.store
        translators = install_translation(self.app, "zh_CN")
        worker = DbWorker(store)
        window = MainWindow(worker, engine=SyncEngine(store, lambda: client_for(store)))  # unpaired, not started
        try:
            window.show()
            # Shown means painted with data: the staff list arrives from the database thread.
            deadline = time.monotonic() + WINDOW_TIMEOUT_S
            while window.login.staff_list.count() == 0 and time.monotonic() < deadline:
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if window.login.staff_list.count() == 0:
                raise StepFailed(f"the staff list did not load from the database thread in {WINDOW_TIMEOUT_S:.0f} s")
            image = window.grab().toImage()
            if image.isNull():
                raise StepFailed("grabbing the window gave no image")
            colours = {image.pixel(x, y) for x in range(0, image.width(), 16) for y in range(0, image.height(), 16)}
            if len(colours) < 3:
                raise StepFailed("the grabbed window is blank")
            return f"{window.windowTitle()} shown and grabbed, {image.width()}x{image.height()}"
        finally:
            window.close()
            worker.stop()
            window.deleteLater()
            for translator in translators:
                self.app.removeTranslator(translator)

    def demo_platform(self) -> str:
        """`kameng-desk --demo` runs the platform inside the app: FastAPI on uvicorn, SQLAlchemy, the Alembic
        migrations shipped as files, the demo seed, pairing and a first sync over loopback HTTP. Last, so that
        timing the start to the counter window does not include it."""
        import keyring

        from kameng_desk.demo import start_demo
        from local_cache import catalog, codes

        previous = keyring.get_keyring()  # the demo installs an in-memory keyring for the process
        try:
            session = start_demo(self.workdir / "demo")
            try:
                conn = session.store.conn()
                products, stock = catalog.products(conn), codes.stock_levels(conn)
            finally:
                session.close()
        finally:
            keyring.set_keyring(previous)
        codes_synced = sum(stock.values())
        if not products or not codes_synced:
            raise StepFailed(f"the demo platform started but the first sync brought {len(products)} products and "
                             f"{codes_synced} codes")
        return f"{len(products)} products and {codes_synced} codes synced from {session.server.base_url}"

    def run(self, out: TextIO) -> list[StepResult]:
        results = []
        for name, step in self.steps:
            print(f"{name:<20}", end="", file=out, flush=True)
            started = time.perf_counter()
            try:
                ok, detail = True, step()
            except StepFailed as exc:
                ok, detail = False, str(exc)
            except Exception as exc:  # any other failure is reported by type, and the next step still runs
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            seconds = time.perf_counter() - started
            results.append(StepResult(name, ok, detail, seconds))
            print(f"{'PASS' if ok else 'FAIL'}  {detail} ({seconds:.2f} s)", file=out, flush=True)
        return results


def run_self_test(out: TextIO) -> list[StepResult]:
    # Offscreen by definition: the same on a shop PC, over remote support and on CI (set before Qt loads).
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    kind = "frozen" if getattr(sys, "frozen", False) else "source"
    print(f"kameng-desk {__version__} self-test ({kind}, Python {platform.python_version()}, {sys.platform})",
          file=out, flush=True)
    with tempfile.TemporaryDirectory(prefix="kameng-selftest-", ignore_cleanup_errors=True) as folder:
        test = SelfTest(Path(folder))
        try:
            results = test.run(out)
        finally:
            if test.store is not None:
                test.store.close()
    failed = [r.name for r in results if not r.ok]
    if failed:
        print(f"failed steps: {', '.join(failed)}", file=out)
    print(f"self-test: {len(results) - len(failed)} passed, {len(failed)} failed", file=out, flush=True)
    return results


def main(out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if hasattr(out, "reconfigure"):  # a pipe on a non-Chinese Windows cannot encode 卡盟收银台: escape, never crash
        out.reconfigure(errors="backslashreplace")
    ok = all(r.ok for r in run_self_test(out))
    qt_core = sys.modules.get("PySide6.QtCore")
    if qt_core is not None:  # the process ends next: Qt's last messages must not call into a finalising Python
        qt_core.qInstallMessageHandler(None)
    return 0 if ok else 1
