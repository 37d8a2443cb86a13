"""Product search by name, pinyin initials and barcode."""

from __future__ import annotations

from kameng_desk.usecases.search import ProductIndex, Rank, natural_key
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


def catalog_index(*extra: Product) -> ProductIndex:
    # Listed out of order, with ids that are not their initials: the index alone decides what comes first.
    return ProductIndex([product("p3", "Q币 100元"), product("p1", "Q币 10元"), product("p2", "Q币 30元"),
                         product("w2", "网易一卡通 100元"), product("w1", "网易一卡通 50元"), *extra])


def test_natural_order_and_categories_first() -> None:
    assert [p.name for p in catalog_index().search("qb")] == ["Q币 10元", "Q币 30元", "Q币 100元"]
    assert natural_key("Q币 10元") < natural_key("Q币 100元") < natural_key("Q币 1000元")
    index = ProductIndex([Product("b", "game", "网易 50元", "card", 1, 1),
                          Product("a", "qq", "Q币 100元", "card", 1, 1),
                          Product("c", "qq", "Q币 9元", "card", 1, 1)], category_order=["qq", "game"])
    assert [p.id for p in index.search("")] == ["c", "a", "b"]


def test_a_whole_number_ranks_over_a_cut_one() -> None:
    index = catalog_index()
    assert [h.product.id for h in index.rank("qb10")] == ["p1", "p3"]  # not p3 first, nor a tie
    assert [h.rank for h in index.rank("qb10")] == [Rank.WHOLE_PREFIX, Rank.PREFIX]
    assert index.pick("qb10", scanned=False).id == "p1"
    assert index.pick("ＱＢ１０", scanned=False).id == "p1"  # full-width, as an input method in 全角 types it
    assert index.pick("Q币 10", scanned=False).id == "p1" and index.pick("q币10元", scanned=True).id == "p1"
    assert index.pick("qb", scanned=False) is None  # three Q币: the cashier chooses
    assert index.pick("qb1", scanned=False) is None  # 10 or 100: a tie
    assert index.pick("wyykt50", scanned=False).id == "w1"
    assert index.pick("qb10", scanned=True) is None  # a scan names exactly or not at all


def test_exact_barcode_then_id_then_name() -> None:
    index = catalog_index(product("qb10", "Q币 10元 特惠", "6901234567892"), product("x", "qb10"))
    assert [h.rank for h in index.rank("6901234567892")] == [Rank.BARCODE]
    assert [(h.product.id, h.rank) for h in index.rank("QB10")[:3]] == [
        ("qb10", Rank.PRODUCT_ID), ("x", Rank.NAME), ("p1", Rank.WHOLE_PREFIX)]
    assert index.pick("qb10", scanned=True).id == "qb10"
    assert index.pick("６９０１２３４５６７８９２", scanned=True).id == "qb10"
    assert index.pick("6901234567", scanned=True) is None and index.pick("690123", scanned=False) is None


def test_an_attached_barcode_wins_over_the_platforms() -> None:
    attached = Product("p1", "c", "Q币 10元", "card", 1, 1, barcode="111", local_barcode="222")
    other = Product("p2", "c", "Q币 30元", "card", 1, 1, barcode="333", local_barcode="111")
    index = ProductIndex([attached, other])
    assert index.by_barcode("222").id == "p1" and index.by_barcode("111").id == "p2"
    assert index.by_barcode("333") is None  # p2's platform code gave way to the attached one


def test_inside_a_word_only_the_name_matches() -> None:
    index = catalog_index(product("j1", "骏网一卡通 50元"))
    assert [p.id for p in index.search("一卡通")] == ["w1", "w2", "j1"]  # natural order; 网 < 骏 by code point
    assert [h.rank for h in index.rank("一卡通")] == [Rank.CONTAINS] * 3
    assert [p.id for p in index.search("wy")] == ["w1", "w2"]  # not 骏网一卡通 (jwykt)
