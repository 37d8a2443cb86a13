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


# Line breaking: a small tokenizer, not UAX #14 (no library for it is installed, and Qt's QTextBoundaryFinder
# may not be used outside the GUI). Slips need three rules, and these are they:
# 1. A word is a run of characters that are neither spaces nor East Asian wide (Latin letters with accents,
#    digits, ASCII punctuation, ¥): "Welcome!", "Café", "400-000-0000。"'s number, "1,234.50", "pay.qq.com/x".
#    A line may break at spaces, and before and after each wide character (汉字, full-width punctuation).
# 2. 禁则: closing punctuation never starts a line, opening punctuation never ends one. Such a character is glued
#    to its neighbour, so the pair (or a whole word with its 。) moves to the next line together.
# 3. A glued unit wider than a line breaks at its glue points first, then a word wider than a line after / - ? &
#    = (a host or a path segment stays whole), and only then by columns.
_NO_LINE_START = frozenset("，。、；：？！）】》」』〕〉”’…,.;:?!)]}%％·")
_NO_LINE_END = frozenset("（【《「『〔〈“‘([{￥")
_LONG_WORD_BREAK_AFTER = frozenset("/-?&=")


def _char_kind(ch: str) -> str:
    if ch == " ":
        return "space"
    return "wide" if unicodedata.east_asian_width(ch) in ("W", "F") else "word"


def _tokens(paragraph: str) -> list[str]:
    """Runs of spaces, words, and single wide characters, in order."""
    tokens: list[str] = []
    for ch in paragraph:
        kind = _char_kind(ch)
        if tokens and kind != "wide" and _char_kind(tokens[-1][0]) == kind:
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def _units(tokens: list[str]) -> list[list[str]]:
    """Group the tokens between which no line may break; a space token is a unit of its own."""
    units: list[list[str]] = []
    for token in tokens:
        prev = units[-1] if units else None
        if (prev is not None and token[0] != " " and prev[-1][0] != " "
                and (token[0] in _NO_LINE_START or prev[-1][-1] in _NO_LINE_END)):
            prev.append(token)
        else:
            units.append([token])
    return units


def _pieces(unit: list[str], width: int) -> list[str]:
    """A unit wider than a line, split into pieces that each fit one (rule 3)."""
    pieces: list[str] = []
    for token in unit:
        if text_columns(token) <= width:
            pieces.append(token)
            continue
        part = ""
        for ch in token:
            part += ch
            if ch in _LONG_WORD_BREAK_AFTER:
                pieces.append(part)
                part = ""
        if part:
            pieces.append(part)
    # What is still too wide breaks between any two characters.
    return [p for piece in pieces for p in ([piece] if text_columns(piece) <= width else list(piece))]


def wrap(text: str, width: int) -> list[str]:
    """Split into lines of at most ``width`` columns, breaking only where the rules above allow while a word or
    number fits on a line. The spaces where a line breaks are dropped; nothing else is."""
    if width < 4:
        raise ValueError("a line needs at least four columns")
    return [line for paragraph in text.split("\n") for line in _wrap_paragraph(paragraph, width)]


def _wrap_paragraph(paragraph: str, width: int) -> list[str]:
    done: list[str] = []
    line, space = "", ""  # `space`: spaces waiting for what follows them, dropped if the line breaks there
    for unit in _units(_tokens(paragraph)):
        joined = "".join(unit)
        if joined[0] == " ":
            space += joined
            continue
        for piece in [joined] if text_columns(joined) <= width else _pieces(unit, width):
            if text_columns(line + space + piece) > width:
                if line:
                    done.append(line)
                line, space = "", ""
            line, space = line + space + piece, ""
    # A paragraph's own trailing spaces stay where they fit, as its leading ones do.
    done.append(line + space if text_columns(line + space) <= width else line)
    return done


def pad(text: str, width: int, align: str) -> str:
    """Pad with spaces to ``width`` columns (text already fits)."""
    room = max(0, width - text_columns(text))
    if align == "right":
        return " " * room + text
    if align == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room
