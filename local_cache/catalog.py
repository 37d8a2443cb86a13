"""Catalog cache: categories and products as last pulled from the platform, prices in fen."""

from __future__ import annotations

from dataclasses import dataclass

from local_cache.connection import Connection
from local_cache.errors import NotFoundError
from local_cache.ids import utc_now


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    kind: str  # 'card' | 'topup'
    sort: int = 0


@dataclass(frozen=True)
class Product:
    id: str
    category_id: str
    name: str
    kind: str  # 'card' | 'topup'
    face_value_fen: int
    retail_price_fen: int
    cost_price_fen: int | None = None
    barcode: str | None = None
    active: bool = True
    low_stock_threshold: int = 5
    account_rule: str | None = None  # top-ups: 'phone' or a regex for game accounts
    redeem_hint: str = ""
    redeem_url: str | None = None
    sort: int = 0
    pinyin_initials: str = ""
    local_barcode: str | None = None  # attached by the owner at this counter; wins over the platform's

    @property
    def scan_code(self) -> str | None:
        """The code a scan finds this product by."""
        return self.local_barcode or self.barcode


def pinyin_initials(name: str) -> str:
    """'Q币100元' -> 'qb100y': what a cashier types to find a product."""
    # Imported on first use (a catalog update): its phrase dictionary costs ~100 ms of the counter's start.
    from pypinyin import Style, lazy_pinyin

    return "".join(
        s[0] if s else "" for s in lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda x: list(x))
    ).lower()


_COLUMNS = (
    "id, category_id, name, kind, face_value_fen, retail_price_fen, cost_price_fen, barcode, active, "
    "low_stock_threshold, account_rule, redeem_hint, redeem_url, sort, pinyin_initials"
)


# Read with the owner's code; written by upsert_product without it, so a catalog update keeps it.
_READ = _COLUMNS + ", local_barcode"


def has_category(conn: Connection, category_id: str) -> bool:
    return conn.execute("SELECT 1 FROM categories WHERE id = ?", (category_id,)).fetchone() is not None


def upsert_category(conn: Connection, category: Category) -> None:
    conn.execute(
        "INSERT INTO categories(id, name, kind, sort) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, sort = excluded.sort",
        (category.id, category.name, category.kind, category.sort),
    )


def upsert_product(conn: Connection, p: Product) -> None:
    """Insert or update; the shop's own low-stock threshold is kept across platform updates."""
    for value in (p.face_value_fen, p.retail_price_fen, p.cost_price_fen or 0):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError("prices are non-negative integer fen")
    conn.execute(
        f"INSERT INTO products({_COLUMNS}, updated_at) VALUES ({', '.join('?' * 16)}) "
        "ON CONFLICT(id) DO UPDATE SET category_id = excluded.category_id, name = excluded.name, "
        "kind = excluded.kind, face_value_fen = excluded.face_value_fen, "
        # The owner's retail price stays (shop_retail_fen); the platform's suggested one is kept beside it.
        "retail_price_fen = coalesce(products.shop_retail_fen, excluded.retail_price_fen), "
        "suggested_retail_fen = excluded.retail_price_fen, cost_price_fen = excluded.cost_price_fen, "
        "barcode = excluded.barcode, active = excluded.active, account_rule = excluded.account_rule, "
        "redeem_hint = excluded.redeem_hint, redeem_url = excluded.redeem_url, sort = excluded.sort, "
        "pinyin_initials = excluded.pinyin_initials, updated_at = excluded.updated_at",
        (p.id, p.category_id, p.name, p.kind, p.face_value_fen, p.retail_price_fen, p.cost_price_fen,
         p.barcode, int(p.active), p.low_stock_threshold, p.account_rule, p.redeem_hint, p.redeem_url,
         p.sort, pinyin_initials(p.name), utc_now()),
    )


def _row(row: tuple) -> Product:
    (pid, cat, name, kind, face, retail, cost, barcode, active, threshold, rule, hint, url, sort, py, local) = row
    return Product(pid, cat, name, kind, face, retail, cost, barcode, bool(active), threshold, rule, hint,
                   url, sort, py, local)


def get(conn: Connection, product_id: str) -> Product:
    row = conn.execute(f"SELECT {_READ} FROM products WHERE id = ?", (product_id,)).fetchone()
    if row is None:
        raise NotFoundError("This product is not in the catalog.")
    return _row(row)


def products(conn: Connection, *, active_only: bool = True) -> list[Product]:
    sql = f"SELECT {_READ} FROM products"
    if active_only:
        sql += " WHERE active = 1"
    return [_row(r) for r in conn.execute(sql + " ORDER BY sort, name")]


def categories(conn: Connection) -> list[Category]:
    return [Category(*r) for r in conn.execute("SELECT id, name, kind, sort FROM categories ORDER BY sort, name")]


def by_barcode(conn: Connection, barcode: str) -> Product | None:
    """The product a scan of `barcode` finds: an attached code first, then the platform's on a product without one."""
    row = conn.execute(
        f"SELECT {_READ} FROM products WHERE (local_barcode = ? OR (barcode = ? AND local_barcode IS NULL)) "
        "AND active = 1 ORDER BY local_barcode IS NULL LIMIT 1", (barcode, barcode)
    ).fetchone()
    return None if row is None else _row(row)


def set_local_barcode(conn: Connection, product_id: str, barcode: str | None) -> None:
    """The owner's code for a product (None takes it off); the unique index refuses one code on two products."""
    if conn.execute("UPDATE products SET local_barcode = ? WHERE id = ?", (barcode, product_id)).rowcount == 0:
        raise NotFoundError("This product is not in the catalog.")


def set_low_stock_threshold(conn: Connection, product_id: str, threshold: int) -> None:
    if threshold < 0:
        raise ValueError("threshold must not be negative")
    conn.execute("UPDATE products SET low_stock_threshold = ? WHERE id = ?", (threshold, product_id))


def set_shop_retail(conn: Connection, product_id: str, price_fen: int | None) -> None:
    """The owner's retail price, sold at from now on; None sells at the platform's suggested price again.
    (The UPDATE reads the row as it was: the suggested price is the one kept, or the price before the first.)"""
    done = conn.execute(
        "UPDATE products SET shop_retail_fen = ?, suggested_retail_fen = coalesce(suggested_retail_fen, "
        "retail_price_fen), retail_price_fen = coalesce(?, suggested_retail_fen, retail_price_fen) WHERE id = ?",
        (price_fen, price_fen, product_id))
    if done.rowcount != 1:
        raise NotFoundError("This product is not in the catalog.")


def suggested_retail(conn: Connection) -> dict[str, int]:
    """The platform's suggested retail price of each product (retail_price_fen is what the shop sells at)."""
    return dict(conn.execute("SELECT id, coalesce(suggested_retail_fen, retail_price_fen) FROM products"))
