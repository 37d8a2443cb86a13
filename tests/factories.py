"""Small builders for test data in a real encrypted store."""

from __future__ import annotations

from local_cache import Store, catalog, codes, staff
from local_cache.catalog import Category, Product
from local_cache.codes import NewCode

QB10 = Product("p-qb10", "c-card", "Q币10元", "card", 1000, 1000, 950, barcode="6900000000010")
WY50 = Product("p-wy50", "c-card", "网易一卡通50元", "card", 5000, 5000, 4800)
HF50 = Product("p-hf50", "c-topup", "话费50元", "topup", 5000, 5000, 4950, account_rule="phone")


def secret_for(product_id: str, n: int) -> str:
    return f"SECRET-{product_id}-{n:06d}-ZX"


def seed_catalog(store: Store, *, stock: int = 10, products: tuple[Product, ...] = (QB10, WY50, HF50)) -> None:
    with store.transaction() as conn:
        catalog.upsert_category(conn, Category("c-card", "点卡", "card", 1))
        catalog.upsert_category(conn, Category("c-topup", "直充", "topup", 2))
        for product in products:
            catalog.upsert_product(conn, product)
            if product.kind == "card":
                codes.add(conn, [
                    NewCode(f"{product.id}-code-{n}", product.id, f"CARDNO{n:08d}", secret_for(product.id, n))
                    for n in range(stock)
                ])


def make_staff(store: Store, name: str = "老王", role: str = "owner", pin: str = "2468") -> staff.Staff:
    with store.transaction() as conn:
        return staff.create(conn, name, role, pin)
