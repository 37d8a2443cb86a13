"""Laid-out slip -> ESC/POS bytes, built with python-escpos' Dummy printer.

Text goes out in the printer's Chinese mode (FS &) in GB18030/GBK, encoded here rather than by escpos' magic
encoder (which drops full-width symbols such as ￥ and 【】 on lines without Han characters and never sends
FS &). Sizes use GS ! because ESC ! does not enlarge Chinese characters in Chinese mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import qrcode
from PIL import Image

from kameng_desk.printing.columns import encode
from kameng_desk.printing.layout import SIZES, Barcode, Cut, DrawerKick, Feed, QrCode, Slip
from kameng_desk.printing.lines import Laid, Line, lay_out
from kameng_desk.printing.profiles import PrinterProfile

if TYPE_CHECKING:
    from escpos.capabilities import Profile as EscposProfile

CHINESE_MODE = b"\x1c\x26"  # FS &
BARCODE_HEIGHT = 60  # dots


def qr_module_size(profile: PrinterProfile) -> int:
    """Dots per QR module: about a quarter of the paper width for a typical 40-character URL."""
    return 6 if profile.dots >= 576 else 4


def qr_image(data: str, module: int, max_dots: int) -> Image.Image:
    """The QR code as a black-on-white image, ``module`` dots per module, narrowed to fit ``max_dots``."""
    code = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    code.box_size = max(1, min(module, max_dots // (code.modules_count + 2)))
    return code.make_image().get_image().convert("L")


def escpos_profile(profile: PrinterProfile) -> EscposProfile:
    """An escpos profile object carrying our values in its own instance data, so escpos' image centring and
    cut commands follow our settings while the library's shared CAPABILITIES stay untouched."""
    # Imported when a slip is rendered: loading escpos' capability data costs ~150 ms of the counter's start.
    from escpos.capabilities import Profile as EscposProfile

    adapter = EscposProfile(columns=profile.columns, features={
        "paperFullCut": profile.cut, "paperPartCut": profile.cut, "qrCode": profile.native_qr,
        "barcodeA": True, "barcodeB": True, "bitImageRaster": True,
    })
    adapter.profile_data = {  # instance attribute: shadows, never edits, the class-level dict
        "name": f"kameng-{profile.name}",
        "features": adapter.features,
        "media": {"width": {"pixels": profile.dots, "mm": "Unknown"}, "dpi": 203},
        "fonts": {"0": {"name": "Font A", "columns": profile.columns}},
        "codePages": {"0": "CP437"},
    }
    return adapter


class _Writer:
    def __init__(self, profile: PrinterProfile) -> None:
        from escpos.printer import Dummy

        self.profile = profile
        self.out = Dummy(profile=escpos_profile(profile))
        self.size, self.bold = "normal", False

    def style(self, size: str, bold: bool) -> None:
        if size != self.size:
            width, height = SIZES[size]
            self.out.set(custom_size=True, width=width, height=height)
            self.size = size
        if bold != self.bold:
            self.out.set(bold=bold)
            self.bold = bold

    def line(self, line: Line) -> None:
        self.style(line.size, line.bold)
        self.out._raw(encode(line.text, self.profile.encoding) + b"\n")

    def qr(self, data: str) -> None:
        size = qr_module_size(self.profile)
        self.out.set(align="center")
        if self.profile.native_qr:
            self.out.qr(data, size=size, native=True)
        else:
            # Drawn here and sent as a raster image: escpos' qr(native=False) writes its line feeds through
            # the magic encoder, which slips in ESC t code page changes. Centred by ESC a, not by padding the
            # image to the paper width, which would triple the bytes (seconds on a 9600 baud line).
            self.out.image(qr_image(data, size, self.profile.dots), center=False)
        self.out._raw(b"\n")
        self.out.set(align="left")

    def barcode(self, data: str) -> None:
        # The public barcode() prints "Using hardware barcode renderer" to stdout on every call.
        self.out._hw_barcode("{B" + data, "CODE128", height=BARCODE_HEIGHT, width=2, pos="BELOW", font="A",
                             align_ct=True, function_type="B")
        self.out.set(align="left")

    def element(self, item: Laid) -> None:
        if isinstance(item, Line):
            self.line(item)
        elif isinstance(item, QrCode):
            self.qr(item.data)
        elif isinstance(item, Barcode):
            self.barcode(item.data)
        elif isinstance(item, Feed):
            self.out.print_and_feed(item.lines)
        elif isinstance(item, Cut):
            self.out.cut()
        elif isinstance(item, DrawerKick):
            self.out.cashdraw(self.profile.drawer_pin)


def render_escpos(slip: Slip, profile: PrinterProfile, *, copy: bool = False) -> bytes:
    writer = _Writer(profile)
    writer.out.hw("INIT")
    writer.out._raw(CHINESE_MODE)
    for item in lay_out(slip, profile, copy=copy):
        writer.element(item)
    writer.style("normal", False)
    return writer.out.output
