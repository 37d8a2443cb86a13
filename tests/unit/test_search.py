"""Product search by name, pinyin initials and barcode."""

from __future__ import annotations

from kameng_desk.counter.search import ProductIndex
from local_cache.catalog import Product, pinyin_initials


def product(pid: str, name: str, barcode: str | None = None) -> Product:
    return Product(pid, "c", name, "card", 1000, 1000, barcode=barcode, pinyin_initials=pinyin_initials(name))


INDEX = ProductIndex([product("qb10", "Q币 10元", "6901"), product("wy50", "网易一卡通 50元"),
                      product("jw50", "骏网一卡通 50元"), product("hf50", "话费 50元")])


def test_pinyin_initials_find_products() -> None:
    assert [p.id for p in INDEX.search("qb")] == ["qb10"]
    assert [p.id for p in INDEX.search("wy")] == ["wy50"]
    assert [p.id for p in INDEX.search("jw")] == ["jw50"]
    assert [p.id for p in INDEX.search("HF")] == ["hf50"]


def test_name_and_barcode() -> None:
    assert [p.id for p in INDEX.search("一卡通")] == ["wy50", "jw50"]
    assert [p.id for p in INDEX.search("6901")] == ["qb10"]
    assert INDEX.by_barcode("6901").id == "qb10" and INDEX.by_barcode("nope") is None
    assert len(INDEX.search("")) == 4 and INDEX.search("zzz") == []
