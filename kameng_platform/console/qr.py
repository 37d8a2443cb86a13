"""QR codes on console pages (a pairing code, a TOTP secret, a recharge's payment): an SVG in a data: URI, for an
<img src> (the CSP allows images from data:; no markup spliced into the page, no script, no file written)."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg


def svg(text: str) -> bytes:
    """`text` as an SVG QR code on white (a quiet zone of 4 modules, error correction M, as the desk's payment QR)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                         image_factory=qrcode.image.svg.SvgPathFillImage)
    code.add_data(text)
    out = io.BytesIO()
    code.make_image().save(out)
    return out.getvalue()


def data_uri(text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(text)).decode()
