"""Payments of QR sales, moving along states.PAYMENT. The platform's word on a payment is final."""

from __future__ import annotations

from dataclasses import dataclass

from local_cache import states
from local_cache.connection import Connection
from local_cache.errors import NotFoundError
from local_cache.ids import utc_now


@dataclass(frozen=True)
class Payment:
    id: str
    order_id: str
    method: str  # sandbox | wechat | alipay | epay | static
    amount_fen: int
    state: str
    qr_content: str | None
    expires_at: str | None
    cashier_cancelled: bool


_COLUMNS = "id, order_id, method, amount_fen, state, qr_content, expires_at, cashier_cancelled"


def _row(r: tuple) -> Payment:
    return Payment(*r[:7], bool(r[7]))


def create(conn: Connection, payment_id: str, order_id: str, method: str, amount_fen: int) -> Payment:
    now = utc_now()
    conn.execute(
        "INSERT INTO payments(id, order_id, method, amount_fen, state, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, 'new', ?, ?)", (payment_id, order_id, method, amount_fen, now, now))
    return get(conn, payment_id)


def get(conn: Connection, payment_id: str) -> Payment:
    row = conn.execute(f"SELECT {_COLUMNS} FROM payments WHERE id = ?", (payment_id,)).fetchone()
    if row is None:
        raise NotFoundError("No such payment.")
    return _row(row)


def set_qr(conn: Connection, payment_id: str, qr_content: str, expires_at: str) -> None:
    move(conn, payment_id, "pending")
    conn.execute("UPDATE payments SET qr_content = ?, expires_at = ? WHERE id = ?",
                 (qr_content, expires_at, payment_id))


def move(conn: Connection, payment_id: str, target: str, *, cashier_cancelled: bool = False) -> bool:
    """Move to ``target``; False when already there (a repeated status report is harmless)."""
    current = get(conn, payment_id)
    if current.state == target:
        return False
    states.check("payment", current.state, target)
    conn.execute(
        "UPDATE payments SET state = ?, cashier_cancelled = max(cashier_cancelled, ?), updated_at = ? WHERE id = ?",
        (target, int(cashier_cancelled), utc_now(), payment_id))
    return True


def clear_cashier_cancelled(conn: Connection, payment_id: str) -> None:
    """The customer paid before the cashier's cancel reached the platform: the sale goes through after all."""
    conn.execute("UPDATE payments SET cashier_cancelled = 0 WHERE id = ?", (payment_id,))


def open_for_order(conn: Connection, order_id: str) -> Payment | None:
    """The order's payment still open, while the order itself awaits payment; None when there is none."""
    row = conn.execute(
        "SELECT p.id FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.order_id = ? "
        "AND p.state IN ('new', 'pending', 'cancel_requested') AND o.state = 'awaiting_payment'",
        (order_id,)).fetchone()
    return None if row is None else get(conn, row[0])


def unsettled(conn: Connection) -> list[Payment]:
    """Payments whose outcome the platform has not told us yet."""
    return [_row(r) for r in conn.execute(
        f"SELECT {_COLUMNS} FROM payments WHERE state IN ('new', 'pending', 'cancel_requested') "
        "AND method != 'static' ORDER BY created_at")]
