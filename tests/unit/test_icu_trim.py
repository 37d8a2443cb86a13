"""installer/icu_trim.py: the Linux bundle's ICU data, trimmed to Chinese and English, behaves as the full one.

Qt is run in a child process on the trimmed library (LD_LIBRARY_PATH comes before the wheel's RUNPATH) and on the
wheel's own, and what it gets from ICU is compared: sorting, time zone names and case mapping in zh/en locales,
and the Chinese code pages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

from installer import icu_trim

ROOT = Path(__file__).resolve().parents[2]
WHEEL_ICU = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
KEPT_LOCALES = ["zh_CN", "zh_TW", "zh_HK", "en_US", "en_GB"]
CHINESE_CODECS = ["GB18030", "GBK", "cp936", "GB2312", "Big5", "Big5-HKSCS"]

pytestmark = pytest.mark.skipif(not WHEEL_ICU, reason="this PySide6 wheel carries no ICU (Windows, macOS)")


@pytest.fixture(scope="module")
def wheel_icu() -> Path:
    return WHEEL_ICU[0]


@pytest.fixture(scope="module")
def trimmed(wheel_icu: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, icu_trim.TrimReport]:
    folder = tmp_path_factory.mktemp("icu")
    report = icu_trim.trim_library(wheel_icu, folder / wheel_icu.name)
    return folder / wheel_icu.name, report


def probe(library_folder: Path | None) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("LD_LIBRARY_PATH", None)
    if library_folder is not None:
        env["LD_LIBRARY_PATH"] = str(library_folder)
    done = subprocess.run([sys.executable, "-m", "tests.unit.icu_probe"], capture_output=True, text=True, env=env,
                          cwd=ROOT, check=True)
    return json.loads(done.stdout)


def test_an_untrimmed_package_is_rebuilt_byte_for_byte(wheel_icu: Path) -> None:
    """The package writer lays items out as ICU's own tools do, so a trimmed one differs only by what it left."""
    _, blob = icu_trim.read_data_symbol(wheel_icu)
    package = icu_trim.Package.parse(blob)
    assert len(package.items) > 3000
    assert package.to_bytes() == blob


def test_trimmed_icu_gives_qt_the_same_chinese_and_english_answers(
    wheel_icu: Path, trimmed: tuple[Path, icu_trim.TrimReport]
) -> None:
    library, report = trimmed
    full, small = probe(None), probe(library.parent)
    assert full["loaded"] == [str(wheel_icu.resolve())]
    assert small["loaded"] == [str(library.resolve())]
    for locale in KEPT_LOCALES:
        for what in ("sort", "numeric sort", "time zone", "case"):
            assert small[f"{what} {locale}"] == full[f"{what} {locale}"], f"{what} {locale}"
    assert full["sort zh_CN"][:6] == ["阿", "北京", "波", "重庆", "次", "长沙"]  # pinyin, not code point order
    assert full["time zone zh_CN"][0] == "中国标准时间"
    for codec in CHINESE_CODECS:
        assert small["codecs"][codec] and full["codecs"][codec], codec
    # What was left out: a Japanese collation falls back to ICU's root order, which English uses untailored,
    # and Japanese and Cyrillic code pages are no longer offered.
    assert full["sort ja_JP"] != full["sort en_US"]
    assert small["sort ja_JP"] == full["sort en_US"]
    assert not small["codecs"]["Shift_JIS"] and not small["codecs"]["KOI8-R"]
    assert report.bytes_before > 30_000_000 and report.bytes_after < 7_000_000
    assert report.items_after < report.items_before / 3


def test_the_trimmed_library_exports_the_same_symbol_and_soname(
    wheel_icu: Path, trimmed: tuple[Path, icu_trim.TrimReport]
) -> None:
    library, _ = trimmed
    symbol, blob = icu_trim.read_data_symbol(library)
    assert symbol == icu_trim.read_data_symbol(wheel_icu)[0]
    kept = {name.partition("/")[2] for name in icu_trim.Package.parse(blob).items}
    assert {"coll/zh.res", "coll/root.res", "zh_Hans_CN.res", "en.res", "gb18030.cnv", "cnvalias.icu", "res_index.res",
            "coll/res_index.res", "zone/res_index.res"} <= kept
    assert not {"coll/ja.res", "de.res", "zone/fr.res", "brkitr/thaidict.dict", "translit/root.res"} & kept
    assert wheel_icu.name.encode() in library.read_bytes()  # the soname libicuuc asks for


def test_files_that_are_not_icu_data_are_refused_by_name(wheel_icu: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a library")
    with pytest.raises(icu_trim.IcuTrimError, match=r"notes\.txt is not a little-endian 64-bit ELF"):
        icu_trim.read_data_symbol(text)
    code_library = wheel_icu.with_name(wheel_icu.name.replace("icudata", "icuuc"))
    with pytest.raises(icu_trim.IcuTrimError, match="does not export exactly one icudt<version>_dat"):
        icu_trim.read_data_symbol(code_library)
    with pytest.raises(icu_trim.IcuTrimError, match="not an ICU common data package"):
        icu_trim.Package.parse(b"\x00" * 64)
    elf = bytearray(wheel_icu.read_bytes())
    elf[0x12:0x14] = (40).to_bytes(2, "little")  # ARM (32-bit): not what this machine's binutils builds for
    foreign = tmp_path / wheel_icu.name
    foreign.write_bytes(elf)
    with pytest.raises(icu_trim.IcuTrimError, match="built for another processor"):
        icu_trim.read_data_symbol(foreign)


def test_missing_binutils_is_named(wheel_icu: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(icu_trim.shutil, "which", lambda tool: None)
    with pytest.raises(icu_trim.IcuTrimError, match="apt-get install binutils"):
        icu_trim.trim_library(wheel_icu, tmp_path / wheel_icu.name)
    assert not (tmp_path / wheel_icu.name).exists()


def test_the_self_test_passes_on_the_trimmed_data_and_fails_without_chinese_collation(
    wheel_icu: Path, trimmed: tuple[Path, icu_trim.TrimReport], tmp_path: Path
) -> None:
    """`kameng-desk --self-test` is what proves the bundle's ICU on a till; it must notice a missing collation."""
    step = ("from pathlib import Path; from kameng_desk.gui.selftest import SelfTest, StepFailed\n"
            "try: print('PASS', SelfTest(Path('.')).chinese_sort_order())\n"
            "except StepFailed as exc: print('FAIL', exc)")

    def run_step(library_folder: Path) -> str:
        env = dict(os.environ, PYTHONPATH=str(ROOT), LD_LIBRARY_PATH=str(library_folder))
        return subprocess.run([sys.executable, "-c", step], capture_output=True, text=True, env=env, cwd=ROOT,
                              check=True).stdout.strip()

    library, _ = trimmed
    assert run_step(library.parent) == "PASS 阿 波 次, by pinyin"
    no_chinese = tmp_path / "no-zh"
    icu_trim.trim_library(wheel_icu, no_chinese / wheel_icu.name,
                          keep=lambda name: icu_trim.wanted(name) and not name.startswith("coll/zh"))
    assert run_step(no_chinese).startswith("FAIL Chinese sorts as 次 波 阿, not by pinyin")
