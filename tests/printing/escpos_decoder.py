"""An ESC/POS decoder for the tests, written from the command reference and independent of the renderer:
bytes -> printed lines (with their size and column width), QR payloads, barcodes, cuts and drawer kicks.

Unknown commands raise, so a renderer that emits something unexpected fails the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import zxingcpp
from PIL import Image, ImageOps

ESC, GS, FS, DLE, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x0A


@dataclass
class Printed:
    lines: list[str] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)  # columns used on paper (size multiplier included)
    sizes: list[tuple[int, int]] = field(default_factory=list)
    bold: list[bool] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)  # ("line", n) ("qr", kind, payload) ("barcode", data)
    # ("cut",) ("drawer", pin) ("feed", n) in the order they occur
    chinese_mode: bool = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def qr_payloads(self) -> list[str]:
        return [e[2] for e in self.events if e[0] == "qr"]

    def kinds(self) -> list[str]:
        return [e[0] for e in self.events]


class DecodeError(AssertionError):
    pass


def _raster_to_image(width_bytes: int, height: int, data: bytes) -> Image.Image:
    # Pillow's "1" mode packs bits like ESC/POS (MSB first) but reads 1 as white; a printer dot is black.
    return ImageOps.invert(Image.frombytes("1", (width_bytes * 8, height), data).convert("L"))


def _decode_qr_image(img: Image.Image) -> str:
    scaled = img.resize((img.width * 4, img.height * 4), Image.NEAREST)
    padded = Image.new("L", (scaled.width + 80, scaled.height + 80), 255)
    padded.paste(scaled, (40, 40))
    found = zxingcpp.read_barcodes(padded)
    if not found:
        raise DecodeError("raster image holds no readable QR code")
    return found[0].text


def decode(data: bytes) -> Printed:
    out = Printed()
    i, line = 0, bytearray()
    size, bold = (1, 1), False
    qr_store: bytes | None = None

    def text_columns(raw: bytes) -> int:
        cols, j = 0, 0
        while j < len(raw):
            if raw[j] < 0x80:
                cols, j = cols + 1, j + 1
            elif j + 1 < len(raw) and 0x30 <= raw[j + 1] <= 0x39:  # GB18030 four-byte code
                cols, j = cols + 2, j + 4
            else:
                cols, j = cols + 2, j + 2
        return cols

    def end_line() -> None:
        raw = bytes(line)
        if raw and any(b >= 0x80 for b in raw) and not out.chinese_mode:
            raise DecodeError("double-byte text sent outside Chinese mode (FS &)")
        out.lines.append(raw.decode("gb18030"))
        out.widths.append(text_columns(raw) * size[0])
        out.sizes.append(size)
        out.bold.append(bold)
        out.events.append(("line", len(out.lines) - 1))
        line.clear()

    while i < len(data):
        b = data[i]
        if b == LF:
            end_line()
            i += 1
        elif b == ESC:
            cmd = data[i + 1]
            if cmd == 0x40:  # ESC @ initialise
                size, bold, i = (1, 1), False, i + 2
            elif cmd == 0x45:  # ESC E n bold
                bold, i = bool(data[i + 2] & 1), i + 3
            elif cmd in (0x61, 0x21):  # ESC a n justification (QR, barcodes); ESC ! n print mode
                i += 3
            elif cmd == 0x64:  # ESC d n print and feed n lines
                if line:
                    end_line()
                out.events.append(("feed", data[i + 2]))
                i += 3
            elif cmd == 0x70:  # ESC p m t1 t2 drawer kick
                out.events.append(("drawer", {0: 2, 1: 5, 48: 2, 49: 5}[data[i + 2]]))
                i += 5
            else:
                raise DecodeError(f"unknown ESC {cmd:#04x} at {i}")
        elif b == FS:
            cmd = data[i + 1]
            if cmd == 0x26:
                out.chinese_mode = True
            elif cmd == 0x2E:
                out.chinese_mode = False
            else:
                raise DecodeError(f"unknown FS {cmd:#04x} at {i}")
            i += 2
        elif b == GS:
            cmd = data[i + 1]
            if cmd == 0x21:  # GS ! n character size
                n = data[i + 2]
                size, i = ((n >> 4) + 1, (n & 0x0F) + 1), i + 3
            elif cmd == 0x56:  # GS V m [n] cut
                m = data[i + 2]
                out.events.append(("cut",))
                i += 4 if m in (65, 66) else 3
            elif cmd == 0x28 and data[i + 2] == 0x6B:  # GS ( k pL pH cn fn ... 2D code
                length = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5:i + 5 + length]
                cn, fn = body[0], body[1]
                if cn != 0x31:
                    raise DecodeError("GS ( k for a symbol other than QR")
                if fn == 80:
                    qr_store = body[3:]
                elif fn == 81:
                    if qr_store is None:
                        raise DecodeError("QR print without stored data")
                    out.events.append(("qr", "native", qr_store.decode("utf-8")))
                i += 5 + length
            elif cmd == 0x76 and data[i + 2] == 0x30:  # GS v 0 m xL xH yL yH raster image
                xb = data[i + 4] + 256 * data[i + 5]
                h = data[i + 6] + 256 * data[i + 7]
                raster = data[i + 8:i + 8 + xb * h]
                out.events.append(("qr", "image", _decode_qr_image(_raster_to_image(xb, h, raster))))
                i += 8 + xb * h
            elif cmd in (0x68, 0x77, 0x48, 0x66):  # GS h / w / H / f barcode height, width, HRI, font
                i += 3
            elif cmd == 0x6B:  # GS k m n d1..dn (function B)
                m, n = data[i + 2], data[i + 3]
                if m != 73:
                    raise DecodeError(f"barcode type {m} (expected CODE128)")
                payload = data[i + 4:i + 4 + n].decode("ascii")
                if not payload.startswith("{B"):
                    raise DecodeError("CODE128 without code set B")
                out.events.append(("barcode", payload[2:]))
                i += 4 + n
            else:
                raise DecodeError(f"unknown GS {cmd:#04x} at {i}")
        elif b == DLE:
            raise DecodeError("real-time command inside a job")
        elif b < 0x20:
            raise DecodeError(f"stray control byte {b:#04x} at {i}")
        else:
            line.append(b)
            i += 1
    if line:
        raise DecodeError("text left without a line feed")
    return out
