"""The dashboard's trend series, rankings and stock alerts (issue #18), read in the request's one transaction.

Every read is bounded by an index (migration 0012): the day series and rankings read only the window's orders,
payments and restocks (by their time index), the stock alert counts at most `threshold + 1` codes per product
(codes_pick), and "expiring" reads only stock codes that have an expiry date (a partial index). None of them
grows with the history of the platform; bench/bench_console.py measures them with 1,000,000 orders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, and_, case, func, literal, select, text, union_all

from kameng_platform import clock, recharges
from kameng_platform.console import support_queries
from kameng_platform.console.queries import Figures, day_start, today
from kameng_platform.schema import allocations, codes, orders, payments, products, resellers

SERIES_DAYS = 30
THRESHOLD = 10  # a card product with fewer codes in stock than this is "low"
EXPIRY_DAYS = 30
RANKED = 10  # rows per ranking
LOST_WINDOW_DAYS = 30
DAY_S = 86400
CST_OFFSET_S = 8 * 3600


def _day(column):
    """The Beijing day number of a Unix time column: `//`, integer division on both databases (`/` is true
    division in SQLAlchemy 2: on PostgreSQL a numeric, a group per second)."""
    return ((column + CST_OFFSET_S) // DAY_S).label("d")


def _sum(condition, value=1):
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


@dataclass(frozen=True)
class Day:
    day: str  # YYYY-MM-DD, Beijing time
    gmv_fen: int
    cost_fen: int
    orders: int
    payments_settled: int
    payments_paid: int
    topups_finished: int  # succeeded or failed
    topups_failed: int

    @property
    def profit_fen(self) -> int:
        return self.gmv_fen - self.cost_fen

    @property
    def margin_permille(self) -> int | None:
        return None if not self.gmv_fen else self.profit_fen * 1000 // self.gmv_fen

    @property
    def payment_success_permille(self) -> int | None:
        return None if not self.payments_settled else self.payments_paid * 1000 // self.payments_settled

    @property
    def topup_failure_permille(self) -> int | None:
        return None if not self.topups_finished else self.topups_failed * 1000 // self.topups_finished


@dataclass(frozen=True)
class Ranked:
    key: str
    name: str
    amount_fen: int
    count: int


@dataclass(frozen=True)
class StockAlert:
    product_id: str
    name: str
    in_stock: int  # counted up to the threshold: "10" means "10 or more" only where it is not an alert
    expiring: int  # codes in stock expiring within the days asked


@dataclass(frozen=True)
class NeedsPerson:
    """What the 补单 page lists, counted (up to PAGE, the most a queue shows: PAGE reads "PAGE or more")."""
    stuck_topups: int
    lost_payments: int  # paid within LOST_WINDOW_DAYS, their order never completed
    waiting_refunds: int


@dataclass(frozen=True)
class Overview:
    period: int
    threshold: int
    expiry_days: int
    days: list[Day]
    products: list[Ranked]
    resellers: list[Ranked]
    channels: list[Ranked]
    sold_out: list[StockAlert]
    low: list[StockAlert]
    expiring: list[StockAlert]
    needs_person: NeedsPerson

    def figures(self, days: int) -> Figures:
        """Today (1), 7 or 30 days, summed from the day series: the same rows, read once."""
        last = self.days[-days:]
        return Figures(days, sum(d.gmv_fen for d in last), sum(d.orders for d in last),
                       sum(d.payments_settled for d in last), sum(d.payments_paid for d in last))

    def chart(self) -> dict:
        """What static/dashboard.js draws: plain numbers (yuan, per cent), one list per line."""
        def pct(permille: int | None) -> float | None:
            return None if permille is None else permille / 10
        return {"labels": [d.day[5:] for d in self.days],
                "gmv": [d.gmv_fen / 100 for d in self.days], "cost": [d.cost_fen / 100 for d in self.days],
                "profit": [d.profit_fen / 100 for d in self.days], "orders": [d.orders for d in self.days],
                "margin": [pct(d.margin_permille) for d in self.days],
                "payment_success": [pct(d.payment_success_permille) for d in self.days],
                "topup_failure": [pct(d.topup_failure_permille) for d in self.days]}


def series(conn: Connection, days: int = SERIES_DAYS) -> list[Day]:
    first = today() - dt.timedelta(days=days - 1)
    since = day_start(first)
    counted = and_(orders.c.status == "accepted", orders.c.voided.is_(False))
    order_days = {int(r.d): r for r in conn.execute(
        select(_day(orders.c.received_at), _sum(counted, orders.c.total_fen).label("gmv"),
               _sum(counted, orders.c.cost_fen).label("cost"), _sum(counted).label("n"),
               _sum(orders.c.topup_state.in_(("succeeded", "failed"))).label("finished"),
               _sum(orders.c.topup_state == "failed").label("failed"))
        .where(orders.c.received_at >= since).group_by("d"))}
    payment_days = {int(r.d): r for r in conn.execute(
        select(_day(payments.c.created_at), _sum(payments.c.status != "pending").label("settled"),
               _sum(payments.c.status == "paid").label("paid"))
        .where(payments.c.created_at >= since, recharges.of_desks()).group_by("d"))}
    out = []
    for i in range(days):
        day = first + dt.timedelta(days=i)
        number = (day_start(day) + CST_OFFSET_S) // DAY_S
        o, p = order_days.get(number), payment_days.get(number)
        out.append(Day(day.isoformat(), int(o.gmv) if o else 0, int(o.cost) if o else 0, int(o.n) if o else 0,
                       int(p.settled) if p else 0, int(p.paid) if p else 0,
                       int(o.finished) if o else 0, int(o.failed) if o else 0))
    return out


def rankings(conn: Connection, period: int) -> tuple[list[Ranked], list[Ranked], list[Ranked]]:
    """Products (restocked codes at the resellers' prices, and top-ups sold), resellers (their counters' sales)
    and payment channels (paid payments), over the period's days."""
    since = day_start(today() - dt.timedelta(days=period - 1))
    sold = union_all(
        select(allocations.c.product_id.label("pid"), allocations.c.charged_fen.label("fen"),
               allocations.c.quantity.label("n")).where(allocations.c.created_at >= since,
                                                        allocations.c.charged_fen > 0),
        select(orders.c.topup_product_id, orders.c.total_fen, literal(1))
        .where(orders.c.received_at >= since, orders.c.kind == "topup", orders.c.status == "accepted",
               orders.c.voided.is_(False), orders.c.topup_state != "failed")).subquery()
    by_product = select(sold.c.pid, func.sum(sold.c.fen).label("fen"), func.sum(sold.c.n).label("n")) \
        .group_by(sold.c.pid).subquery()
    product_rows = [Ranked(r.pid, r.name or r.pid, int(r.fen or 0), int(r.n)) for r in conn.execute(
        select(by_product, products.c.name).outerjoin(products, products.c.id == by_product.c.pid)
        .order_by(by_product.c.fen.desc(), by_product.c.pid).limit(RANKED))]
    by_reseller = (select(orders.c.reseller_id, func.coalesce(func.sum(orders.c.total_fen), 0).label("fen"),
                          func.count().label("n"))
                   .where(orders.c.received_at >= since, orders.c.status == "accepted", orders.c.voided.is_(False))
                   .group_by(orders.c.reseller_id).subquery())
    reseller_rows = [Ranked(r.reseller_id, r.name or r.reseller_id, int(r.fen), int(r.n)) for r in conn.execute(
        select(by_reseller, resellers.c.name).outerjoin(resellers, resellers.c.id == by_reseller.c.reseller_id)
        .order_by(by_reseller.c.fen.desc(), by_reseller.c.reseller_id).limit(RANKED))]
    channel_rows = [Ranked(r.method, r.method, int(r.fen), int(r.n)) for r in conn.execute(
        select(payments.c.method, func.sum(payments.c.amount_fen).label("fen"), func.count().label("n"))
        .where(payments.c.created_at >= since, payments.c.status == "paid", recharges.of_desks())
        .group_by(payments.c.method).order_by(func.sum(payments.c.amount_fen).desc(), payments.c.method))]
    return product_rows, reseller_rows, channel_rows


def stock_alerts(conn: Connection, threshold: int, expiry_days: int) -> list[StockAlert]:
    """Every active card product with its stock counted up to `threshold` and its codes expiring soon."""
    last = (today() + dt.timedelta(days=expiry_days)).isoformat()
    expiring = dict(conn.execute(
        select(codes.c.product_id, func.count()).where(codes.c.state == "stock", codes.c.expires_on.is_not(None),
                                                       codes.c.expires_on <= last)
        .group_by(codes.c.product_id)).all())
    # One statement: per product a correlated count of at most `threshold` stock codes (codes_pick index).
    counted = text("""
        SELECT p.id, p.name, (SELECT count(*) FROM (SELECT 1 FROM codes c WHERE c.product_id = p.id
                                                     AND c.state = 'stock' LIMIT :threshold) AS w) AS n
        FROM products p WHERE p.kind = 'card' AND p.active ORDER BY p.name, p.id""")
    return [StockAlert(pid, name, int(n), int(expiring.get(pid, 0)))
            for pid, name, n in conn.execute(counted, {"threshold": threshold})]


def _capped_count(conn: Connection, query) -> int:
    """How many rows a queue's query (already at most PAGE) gives."""
    return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def needs_person(conn: Connection) -> NeedsPerson:
    """The three queues of the 补单 page, counted by their own rules. Stuck top-ups and waiting refunds are read
    through their partial indexes (whatever the history); a lost order is a paid payment whose order never
    completed, which no index can find, so the dashboard looks at the last LOST_WINDOW_DAYS of payments (the
    support page lists them all)."""
    stuck = support_queries.stuck_topups_query(support_queries.STUCK_AFTER_MIN * 60, clock.now())
    since = day_start(today() - dt.timedelta(days=LOST_WINDOW_DAYS - 1))
    lost = support_queries.lost_orders_query(payments.c.created_at >= since)
    return NeedsPerson(_capped_count(conn, stuck), _capped_count(conn, lost),
                       _capped_count(conn, support_queries.waiting_refunds_query()))


def overview(conn: Connection, period: int, threshold: int = THRESHOLD, expiry_days: int = EXPIRY_DAYS) -> Overview:
    ranked = rankings(conn, period)
    stock = stock_alerts(conn, threshold, expiry_days)
    return Overview(period, threshold, expiry_days, series(conn), *ranked,
                    sold_out=[s for s in stock if s.in_stock == 0],
                    low=[s for s in stock if 0 < s.in_stock < threshold],
                    expiring=[s for s in stock if s.expiring],
                    needs_person=needs_person(conn))
