"""The shop's own collection QR code (收款码) for when the platform cannot be reached, and the sale paid with it.

The owner stores it once in the local settings: either its text content (re-drawn as a QR on screen) or
the image file the payment app gave them. A static QR has no notify: the cashier checks the customer's
phone and confirms 收到款项, and that confirmation is recorded with the sale, in the sale's own transaction,
as audit entry `static_qr_confirm` naming the cashier (and the approving owner, when there is one).
"""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass, field

from PIL import Image, UnidentifiedImageError

from kameng_desk.usecases.errors import CounterError
from kameng_desk.usecases.sell import CartLine, Sale, sell_codes
from kameng_desk.usecases.session import require_owner
from local_cache import Store, audit, orders, settings
from local_cache.connection import Connection
from local_cache.orders import Order

SETTING = "static_qr"
MAX_TEXT_CHARS = 512  # a collection QR holds a short URL (wxp://…, https://qr.alipay.com/…)
MAX_IMAGE_BYTES = 512 * 1024  # kept inside the settings table; a cropped QR image is far smaller
MAX_IMAGE_SIDE = 4096
IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "BMP")


class StaticQrError(CounterError):
    """Base of the shop-QR errors; each says what the owner or cashier can do."""


class NotAnImageError(StaticQrError):
    def __init__(self) -> None:
        super().__init__("The file is not a PNG, JPEG, GIF or BMP image. Save the collection QR code from the "
                         "payment app as a picture and choose that file. The saved QR code was not changed.")


class StaticQrTooLargeError(StaticQrError):
    def __init__(self, what: str) -> None:
        super().__init__(f"The QR code is too large ({what}). Crop the picture to the QR code itself and try "
                         "again. The saved QR code was not changed.")


class InvalidStaticQrTextError(StaticQrError):
    def __init__(self) -> None:
        super().__init__(f"The QR code text must be 1 to {MAX_TEXT_CHARS} characters (the link the payment app "
                         "shows for the collection code). The saved QR code was not changed.")


class NoStaticQrError(StaticQrError):
    def __init__(self) -> None:
        super().__init__("No shop QR code is set up. Ask the owner to add one in the settings, or take cash.")


class DamagedStaticQrError(StaticQrError):
    def __init__(self) -> None:
        super().__init__("The saved shop QR code is damaged. Ask the owner to set it up again.")


@dataclass(frozen=True)
class StaticQr:
    kind: str  # "text" | "image"
    text: str = ""
    image: bytes = field(default=b"", repr=False)
    image_format: str = ""  # one of IMAGE_FORMATS


def text_qr(text: str) -> StaticQr:
    text = text.strip()
    if not 0 < len(text) <= MAX_TEXT_CHARS or not text.isprintable():
        raise InvalidStaticQrTextError()
    return StaticQr("text", text=text)


def image_qr(data: bytes) -> StaticQr:
    """Checks that the bytes are an image Pillow can read, of a sane size; raises a StaticQrError if not."""
    if len(data) > MAX_IMAGE_BYTES:
        raise StaticQrTooLargeError(f"{len(data) // 1024} KB; at most {MAX_IMAGE_BYTES // 1024} KB")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format, (width, height) = probe.format, probe.size
            probe.verify()  # structure and checksums, without decoding every pixel
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # a truncated file fails here
    except Image.DecompressionBombError:
        raise StaticQrTooLargeError("too many pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise NotAnImageError() from None
    if image_format not in IMAGE_FORMATS:
        raise NotAnImageError()
    if max(width, height) > MAX_IMAGE_SIDE:
        raise StaticQrTooLargeError(f"{width}×{height} pixels; at most {MAX_IMAGE_SIDE} on a side")
    return StaticQr("image", image=data, image_format=image_format)


def load(conn: Connection) -> StaticQr | None:
    raw = settings.get(conn, SETTING)
    if raw is None:
        return None
    try:
        if raw["kind"] == "text":
            return StaticQr("text", text=str(raw["text"]))
        if raw["kind"] == "image":
            return StaticQr("image", image=base64.b64decode(raw["data"], validate=True),
                            image_format=str(raw["format"]))
    except (KeyError, TypeError, binascii.Error):
        pass
    raise DamagedStaticQrError()


def save(store: Store, qr: StaticQr, *, staff_id: str, approver_id: str) -> None:
    """A settings change: an owner approves it (the GUI asks for the PIN) and it is audited."""
    value = ({"kind": "text", "text": qr.text} if qr.kind == "text" else
             {"kind": "image", "format": qr.image_format, "data": base64.b64encode(qr.image).decode("ascii")})
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        settings.put(conn, SETTING, value)
        audit.append(conn, "settings", staff_id=staff_id, approver_id=approver_id, subject=SETTING,
                     detail={"kind": qr.kind, "size": len(qr.text) if qr.kind == "text" else len(qr.image)})


def confirm_static_payment(store: Store, *, staff_id: str, cart: list[CartLine],
                           approver_id: str | None = None) -> Sale:
    """The cashier saw the money arrive on the shop's QR: the sale is recorded as a cash sale is (codes sold,
    order, outbox row, audit entry, one transaction), paid by "qr_static", with the 收到款项 confirmation."""

    def confirmed(conn: Connection, order: Order) -> None:
        if settings.get(conn, SETTING) is None:
            raise NoStaticQrError()
        record_confirmation(conn, order, staff_id=staff_id, approver_id=approver_id)

    return sell_codes(store, staff_id=staff_id, cart=cart, payment_method="qr_static", also_record=confirmed)


def record_confirmation(conn: Connection, order: Order, *, staff_id: str, approver_id: str | None) -> None:
    """The cashier's 收到款项 for money that came by the shop's own QR, written in the sale's own transaction
    (a cart sold now, or a payment session whose dynamic QR never reached the screen)."""
    if approver_id is not None:
        require_owner(conn, approver_id)
    orders.set_payment_method(conn, order.id, "qr_static")
    audit.append(conn, "static_qr_confirm", staff_id=staff_id, approver_id=approver_id, subject=order.id,
                 detail={"number": order.number, "total_fen": order.total_fen})
