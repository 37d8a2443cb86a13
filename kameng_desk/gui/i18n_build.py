"""Compile the Qt Linguist sources into one .qm per language.

Sources live in resources/translations/<lang>/<area>.ts, one file per GUI package (main = kameng_desk/gui/*.py,
backoffice = kameng_desk/gui/backoffice/, ...), so work on one screen never conflicts with another.
`python -m kameng_desk.gui.i18n_build update [AREA...]` re-extracts the strings with pyside6-lupdate;
`todo [AREA...]` prints the untranslated ones as JSON, `fill FILE.json [AREA...]` writes translations from
{source: translation}.
Run by dev.py before the app or the tests start, and by the installer build.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
GUI = Path(__file__).resolve().parent


def _tool(name: str) -> str:
    exe = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if exe is None:
        raise SystemExit(f"{name} not found: install the project (pip install -e .)")
    return exe


def area_sources(area: str) -> list[Path]:
    """The Python files whose strings belong in <area>.ts."""
    folder = GUI if area == "main" else GUI / area
    return sorted(folder.glob("*.py"))


def areas() -> list[str]:
    return ["main", *sorted(p.name for p in GUI.iterdir() if p.is_dir() and (p / "__init__.py").exists())]


def update(language: str = "en", only: list[str] | None = None) -> None:
    for area in only or areas():
        ts = TRANSLATIONS / language / f"{area}.ts"
        ts.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([_tool("pyside6-lupdate"), *map(str, area_sources(area)), "-ts", str(ts), "-no-obsolete",
                        "-target-language", language],
                       check=True)


def build(directory: Path = TRANSLATIONS) -> list[Path]:
    built = []
    for lang_dir in sorted(p for p in directory.iterdir() if p.is_dir()):
        sources = sorted(lang_dir.glob("*.ts"))
        qm = directory / f"kameng_desk_{lang_dir.name}.qm"
        if qm.exists() and all(qm.stat().st_mtime >= ts.stat().st_mtime for ts in sources):
            built.append(qm)
            continue
        subprocess.run([_tool("pyside6-lrelease"), "-silent", *map(str, sources), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


def _unfinished(language: str, only: list[str] | None = None):
    for ts in sorted((TRANSLATIONS / language).glob("*.ts")):
        if only and ts.stem not in only:
            continue
        tree = ET.parse(ts)
        for message in tree.iter("message"):
            translation = message.find("translation")
            if translation.get("type") == "unfinished" or not (translation.text or "").strip():
                yield ts, tree, message.findtext("source"), translation


def fill(mapping: dict[str, str], language: str = "en", only: list[str] | None = None) -> int:
    """Write translations for untranslated sources; returns how many are still missing."""
    changed, missing = {}, 0
    for ts, tree, source, translation in _unfinished(language, only):
        if source in mapping:
            translation.text = mapping[source]
            translation.attrib.pop("type", None)
            changed[ts] = tree
        else:
            missing += 1
    for ts, tree in changed.items():
        tree.getroot().set("language", language)  # without it lupdate refuses to update the file later
        tree.write(ts, encoding="utf-8", xml_declaration=True)
    return missing


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["update"]:
        update(only=sys.argv[2:])
    elif command == ["todo"]:
        todo = {source: "" for _, _, source, _ in _unfinished("en", sys.argv[2:])}
        print(json.dumps(todo, ensure_ascii=False, indent=1))
        sys.exit(0)
    elif command == ["fill"]:
        left = fill(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")), only=sys.argv[3:])
        print(f"[i18n] {left} string(s) still untranslated")
    for path in build():
        print(f"[i18n] {path.name}")
