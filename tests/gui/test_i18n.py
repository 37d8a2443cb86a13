"""Chinese first, English complete: every source string has an English translation that Qt loads."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from kameng_desk.gui.i18n import RESOURCES, install_translation
from kameng_desk.gui.i18n_build import area_sources, areas

EN = RESOURCES / "translations" / "en"


@pytest.mark.parametrize("area", areas())
def test_every_string_in_the_code_is_translated(tmp_path, area) -> None:
    """Each GUI package's strings are in its own .ts (python -m kameng_desk.gui.i18n_build update)."""
    fresh = tmp_path / "fresh.ts"
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lupdate"), *map(str, area_sources(area)),
                    "-ts", str(fresh)], check=True, capture_output=True)
    in_code = {(c.findtext("name"), m.findtext("source")) for c in ET.parse(fresh).iter("context")
               for m in c.iter("message")}
    ts = EN / f"{area}.ts"
    assert ts.exists() or not in_code, f"{ts} is missing"
    translated = {(c.findtext("name"), m.findtext("source")): m.find("translation")
                  for c in ET.parse(ts).iter("context") for m in c.iter("message")} if ts.exists() else {}
    missing = [k for k in in_code if k not in translated or not (translated[k].text or "").strip()
               or translated[k].get("type") == "unfinished"]
    assert not missing, f"untranslated in {ts.name}: {missing}"


def test_english_translation_loads(qapp) -> None:
    translators = install_translation(qapp, "en")
    try:
        assert QCoreApplication.translate("MainWindow", "卡盟收银台") == "Kameng Desk"
        assert QCoreApplication.translate("", "购物车是空的。") == "The cart is empty."
    finally:
        for t in translators:
            qapp.removeTranslator(t)
    assert QCoreApplication.translate("MainWindow", "卡盟收银台") == "卡盟收银台"


def test_platform_refusals_reach_the_cashier_in_their_language(qapp) -> None:
    """The platform's refusal messages are English, for operators: the screen words them by their code."""
    from kameng_desk.gui.messages import describe
    from kameng_desk.sync.errors import PlatformRefusedError

    limited = PlatformRefusedError(429, "too_many_attempts", "Too many pairing attempts", retry_after_s=241)
    assert describe(limited) == "配对尝试次数过多，请 5 分钟后再试。"
    assert describe(PlatformRefusedError(403, "pairing_code_invalid", "bad code")).startswith("配对码无效")
    unknown = PlatformRefusedError(409, "something_new", "Something new")
    assert describe(unknown) == "平台拒绝了此操作（something_new），请把这段代码告诉运营方。"
    translators = install_translation(qapp, "en")
    try:
        assert describe(limited) == "Too many pairing attempts; try again in 5 minutes."
    finally:
        for t in translators:
            qapp.removeTranslator(t)
