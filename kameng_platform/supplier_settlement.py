"""What the platform owes each card supplier, and the payouts (打款) finance records against it (issue #18).

When a code is owed: when a restock assigns it to a reseller's counter. That is the platform's sale: the reseller's
balance is charged for it at that moment, once (restock.restock), and the code is the reseller's from then on,
whether or not the counter sells it on. A code in stock is not owed (the platform has sold nothing), nor is one
revoked while still in stock. The restock records whose codes it took and what they cost at the supply price of
that moment (allocations.supplier_id, supply_fen), so a later price change, or the product moving to another
supplier, never rewrites what was owed. What is owed is that price and nothing else: no fee is taken off.

Days are Beijing days (the console's). Money is integer fen. The console's pages and the CLI both call this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, func, select, union, update

from kameng_platform import clock
from kameng_platform.db import insert_once
from kameng_platform.errors import ApiError, conflict, not_found
from kameng_platform.schema import allocations, products, supplier_payouts

CST = dt.timezone(dt.timedelta(hours=8))
DAY_S = 86400
CST_OFFSET_S = 8 * 3600
MAX_REFERENCE = 128


def today() -> dt.date:
    return dt.datetime.fromtimestamp(clock.now(), CST).date()


def day_start(day: dt.date) -> int:
    """The Unix time a Beijing day begins."""
    return int(dt.datetime.combine(day, dt.time(), CST).timestamp())


@dataclass(frozen=True)
class Payout:
    id: int
    supplier_id: str
    amount_fen: int
    reference: str
    paid_on: str  # YYYY-MM-DD
    advance: bool
    recorded_by: str
    created_at: int


@dataclass(frozen=True)
class Recorded:
    payout: Payout
    created: bool  # False: the same payout (supplier, reference, amount, date) was recorded already


@dataclass(frozen=True)
class SettlementDay:
    day: dt.date
    codes: int  # codes that became owed that day (restocked to a counter)
    owed_fen: int
    unpriced: int  # of those, codes restocked while the product had no supply price: nothing owed for them yet
    paid_fen: int  # payouts dated that day
    balance_fen: int  # owed minus paid up to the end of the day (negative: paid in advance)


@dataclass(frozen=True)
class Statement:
    supplier_id: str
    first: dt.date
    last: dt.date
    opening_fen: int  # balance owed at the start of `first`
    days: list[SettlementDay]  # the days something happened, oldest first
    payouts: list[Payout]  # those dated within the period

    @property
    def codes(self) -> int:
        return sum(d.codes for d in self.days)

    @property
    def owed_fen(self) -> int:
        return sum(d.owed_fen for d in self.days)

    @property
    def unpriced(self) -> int:
        return sum(d.unpriced for d in self.days)

    @property
    def paid_fen(self) -> int:
        return sum(d.paid_fen for d in self.days)

    @property
    def closing_fen(self) -> int:
        return self.opening_fen + self.owed_fen - self.paid_fen


@dataclass(frozen=True)
class SupplierBalance:
    supplier_id: str
    owed_fen: int  # everything ever owed
    paid_fen: int  # everything ever paid
    unpriced: int  # codes restocked without a supply price

    @property
    def balance_fen(self) -> int:
        return self.owed_fen - self.paid_fen


def _payout(row) -> Payout:
    return Payout(row.id, row.supplier_id, int(row.amount_fen), row.reference, row.paid_on, bool(row.advance),
                  row.recorded_by, int(row.created_at))


def known_suppliers(conn: Connection) -> list[str]:
    """Every supplier a product, a restock or a payout names."""
    return sorted(conn.execute(union(
        select(products.c.supplier_id).where(products.c.supplier_id.is_not(None)),
        select(allocations.c.supplier_id).where(allocations.c.supplier_id.is_not(None)),
        select(supplier_payouts.c.supplier_id))).scalars())


def _owed_until(conn: Connection, supplier_id: str, before: int | None = None) -> int:
    query = select(func.coalesce(func.sum(allocations.c.supply_fen), 0)).where(allocations.c.supplier_id == supplier_id)
    if before is not None:
        query = query.where(allocations.c.created_at < before)
    return int(conn.execute(query).scalar())


def _paid_until(conn: Connection, supplier_id: str, before: dt.date | None = None) -> int:
    query = select(func.coalesce(func.sum(supplier_payouts.c.amount_fen), 0)).where(
        supplier_payouts.c.supplier_id == supplier_id)
    if before is not None:
        query = query.where(supplier_payouts.c.paid_on < before.isoformat())
    return int(conn.execute(query).scalar())


def balance(conn: Connection, supplier_id: str) -> int:
    """What the platform owes the supplier now: everything owed minus everything paid."""
    return _owed_until(conn, supplier_id) - _paid_until(conn, supplier_id)


def balances(conn: Connection) -> list[SupplierBalance]:
    owed = {r.supplier_id: r for r in conn.execute(
        select(allocations.c.supplier_id, func.coalesce(func.sum(allocations.c.supply_fen), 0).label("fen"),
               func.coalesce(func.sum(allocations.c.quantity).filter(allocations.c.supply_fen.is_(None)), 0)
               .label("unpriced"))
        .where(allocations.c.supplier_id.is_not(None)).group_by(allocations.c.supplier_id))}
    paid = dict(conn.execute(select(supplier_payouts.c.supplier_id, func.sum(supplier_payouts.c.amount_fen))
                             .group_by(supplier_payouts.c.supplier_id)).all())
    return [SupplierBalance(s, int(owed[s].fen) if s in owed else 0, int(paid.get(s) or 0),
                            int(owed[s].unpriced) if s in owed else 0) for s in known_suppliers(conn)]


def statement(conn: Connection, supplier_id: str, first: dt.date, last: dt.date) -> Statement:
    """The supplier's days from `first` to `last` (both included): codes owed, amount owed, payouts, balance."""
    since, until = day_start(first), day_start(last + dt.timedelta(days=1))
    day = ((allocations.c.created_at + CST_OFFSET_S) // DAY_S).label("d")  # `//`: integer division on both
    owed = {int(r.d): r for r in conn.execute(
        select(day, func.sum(allocations.c.quantity).label("codes"),
               func.coalesce(func.sum(allocations.c.supply_fen), 0).label("fen"),
               func.coalesce(func.sum(allocations.c.quantity).filter(allocations.c.supply_fen.is_(None)), 0)
               .label("unpriced"))
        .where(allocations.c.supplier_id == supplier_id, allocations.c.created_at >= since,
               allocations.c.created_at < until).group_by("d"))}
    payouts = [_payout(r) for r in conn.execute(
        select(supplier_payouts).where(supplier_payouts.c.supplier_id == supplier_id,
                                       supplier_payouts.c.paid_on >= first.isoformat(),
                                       supplier_payouts.c.paid_on <= last.isoformat())
        .order_by(supplier_payouts.c.paid_on, supplier_payouts.c.id))]
    paid: dict[dt.date, int] = {}
    for p in payouts:
        paid[dt.date.fromisoformat(p.paid_on)] = paid.get(dt.date.fromisoformat(p.paid_on), 0) + p.amount_fen
    opening = _owed_until(conn, supplier_id, since) - _paid_until(conn, supplier_id, first)
    by_day = {dt.date(1970, 1, 1) + dt.timedelta(days=n): r for n, r in owed.items()}
    days, running = [], opening
    for d in sorted(set(by_day) | set(paid)):
        r = by_day.get(d)
        owed_fen = int(r.fen) if r else 0
        running += owed_fen - paid.get(d, 0)
        days.append(SettlementDay(d, int(r.codes) if r else 0, owed_fen, int(r.unpriced) if r else 0,
                                  paid.get(d, 0), running))
    return Statement(supplier_id, first, last, opening, days, payouts)


def _lock_supplier(conn: Connection, supplier_id: str) -> None:
    """Serialise payouts of one supplier, so two people paying at once both see the other's payout when they
    check the balance owed (PostgreSQL: a transaction advisory lock; SQLite's writers are serial anyway)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtext("supplier_payout:" + supplier_id))))


def record_payout(conn: Connection, supplier_id: str, amount_fen: int, reference: str, paid_on: dt.date,
                  recorded_by: str, *, advance: bool = False) -> Recorded:
    """Record money paid to a supplier, once per (supplier, bank reference): typed twice, it is one payout; the
    same reference with another amount or date is refused (409). A payout larger than the balance owed is
    refused unless `advance` says it is paid ahead on purpose: it is far more often a typo (a zero too many)
    than an advance, and money sent to a supplier does not come back by correcting a record."""
    reference = reference.strip()
    if amount_fen <= 0:
        raise ApiError(400, "bad_amount", "a payout is a positive amount of fen")
    if not reference or len(reference) > MAX_REFERENCE:
        raise ApiError(400, "bad_reference", f"the bank reference is 1 to {MAX_REFERENCE} characters")
    if not dt.date(2000, 1, 1) <= paid_on <= today():
        raise ApiError(400, "bad_date", f"paid on {paid_on.isoformat()}: not a date up to today (Beijing time)")
    _lock_supplier(conn, supplier_id)
    if supplier_id not in known_suppliers(conn):
        raise not_found(f"no supplier {supplier_id}: no product, restock or payout names it")
    existing = conn.execute(select(supplier_payouts).where(supplier_payouts.c.supplier_id == supplier_id,
                                                           supplier_payouts.c.reference == reference)).first()
    if existing is not None:
        if (int(existing.amount_fen), existing.paid_on) != (amount_fen, paid_on.isoformat()):
            raise conflict(f"reference {reference} was recorded already for {existing.amount_fen} fen paid on "
                           f"{existing.paid_on}: nothing was recorded")
        return Recorded(_payout(existing), created=False)
    owed = balance(conn, supplier_id)
    if amount_fen > owed and not advance:
        raise ApiError(409, "payout_exceeds_owed",
                       f"{amount_fen} fen is more than the {owed} fen owed: nothing was recorded (an advance must "
                       "be confirmed as one)")
    insert_once(conn, supplier_payouts, supplier_id=supplier_id, amount_fen=amount_fen, reference=reference,
                paid_on=paid_on.isoformat(), advance=amount_fen > owed, recorded_by=recorded_by,
                created_at=clock.now())
    row = conn.execute(select(supplier_payouts).where(supplier_payouts.c.supplier_id == supplier_id,
                                                      supplier_payouts.c.reference == reference)).one()
    return Recorded(_payout(row), created=True)


def set_supply_price(conn: Connection, product_id: str, price_fen: int | None, *, backfill: bool = False) -> int:
    """The supply price of a card product (None: not agreed). Restocks from now are owed at it; with `backfill`,
    the product's earlier restocks that had no price are priced at it too. Returns how many were."""
    row = conn.execute(select(products.c.kind).where(products.c.id == product_id).with_for_update()).first()
    if row is None or row.kind != "card":
        raise not_found(f"no card product {product_id}")
    if price_fen is not None and price_fen < 0:
        raise ApiError(400, "bad_amount", "a supply price is 0 fen or more")
    conn.execute(update(products).where(products.c.id == product_id).values(supply_price_fen=price_fen))
    if not backfill or price_fen is None:
        return 0
    done = conn.execute(update(allocations).where(allocations.c.product_id == product_id,
                                                  allocations.c.supplier_id.is_not(None),
                                                  allocations.c.supply_fen.is_(None))
                        .values(supply_fen=allocations.c.quantity * price_fen))
    return int(done.rowcount)
