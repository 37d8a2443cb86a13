"""Order history: filters, sorting and paging done in SQL, so 100,000 orders stay fast."""

from __future__ import annotations

from dataclasses import dataclass

from kameng_desk.usecases.handover import void_refusal
from kameng_desk.usecases.refunds import refunded_at
from local_cache import orders
from local_cache.connection import Connection
from local_cache.orders import Order

SORTABLE = {"created_at": "o.created_at", "number": "o.number", "total_fen": "o.total_fen",
            "state": "o.state", "staff": "s.name", "payment_method": "o.payment_method"}
INDEXED_SORTS = {"created_at", "number"}  # orders_created and the UNIQUE index on number


@dataclass(frozen=True)
class OrderFilter:
    start: str | None = None  # UTC ISO-8601, inclusive
    end: str | None = None  # UTC ISO-8601, exclusive
    state: str | None = None
    staff_id: str | None = None
    product_id: str | None = None
    payment_method: str | None = None
    kind: str | None = None
    number_prefix: str | None = None


@dataclass(frozen=True)
class OrderRow:
    id: str
    number: str
    created_at: str
    kind: str
    state: str
    topup_state: str | None
    payment_method: str
    total_fen: int
    staff_name: str | None
    sync_state: str


def _where(f: OrderFilter) -> tuple[str, list]:
    clauses, params = [], []
    for column, value in (("o.created_at >= ?", f.start), ("o.created_at < ?", f.end), ("o.state = ?", f.state),
                          ("o.staff_id = ?", f.staff_id), ("o.payment_method = ?", f.payment_method),
                          ("o.kind = ?", f.kind)):
        if value is not None:
            clauses.append(column)
            params.append(value)
    if f.product_id is not None:
        clauses.append("EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.product_id = ?)")
        params.append(f.product_id)
    if f.number_prefix:
        clauses.append("o.number >= ? AND o.number < ?")
        params += [f.number_prefix, f.number_prefix + "\uffff"]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count(conn: Connection, f: OrderFilter) -> int:
    where, params = _where(f)
    return conn.execute(f"SELECT count(*) FROM orders o{where}", params).fetchone()[0]


def page(conn: Connection, f: OrderFilter, *, offset: int, limit: int, sort: str = "created_at",
         descending: bool = True) -> list[OrderRow]:
    where, params = _where(f)
    direction = "DESC" if descending else "ASC"
    # The id tie-break keeps pages stable. On an indexed column it runs the index's way (the index holds the
    # id too), so the index serves ORDER BY and the newest-first page reads 100 rows, not every match.
    # Elsewhere SQLite sorts with a top-N heap while scanning in id order: ascending ties never displace it.
    tie = direction if sort in INDEXED_SORTS else "ASC"
    return [OrderRow(*r) for r in conn.execute(
        "SELECT o.id, o.number, o.created_at, o.kind, o.state, o.topup_state, o.payment_method, o.total_fen, "
        f"s.name, o.sync_state FROM orders o LEFT JOIN staff s ON s.id = o.staff_id{where} "
        f"ORDER BY {SORTABLE[sort]} {direction}, o.id {tie} LIMIT ? OFFSET ?", [*params, limit, offset])]


@dataclass(frozen=True)
class OrderDetail:
    """One order as the detail dialog shows it: never its codes, only how many and whether they were handed over."""

    order: Order
    staff_name: str | None
    approver_name: str | None
    codes_count: int
    handed_over_at: str | None
    refund_needed: bool  # a QR payment that arrived after the sale was given up
    refunded_at: str | None
    voidable: bool
    refundable: bool


def detail(conn: Connection, order_id: str) -> OrderDetail:
    order = orders.get(conn, order_id)
    handed, refund_needed = conn.execute(
        "SELECT codes_handed_over_at, refund_needed FROM orders WHERE id = ?", (order_id,)).fetchone()
    names = dict(conn.execute("SELECT id, name FROM staff WHERE id IN (?, ?)", (order.staff_id, order.approver_id)))
    codes_count = conn.execute("SELECT count(*) FROM card_codes WHERE order_id = ?", (order_id,)).fetchone()[0]
    refunded = refunded_at(conn, order_id)
    return OrderDetail(
        order, names.get(order.staff_id), names.get(order.approver_id), codes_count, handed, bool(refund_needed),
        refunded,
        voidable=void_refusal(conn, order) is None,
        refundable=order.kind == "topup" and order.topup_state == "failed" and refunded is None)


def choices(conn: Connection) -> dict[str, list[tuple[str, str]]]:
    """Values for the filter boxes: (id, label) of staff and products that appear in orders."""
    return {
        "staff": list(conn.execute("SELECT id, name FROM staff ORDER BY role DESC, name")),
        "product": list(conn.execute("SELECT id, name FROM products ORDER BY kind, sort, name")),
    }
