"""Orders and their lines. Each order has a UUIDv7 id and a short number for the receipt."""

from __future__ import annotations

from dataclasses import dataclass, field

from local_cache import states
from local_cache.connection import Connection
from local_cache.errors import NotFoundError
from local_cache.ids import utc_now


@dataclass(frozen=True)
class OrderLine:
    product_id: str
    product_name: str
    quantity: int
    unit_price_fen: int

    @property
    def amount_fen(self) -> int:
        return self.quantity * self.unit_price_fen


@dataclass(frozen=True)
class Order:
    id: str
    number: str
    kind: str  # 'sale' | 'topup'
    state: str
    payment_method: str  # 'cash' | 'qr_dynamic' | 'qr_static'
    total_fen: int
    staff_id: str
    created_at: str
    lines: tuple[OrderLine, ...] = field(default_factory=tuple)
    topup_state: str | None = None
    topup_account: str | None = None
    cash_received_fen: int | None = None
    change_fen: int | None = None
    approver_id: str | None = None
    shift_id: str | None = None
    sync_state: str = "pending"
    status_reason: str | None = None
    updated_at: str | None = None


def next_number(conn: Connection, prefix: str, day: str) -> str:
    """``PREFIX-YYMMDD-0001``: terminal prefix, the shop's local day, the day's sequence."""
    row = conn.execute(
        "INSERT INTO order_numbers(day, last_seq) VALUES (?, 1) "
        "ON CONFLICT(day) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq",
        (day,),
    ).fetchone()
    return f"{prefix}-{day[2:].replace('-', '')}-{row[0]:04d}"


def insert(conn: Connection, order: Order) -> None:
    if order.total_fen != sum(line.amount_fen for line in order.lines):
        raise ValueError("order total does not equal the sum of its lines")
    conn.execute(
        "INSERT INTO orders(id, number, kind, state, topup_state, topup_account, payment_method, total_fen, "
        "cash_received_fen, change_fen, staff_id, approver_id, shift_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (order.id, order.number, order.kind, order.state, order.topup_state, order.topup_account,
         order.payment_method, order.total_fen, order.cash_received_fen, order.change_fen, order.staff_id,
         order.approver_id, order.shift_id, order.created_at, order.created_at),
    )
    conn.executemany(
        "INSERT INTO order_lines(order_id, line_no, product_id, product_name, quantity, unit_price_fen) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(order.id, n, ln.product_id, ln.product_name, ln.quantity, ln.unit_price_fen)
         for n, ln in enumerate(order.lines, start=1)],
    )


def record_cost(conn: Connection, order_id: str) -> None:
    """Each line's cost (毛利 = amount - cost): what its codes cost at restock; a top-up line (no codes) the tier
    price the platform charges for it. Written once, when the sale is recorded."""
    conn.execute(
        "UPDATE order_lines SET cost_fen = coalesce("
        "(SELECT sum(coalesce(c.cost_fen, p.cost_price_fen)) FROM card_codes c "
        " LEFT JOIN products p ON p.id = c.product_id "
        " WHERE c.order_id = order_lines.order_id AND c.product_id = order_lines.product_id), "
        "(SELECT order_lines.quantity * p.cost_price_fen FROM products p WHERE p.id = order_lines.product_id)) "
        "WHERE order_id = ?", (order_id,))


_COLUMNS = (
    "id, number, kind, state, payment_method, total_fen, staff_id, created_at, topup_state, topup_account, "
    "cash_received_fen, change_fen, approver_id, shift_id, sync_state, status_reason, updated_at"
)


def _lines(conn: Connection, order_id: str) -> tuple[OrderLine, ...]:
    return tuple(OrderLine(*r) for r in conn.execute(
        "SELECT product_id, product_name, quantity, unit_price_fen FROM order_lines WHERE order_id = ? "
        "ORDER BY line_no", (order_id,)))


def _from_row(conn: Connection, r: tuple) -> Order:
    return Order(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], _lines(conn, r[0]), *r[8:])


def get(conn: Connection, order_id: str) -> Order:
    row = conn.execute(f"SELECT {_COLUMNS} FROM orders WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        raise NotFoundError("No such order.")
    return _from_row(conn, row)


def set_state(conn: Connection, order_id: str, target: str, *, approver_id: str | None = None) -> None:
    current = get(conn, order_id).state
    states.check("order", current, target)
    conn.execute(
        "UPDATE orders SET state = ?, approver_id = coalesce(?, approver_id), updated_at = ? WHERE id = ?",
        (target, approver_id, utc_now(), order_id),
    )


def codes_handed_over_at(conn: Connection, order_id: str) -> str | None:
    """When the order's codes first reached the customer (secret shown, or a card slip claimed for sending)."""
    row = conn.execute("SELECT codes_handed_over_at FROM orders WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        raise NotFoundError("No such order.")
    return row[0]


def mark_codes_handed_over(conn: Connection, order_id: str) -> None:
    """The customer may have the codes from now on: the first moment is kept (and the schema keeps it set)."""
    conn.execute("UPDATE orders SET codes_handed_over_at = coalesce(codes_handed_over_at, ?) WHERE id = ?",
                 (utc_now(), order_id))


def flag_refund_needed(conn: Connection, order_id: str) -> None:
    """The money of a sale the cashier had given up on arrived: it is owed back (the order detail says so)."""
    conn.execute("UPDATE orders SET refund_needed = 1 WHERE id = ?", (order_id,))


def set_payment_method(conn: Connection, order_id: str, payment_method: str) -> None:
    """How the order was actually paid (a dynamic QR session the customer paid by the shop's own QR)."""
    conn.execute("UPDATE orders SET payment_method = ? WHERE id = ?", (payment_method, order_id))


def sync_state_of(conn: Connection, order_id: str) -> str | None:
    """The platform's word on the order (pending | accepted | rejected), None for an order not here."""
    row = conn.execute("SELECT sync_state FROM orders WHERE id = ?", (order_id,)).fetchone()
    return None if row is None else row[0]


def set_topup_state(conn: Connection, order_id: str, target: str, reason: str | None = None) -> bool:
    """Apply a top-up status from the platform; returns False when it is old news (already there)."""
    current = get(conn, order_id).topup_state
    if current == target:
        return False
    states.check("top-up", current or "queued", target)
    conn.execute(
        "UPDATE orders SET topup_state = ?, status_reason = ?, updated_at = ? WHERE id = ?",
        (target, reason, utc_now(), order_id),
    )
    return True


def set_sync_result(conn: Connection, order_id: str, sync_state: str, *, reason: str | None = None,
                    platform_total_fen: int | None = None) -> None:
    conn.execute(
        "UPDATE orders SET sync_state = ?, status_reason = coalesce(?, status_reason), "
        "platform_total_fen = coalesce(?, platform_total_fen), updated_at = ? WHERE id = ?",
        (sync_state, reason, platform_total_fen, utc_now(), order_id),
    )


def mark_accepted(conn: Connection, accepted: list[tuple[int | None, str]]) -> None:
    """The platform accepted these orders: (platform total, order id) pairs, in one statement."""
    now = utc_now()
    conn.executemany(
        "UPDATE orders SET sync_state = 'accepted', platform_total_fen = coalesce(?, platform_total_fen), "
        "updated_at = ? WHERE id = ?", [(total, now, order_id) for total, order_id in accepted])


def rejected_count(conn: Connection) -> int:
    return conn.execute("SELECT count(*) FROM orders WHERE sync_state = 'rejected'").fetchone()[0]


def count(conn: Connection) -> int:
    return conn.execute("SELECT count(*) FROM orders").fetchone()[0]
