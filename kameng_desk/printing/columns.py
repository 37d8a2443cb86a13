"""Printer columns and the Chinese code page.

In Chinese mode (FS &) the printer reads every byte >= 0x80 as the first of a two-byte GB code and prints it
two columns wide. So a character's width is what the printer does with it, not what unicodedata says: ASCII is
one column, everything else two, including the ambiguous-width ×, ·, ①, — that east_asian_width counts as one
(counting them as one would overflow the paper). Text is cleaned first (controls and characters the printer's
encoding lacks become a visible placeholder), then measured, wrapped and encoded.
"""

from __future__ import annotations

import unicodedata

ENCODINGS = ("gb18030", "gbk")
PLACEHOLDER = "□"  # in GB2312, so every Chinese printer has it
_EXTENDED_HAN = "CJK UNIFIED IDEOGRAPH"


def _printable_char(ch: str, encoding: str) -> bool:
    if ch.isascii():
        return ch.isprintable()
    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me", "Zl", "Zp"):
        return False
    try:
        data = ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    if len(data) == 2:
        return True
    # Python's gbk maps € to the single byte 0x80, which a printer in Chinese mode reads as half a code.
    # GB18030 four-byte codes: printer fonts carry the rare Han characters (names!), not emoji or scripts.
    return len(data) == 4 and unicodedata.name(ch, "").startswith(_EXTENDED_HAN)


def printable(text: str, encoding: str) -> str:
    """The text as the printer will print it: tabs become spaces, anything else unprintable the placeholder."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown printer encoding {encoding!r} (use one of {', '.join(ENCODINGS)})")
    text = text.replace("\t", " ")
    return "".join(ch if _printable_char(ch, encoding) else PLACEHOLDER for ch in text)


def char_columns(ch: str) -> int:
    return 1 if ch.isascii() else 2


def text_columns(text: str) -> int:
    return sum(char_columns(ch) for ch in text)


def encode(text: str, encoding: str) -> bytes:
    """Encode text already passed through :func:`printable`."""
    return text.encode(encoding)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# Closing punctuation never starts a line (禁则): the character before it moves down with it.
_NO_LINE_START = set("，。、；：？！）】》」』”’…,.;:?!)]}%")


def wrap(text: str, width: int) -> list[str]:
    """Split into lines of at most ``width`` columns; English words stay whole when they fit on a line."""
    if width < 4:
        raise ValueError("a line needs at least four columns")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for ch in paragraph:
            w = char_columns(ch)
            if used + w > width:
                cut = _break_at(line, ch)
                lines.append(line[:cut].rstrip(" "))
                line = line[cut:].lstrip(" ")
                used = text_columns(line)
                if not line and ch == " ":
                    continue  # a wrapped line does not start with the space that broke it
            line += ch
            used += w
        lines.append(line)
    return lines


def _break_at(line: str, next_ch: str) -> int:
    """Where to break a full line: keep English words whole, keep closing punctuation off a line start."""
    if _is_word_char(line[-1]) and _is_word_char(next_ch):
        space = line.rfind(" ")
        if space > 0:
            return space + 1
    if next_ch in _NO_LINE_START and len(line) > 1 and line[-1] not in _NO_LINE_START:
        return len(line) - 1
    return len(line)


def pad(text: str, width: int, align: str) -> str:
    """Pad with spaces to ``width`` columns (text already fits)."""
    room = max(0, width - text_columns(text))
    if align == "right":
        return " " * room + text
    if align == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room
