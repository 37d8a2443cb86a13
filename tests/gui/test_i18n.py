"""Chinese first, English complete: every source string has an English translation that Qt loads."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from kameng_desk.gui.app import RESOURCES, install_translation

TS = RESOURCES / "translations" / "kameng_desk_en.ts"
ROOT = Path(__file__).resolve().parents[2]


def test_every_string_in_the_code_is_translated(tmp_path) -> None:
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lupdate"),
                    *map(str, sorted((ROOT / "kameng_desk" / "gui").glob("*.py"))), "-ts", str(fresh)],
                   check=True, capture_output=True)
    in_code = {m.findtext("source") for m in ET.parse(fresh).iter("message")}
    translated = {m.findtext("source"): m.find("translation") for m in ET.parse(TS).iter("message")}
    missing = [s for s in in_code if s not in translated or not (translated[s].text or "").strip()
               or translated[s].get("type") == "unfinished"]
    assert not missing, f"untranslated: {missing}"


def test_english_translation_loads(qapp) -> None:
    translators = install_translation(qapp, "en")
    try:
        assert QCoreApplication.translate("MainWindow", "卡盟收银台") == "Kameng Desk"
        assert QCoreApplication.translate("", "购物车是空的。") == "The cart is empty."
    finally:
        for t in translators:
            qapp.removeTranslator(t)
    assert QCoreApplication.translate("MainWindow", "卡盟收银台") == "卡盟收银台"
