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


def test_a_category_narrows_the_grid_but_a_scan_always_finds() -> None:
    index = ProductIndex([Product("qb10", "qq", "Q币 10元", "card", 1000, 1000, barcode="6901",
                                  pinyin_initials=pinyin_initials("Q币 10元")),
                          Product("wy50", "game", "网易一卡通 50元", "card", 5000, 5000,
                                  pinyin_initials=pinyin_initials("网易一卡通 50元"))])
    assert [p.id for p in index.search("", category_id="game")] == ["wy50"]
    assert index.search("qb", category_id="game") == []
    assert [p.id for p in index.search("6901", category_id="game")] == ["qb10"]
