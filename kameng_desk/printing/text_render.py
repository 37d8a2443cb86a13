"""Laid-out slip -> plain text, for the on-screen preview and for support (same lines as on paper)."""

from __future__ import annotations

from kameng_desk.printing.layout import Barcode, Cut, DrawerKick, Feed, QrCode, Slip
from kameng_desk.printing.lines import Line, lay_out
from kameng_desk.printing.profiles import PrinterProfile


def render_text(slip: Slip, profile: PrinterProfile, *, copy: bool = False) -> str:
    out: list[str] = []
    for item in lay_out(slip, profile, copy=copy):
        if isinstance(item, Line):
            out.append(item.text)
        elif isinstance(item, QrCode):
            out.append(f"[QR] {item.data}")
        elif isinstance(item, Barcode):
            out.append(f"[|||] {item.data}")
        elif isinstance(item, Feed):
            out += [""] * item.lines
        elif isinstance(item, Cut):
            out.append("- " * (profile.columns // 2 - 1) + "✂")
        elif isinstance(item, DrawerKick):
            out.append("[钱箱 / drawer]")
    return "\n".join(out) + "\n"
