"""Lay a slip out for one printer: the only place that decides what goes on which line.

The three renderers (ESC/POS bytes, plain text, image preview) draw the same laid-out lines, so the preview
shows what the paper will show: same wrapping, same placeholders, same padding.
"""

from __future__ import annotations

from dataclasses import dataclass

from kameng_desk.printing.columns import pad, printable, text_columns, wrap
from kameng_desk.printing.layout import (
    SIZES,
    Barcode,
    Cut,
    DrawerKick,
    Element,
    Feed,
    QrCode,
    Row,
    Separator,
    Slip,
    Text,
)
from kameng_desk.printing.profiles import PrinterProfile

COPY_BANNER = "重印 / COPY"
TEAR_OFF_FEED = 4  # lines to feed past the tear bar when the printer has no cutter


@dataclass(frozen=True)
class Line:
    """One printed line, aligned with leading spaces (no trailing ones: every byte counts on a 9600 baud line)."""
    text: str
    size: str = "normal"
    bold: bool = False


Laid = Line | QrCode | Barcode | Feed | Cut | DrawerKick


def _row(row: Row, columns: int, encoding: str) -> list[Line]:
    left, right = printable(row.left, encoding), printable(row.right, encoding)
    if text_columns(left) + 1 + text_columns(right) <= columns:
        return [Line(left + " " * (columns - text_columns(left) - text_columns(right)) + right, bold=row.bold)]
    lines = wrap(left, columns)
    if text_columns(lines[-1]) + 1 + text_columns(right) <= columns:
        last = lines.pop()
        lines.append(last + " " * (columns - text_columns(last) - text_columns(right)) + right)
    else:
        lines += [pad(part, columns, "right") for part in wrap(right, columns)]
    return [Line(t, bold=row.bold) for t in lines]


def _text(text: Text, columns: int, encoding: str) -> list[Line]:
    width = columns // SIZES[text.size][0]
    return [Line(pad(part, width, text.align).rstrip(" ") if text.align != "left" else part, text.size, text.bold)
            for part in wrap(printable(text.text, encoding), width)]


def _element(e: Element, profile: PrinterProfile, copy: bool) -> list[Laid]:
    columns, encoding = profile.columns, profile.encoding
    if isinstance(e, Text):
        return list(_text(e, columns, encoding))
    if isinstance(e, Row):
        return list(_row(e, columns, encoding))
    if isinstance(e, Separator):
        char = printable(e.char[:1] or "-", encoding)
        return [Line(char * (columns // text_columns(char)))]
    if isinstance(e, Cut):
        return [Cut()] if profile.cut else [Feed(TEAR_OFF_FEED)]
    if isinstance(e, DrawerKick):
        # A copy never opens the drawer: no money changes hands on a reprint.
        return [] if copy or profile.drawer_pin is None else [e]
    return [e]


def lay_out(slip: Slip, profile: PrinterProfile, *, copy: bool = False) -> list[Laid]:
    laid: list[Laid] = []
    if copy:
        laid += _text(Text(f"** {COPY_BANNER} **", "center", "tall", True), profile.columns, profile.encoding)
    for element in slip.elements:
        laid += _element(element, profile, copy)
    return laid
