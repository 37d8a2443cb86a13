"""ICU's data library, trimmed to what a Chinese/English till needs (Linux bundle only).

PySide6's Linux wheels ship ICU with all of its data in libicudata.so.73: 32 MB, the largest file of the
bundle, for every language's locale names, collations, currencies and units, 180 legacy code pages, word-break
dictionaries for Thai, Lao, Khmer and Burmese, and transliteration. Qt asks ICU for collation (QCollator: the
file dialogs sort names with it), for codecs beyond UTF-8/16/32 and Latin-1 (QStringConverter), and for time
zone names; QLocale uses the CLDR tables compiled into QtCore, not ICU's. The app speaks zh_CN and en, so the
bundle keeps ICU's root, zh* and en* data of every kind, every table that is not per language (normalisation,
properties, character names, time zones, converter aliases) and the Chinese code pages. A language left out
falls back to ICU's root data, as ICU does for any language it does not know. Windows wheels carry no ICU (Qt
uses the operating system there), so none of this runs for a Windows build.

The data library holds one ICU "common data" package (the format `icupkg` reads) under the symbol
icudt<version>_dat; the trimmed package goes back into a library with the same soname and symbol, built with
binutils (as, ld). tests/unit/test_icu_trim.py runs Qt on the trimmed library next to the original one.
"""

from __future__ import annotations

import platform
import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = frozenset({"zh", "en"})
# The Chinese code pages Qt can name: GB18030; GBK, windows-936 and cp936 (windows-936-2000, an extension of the
# ibm-1386 table); GB2312 (ibm-1383); Big5 and windows-950 (windows-950-2000 on ibm-1373); Big5-HKSCS (ibm-1375).
# For suppliers' files and old systems' exports. Every other code page goes, Chinese ones included (ISO-2022-CN,
# EUC-TW) and Western ones (windows-1252, IBM437); UTF-8/16/32, Latin-1 and ASCII are built into Qt and ICU's code.
# The app's own encoding work (printer bytes in GB18030/GBK) uses Python's codecs, not Qt's.
CODE_PAGES = frozenset({
    "gb18030.cnv", "windows-936-2000.cnv", "ibm-1386_P100-2001.cnv", "ibm-1383_P110-1999.cnv",
    "windows-950-2000.cnv", "ibm-1373_P100-2002.cnv", "ibm-1375_P100-2008.cnv",
})
# A per-language resource: "zh_Hans_CN.res", "coll/zh.res", "zone/en_GB.res" (never "coll/ucadata.icu",
# "zone/pool.res" or "supplementalData.res": their names are not a 2-3 letter language code; "res_index.res",
# each tree's list of installed locales, looks like one and is kept by name).
LANGUAGE_RESOURCE = re.compile(r"^(?:\w+/)?(?P<language>[a-z]{2,3})(?:_\w+)?\.res$")
ALIGNMENT = 16  # ICU aligns every item of a package, and the package itself, to 16 bytes
PAD = b"\xaa"  # what ICU's own tools pad with, so an untrimmed package is rebuilt byte for byte
TOC_ENTRY = struct.Struct("<II")  # name offset, data offset; both from the start of the table of contents
ELF_MACHINES = {"x86_64": 62, "aarch64": 183}  # e_machine of the architectures PySide6 has Linux wheels for


class IcuTrimError(Exception):
    """The ICU data library could not be read or rebuilt; the message says which file and why."""


def wanted(name: str) -> bool:
    """Whether an item of the package (its name without the "icudt73l/" prefix) stays in the bundle."""
    language = LANGUAGE_RESOURCE.match(name)
    if language and not name.endswith("res_index.res"):
        return language["language"] in LANGUAGES
    if name.endswith(".cnv"):
        return name in CODE_PAGES
    # Dictionary word breaks serve Thai, Lao, Khmer and Burmese (and Chinese/Japanese by word, which Qt does not
    # ask ICU for: its own Unicode tables find text boundaries); transliteration is never used by Qt.
    return not (name.endswith(".dict") or name.startswith("translit/"))


@dataclass(frozen=True)
class Package:
    """An ICU common data package: its header (kept as it is) and its items in name order."""

    header: bytes
    prefix: str  # "icudt73l/": every item name starts with it
    items: dict[str, bytes]

    @classmethod
    def parse(cls, blob: bytes) -> Package:
        if len(blob) < 32 or blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
            raise IcuTrimError("not an ICU common data package (no CmnD header)")
        header_size = struct.unpack_from("<H", blob)[0]
        if blob[4 + 4] != 0:  # UDataInfo.isBigEndian
            raise IcuTrimError("a big-endian ICU package; only little-endian builds are handled")
        (count,) = struct.unpack_from("<I", blob, header_size)
        toc = [TOC_ENTRY.unpack_from(blob, header_size + 4 + i * TOC_ENTRY.size) for i in range(count)]
        ends = [data for _, data in toc[1:]] + [len(blob) - header_size]
        items = {}
        for (name_at, data_at), end in zip(toc, ends, strict=True):
            start = header_size + name_at
            name = blob[start:blob.index(b"\0", start)].decode("ascii")
            items[name] = blob[header_size + data_at:header_size + end]
        prefix = next(iter(items), "").partition("/")[0] + "/"
        if not all(name.startswith(prefix) for name in items):
            raise IcuTrimError(f"ICU package items do not share one prefix ({prefix!r})")
        return cls(blob[:header_size], prefix, items)

    def keeping(self, keep) -> Package:
        return Package(self.header, self.prefix,
                       {name: data for name, data in self.items.items() if keep(name.removeprefix(self.prefix))})

    def to_bytes(self) -> bytes:
        # ICU finds items by binary search over the names in byte order, so the table stays sorted.
        names = sorted(self.items)
        table_size = 4 + TOC_ENTRY.size * len(names)
        name_block = b"".join(name.encode("ascii") + b"\0" for name in names)
        data_at = _aligned(len(self.header) + table_size + len(name_block)) - len(self.header)
        toc, name_at, body = [], table_size, []
        for name in names:
            toc.append(TOC_ENTRY.pack(name_at, data_at))
            name_at += len(name) + 1
            data = self.items[name]
            padded = data + PAD * (_aligned(len(data)) - len(data))
            body.append(padded)
            data_at += len(padded)
        head = self.header + struct.pack("<I", len(names)) + b"".join(toc) + name_block
        return head + PAD * (_aligned(len(head)) - len(head)) + b"".join(body)


def _aligned(n: int) -> int:
    return -(-n // ALIGNMENT) * ALIGNMENT


def read_data_symbol(library: Path) -> tuple[str, bytes]:
    """The name and bytes of the one exported data object of an ELF64 shared library (icudt73_dat)."""
    elf = library.read_bytes()
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise IcuTrimError(f"{library} is not a little-endian 64-bit ELF library")
    (machine,) = struct.unpack_from("<H", elf, 0x12)
    if ELF_MACHINES.get(platform.machine(), machine) != machine:  # binutils here builds for this machine only
        raise IcuTrimError(f"{library} is built for another processor (ELF machine {machine}) than this "
                           f"{platform.machine()} build machine")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x3A)
    # name, type, flags, addr, offset, size, link, info, addralign, entsize
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    dynsym = next((s for s in sections if s[1] == 11), None)  # SHT_DYNSYM
    if dynsym is None:
        raise IcuTrimError(f"{library} exports no symbols")
    strtab = sections[dynsym[6]]
    found = []
    for at in range(dynsym[4], dynsym[4] + dynsym[5], 24):
        st_name, st_info, _, st_shndx, st_value, st_size = struct.unpack_from("<IBBHQQ", elf, at)
        if st_info & 0xF == 1 and st_shndx and st_size:  # STT_OBJECT, defined here
            name = elf[strtab[4] + st_name:elf.index(b"\0", strtab[4] + st_name)].decode("ascii")
            section = sections[st_shndx]
            start = section[4] + st_value - section[3]
            found.append((name, elf[start:start + st_size]))
    if len(found) != 1 or not re.fullmatch(r"icudt\d+_dat", found[0][0]):
        raise IcuTrimError(f"{library} does not export exactly one icudt<version>_dat object: "
                           f"{[name for name, _ in found]}")
    return found[0]


def build_library(symbol: str, blob: bytes, soname: str, out: Path) -> None:
    """A shared library exporting `symbol` as the 16-byte-aligned read-only `blob`, like ICU's own data library."""
    tools = {tool: shutil.which(tool) for tool in ("as", "ld")}
    if not all(tools.values()):
        raise IcuTrimError("building the trimmed ICU data library needs binutils (as, ld): "
                           "apt-get install binutils")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "data.bin").write_bytes(blob)
        (work / "data.s").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign {ALIGNMENT}\n"
            f"{symbol}:\n\t.incbin \"data.bin\"\n\t.size {symbol}, . - {symbol}\n"
            "\t.section .note.GNU-stack,\"\",@progbits\n"
        )
        for command in ([tools["as"], "-o", "data.o", "data.s"],
                        [tools["ld"], "-shared", "-soname", soname, "-o", str(out.resolve()), "data.o"]):
            done = subprocess.run(command, cwd=work, capture_output=True, text=True)
            if done.returncode != 0:
                raise IcuTrimError(f"{Path(command[0]).name} failed building {out.name}: {done.stderr.strip()}")


@dataclass(frozen=True)
class TrimReport:
    items_before: int
    items_after: int
    bytes_before: int
    bytes_after: int


def trim_library(source: Path, out: Path, keep=wanted) -> TrimReport:
    """Write to `out` a copy of ICU data library `source` holding only the items `keep` accepts."""
    symbol, blob = read_data_symbol(source)
    package = Package.parse(blob)
    trimmed = package.keeping(keep)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_library(symbol, trimmed.to_bytes(), source.name, out)
    return TrimReport(len(package.items), len(trimmed.items), source.stat().st_size, out.stat().st_size)
