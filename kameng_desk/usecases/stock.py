"""Stock screen use cases: codes held per product, low-stock thresholds and alerts, restock in steps.

The threshold is the product's own ``low_stock_threshold`` (kept across platform catalog updates): the stock tab's
alert and the counter's tile badge read it. It buys nothing: automatic restock is the owner's separate opt-in
(restock_policy: keep N codes, within a daily budget).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from kameng_desk.usecases.errors import CounterError, NotOwnerError
from kameng_desk.usecases.search import natural_key
from kameng_desk.usecases.session import require_owner
from local_cache import Store, audit, catalog, outbox, staff, sync_state
from local_cache.connection import Connection
from local_cache.ids import utc_now
from local_cache.queries import stock as stock_figures

MAX_THRESHOLD = 10_000
RESTOCK_STEP = 10  # codes per platform request: progress the cashier can see, and a small loss if one fails
MAX_RESTOCK = 500
MAX_RETAIL_FEN = 10_000_000  # ¥100,000: above this a price is a typing slip


@dataclass(frozen=True)
class StockLine:
    product_id: str
    name: str
    available: int
    reserved: int
    sold: int
    quarantined: int
    after_sales: int
    threshold: int
    retail_fen: int = 0  # what the counter sells at: the owner's price, or the platform's suggested one
    suggested_fen: int | None = None
    cost_fen: int | None = None  # the tier price as last synced

    @property
    def low(self) -> bool:
        return self.available < self.threshold


@dataclass(frozen=True)
class FlaggedCode:
    """A quarantined or after-sales code, identified without its secret (only the card number's tail)."""

    code_id: str
    product_name: str
    card_no_tail: str
    state: str
    order_number: str | None
    sold_at: str | None


@dataclass(frozen=True)
class StockOverview:
    lines: tuple[StockLine, ...]
    quarantined: tuple[FlaggedCode, ...]
    after_sales: tuple[FlaggedCode, ...]
    balance_fen: int | None  # reseller prepaid balance as last heard from the platform

    @property
    def low(self) -> tuple[StockLine, ...]:
        return tuple(line for line in self.lines if line.low)


def _flagged(conn: Connection, flag: Literal["quarantined", "after_sales"]) -> tuple[FlaggedCode, ...]:
    # Only the last 4 digits leave the database: the whole card number never sits in the GUI's memory.
    return tuple(FlaggedCode(code_id, name, "…" + tail, state, number, sold_at)
                 for code_id, name, tail, state, number, sold_at in stock_figures.flagged(conn, flag))


def overview(conn: Connection) -> StockOverview:
    """Card products with their codes by state; the platform's top-ups hold no codes and are left out."""
    counts: dict[str, dict[str, int]] = {}
    for product_id, state, after, n in stock_figures.code_counts(conn):
        per = counts.setdefault(product_id, {})
        per[state] = per.get(state, 0) + n
        if after:
            per["after_sales"] = per.get("after_sales", 0) + n
    suggested = catalog.suggested_retail(conn)
    lines = tuple(
        StockLine(p.id, p.name, *(counts.get(p.id, {}).get(k, 0) for k in
                                  ("available", "reserved", "sold", "quarantined", "after_sales")),
                  p.low_stock_threshold, p.retail_price_fen, suggested.get(p.id), p.cost_price_fen)
        for p in sorted(catalog.products(conn), key=lambda p: natural_key(p.name)) if p.kind == "card")
    balance = sync_state.get(conn, "balance_fen")
    return StockOverview(lines, _flagged(conn, "quarantined"), _flagged(conn, "after_sales"),
                         int(balance) if balance is not None else None)


def set_threshold(store: Store, *, product_id: str, threshold: int, staff_id: str) -> None:
    """Set a product's low-stock threshold (a settings change, so it is audited)."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or not 0 <= threshold <= MAX_THRESHOLD:
        raise ValueError(f"A low-stock threshold is a whole number from 0 to {MAX_THRESHOLD}.")
    with store.transaction() as conn:
        before = catalog.get(conn, product_id).low_stock_threshold
        catalog.set_low_stock_threshold(conn, product_id, threshold)
        audit.append(conn, "stock_threshold", staff_id=staff_id, subject=product_id,
                     detail={"from": before, "to": threshold})


def set_retail_price(store: Store, *, product_id: str, price_fen: int | None, staff_id: str,
                     approver_id: str) -> None:
    """The owner's retail price for a product (None: back to the platform's suggested price). It applies to the
    next sale at once (the counter reads prices from the catalog) and the change is audited with both figures.
    The outbox takes it to the platform in the same transaction, offline too, for the shop's other counters."""
    if price_fen is not None and (isinstance(price_fen, bool) or not isinstance(price_fen, int)
                                  or not 0 < price_fen <= MAX_RETAIL_FEN):
        raise ValueError(f"A retail price is from 0.01 to {MAX_RETAIL_FEN // 100} yuan.")
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        before = catalog.get(conn, product_id).retail_price_fen
        catalog.set_shop_retail(conn, product_id, price_fen)
        after = catalog.get(conn, product_id).retail_price_fen
        if after != before or price_fen is None:
            audit.append(conn, "retail_price", staff_id=staff_id, approver_id=approver_id, subject=product_id,
                         detail={"from": before, "to": after,
                                 "suggested": catalog.suggested_retail(conn)[product_id]})
        outbox.replace(conn, "retail_price", product_id, {"retail_fen": price_fen, "changed_at": utc_now()})


def suggested_quantity(line: StockLine) -> int:
    """A low product's one-step restock: back to twice its threshold (room until the next alert), in bounds."""
    return min(MAX_RESTOCK, max(1, 2 * line.threshold - line.available - line.reserved)) if line.low else 0


@dataclass(frozen=True)
class RestockQuote:
    """What a restock will charge before it is asked for: the tier price as last synced × the quantity, and the
    prepaid balance after (None while the balance was never heard from the platform)."""

    product_id: str
    quantity: int
    unit_cost_fen: int
    total_fen: int
    balance_fen: int | None

    @property
    def balance_after_fen(self) -> int | None:
        return None if self.balance_fen is None else self.balance_fen - self.total_fen

    @property
    def affordable(self) -> bool:
        return self.balance_after_fen is None or self.balance_after_fen >= 0


def restock_quote(conn: Connection, product_id: str, quantity: int) -> RestockQuote:
    restock_steps(quantity)  # the same bounds as the restock itself
    product = catalog.get(conn, product_id)
    unit = product.cost_price_fen or 0
    balance = sync_state.get(conn, "balance_fen")
    return RestockQuote(product_id, quantity, unit, unit * quantity, int(balance) if balance is not None else None)


def approve_restock(store: Store, *, product_id: str, quantity: int, staff_id: str,
                    approver_id: str | None) -> RestockQuote:
    """A restock spends the shop's prepaid balance: the owner's to decide. An owner asks alone; a cashier's
    request needs an owner's approval (PIN checked just before). Audited with the quote; refused when the known
    balance cannot pay for it, before anything is asked of the platform."""
    with store.transaction() as conn:
        if not staff.get(conn, staff_id).is_owner:
            if approver_id is None:
                raise NotOwnerError()
            require_owner(conn, approver_id)
        quote = restock_quote(conn, product_id, quantity)
        if not quote.affordable:
            raise BalanceTooLowError(quote)
        audit.append(conn, "restock", staff_id=staff_id, approver_id=approver_id, subject=product_id,
                     detail={"quantity": quantity, "unit_cost_fen": quote.unit_cost_fen,
                             "total_fen": quote.total_fen, "balance_fen": quote.balance_fen})
        return quote


class BalanceTooLowError(CounterError):
    def __init__(self, quote: RestockQuote) -> None:
        super().__init__("The prepaid balance is too low for this restock.")
        self.quote = quote


def restock_steps(quantity: int, step: int = RESTOCK_STEP) -> list[int]:
    """Split a restock into platform requests: 25 -> [10, 10, 5]."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_RESTOCK:
        raise ValueError(f"Restock 1 to {MAX_RESTOCK} codes at a time.")
    return [step] * (quantity // step) + ([quantity % step] if quantity % step else [])


def restock(request: Callable[[str, int], int], *, product_id: str, quantity: int,
            progress: Callable[[int, int], None] = lambda done, total: None,
            cancelled: Callable[[], bool] = lambda: False) -> int:
    """Ask the platform for codes step by step through ``request(product_id, n)`` (the sync engine's restock,
    which is crash-safe per request). Reports (codes asked so far, codes wanted) after each step and returns
    the number of new codes received. A failure stops the run and propagates; the steps already done are kept."""
    asked = received = 0
    for n in restock_steps(quantity):
        if cancelled():
            break
        received += request(product_id, n)
        asked += n
        progress(asked, quantity)
    return received
