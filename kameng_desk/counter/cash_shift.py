"""Cash shifts (交班): open with a float, close with a count by denomination, and the Z report.

Expected cash = float + cash taken for the shift's orders that still stand (voided sales and failed,
refunded top-ups are paid back, so they are not in the drawer).
"""

from __future__ import annotations

from dataclasses import dataclass

from local_cache import Store, audit, shifts
from local_cache.connection import Connection
from local_cache.shifts import Shift

# Renminbi notes and coins, in fen.
DENOMINATIONS_FEN = (10000, 5000, 2000, 1000, 500, 100, 50, 10)


@dataclass(frozen=True)
class ProductLine:
    product_id: str
    name: str
    quantity: int
    amount_fen: int


@dataclass(frozen=True)
class ApprovedAction:
    action: str  # void | refund | reprint
    subject: str | None
    staff_id: str | None
    approver_id: str | None
    at: str


@dataclass(frozen=True)
class ZReport:
    seq: int
    shift: Shift
    orders: int
    sales_by_product: tuple[ProductLine, ...]
    by_payment_method: dict[str, int]
    topups_count: int
    topups_fen: int
    topups_failed_fen: int
    voids: tuple[ApprovedAction, ...]
    drawer_openings: int
    first_number: str | None
    last_number: str | None
    sales_fen: int  # everything that stands: card sales + top-ups not refunded


def counted_total(counts: dict[int, int]) -> int:
    for denomination, n in counts.items():
        if denomination not in DENOMINATIONS_FEN:
            raise ValueError(f"{denomination} fen is not a Renminbi denomination")
        if n < 0:
            raise ValueError("a count cannot be negative")
    return sum(denomination * n for denomination, n in counts.items())


def open_shift(store: Store, *, staff_id: str, float_fen: int) -> Shift:
    with store.transaction() as conn:
        shift = shifts.open_shift(conn, staff_id, float_fen)
        audit.append(conn, "shift_open", staff_id=staff_id, subject=shift.id,
                     detail={"seq": shift.seq, "float_fen": float_fen})
        return shift


_STANDING = ("(o.state = 'fulfilled' AND (o.kind = 'sale' OR coalesce(o.topup_state, '') != 'failed'))")


def expected_cash(conn: Connection, shift: Shift) -> int:
    taken = conn.execute(
        f"SELECT coalesce(sum(o.total_fen), 0) FROM orders o WHERE o.shift_id = ? "
        f"AND o.payment_method = 'cash' AND {_STANDING}", (shift.id,),
    ).fetchone()[0]
    return shift.float_fen + taken


def z_report(conn: Connection, shift: Shift) -> ZReport:
    sales_by_product = tuple(ProductLine(*r) for r in conn.execute(
        "SELECT l.product_id, l.product_name, sum(l.quantity), sum(l.quantity * l.unit_price_fen) "
        f"FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.shift_id = ? AND {_STANDING} "
        "GROUP BY l.product_id, l.product_name ORDER BY l.product_name", (shift.id,)))
    by_method = dict(conn.execute(
        f"SELECT o.payment_method, sum(o.total_fen) FROM orders o WHERE o.shift_id = ? AND {_STANDING} "
        "GROUP BY o.payment_method", (shift.id,)))
    count, topups, topups_fen, failed_fen, first, last = conn.execute(
        "SELECT count(*), sum(kind = 'topup'), "
        "coalesce(sum(CASE WHEN kind = 'topup' THEN total_fen END), 0), "
        "coalesce(sum(CASE WHEN kind = 'topup' AND topup_state = 'failed' THEN total_fen END), 0), "
        "min(number), max(number) FROM orders WHERE shift_id = ?", (shift.id,)).fetchone()
    closed_at = shift.closed_at or "9999"
    voids = tuple(ApprovedAction(*r) for r in conn.execute(
        "SELECT a.action, a.subject, a.staff_id, a.approver_id, a.at FROM audit_log a "
        "JOIN orders o ON o.id = a.subject WHERE o.shift_id = ? AND a.action IN ('void', 'refund') "
        "ORDER BY a.seq", (shift.id,)))
    drawer = conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'drawer_open' AND at >= ? AND at <= ?",
        (shift.opened_at, closed_at)).fetchone()[0]
    return ZReport(
        seq=shift.seq, shift=shift, orders=count, sales_by_product=sales_by_product, by_payment_method=by_method,
        topups_count=topups or 0, topups_fen=topups_fen, topups_failed_fen=failed_fen, voids=voids,
        drawer_openings=drawer, first_number=first, last_number=last, sales_fen=sum(by_method.values()),
    )


def close_shift(store: Store, *, staff_id: str, counts: dict[int, int]) -> ZReport:
    counted = counted_total(counts)
    with store.transaction() as conn:
        shift = shifts.current(conn)
        if shift is None:
            raise ValueError("No shift is open.")
        expected = expected_cash(conn, shift)
        closed = shifts.close_shift(conn, shift.id, closed_by=staff_id, counted_fen=counted,
                                    expected_fen=expected, count_detail={str(k): v for k, v in counts.items()})
        audit.append(conn, "shift_close", staff_id=staff_id, subject=shift.id,
                     detail={"seq": shift.seq, "counted_fen": counted, "expected_fen": expected,
                             "difference_fen": counted - expected})
        return z_report(conn, closed)


def record_drawer_open(store: Store, *, staff_id: str, approver_id: str | None) -> None:
    """Opening the drawer without a sale is allowed but always recorded (and approved for a cashier)."""
    with store.transaction() as conn:
        audit.append(conn, "drawer_open", staff_id=staff_id, approver_id=approver_id)
