"""Order history: filters, sorting and paging done in SQL, so 100,000 orders stay fast."""

from __future__ import annotations

from dataclasses import dataclass

from local_cache.connection import Connection

# Sort key -> column. The keys are what the history screen sorts by.
SORT_COLUMNS = {"created_at": "o.created_at", "number": "o.number", "total_fen": "o.total_fen",
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
    refunded_fen: int = 0  # what of it went back to the customer (refunds succeeded)


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
        "s.name, o.sync_state, (SELECT coalesce(sum(r.amount_fen), 0) FROM refunds r WHERE r.order_id = o.id "
        f"AND r.status = 'succeeded') FROM orders o LEFT JOIN staff s ON s.id = o.staff_id{where} "
        f"ORDER BY {SORT_COLUMNS[sort]} {direction}, o.id {tie} LIMIT ? OFFSET ?", [*params, limit, offset])]


@dataclass(frozen=True)
class OrderFacts:
    """What the order detail shows beside the order itself (never its codes: only how many)."""

    handed_over_at: str | None
    refund_needed: bool
    codes_count: int
    staff_names: dict[str, str]  # of the order's staff member and approver, those that exist


def facts(conn: Connection, order_id: str, staff_ids: tuple[str | None, str | None]) -> OrderFacts:
    handed, refund_needed = conn.execute(
        "SELECT codes_handed_over_at, refund_needed FROM orders WHERE id = ?", (order_id,)).fetchone()
    names = dict(conn.execute("SELECT id, name FROM staff WHERE id IN (?, ?)", staff_ids))
    codes_count = conn.execute("SELECT count(*) FROM card_codes WHERE order_id = ?", (order_id,)).fetchone()[0]
    return OrderFacts(handed, bool(refund_needed), codes_count, names)


def choices(conn: Connection) -> dict[str, list[tuple[str, str]]]:
    """Values for the filter boxes: (id, label) of staff and products that appear in orders."""
    return {
        "staff": list(conn.execute("SELECT id, name FROM staff ORDER BY role DESC, name")),
        "product": list(conn.execute("SELECT id, name FROM products ORDER BY kind, sort, name")),
    }
