"""Product search as the cashier types: name, pinyin initials (qb -> Q币, wy -> 网易), product id or barcode.

Results are ranked so that what the cashier meant comes first and Enter can add it: an exact barcode, then an
exact product id, then an exact name (or its initials), then a prefix that ends where a word or number ends
(`qb10` is all of Q币 10元's number, only part of Q币 100元's), then any prefix, then a part of the name. Within a
rank, and in the grid, products are in natural order: Q币 10元 before Q币 100元.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from local_cache.catalog import Product


class Rank(IntEnum):
    BARCODE = 0
    PRODUCT_ID = 1
    NAME = 2
    WHOLE_PREFIX = 3
    PREFIX = 4
    CONTAINS = 5


def normalise(text: str) -> str:
    """What two spellings of one query share: full-width to half-width (ＱＢ１０ -> qb10), case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Digit runs compare as numbers: 'Q币 10元' < 'Q币 30元' < 'Q币 100元'."""
    # re.split with a group alternates text and digits, starting with text: equal positions hold equal types.
    return tuple(int(part) if i % 2 else part for i, part in enumerate(_DIGITS.split(normalise(text))))


@dataclass(frozen=True)
class Hit:
    product: Product
    rank: Rank


@dataclass(frozen=True)
class _Entry:
    product: Product
    order: tuple  # the grid's order: category, then natural name
    product_id: str
    name: str
    initials: str


def _prefix_rank(query: str, key: str) -> Rank | None:
    if key == query:
        return Rank.NAME
    if not key.startswith(query):
        return None
    # A prefix ending inside a number (qb10 of qb100y) is a weaker match than one that ends the number.
    if query[-1].isdigit() and key[len(query)].isdigit():
        return Rank.PREFIX
    return Rank.WHOLE_PREFIX


class ProductIndex:
    """Built once per catalog change; each keystroke is a scan of short normalised strings."""

    def __init__(self, products: list[Product], category_order: Sequence[str] = ()) -> None:
        categories = {c: i for i, c in enumerate(category_order)}
        self._entries = sorted(
            (_Entry(p, (categories.get(p.category_id, len(categories)), natural_key(p.name), p.id),
                    normalise(p.id), normalise(p.name), normalise(p.pinyin_initials)) for p in products),
            key=lambda e: e.order)
        # The platform's codes first, then the owner's attached ones over them (an attached code wins).
        self._barcodes = {p.barcode: p for p in products if p.barcode}
        self._barcodes.update({p.local_barcode: p for p in products if p.local_barcode})
        self._barcodes = {code: p for code, p in self._barcodes.items() if p.scan_code == code}

    def rank(self, text: str, limit: int = 60, category_id: str | None = None) -> list[Hit]:
        """Matches, best first, within one category of the grid (all of them when `category_id` is None);
        a barcode is found whatever the category."""
        query = normalise(text)
        entries = self._entries if category_id is None else [
            e for e in self._entries if e.product.category_id == category_id]
        if not query:
            return [Hit(e.product, Rank.CONTAINS) for e in entries[:limit]]
        # A scanner behind a Chinese input method in full-width mode types ６９０１…: NFKC makes it 6901….
        scanned = self.by_barcode(text) or self.by_barcode(unicodedata.normalize("NFKC", text))
        if scanned is not None:
            return [Hit(scanned, Rank.BARCODE)]
        hits = []
        for e in entries:
            if e.product_id == query:
                rank: Rank | None = Rank.PRODUCT_ID
            else:
                ranks = [r for r in (_prefix_rank(query, e.name), _prefix_rank(query, e.initials)) if r is not None]
                # Inside a word only the name matches: initials match from their start ("wy" is not in "jwykt").
                rank = min(ranks) if ranks else Rank.CONTAINS if query in e.name else None
            if rank is not None:
                hits.append(Hit(e.product, rank))
        hits.sort(key=lambda h: h.rank)  # stable: each rank keeps the grid's natural order
        return hits[:limit]

    def search(self, text: str, limit: int = 60, category_id: str | None = None) -> list[Product]:
        return [h.product for h in self.rank(text, limit, category_id)]

    def by_barcode(self, code: str) -> Product | None:
        return self._barcodes.get(code.strip())

    def pick(self, text: str, *, scanned: bool) -> Product | None:
        """What Enter adds, or None when the cashier must choose (a tie, or no good match).

        A scan adds only what it names exactly (barcode, product id, name): an unknown code that happens to be
        part of a name is an unknown code. Typing also adds the one best whole prefix (qb10 -> Q币 10元, over
        Q币 100元) or the only match."""
        hits = self.rank(text, limit=2)
        if not hits:
            return None
        if not scanned and len(hits) == 1:
            return hits[0].product
        top = hits[0]
        if top.rank > (Rank.NAME if scanned else Rank.WHOLE_PREFIX) or (len(hits) == 2 and hits[1].rank == top.rank):
            return None
        return top.product
