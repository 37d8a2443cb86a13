"""A slip as a list of layout elements, independent of the printer, stored as JSON in the print queue.

Rendering happens at print time with the printer then configured, so a job queued before the printer was set
up (or before it was swapped for an 80 mm one) still lines up. The JSON may hold card secrets: it lives only in
the encrypted database, and a Slip's repr never shows it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Literal

Align = Literal["left", "center", "right"]
# GS ! multipliers (width, height): Chinese characters ignore ESC ! in Chinese mode, so sizes go through GS !.
SIZES: dict[str, tuple[int, int]] = {"normal": (1, 1), "tall": (1, 2), "large": (2, 2)}


@dataclass(frozen=True)
class Text:
    text: str
    align: Align = "left"
    size: str = "normal"
    bold: bool = False

    def __post_init__(self) -> None:
        if self.size not in SIZES:
            raise ValueError(f"unknown text size {self.size!r}")
        if self.align not in ("left", "center", "right"):
            raise ValueError(f"unknown alignment {self.align!r}")


@dataclass(frozen=True)
class Row:
    """A key/value row: left text, right text flush with the right margin."""
    left: str
    right: str
    bold: bool = False


@dataclass(frozen=True)
class Separator:
    char: str = "-"


@dataclass(frozen=True)
class QrCode:
    data: str


@dataclass(frozen=True)
class Barcode:
    """CODE128 of printable ASCII (order numbers)."""
    data: str

    def __post_init__(self) -> None:
        if not self.data or not all(" " <= ch <= "~" for ch in self.data):
            raise ValueError("a barcode holds printable ASCII only")


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    pass


@dataclass(frozen=True)
class DrawerKick:
    pass


Element = Text | Row | Separator | QrCode | Barcode | Feed | Cut | DrawerKick
_TYPES: dict[str, type] = {t.__name__: t for t in (Text, Row, Separator, QrCode, Barcode, Feed, Cut, DrawerKick)}


class LayoutError(ValueError):
    """A stored slip that cannot be read back (it stays in the queue, marked failed, for support)."""


@dataclass(frozen=True)
class Slip:
    kind: str  # sale_receipt | card_slip | topup_receipt | z_report | test_page
    elements: tuple[Element, ...]

    def __repr__(self) -> str:  # elements may hold card secrets
        return f"Slip(kind={self.kind!r}, elements={len(self.elements)})"

    def to_json(self) -> bytes:
        items = [{"type": type(e).__name__, **asdict(e)} for e in self.elements]
        return json.dumps({"kind": self.kind, "elements": items}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Slip:
        try:
            doc = json.loads(data.decode("utf-8"))
            elements = []
            for item in doc["elements"]:
                kind = _TYPES[item.pop("type")]
                names = {f.name for f in fields(kind)}
                if set(item) - names:
                    raise KeyError("unknown field")
                elements.append(kind(**item))
            return cls(str(doc["kind"]), tuple(elements))
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise LayoutError("This print job's content cannot be read; cancel it and print again.") from exc
