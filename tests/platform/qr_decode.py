"""Reading back the console's QR images (console/qr.py) as a phone would: drawn into a bitmap, decoded by
zxing-cpp."""

from __future__ import annotations

import re

import zxingcpp
from PIL import Image


def svg_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules of qrcode's SVG path image: each is drawn as `M{x},{y}H{x+1}V{y+1}H{x}z`."""
    path = re.search(r'<path d="([^"]+)"', svg).group(1)
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", path)}


def decode_svg_qr(svg: str) -> str:
    """Draw the SVG's modules into a bitmap (8 px each) and read it with zxing-cpp: a real decode."""
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    image = Image.new("L", (size * 8, size * 8), 255)
    for x, y in svg_modules(svg):
        image.paste(0, (x * 8, y * 8, x * 8 + 8, y * 8 + 8))
    [found] = zxingcpp.read_barcodes(image)
    assert found.format == zxingcpp.BarcodeFormat.QRCode
    return found.text
