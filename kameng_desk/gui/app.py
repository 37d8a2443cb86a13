"""Start the Qt application: fonts, translations, one instance per data folder, the counter window."""

from __future__ import annotations

import logging
import sys
import tempfile
import traceback
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QLockFile, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from kameng_desk.gui.main_window import MainWindow
from kameng_desk.gui.worker import DbWorker
from kameng_desk.logging_setup import setup_logging
from kameng_desk.paths import DeskPaths

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
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
QListWidget#productGrid::item { border: 1px solid #bbb; border-radius: 6px; margin: 4px; padding: 8px; }
"""


def load_fonts(app: QApplication) -> None:
    for font_file in sorted((RESOURCES / "fonts").glob("*.tt[fc]")):
        QFontDatabase.addApplicationFont(str(font_file))
    families = set(QFontDatabase.families())
    for family in ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC"):
        if family in families:
            app.setFont(QFont(family, 11))
            return


def install_translation(app: QApplication, language: str) -> list[QTranslator]:
    """zh_CN is the source language; English loads our .qm. Qt's own qtbase translation comes too.

    Returns the installed translators, so a caller can remove them to switch language."""
    installed = []
    if not language.startswith("zh"):
        ours = QTranslator(app)
        if ours.load(str(RESOURCES / "translations" / f"kameng_desk_{language}.qm")):
            app.installTranslator(ours)
            installed.append(ours)
    qt = QTranslator(app)
    qt_lang = "zh_CN" if language.startswith("zh") else language
    if qt.load(QLocale(qt_lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def _excepthook(kind, value, tb) -> None:
    log.error("uncaught %s\n%s", kind.__name__, "".join(traceback.format_tb(tb)))
    if QApplication.instance() is not None:
        QMessageBox.critical(None, "卡盟收银台", f"意外错误（{kind.__name__}），已记录。已保存的销售不受影响。")


def prepare_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("卡盟收银台")
    app.setStyle("Fusion")  # the same look everywhere, and reproducible screenshots
    app.setStyleSheet(STYLE)
    load_fonts(app)
    return app


def run_app(paths: DeskPaths, demo: bool = False, language: str = "zh_CN") -> int:
    app = prepare_app()
    install_translation(app, language)
    if demo:
        from kameng_desk.demo import CASHIER, CASHIER_PIN, OWNER, OWNER_PIN, start_demo

        paths = DeskPaths.portable(Path(tempfile.mkdtemp(prefix="kameng-demo-")))
        setup_logging(paths.log_dir)
        session = start_demo(paths.data_dir)
        store, engine = session.store, session.engine
        hint = app.translate("app", "演示模式：{c} PIN {cp}，{o} PIN {op}").format(
            c=CASHIER, cp=CASHIER_PIN, o=OWNER, op=OWNER_PIN)
    else:
        from kameng_desk.sync.engine import SyncEngine
        from kameng_desk.sync.pairing import client_for
        from local_cache import Store

        paths.ensure()
        setup_logging(paths.log_dir)
        lock = QLockFile(str(paths.data_dir / "kameng-desk.lock"))
        if not lock.tryLock(100):
            QMessageBox.warning(None, "卡盟收银台",
                                app.translate("app", "收银台已在运行（同一数据目录只能打开一个）。"))
            return 1
        store = Store.open(paths.data_dir)
        store.close_thread_connection()
        engine = SyncEngine(store, lambda: client_for(store))
        session, hint = None, ""
    sys.excepthook = _excepthook
    worker = DbWorker(store)
    window = MainWindow(worker, engine=engine, login_hint=hint)
    window.show()
    engine.start()
    try:
        return app.exec()
    finally:
        engine.stop()
        worker.stop()
        if session is not None:
            session.close()
