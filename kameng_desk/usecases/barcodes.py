"""Barcodes at the counter: the owner attaches one to a product by scanning it once, and a scanner's burst of keys
is told apart from a person typing in the search box."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kameng_desk.usecases.errors import CounterError
from kameng_desk.usecases.session import require_owner
from local_cache import Store, audit, catalog

# What a scanner sends: printable ASCII without spaces, as the platform stores them (EAN digits or Code128).
BARCODE = re.compile(r"[!-~]{1,32}")
# A scanner types a whole code within a few milliseconds per key; a person needs 60 ms or more.
SCAN_KEY_GAP_S = 0.035
MIN_SCAN_LENGTH = 4


class InvalidBarcodeError(CounterError):
    def __init__(self) -> None:
        super().__init__("A barcode is 1-32 printable ASCII characters without spaces.")


class BarcodeTakenError(CounterError):
    """The code already finds another product: one scan must find one product."""

    def __init__(self, code: str, product_name: str) -> None:
        super().__init__(f"The barcode {code} already belongs to {product_name}.")
        self.code, self.product_name = code, product_name


def attach_barcode(store: Store, *, staff_id: str, approver_id: str, product_id: str, code: str) -> catalog.Product:
    """The owner's code for a product, from now on what a scan finds it by (over the platform's code).

    Refused when the code finds another product here, by its attached or its platform code; audited."""
    code = code.strip()
    if not BARCODE.fullmatch(code):
        raise InvalidBarcodeError()
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        product = catalog.get(conn, product_id)
        # Inactive products too: one may come back on sale with its code.
        other = next((p for p in catalog.products(conn, active_only=False)
                      if p.id != product_id and p.scan_code == code), None)
        if other is not None:
            raise BarcodeTakenError(code, other.name)
        catalog.set_local_barcode(conn, product_id, code)
        audit.append(conn, "barcode_attach", staff_id=staff_id, approver_id=approver_id, subject=product_id,
                     detail={"barcode": code, "previous": product.scan_code})
        return catalog.get(conn, product_id)


@dataclass
class ScanTracker:
    """When each key reached the search box; the keys typed at scanner speed at the end are a scan."""

    _times: list[float] = field(default_factory=list)

    def key(self, at: float) -> None:
        self._times.append(at)

    def reset(self) -> None:
        self._times.clear()

    def burst_length(self) -> int:
        """How many of the last keys came at scanner speed (a lone key is no burst: 0)."""
        n = 1
        while n < len(self._times) and self._times[-n] - self._times[-n - 1] <= SCAN_KEY_GAP_S:
            n += 1
        return n if n > 1 else 0

    def is_scan(self) -> bool:
        return self.burst_length() >= MIN_SCAN_LENGTH
