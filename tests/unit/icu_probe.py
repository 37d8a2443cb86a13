"""Child process for test_icu_trim: what Qt gets from ICU's data, as JSON, with whichever libicudata loads."""

from __future__ import annotations

import functools
import json
import sys

from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone

WORDS = ["次", "波", "阿", "重庆", "长沙", "北京", "Zebra", "apple", "item10", "item9", "Ärger", "zone"]
LOCALES = ["zh_CN", "zh_TW", "zh_HK", "en_US", "en_GB", "ja_JP"]
CODECS = ["GB18030", "GBK", "cp936", "GB2312", "Big5", "Big5-HKSCS", "Shift_JIS", "KOI8-R"]


def main() -> None:
    out: dict[str, object] = {}
    for name in LOCALES:
        locale = QLocale(name)
        collator = QCollator(locale)
        out[f"sort {name}"] = sorted(WORDS, key=functools.cmp_to_key(collator.compare))
        collator.setNumericMode(True)
        out[f"numeric sort {name}"] = sorted(WORDS, key=functools.cmp_to_key(collator.compare))
        zone = QTimeZone(b"Asia/Shanghai")
        out[f"time zone {name}"] = [
            zone.displayName(QTimeZone.TimeType.StandardTime, kind, locale)
            for kind in (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName)
        ]
        out[f"case {name}"] = [locale.toUpper("straße ǆ i"), locale.toLower("İSTANBUL Ǆ")]
    out["codecs"] = {name: QStringDecoder(name).isValid() for name in CODECS}
    with open("/proc/self/maps", encoding="utf-8") as maps:
        out["loaded"] = sorted({line.split()[-1] for line in maps if "libicudata" in line})
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
