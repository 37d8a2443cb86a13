"""What the reseller's portal pages read (issue #18): the price list at its tier, what its counters hold, its
top-ups; and the pairing code's QR. Reads only: prices come from catalog.product_view, the API's own pricing
(what /v1/catalog offers and /v1/restock charges), never from a second rule."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from kameng_platform import catalog, retail_prices
from kameng_platform.console.queries import PAGE, FilterError, OrderFilter, within
from kameng_platform.console.support_queries import Sheet, yuan
from kameng_platform.crypto import Sealer
from kameng_platform.schema import allocations, codes, orders, products, resellers, terminals

# A counter holding fewer codes of a product than this is "low", unless the page asks otherwise: the desk's own
# default (local_cache.catalog's low_stock_threshold); each desk's own threshold is kept on the desk only.
LOW_STOCK = 5
# What the top-ups page filters by: a top-up the platform refused (rejected) or an accepted one's state.
TOPUP_STATES = ("queued", "submitted", "succeeded", "failed", "unknown", "rejected")
PAIRING_LINK = "kameng://pair"  # kameng://pair?url=<platform URL>&code=<pairing code>, both percent-encoded


def reseller_tier(conn: Connection, reseller_id: str) -> tuple[str, str] | None:
    """(name, tier) of a reseller, or None: no such reseller."""
    row = conn.execute(select(resellers.c.name, resellers.c.tier).where(resellers.c.id == reseller_id)).first()
    return None if row is None else (row.name, row.tier)


# -- the price list -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PriceRow:
    product_id: str
    name: str
    kind: str
    face_value_fen: int
    price_fen: int  # what the reseller pays at its tier (a restock charges quantity × this)
    suggested_retail_fen: int  # the platform's suggestion
    shop_retail_fen: int | None  # the shop's own retail price, set on its desks (None: the suggestion is used)


Prices = list[tuple[str, list[PriceRow]]]  # (category name, its products on sale), in the catalog's order


def price_list(conn: Connection, reseller_id: str, tier: str) -> Prices:
    """Every product on sale at the reseller's tier (`reseller_tier`), by category."""
    shop = {r["product_id"]: r["retail_fen"] for r in retail_prices.of_reseller(conn, reseller_id)}
    by_category: dict[str, list[PriceRow]] = {}
    for p in catalog.product_view(conn, tier):  # products without a price at this tier are not sold to it
        if p["active"]:
            by_category.setdefault(p["category_id"], []).append(PriceRow(
                p["id"], p["name"], p["kind"], p["face_value_fen"], p["price_fen"], p["suggested_retail_fen"],
                shop.get(p["id"])))
    return [(c["name"], by_category.pop(c["id"])) for c in catalog.category_view(conn) if c["id"] in by_category]


PRICE_HEADER = ["分类", "商品编号", "商品", "面值（元）", "进货价（元）", "建议零售价（元）", "本店零售价（元）"]


def price_sheet(prices: Prices) -> Sheet:
    rows = [[category, r.product_id, r.name, yuan(r.face_value_fen), yuan(r.price_fen),
             yuan(r.suggested_retail_fen), "" if r.shop_retail_fen is None else yuan(r.shop_retail_fen)]
            for category, products_ in prices for r in products_]
    return Sheet("价目表", PRICE_HEADER, rows)


# -- what the counters hold -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class StockRow:
    terminal_id: str
    terminal_name: str
    product_id: str
    product_name: str
    held: int  # codes allocated to this counter and not sold (state "assigned"; a voided sale's come back)
    last_restock_at: int | None  # its last restock of this product (None: never restocked it)
    level: str  # "empty" (none held), "low" (fewer than the threshold), "ok"


LEVELS = ("empty", "low", "ok")  # the order the page lists them in


def terminal_stock(conn: Connection, reseller_id: str, tier: str, threshold: int) -> list[StockRow]:
    """Per counter in use, per card product on sale at its tier (or that it still holds codes of): the codes it
    holds, emptiest first. Both reads are bounded by what the counters do now, not by their history: the held
    codes through the partial index codes_held, the last restocks through allocations_terminal (migration 0016)."""
    counters = conn.execute(select(terminals.c.id, terminals.c.name).where(
        terminals.c.reseller_id == reseller_id, terminals.c.revoked_at.is_(None))
        .order_by(terminals.c.name, terminals.c.id)).all()
    if not counters:
        return []
    ids = [c.id for c in counters]
    held = {(r.terminal_id, r.product_id): int(r.n) for r in conn.execute(
        select(codes.c.terminal_id, codes.c.product_id, func.count().label("n"))
        .where(codes.c.state == "assigned", codes.c.terminal_id.in_(ids))
        .group_by(codes.c.terminal_id, codes.c.product_id))}
    restocked = {(r.terminal_id, r.product_id): r.at for r in conn.execute(
        select(allocations.c.terminal_id, allocations.c.product_id, func.max(allocations.c.created_at).label("at"))
        .where(allocations.c.terminal_id.in_(ids))  # a refused restock rolls its allocation back
        .group_by(allocations.c.terminal_id, allocations.c.product_id))}
    shown = {p["id"]: p["name"] for p in catalog.product_view(conn, tier) if p["active"] and p["kind"] == "card"}
    # Products taken off sale (or out of this tier) whose codes a counter still holds are listed too.
    extra = {p for (_t, p) in held if p not in shown}
    if extra:
        shown.update(conn.execute(select(products.c.id, products.c.name).where(products.c.id.in_(extra))).all())
    order = {p: n for n, p in enumerate(shown)}
    rows = []
    for counter in counters:
        for product_id, product_name in shown.items():
            n = held.get((counter.id, product_id), 0)
            if product_id in extra and not n:
                continue
            level = "empty" if n == 0 else "low" if n < threshold else "ok"
            rows.append(StockRow(counter.id, counter.name, product_id, product_name, n,
                                 restocked.get((counter.id, product_id)), level))
    # Emptiest first; of the empty ones, those the counter sold out before those it never had.
    return sorted(rows, key=lambda r: (LEVELS.index(r.level), r.held, r.last_restock_at is None, r.terminal_name,
                                       r.terminal_id, order[r.product_id]))


# -- top-ups --------------------------------------------------------------------------------------------------

def mask_account(account: str) -> str:
    """Phone numbers as 138****5678; other accounts keep their first and last two characters (the desk's slip
    rule, kameng_desk/printing/slips.py: the platform may not import the desk)."""
    if len(account) == 11 and account.isdigit():
        return f"{account[:3]}****{account[7:]}"
    if len(account) <= 4:
        return "*" * len(account)
    return f"{account[:2]}{'*' * (len(account) - 4)}{account[-2:]}"


@dataclass(frozen=True)
class TopupRow:
    order_id: str
    number: str
    received_at: int
    terminal_name: str | None
    product_name: str | None
    account: str  # masked: the full account never leaves this module
    total_fen: int | None  # what the customer paid the shop
    cost_fen: int  # what the top-up charged the reseller's balance
    state: str  # one of TOPUP_STATES
    reason: str | None


def parse_topup_filter(since: str, until: str, state: str, reseller_id: str, before: str = "") -> OrderFilter:
    """The orders list's filter (same day, state and paging rules), with a top-up's states only; FilterError names
    the field."""
    if state and state not in TOPUP_STATES:
        raise FilterError("state")
    return OrderFilter.parse(since, until, reseller_id, state, before)


def topup_rows(conn: Connection, sealer: Sealer, where: OrderFilter) -> list[TopupRow]:
    """The reseller's top-ups, newest first, PAGE a page (as the orders list)."""
    query = (select(orders.c.order_id, orders.c.number, orders.c.received_at, orders.c.status, orders.c.reason,
                    orders.c.topup_state, orders.c.topup_account_sealed, orders.c.total_fen, orders.c.cost_fen,
                    terminals.c.name.label("terminal_name"), products.c.name.label("product_name"))
             .outerjoin(terminals, terminals.c.id == orders.c.terminal_id)
             .outerjoin(products, products.c.id == orders.c.topup_product_id)
             .where(orders.c.kind == "topup", orders.c.reseller_id == where.reseller_id)
             .order_by(orders.c.received_at.desc(), orders.c.order_id).limit(PAGE))
    query = within(query, where)
    if where.state == "rejected":
        query = query.where(orders.c.status == "rejected")
    elif where.state:
        query = query.where(orders.c.status == "accepted", orders.c.topup_state == where.state)
    rows = []
    for r in conn.execute(query):
        sealed = r.topup_account_sealed  # a rejected order keeps no account
        account = mask_account(sealer.open(sealed, "account:" + r.order_id)) if sealed else "—"
        rows.append(TopupRow(r.order_id, r.number, r.received_at, r.terminal_name, r.product_name, account,
                             r.total_fen, r.cost_fen, "rejected" if r.status == "rejected" else r.topup_state,
                             r.reason))
    return rows


# -- the pairing code's QR ------------------------------------------------------------------------------------

def pairing_link(platform_url: str, code: str) -> str:
    """What a new counter needs to pair, in one string for a QR: the platform's address and the one-time code."""
    return PAIRING_LINK + "?" + urllib.parse.urlencode({"url": platform_url, "code": code})
