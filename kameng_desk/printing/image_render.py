"""Laid-out slip -> image preview (Pillow), drawn on the printer's dot grid with the bundled CJK font.

One column is 12 dots and a line 24 dots (Font A), so the preview wraps and aligns exactly like the paper.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import barcode
from PIL import Image, ImageDraw, ImageFont

from kameng_desk.printing.columns import char_columns
from kameng_desk.printing.escpos_render import BARCODE_HEIGHT, qr_image, qr_module_size
from kameng_desk.printing.layout import SIZES, Barcode, Cut, DrawerKick, Feed, QrCode, Slip
from kameng_desk.printing.lines import Line, lay_out
from kameng_desk.printing.profiles import PrinterProfile

FONT_FILE = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "wqy-microhei.ttc"
COLUMN_DOTS, LINE_DOTS = 12, 24
MARGIN = 8


@functools.cache
def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(FONT_FILE), px)
    except OSError:  # a broken install: a plain preview is better than none
        return ImageFont.load_default(px)


class _Canvas:
    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self.parts: list[Image.Image] = []

    def blank(self, height: int) -> Image.Image:
        return Image.new("L", (self.profile.dots, height), 255)

    def line(self, line: Line) -> None:
        # Drawn at normal size on a narrower strip, then stretched: GS ! scales the printer's glyphs the same way.
        sx, sy = SIZES[line.size]
        img = Image.new("L", (self.profile.dots // sx, LINE_DOTS), 255)
        draw = ImageDraw.Draw(img)
        font = _font(LINE_DOTS - 2)
        x = 0
        for ch in line.text:
            w = char_columns(ch) * COLUMN_DOTS
            if ch != " ":
                for dx in (0, 1) if line.bold else (0,):
                    draw.text((x + w / 2 + dx, LINE_DOTS / 2), ch, fill=0, font=font, anchor="mm")
            x += w
        self.parts.append(img.resize((img.width * sx, LINE_DOTS * sy)) if (sx, sy) != (1, 1) else img)

    def qr(self, data: str) -> None:
        self.centered(qr_image(data, qr_module_size(self.profile), self.profile.dots))

    def barcode(self, data: str) -> None:
        modules = barcode.get("code128", data).build()[0]
        bars = self.blank(BARCODE_HEIGHT + LINE_DOTS)
        draw = ImageDraw.Draw(bars)
        left = max(0, (self.profile.dots - 2 * len(modules)) // 2)
        for i, bit in enumerate(modules):
            if bit == "1":
                draw.rectangle((left + 2 * i, 0, left + 2 * i + 1, BARCODE_HEIGHT - 1), fill=0)
        draw.text((self.profile.dots / 2, BARCODE_HEIGHT + LINE_DOTS / 2), data, fill=0,
                  font=_font(LINE_DOTS - 4), anchor="mm")
        self.parts.append(bars)

    def centered(self, img: Image.Image) -> None:
        row = self.blank(img.height)
        row.paste(img, (max(0, (self.profile.dots - img.width) // 2), 0))
        self.parts.append(row)

    def cut(self) -> None:
        img = self.blank(LINE_DOTS)
        draw = ImageDraw.Draw(img)
        for x in range(0, self.profile.dots, 12):
            draw.line((x, LINE_DOTS // 2, x + 6, LINE_DOTS // 2), fill=128)
        self.parts.append(img)

    def image(self) -> Image.Image:
        height = sum(p.height for p in self.parts) + 2 * MARGIN
        page = Image.new("L", (self.profile.dots + 2 * MARGIN, height), 255)
        y = MARGIN
        for part in self.parts:
            page.paste(part, (MARGIN, y))
            y += part.height
        return page


def render_image(slip: Slip, profile: PrinterProfile, *, copy: bool = False) -> Image.Image:
    canvas = _Canvas(profile)
    for item in lay_out(slip, profile, copy=copy):
        if isinstance(item, Line):
            canvas.line(item)
        elif isinstance(item, QrCode):
            canvas.qr(item.data)
        elif isinstance(item, Barcode):
            canvas.barcode(item.data)
        elif isinstance(item, Feed):
            canvas.parts.append(canvas.blank(LINE_DOTS * item.lines))
        elif isinstance(item, Cut):
            canvas.cut()
        elif isinstance(item, DrawerKick):
            pass  # nothing on paper
    return canvas.image()


def render_png(slip: Slip, profile: PrinterProfile, *, copy: bool = False) -> bytes:
    buffer = io.BytesIO()
    render_image(slip, profile, copy=copy).save(buffer, "PNG")
    return buffer.getvalue()
