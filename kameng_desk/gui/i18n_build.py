"""Compile the Qt Linguist sources (resources/translations/*.ts) into .qm files next to them.

Run by dev.py before the app or the tests start, and by the installer build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"


def lrelease_command() -> list[str]:
    exe = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyside6-lrelease"
    )
    if exe is None:
        raise SystemExit("pyside6-lrelease not found: install the project (pip install -e .)")
    return [exe]


def build(directory: Path = TRANSLATIONS) -> list[Path]:
    built = []
    for ts in sorted(directory.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            built.append(qm)
            continue
        subprocess.run([*lrelease_command(), "-silent", str(ts), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


if __name__ == "__main__":
    for path in build():
        print(f"[i18n] {path.name}")
