"""What the console's catalog, codes, resellers and supplier pages show. Reads only: every change goes through
kameng_platform.admin (as the CLI's do)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import Connection, case, func, select, union

from kameng_platform import ledger
from kameng_platform.console.queries import day_start, today
from kameng_platform.console.tables import console_users
from kameng_platform.schema import allocations, categories, codes, prices, products, resellers
from kameng_platform.schema import ledger as ledger_t

MONEY = re.compile(r"^\d{1,9}(\.\d{1,2})?$")  # yuan as a person types it: 12, 12.5, 12.50 (at most ¥999,999,999.99)


class MoneyError(ValueError):
    """Not an amount of yuan with at most two decimals."""


def fen_of(text: str) -> int:
    """Yuan typed into a form, as integer fen (exact: no float ever holds the amount)."""
    text = text.strip().replace(",", "").lstrip("¥")
    if not MONEY.match(text):
        raise MoneyError(text)
    whole, _, cents = text.partition(".")
    return int(whole) * 100 + int((cents + "00")[:2])


def int_in(text: str, default: int, low: int, high: int) -> int | None:
    """A whole number typed into a query or form ("" for the default), or None: not one, or out of range (the
    page then says so, rather than the API's JSON validation error)."""
    text = text.strip()
    if not text:
        return default
    if not re.fullmatch(r"-?\d{1,9}", text) or not low <= int(text) <= high:
        return None
    return int(text)


@dataclass(frozen=True)
class ProductRow:
    id: str
    category_id: str
    name: str
    kind: str
    active: bool
    supplier_id: str | None
    face_value_fen: int
    prices: dict[str, int]  # tier -> fen
    in_stock: int  # card codes in the platform's stock (0 for top-ups)


def tiers(conn: Connection) -> list[str]:
    """Every tier a price or a reseller names, "standard" first."""
    names = set(conn.execute(union(select(prices.c.tier), select(resellers.c.tier))).scalars()) | {"standard"}
    return sorted(names, key=lambda t: (t != "standard", t))


def product_rows(conn: Connection, supplier_id: str | None = None) -> list[ProductRow]:
    """All products, or only a supplier's own (supplier_id given)."""
    query = select(products).order_by(products.c.category_id, products.c.sort, products.c.name)
    if supplier_id is not None:
        query = query.where(products.c.supplier_id == supplier_id)
    rows = conn.execute(query).all()
    ids = [r.id for r in rows]
    tier_prices: dict[str, dict[str, int]] = {}
    stock: dict[str, int] = {}
    if ids:
        for p in conn.execute(select(prices).where(prices.c.product_id.in_(ids))):
            tier_prices.setdefault(p.product_id, {})[p.tier] = p.price_fen
        stock = dict(conn.execute(select(codes.c.product_id, func.count()).where(
            codes.c.product_id.in_(ids), codes.c.state == "stock").group_by(codes.c.product_id)).all())
    return [ProductRow(r.id, r.category_id, r.name, r.kind, r.active, r.supplier_id, r.face_value_fen,
                       tier_prices.get(r.id, {}), int(stock.get(r.id, 0))) for r in rows]


def category_rows(conn: Connection) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(select(categories).order_by(categories.c.sort, categories.c.id))]


def product_exists(conn: Connection, product_id: str) -> bool:
    return conn.execute(select(products.c.id).where(products.c.id == product_id)).first() is not None


def category_exists(conn: Connection, category_id: str) -> bool:
    return conn.execute(select(categories.c.id).where(categories.c.id == category_id)).first() is not None


def supplier_owns(conn: Connection, supplier_id: str, product_id: str) -> bool:
    return conn.execute(select(products.c.id).where(products.c.id == product_id,
                                                    products.c.supplier_id == supplier_id)).first() is not None


@dataclass(frozen=True)
class ExpiringCode:
    code_id: str
    product_id: str
    product_name: str
    expires_on: str


def expiring_codes(conn: Connection, days: int, supplier_id: str | None = None, limit: int = 200) -> list[ExpiringCode]:
    """Codes still in stock that expire within `days` days from today (Beijing time), soonest first."""
    last = (today() + dt.timedelta(days=days)).isoformat()
    query = (select(codes.c.id, codes.c.product_id, products.c.name, codes.c.expires_on)
             .join(products, products.c.id == codes.c.product_id)
             .where(codes.c.state == "stock", codes.c.expires_on.is_not(None), codes.c.expires_on <= last)
             .order_by(codes.c.expires_on, codes.c.id).limit(limit))
    if supplier_id is not None:
        query = query.where(products.c.supplier_id == supplier_id)
    return [ExpiringCode(r.id, r.product_id, r.name, r.expires_on) for r in conn.execute(query)]


@dataclass(frozen=True)
class ResellerRow:
    id: str
    name: str
    tier: str
    balance_fen: int
    frozen: bool


def reseller_rows(conn: Connection) -> list[ResellerRow]:
    balances = dict(conn.execute(select(ledger_t.c.reseller_id, func.sum(ledger_t.c.amount_fen))
                                 .group_by(ledger_t.c.reseller_id)).all())
    return [ResellerRow(r.id, r.name, r.tier, int(balances.get(r.id) or 0), r.frozen_at is not None)
            for r in conn.execute(select(resellers).order_by(resellers.c.name, resellers.c.id))]


def balance(conn: Connection, reseller_id: str) -> int:
    return ledger.balance(conn, reseller_id)


@dataclass(frozen=True)
class SupplierRow:
    supplier_id: str
    users: int
    products: int
    in_stock: int


def supplier_rows(conn: Connection) -> list[SupplierRow]:
    """Every supplier a console user or a product names."""
    users = dict(conn.execute(select(console_users.c.supplier_id, func.count())
                              .where(console_users.c.supplier_id.is_not(None))
                              .group_by(console_users.c.supplier_id)).all())
    owned = dict(conn.execute(select(products.c.supplier_id, func.count())
                              .where(products.c.supplier_id.is_not(None)).group_by(products.c.supplier_id)).all())
    stock = dict(conn.execute(select(products.c.supplier_id, func.count())
                              .join(codes, codes.c.product_id == products.c.id)
                              .where(products.c.supplier_id.is_not(None), codes.c.state == "stock")
                              .group_by(products.c.supplier_id)).all())
    return [SupplierRow(s, int(users.get(s, 0)), int(owned.get(s, 0)), int(stock.get(s, 0)))
            for s in sorted(set(users) | set(owned))]


@dataclass(frozen=True)
class SupplierStock:
    product_id: str
    name: str
    active: bool
    in_stock: int
    sold: int  # assigned to a counter by a restock, or sold
    revoked: int


def supplier_stock(conn: Connection, supplier_id: str) -> list[SupplierStock]:
    counts = conn.execute(
        select(products.c.id, products.c.name, products.c.active,
               func.coalesce(func.sum(case((codes.c.state == "stock", 1), else_=0)), 0),
               func.coalesce(func.sum(case((codes.c.state.in_(("assigned", "sold")), 1), else_=0)), 0),
               func.coalesce(func.sum(case((codes.c.state == "revoked", 1), else_=0)), 0))
        .outerjoin(codes, codes.c.product_id == products.c.id)
        .where(products.c.supplier_id == supplier_id, products.c.kind == "card")
        .group_by(products.c.id, products.c.name, products.c.active).order_by(products.c.name)).all()
    return [SupplierStock(pid, name, active, int(s), int(a), int(r)) for pid, name, active, s, a, r in counts]


@dataclass(frozen=True)
class SettlementRow:
    day: str  # Beijing time, YYYY-MM-DD
    product_id: str
    name: str
    codes: int
    charged_fen: int  # what resellers paid the platform for them (restock charges at their tier)


def settlement(conn: Connection, supplier_id: str, days: int = 30) -> list[SettlementRow]:
    """Per Beijing day and product: the supplier's codes resellers restocked, and what they were charged."""
    since = day_start(today() - dt.timedelta(days=days - 1))
    day = (allocations.c.created_at + 8 * 3600) // 86400  # the CST day number (// : integer division on both)
    rows = conn.execute(
        select(day.label("d"), allocations.c.product_id, products.c.name, func.sum(allocations.c.quantity),
               func.sum(allocations.c.charged_fen))
        .join(products, products.c.id == allocations.c.product_id)
        .where(products.c.supplier_id == supplier_id, allocations.c.created_at >= since,
               allocations.c.charged_fen > 0)
        .group_by("d", allocations.c.product_id, products.c.name).order_by("d", products.c.name)).all()
    return [SettlementRow(_day_text(int(d)), pid, name, int(n), int(fen)) for d, pid, name, n, fen in rows]


def _day_text(day_number: int) -> str:
    return dt.datetime.fromtimestamp(day_number * 86400, dt.UTC).date().isoformat()


