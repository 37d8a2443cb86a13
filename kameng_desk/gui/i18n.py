"""Which language the interface speaks: our .qm and Qt's own qtbase translation, switchable at run time."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
_installed: list[QTranslator] = []


def install_translation(app: QCoreApplication, language: str) -> list[QTranslator]:
    """zh_CN is the source language; English loads our .qm. Qt's own qtbase translation comes too, and for
    zh_CN our few additions to it (resources/translations/zh_CN: Qt 6 words its file lacks).

    Returns the installed translators, so a caller can remove them to switch language."""
    installed = []
    qt = QTranslator(app)
    qt_lang = "zh_CN" if language.startswith("zh") else language
    if qt.load(QLocale(qt_lang), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    # Installed after Qt's: the translator installed last is asked first.
    ours = QTranslator(app)
    if ours.load(str(RESOURCES / "translations" / f"kameng_desk_{qt_lang}.qm")):
        app.installTranslator(ours)
        installed.append(ours)
    return installed


def switch_language(language: str) -> None:
    """Replace the installed translators; widgets built afterwards speak the new language."""
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed[:] = install_translation(app, language)
