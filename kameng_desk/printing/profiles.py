"""Printer profiles of our own: python-escpos' bundled profiles are wrong for many cheap printers (no cut,
42 columns), and they are shared class data, so we never mutate them (see escpos_render.escpos_profile)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from kameng_desk.printing.columns import ENCODINGS
from kameng_desk.printing.errors import PrinterSettingsError


@dataclass(frozen=True)
class PrinterProfile:
    name: str = "58mm"
    columns: int = 32  # Font A columns; a Chinese character takes two
    dots: int = 384  # printable width in dots (203 dpi: 58 mm -> 384, 80 mm -> 576)
    encoding: str = "gb18030"  # gb18030 | gbk
    native_qr: bool = True  # GS ( k; cheap 58 mm printers print it as text, so QR goes as an image
    cut: bool = True
    drawer_pin: int | None = None  # 2 | 5 | None (no drawer on this printer)

    def __post_init__(self) -> None:
        if not 24 <= self.columns <= 64:
            raise PrinterSettingsError("columns")
        if self.dots % 8 or not 192 <= self.dots <= 832:
            raise PrinterSettingsError("dots")
        if self.encoding not in ENCODINGS:
            raise PrinterSettingsError("encoding", encodings=", ".join(ENCODINGS))
        if self.drawer_pin not in (None, 2, 5):
            raise PrinterSettingsError("drawer_pin")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PrinterProfile:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


PAPER_58 = PrinterProfile()
PAPER_80 = PrinterProfile(name="80mm", columns=48, dots=576)
PRESETS = {p.name: p for p in (PAPER_58, PAPER_80)}


def preset(columns: int) -> PrinterProfile:
    """The 58 mm (32 columns) or 80 mm (48 columns) preset."""
    for p in PRESETS.values():
        if p.columns == columns:
            return p
    raise ValueError(f"no preset with {columns} columns (use 32 or 48)")
