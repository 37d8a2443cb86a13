#!/usr/bin/env python3
"""Build the one-dir bundle (dist/kameng-desk/) and prove that it works:  python3 installer/build_bundle.py

1. sets up .venv as dev.py does (the app, its translations) and the pinned PyInstaller (installer/requirements.txt);
2. builds installer/kameng-desk.spec into build/ and dist/;
3. runs the bundle's --version and --self-test (offscreen; the self-test's steps are printed as they run);
4. prints the bundle's size on disk and its start time to the counter window next to the same from source,
   measured in this run: cold (file cache dropped before each start, where this user may) and warm.

Exits 0 only if the build, --version and --self-test passed and the bundle stays within SIZE_GOAL_MB.
Options: --runs N timed starts of each kind (default 5); --skip-build measures an existing dist/.
Works on Windows too (`py installer\\build_bundle.py`), where cold starts are not measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import dev  # noqa: E402 -- the same set-up as `python3 dev.py demo`
from bench.stats import table  # noqa: E402

SPEC = ROOT / "installer" / "kameng-desk.spec"
DIST, WORK = ROOT / "dist", ROOT / "build"
BUNDLE = DIST / "kameng-desk"
EXE = BUNDLE / ("kameng-desk.exe" if os.name == "nt" else "kameng-desk")
SOURCE_EXE = dev.BIN / ("kameng-desk.exe" if os.name == "nt" else "kameng-desk")
# The goal is also the gate: a Qt module or a large library slipping in fails the build (the Linux bundle was
# 177 MB before ICU's data was trimmed to Chinese and English, installer/icu_trim.py).
SIZE_GOAL_MB = 150
WINDOW_LINE = "counter window"  # the self-test step that shows the window; its line ends the timed start
DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def say(msg: str) -> None:
    print(f"[bundle] {msg}", flush=True)


def child_env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen")


def build() -> float:
    dev.ensure_apt([*dev.DEMO_APT, "binutils"])  # as and ld build the trimmed ICU data library
    dev.ensure_venv("")
    dev.build_translations()
    dev.run([dev.PY, "-m", "pip", "install", "--quiet", "-r", ROOT / "installer" / "requirements.txt"])
    say(f"building {BUNDLE.relative_to(ROOT)} with {SPEC.relative_to(ROOT)}")
    started = time.perf_counter()
    dev.run([dev.PY, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", DIST,
             "--workpath", WORK, SPEC], cwd=ROOT)
    return time.perf_counter() - started


def check_version() -> str:
    bundle = subprocess.run([EXE, "--version"], capture_output=True, text=True, env=child_env())
    source = subprocess.run([SOURCE_EXE, "--version"], capture_output=True, text=True, env=child_env())
    if bundle.returncode != 0 or bundle.stdout.strip() != source.stdout.strip():
        raise SystemExit(f"[bundle] --version: got {bundle.stdout.strip()!r} (exit {bundle.returncode}), "
                         f"expected {source.stdout.strip()!r}\n{bundle.stderr}")
    return bundle.stdout.strip()


def self_test() -> None:
    say(f"{EXE.relative_to(ROOT)} --self-test")
    if subprocess.call([EXE, "--self-test"], env=child_env()) != 0:
        raise SystemExit("[bundle] the bundle's self-test failed (see the FAIL lines above)")


def size_on_disk_mb(folder: Path) -> float:
    """Decimal megabytes, as `du -s --si` counts them (the stricter reading of the goal; `du -sh` shows MiB)."""
    total = 0
    for path in folder.rglob("*"):
        st = path.lstat()
        total += st.st_blocks * 512 if hasattr(st, "st_blocks") else st.st_size
    return total / 1e6


def can_drop_caches() -> bool:
    return os.access(DROP_CACHES, os.W_OK)


def drop_caches() -> None:
    os.sync()
    DROP_CACHES.write_text("3\n")


def time_to_window(exe: Path, cold: bool) -> float:
    """Seconds from starting the process to the self-test reporting the counter window shown and grabbed."""
    if cold:
        drop_caches()
    started = time.perf_counter()
    proc = subprocess.Popen([exe, "--self-test"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=child_env())
    shown = None
    for raw in proc.stdout:
        if shown is None and raw.decode("utf-8", "replace").startswith(WINDOW_LINE):
            shown = time.perf_counter() - started
    if proc.wait() != 0 or shown is None:
        raise SystemExit(f"[bundle] {exe} --self-test failed while timing; run it by hand to see why")
    return shown


def measure_starts(runs: int) -> dict[tuple[str, str], list[float]]:
    kinds = {"bundle": EXE, "source": SOURCE_EXE}
    temperatures = ["cold", "warm"] if can_drop_caches() else ["warm"]
    for exe in kinds.values():
        time_to_window(exe, cold=False)  # untimed: the source run writes its .pyc files here
    samples: dict[tuple[str, str], list[float]] = {(k, t): [] for k in kinds for t in temperatures}
    for _ in range(runs):  # interleaved, so a busy moment on the machine hits both kinds alike
        for temperature in temperatures:
            for kind, exe in kinds.items():
                samples[(kind, temperature)].append(time_to_window(exe, cold=temperature == "cold"))
    return samples


def report(build_s: float | None, version: str, size_mb: float, samples: dict[tuple[str, str], list[float]],
           runs: int) -> None:
    print()
    print(f"{version}, {sys.platform}: bundle {BUNDLE.relative_to(ROOT)}")
    if build_s is not None:
        print(f"build time: {build_s:.0f} s")
    print(f"size on disk: {size_mb:.1f} MB = {size_mb * 1e6 / 2**20:.1f} MiB (goal <= {SIZE_GOAL_MB} MB)")
    print()
    rows = []
    for temperature in ("cold", "warm"):
        if ("bundle", temperature) not in samples:
            continue
        bundle, source = samples[("bundle", temperature)], samples[("source", temperature)]
        rows.append([f"{temperature}, median of {runs}", statistics.median(bundle), statistics.median(source)])
        rows.append([f"{temperature}, min-max", f"{min(bundle):.2f}-{max(bundle):.2f}",
                     f"{min(source):.2f}-{max(source):.2f}"])
    print(table(["start to counter window (s)", "bundle", "source"], rows))
    if "cold" not in {t for _, t in samples}:
        print(f"(cold starts not measured: {DROP_CACHES} is not writable here)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed starts of each kind (default 5)")
    parser.add_argument("--skip-build", action="store_true", help="measure the bundle already in dist/")
    args = parser.parse_args()
    build_s = None if args.skip_build else build()
    if not EXE.exists():
        raise SystemExit(f"[bundle] {EXE} is missing: build it first (run without --skip-build)")
    version = check_version()
    say(f"--version: {version}")
    self_test()
    size_mb = size_on_disk_mb(BUNDLE)
    say(f"timing {args.runs} starts of each kind")
    report(build_s, version, size_mb, measure_starts(args.runs), args.runs)
    if size_mb > SIZE_GOAL_MB:
        raise SystemExit(f"[bundle] {size_mb:.1f} MB is over the {SIZE_GOAL_MB} MB goal: see what grew with "
                         f"`du -sh {BUNDLE.relative_to(ROOT)}/_internal/* | sort -h`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
