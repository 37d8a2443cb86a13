"""Product search as the cashier types: name, pinyin initials (qb -> Q币, wy -> 网易) or exact barcode."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from local_cache.catalog import Product


@dataclass(frozen=True)
class _Entry:
    product: Product
    keys: tuple[str, ...]


class ProductIndex:
    """Built once per catalog change; each keystroke is a scan of short lowercase strings."""

    def __init__(self, products: list[Product]) -> None:
        self._entries = [
            _Entry(p, (p.name.lower(), p.pinyin_initials.replace(" ", ""), p.pinyin_initials))
            for p in products
        ]
        self._barcodes = {p.barcode: p for p in products if p.barcode}

    def search(self, text: str, limit: int = 60, category_id: str | None = None) -> list[Product]:
        """Matches within one category of the grid, or all of them when `category_id` is None."""
        query = text.strip().lower()
        entries = self._entries if category_id is None else [
            e for e in self._entries if e.product.category_id == category_id]
        if not query:
            return [e.product for e in entries[:limit]]
        if query in self._barcodes:
            return [self._barcodes[query]]
        hits = list(islice((e.product for e in entries if any(k.startswith(query) for k in e.keys)), limit))
        if len(hits) < limit:
            # Inside a word only the name matches: initials match from their start ("wy" is not in "jwykt").
            seen = {p.id for p in hits}
            hits += [e.product for e in entries if query in e.keys[0] and e.product.id not in seen]
        return hits[:limit]

    def by_barcode(self, code: str) -> Product | None:
        return self._barcodes.get(code.strip())
