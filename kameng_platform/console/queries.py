"""What the console's pages show, read from the platform's tables. Days are China Standard Time (UTC+8, no
daylight saving time, so a fixed offset is exact and needs no time-zone database)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, Select, and_, or_, select

from kameng_platform import clock, ledger
from kameng_platform.console.tables import console_audit
from kameng_platform.schema import ledger as ledger_t
from kameng_platform.schema import orders, products, resellers

CST = dt.timezone(dt.timedelta(hours=8), "CST")
PAGE = 200  # rows a list shows at most (the newest first)
# What the orders list filters by "state": an order's own status, a voided sale, or a top-up's state.
ORDER_STATES = ("accepted", "rejected", "voided", "queued", "submitted", "succeeded", "failed", "unknown")


class FilterError(ValueError):
    """A filter the page cannot apply; the message names the field."""


def day_start(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), CST).timestamp())


def today() -> dt.date:
    return dt.datetime.fromtimestamp(clock.now(), CST).date()


@dataclass(frozen=True)
class Figures:
    days: int  # 1 = today, 7 = today and the 6 days before, ...
    gmv_fen: int  # accepted orders, voided sales left out
    orders: int
    payments_settled: int  # payments that were paid, expired or cancelled (still pending ones are not counted)
    payments_paid: int

    @property
    def success_permille(self) -> int | None:
        """Paid payments per thousand settled ones; None without any."""
        return None if not self.payments_settled else self.payments_paid * 1000 // self.payments_settled


@dataclass(frozen=True)
class OrderFilter:
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive
    reseller_id: str | None = None
    state: str | None = None
    before: tuple[int, str] | None = None  # the last row of the page before: (received_at, order_id)

    @classmethod
    def parse(cls, since: str, until: str, reseller_id: str, state: str, before: str = "") -> OrderFilter:
        def day(text: str, name: str) -> dt.date | None:
            if not text:
                return None
            try:
                value = dt.date.fromisoformat(text)
            except ValueError:
                raise FilterError(name) from None
            if not 2000 <= value.year <= 2999:  # a typo (9999-12-31 + 1 day does not even exist)
                raise FilterError(name)
            return value
        if state and state not in ORDER_STATES:
            raise FilterError("state")
        return cls(day(since, "since"), day(until, "until"), reseller_id or None, state or None,
                   _cursor(before) if before else None)

    def query(self) -> dict[str, str]:
        """The filter as the page's query string (the next page's link keeps it)."""
        return {k: v for k, v in (("since", str(self.since or "")), ("until", str(self.until or "")),
                                  ("reseller", self.reseller_id or ""), ("state", self.state or "")) if v}


# ASCII digits only ('²' passes str.isdigit(), int() refuses it), and few enough to fit a BIGINT column.
_CURSOR_AT = re.compile(r"[0-9]{1,18}")


def _cursor(text: str) -> tuple[int, str]:
    at, _, order_id = text.partition(":")
    if not _CURSOR_AT.fullmatch(at) or not order_id or len(text) > 200:
        raise FilterError("before")
    return int(at), order_id


class Paged(Protocol):
    received_at: int
    order_id: str


def next_page(rows: Sequence[Paged]) -> str | None:
    """The `before` of the next page: the last row's place, when this page is full (more may follow)."""
    return f"{rows[-1].received_at}:{rows[-1].order_id}" if len(rows) >= PAGE else None


def within(query: Select, where: OrderFilter) -> Select:
    """An orders query narrowed to the filter's days and, paging back, to the rows after the page before (keyset
    in the lists' order: newest first, order id breaking a tie)."""
    if where.since:
        query = query.where(orders.c.received_at >= day_start(where.since))
    if where.until:
        query = query.where(orders.c.received_at < day_start(where.until + dt.timedelta(days=1)))
    if where.before:
        at, order_id = where.before
        query = query.where(or_(orders.c.received_at < at,
                                and_(orders.c.received_at == at, orders.c.order_id > order_id)))
    return query


@dataclass(frozen=True)
class OrderRow:
    order_id: str
    number: str
    received_at: int
    reseller_id: str
    reseller_name: str | None
    kind: str
    product_name: str | None  # a top-up's product (a sale's lines are not kept on the platform)
    total_fen: int | None
    state: str  # one of ORDER_STATES
    reason: str | None


def order_rows(conn: Connection, where: OrderFilter) -> list[OrderRow]:
    query = (select(orders, resellers.c.name.label("reseller_name"), products.c.name.label("product_name"))
             .outerjoin(resellers, resellers.c.id == orders.c.reseller_id)
             .outerjoin(products, products.c.id == orders.c.topup_product_id)
             .order_by(orders.c.received_at.desc(), orders.c.order_id).limit(PAGE))
    query = within(query, where)
    if where.reseller_id:
        query = query.where(orders.c.reseller_id == where.reseller_id)
    if where.state in ("accepted", "rejected"):
        query = query.where(orders.c.status == where.state, orders.c.voided.is_(False))
    elif where.state == "voided":
        query = query.where(orders.c.voided.is_(True))
    elif where.state:
        query = query.where(orders.c.topup_state == where.state)
    return [OrderRow(r.order_id, r.number, r.received_at, r.reseller_id, r.reseller_name, r.kind, r.product_name,
                     r.total_fen, _state(r), r.reason) for r in conn.execute(query)]


def _state(row) -> str:
    if row.voided:
        return "voided"
    if row.status == "accepted" and row.topup_state:
        return row.topup_state
    return row.status


def reseller_choices(conn: Connection) -> list[tuple[str, str]]:
    return [(r.id, r.name) for r in conn.execute(select(resellers.c.id, resellers.c.name).order_by(resellers.c.name))]


@dataclass(frozen=True)
class Portal:
    reseller_id: str
    name: str
    balance_fen: int
    ledger: list[dict]  # newest first, at most PAGE rows


def portal(conn: Connection, reseller_id: str) -> Portal | None:
    name = conn.execute(select(resellers.c.name).where(resellers.c.id == reseller_id)).scalar()
    if name is None:
        return None
    rows = [dict(r._mapping) for r in conn.execute(select(ledger_t).where(ledger_t.c.reseller_id == reseller_id)
                                                   .order_by(ledger_t.c.id.desc()).limit(PAGE))]
    return Portal(reseller_id, name, ledger.balance(conn, reseller_id), rows)


def audit_rows(conn: Connection, username: str = "", action: str = "") -> list[dict]:
    query = select(console_audit).order_by(console_audit.c.id.desc()).limit(PAGE)
    if username:
        query = query.where(console_audit.c.username == username)
    if action:
        query = query.where(console_audit.c.action == action)
    return [dict(r._mapping) for r in conn.execute(query)]
