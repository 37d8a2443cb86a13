#!/usr/bin/env python3
"""One entry point for a fresh checkout: set everything up, then run the demo, the tests or the benchmarks.

    python3 dev.py demo     # venv + app, then `kameng-desk --demo`
    python3 dev.py test     # system packages + venv + dev tools, then ruff and the whole test suite
    python3 dev.py bench    # the benchmarks in bench/, each against its baseline
    python3 dev.py soak     # the large seeded fault run

Only the standard library is used here: this runs before anything is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

# The libraries Qt's xcb plugin loads (the CJK font is bundled in resources/fonts).
DEMO_APT = [
    "libegl1", "libgl1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1",
    "libdbus-1-3", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0",
    "libxcb-render-util0", "libxcb-image0", "libxcb-xinerama0", "libxcb-randr0", "libxcb-xfixes0",
]
# The tests also want a virtual screen for screenshots, PostgreSQL for the platform's second backend, binutils
# to build the bundle's trimmed ICU data library (installer/icu_trim.py), and Chromium with a CJK font for the
# console's browser tests and screenshots (Playwright drives Debian's chromium; it downloads no browser).
TEST_APT = [*DEMO_APT, "xvfb", "xauth", "postgresql", "binutils", "chromium", "fonts-wqy-microhei"]

def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def run(cmd: list[str | Path], **kw) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def ensure_apt(packages: list[str]) -> None:
    """Install missing Debian packages when we may (root or sudo); otherwise say what is missing."""
    if not shutil.which("dpkg-query") or not shutil.which("apt-get"):
        return
    missing = [
        p for p in packages
        if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True)
        .stdout.strip() != "install ok installed"
    ]
    if not missing:
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            say(f"missing system packages (install them as root): apt-get install {' '.join(missing)}")
            return
        prefix = ["sudo"]
    say(f"installing system packages: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run([*prefix, "apt-get", "update", "-qq"], env=env)
    run([*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def ensure_venv(extras: str) -> None:
    stamp = VENV / f".installed-{extras or 'base'}"
    pyproject = ROOT / "pyproject.toml"
    if stamp.exists() and stamp.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    if not PY.exists():
        say(f"creating virtual environment in {VENV}")
        try:
            venv.create(VENV, with_pip=True)
        except (subprocess.CalledProcessError, OSError) as exc:
            shutil.rmtree(VENV, ignore_errors=True)
            if os.name != "nt":
                ensure_apt(["python3-venv"])
                venv.create(VENV, with_pip=True)
            else:
                raise SystemExit(f"could not create the virtual environment: {exc}") from exc
    target = f".[{extras}]" if extras else "."
    say(f"installing {target} into the virtual environment")
    run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([PY, "-m", "pip", "install", "--quiet", "-e", target], cwd=ROOT)
    stamp.touch()


def build_translations() -> None:
    run([PY, "-m", "kameng_desk.gui.i18n_build"], cwd=ROOT)


def has_display() -> bool:
    if os.name == "nt" or sys.platform == "darwin":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) or (
        os.environ.get("QT_QPA_PLATFORM", "") in {"offscreen", "minimal", "vnc"}
    )


def cmd_demo(args: list[str]) -> int:
    ensure_apt(DEMO_APT)
    ensure_venv("")
    build_translations()
    if not has_display():
        say("no display found: the counter app needs a screen.")
        say("fix: run this on a desktop session, or over ssh with `ssh -X`, or on a virtual screen:")
        say("     apt-get install xvfb && xvfb-run -a python3 dev.py demo")
        return 2
    return subprocess.call([str(BIN / "kameng-desk"), "--demo", *args])


def cmd_test(args: list[str]) -> int:
    ensure_apt(TEST_APT)
    ensure_venv("dev")
    build_translations()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    say("ruff check")
    rc = subprocess.call([str(BIN / "ruff"), "check", "."], cwd=ROOT, env=env)
    if rc:
        return rc
    say("import contracts (layers: docs/architecture.md)")
    rc = subprocess.call([str(BIN / "lint-imports"), "--no-cache"], cwd=ROOT, env=env)
    if rc:
        return rc
    say("pytest")
    return subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env)


def cmd_bench(args: list[str]) -> int:
    ensure_apt(TEST_APT)
    ensure_venv("dev")
    build_translations()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    return subprocess.call([str(PY), "-m", "bench", *args], cwd=ROOT, env=env)


def cmd_soak(args: list[str]) -> int:
    ensure_apt(TEST_APT)
    ensure_venv("dev")
    env = dict(os.environ, KAMENG_SOAK="1")
    return subprocess.call([str(PY), "-m", "pytest", "-s", "tests/faults/test_fault_run.py", *args], cwd=ROOT,
                           env=env)


COMMANDS = {"demo": cmd_demo, "test": cmd_test, "bench": cmd_bench, "soak": cmd_soak}


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
