"""Automatic restock, the owner's opt-in: keep N codes of a product, within a shop-wide daily budget.

Nothing that spends the prepaid balance runs unless the owner configured it: a product without a policy is never
restocked by the sync engine, and the budget's default, 0, buys nothing at all. Policies and the budget are the
owner's (PIN-approved, audited). Every automatic restock is audited too (no staff; the product as subject), with
what the platform charged.

"Today" is the desk's local calendar day (the computer's time zone, as the reports and the order numbers use): the
day's automatic spending is the sum of ``charged_fen`` over the ``auto_restock`` audit entries since local
midnight, so the budget starts afresh at midnight and manual restocks never count against it.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import datetime, time

from kameng_desk.usecases.session import require_owner
from kameng_desk.usecases.stock import MAX_RESTOCK, RESTOCK_STEP
from local_cache import Store, audit, catalog, codes, restock_policies, settings
from local_cache.connection import Connection
from local_cache.ids import format_utc

AUDIT_ACTION = "auto_restock"
MAX_KEEP = MAX_RESTOCK
MAX_BUDGET_FEN = 10_000_000  # ¥100,000 a day: above this a budget is a typing slip


@dataclass(frozen=True)
class PolicyOverview:
    keep: dict[str, int]  # product id -> codes to keep; a product not here never restocks itself
    budget_fen: int
    spent_today_fen: int

    @property
    def left_fen(self) -> int:
        return max(0, self.budget_fen - self.spent_today_fen)


@dataclass(frozen=True)
class AutoStep:
    """One automatic platform request: ``quantity`` codes of a product, expected to cost ``quote_fen``."""

    product_id: str
    quantity: int
    keep: int
    quote_fen: int


def _local_midnight_utc(now: datetime | None) -> str:
    today = (now or datetime.now().astimezone()).astimezone().date()
    return format_utc(datetime.combine(today, time.min).astimezone())


def spent_today_fen(conn: Connection, now: datetime | None = None) -> int:
    """What automatic restocks were charged since the desk's local midnight."""
    return sum(int(detail.get("charged_fen") or 0)
               for detail in audit.details_since(conn, AUDIT_ACTION, _local_midnight_utc(now)))


def overview(conn: Connection, now: datetime | None = None) -> PolicyOverview:
    return PolicyOverview(restock_policies.keep_all(conn), int(settings.get(conn, settings.AUTO_RESTOCK_BUDGET_FEN, 0)),
                          spent_today_fen(conn, now))


def set_policy(store: Store, *, product_id: str, keep: int | None, staff_id: str, approver_id: str) -> None:
    """Keep ``keep`` codes of a card product (None: no automatic restock for it). The owner's, audited."""
    if keep is not None and (isinstance(keep, bool) or not isinstance(keep, int) or not 1 <= keep <= MAX_KEEP):
        raise ValueError(f"Automatic restock keeps 1 to {MAX_KEEP} codes.")
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        if catalog.get(conn, product_id).kind != "card":
            raise ValueError("Only card products hold codes to restock.")
        before = restock_policies.keep_of(conn, product_id)
        restock_policies.set_keep(conn, product_id, keep)
        audit.append(conn, "restock_policy", staff_id=staff_id, approver_id=approver_id, subject=product_id,
                     detail={"from": before, "to": keep})


def set_budget(store: Store, *, budget_fen: int, staff_id: str, approver_id: str) -> None:
    """What automatic restocks may spend in a local day, all products together (0: none). The owner's, audited."""
    if isinstance(budget_fen, bool) or not isinstance(budget_fen, int) or not 0 <= budget_fen <= MAX_BUDGET_FEN:
        raise ValueError(f"A daily restock budget is from 0 to {MAX_BUDGET_FEN // 100} yuan.")
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        before = int(settings.get(conn, settings.AUTO_RESTOCK_BUDGET_FEN, 0))
        settings.put(conn, settings.AUTO_RESTOCK_BUDGET_FEN, budget_fen)
        audit.append(conn, "restock_budget", staff_id=staff_id, approver_id=approver_id,
                     detail={"from_fen": before, "to_fen": budget_fen})


def next_step(conn: Connection, *, skip: Container[str] = (), now: datetime | None = None) -> AutoStep | None:
    """The next automatic request, or None: the first active card product with a policy and fewer codes than it
    keeps (available or reserved), for at most one restock step, the codes it lacks and what today's budget still
    pays for. A product whose price is unknown is never bought automatically (its cost could not be held to the
    budget)."""
    plan = overview(conn, now)
    if not plan.keep or plan.left_fen <= 0:
        return None
    # Reserved codes count as held (a QR payment's, back on the shelf if it is cancelled), as in the suggestion.
    held = codes.held_levels(conn)
    for product in catalog.products(conn):
        keep = plan.keep.get(product.id)
        if keep is None or product.id in skip or product.kind != "card" or not product.active \
                or product.cost_price_fen is None:
            continue
        unit = product.cost_price_fen
        quantity = min(RESTOCK_STEP, keep - held.get(product.id, 0),
                       plan.left_fen // unit if unit else RESTOCK_STEP)
        if quantity >= 1:
            return AutoStep(product.id, quantity, keep, unit * quantity)
    return None
