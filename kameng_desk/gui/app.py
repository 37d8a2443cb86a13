"""Start the Qt application: fonts, translations, one instance per data folder, the counter window."""

from __future__ import annotations

import logging
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from kameng_desk.gui.i18n import RESOURCES, switch_language
from kameng_desk.gui.main_window import MainWindow
from kameng_desk.gui.messages import describe
from kameng_desk.gui.sounds import machine_sounds, machine_voice
from kameng_desk.gui.worker import DbWorker
from kameng_desk.instance_lock import acquire_instance_lock
from kameng_desk.logging_setup import setup_logging
from kameng_desk.paths import DeskPaths
from kameng_desk.printing.service import PrintService
from kameng_desk.usecases import first_run

log = logging.getLogger(__name__)

STYLE = """
QWidget { font-size: 15px; }
QLabel#title { font-size: 32px; font-weight: bold; margin: 16px; }
QLabel#bigAmount { font-size: 34px; font-weight: bold; color: #b71c1c; }
QLabel#changeAmount { font-size: 28px; font-weight: bold; color: #1b5e20; }
QLabel#code { font-family: monospace; font-size: 18px; }
QLabel#banner { background: #fff3cd; color: #7a4b00; padding: 4px 8px; }
QPushButton { padding: 6px 12px; }
QPushButton#checkout { background: #c62828; color: white; font-weight: bold; }
QListWidget#productGrid { color: #212121; }
QListWidget#productGrid::item { border: 1px solid #bbb; border-radius: 6px; margin: 4px; padding: 8px; }
QListWidget#productGrid::item:hover { border-color: #1565c0; }
QListWidget#productGrid::item:selected { background: #1565c0; color: white; border: 2px solid #0d47a1; }
"""


def load_fonts(app: QApplication) -> str | None:
    """Register the bundled CJK font and use it, so every machine renders Chinese the same way (no tofu boxes,
    the same metrics as the screenshots); a system CJK font only if the bundled file is missing."""
    for font_file in sorted((RESOURCES / "fonts").glob("*.tt[fc]")):
        if QFontDatabase.addApplicationFont(str(font_file)) < 0:
            log.warning("could not load font %s", font_file.name)
    families = set(QFontDatabase.families())
    for family in ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC"):
        if family in families:
            app.setFont(QFont(family, 11))
            return family
    return None


def report_uncaught(kind, value, tb) -> QMessageBox | None:
    """sys.excepthook: log the type and where (never the message or source lines: they could hold a code),
    and tell the cashier.

    Sales are committed on the database thread before the GUI hears of them, so a bug here cannot undo one."""
    frames = "\n".join(f"  {f.filename}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb))
    log.error("uncaught %s\n%s", kind.__name__, frames)
    app = QApplication.instance()
    if app is None:
        return None
    box = QMessageBox(QMessageBox.Icon.Critical, app.translate("app", "卡盟收银台"),
                      app.translate("app", "意外错误（{kind}），已记录到日志。已保存的销售不受影响。").format(
                          kind=kind.__name__), parent=app.activeWindow())
    box.setObjectName("uncaughtErrorBox")
    box.open()
    return box


_QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}
qt_log = logging.getLogger("kameng_desk.qt")


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)


def forward_qt_messages() -> Callable[..., None] | None:
    """Qt's own messages (a missing plugin or font, a layout problem) go to the log file with ours, through its
    redaction filter, not to a console that a shop PC does not show. Returns the handler it replaced."""
    return qInstallMessageHandler(_qt_message)


def prepare_app() -> QApplication:
    """The QApplication with our style, font and icon; set up once per process (a second call, from the
    self-test or a test, would restyle every widget alive)."""
    app = QApplication.instance()
    if app is not None and app.property("kameng_prepared"):
        return app
    forward_qt_messages()  # before the app is built: a platform plugin that cannot load is reported then
    app = app or QApplication(sys.argv)
    app.setProperty("kameng_prepared", True)
    # Messages Qt sends while the interpreter shuts down must not call back into Python.
    app.aboutToQuit.connect(lambda: qInstallMessageHandler(None))
    app.setApplicationName("卡盟收银台")
    app.setStyle("Fusion")  # the same look everywhere, and reproducible screenshots
    app.setStyleSheet(STYLE)
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "kameng-desk.png")))
    load_fonts(app)
    return app


def _cannot_open(app: QApplication, exc: Exception) -> int:
    """Nothing was changed: say why in the window and on stderr (for support), and stop."""
    print(f"kameng-desk: {exc}", file=sys.stderr)
    QMessageBox.critical(None, app.translate("app", "卡盟收银台"),
                         app.translate("app", "收银台无法打开本机数据库，数据没有任何改动。") + "\n\n" + describe(exc))
    return 1


def _first_run(worker: DbWorker) -> str | None:
    from kameng_desk.gui.first_run_wizard import SetupWizard

    wizard = SetupWizard(worker)
    wizard.exec()
    return wizard.choice


def demo_login_hint() -> str:
    """The demo's staff and PINs, in the language of the moment (the login page is rebuilt on a switch)."""
    from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER, OWNER_PIN

    return QApplication.translate("app", "演示模式：{c} PIN {cp}，{o} PIN {op}").format(
        c=CASHIER, cp=CASHIER_PIN, o=OWNER, op=OWNER_PIN)


def run_app(paths: DeskPaths, demo: bool = False, language: str | None = None) -> int:
    """`language` None means the one chosen in settings (zh_CN until someone changes it)."""
    from local_cache import Store, settings
    from local_cache.errors import StoreError

    if not demo:  # the log first, so that what Qt says while it starts is in it
        paths.ensure()
        setup_logging(paths.log_dir)
    app = prepare_app()
    switch_language(language or "zh_CN")  # until the shop's own choice is read
    sys.excepthook = report_uncaught
    store = worker = session = lock = None
    if not demo:
        lock = acquire_instance_lock(paths.data_dir)
        if lock is None:
            QMessageBox.warning(None, "卡盟收银台",
                                app.translate("app", "收银台已在运行（同一数据目录只能打开一个）。"))
            return 1
        try:
            store = Store.open(paths.data_dir)
        except StoreError as exc:  # no keyring, a missing or wrong key, a schema from a newer version
            return _cannot_open(app, exc)
        if language is None:
            switch_language(settings.get(store.conn(), "language", "zh_CN"))
        worker = DbWorker(store)
        if first_run.needs_setup(store):
            store.close_thread_connection()
            choice = _first_run(worker)
            if choice != "ready":  # closed, or the demo instead: this folder stays as it was
                worker.stop()
                store.close()
                store = worker = None
                if choice is None:
                    return 0
                demo = True
    hint = ""
    if demo:
        from kameng_desk.demo import start_demo

        paths = DeskPaths.portable(Path(tempfile.mkdtemp(prefix="kameng-demo-")))
        setup_logging(paths.log_dir)
        session = start_demo(paths.data_dir)
        store, engine = session.store, session.engine
        worker = DbWorker(store)
        hint = demo_login_hint
    else:
        from kameng_desk.sync.pairing import client_for
        from kameng_desk.usecases.syncing import SyncEngine

        store.close_thread_connection()
        engine = SyncEngine(store, lambda: client_for(store))
    printing = PrintService(store)
    window = MainWindow(worker, engine=engine, printing=printing, login_hint=hint, sounds=machine_sounds(),
                        voice=machine_voice())
    window.showMaximized()  # a counter's screen is the counter's: at 1024×768 every button and the cart fit
    engine.start()
    printing.start()
    try:
        return app.exec()
    finally:
        printing.stop()
        engine.stop()
        worker.stop()
        if session is not None:
            session.close()
        if lock is not None:
            lock.unlock()
