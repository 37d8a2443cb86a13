"""Cash shifts (交班): open with a float, close with a count. A closed shift is immutable (a trigger)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from local_cache import states
from local_cache.connection import Connection
from local_cache.errors import ClosedShiftError, NotFoundError
from local_cache.ids import new_id, utc_now


@dataclass(frozen=True)
class Shift:
    id: str
    seq: int
    staff_id: str
    state: str
    opened_at: str
    float_fen: int
    closed_at: str | None = None
    closed_by: str | None = None
    counted_fen: int | None = None
    expected_fen: int | None = None
    difference_fen: int | None = None
    count_detail: dict[str, int] | None = None


# An order in these states has a payment not settled yet: a closing shift passes it on to the next.
UNSETTLED = "('awaiting_payment', 'paid')"

_COLUMNS = ("id, seq, staff_id, state, opened_at, float_fen, closed_at, closed_by, counted_fen, "
            "expected_fen, difference_fen, count_detail")


def _row(r: tuple) -> Shift:
    return Shift(*r[:11], json.loads(r[11]) if r[11] else None)


def open_shift(conn: Connection, staff_id: str, float_fen: int) -> Shift:
    """Open a shift; orders made while no shift was open (a QR sale or a top-up after the last close) join it,
    so every order is in some shift's Z report."""
    if float_fen < 0:
        raise ValueError("the float cannot be negative")
    if current(conn) is not None:
        raise ValueError("a shift is already open")
    seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM shifts").fetchone()[0]
    shift_id = new_id()
    conn.execute(
        "INSERT INTO shifts(id, seq, staff_id, state, opened_at, float_fen) VALUES (?, ?, ?, 'open', ?, ?)",
        (shift_id, seq, staff_id, utc_now(), float_fen),
    )
    conn.execute("UPDATE orders SET shift_id = ? WHERE shift_id IS NULL", (shift_id,))
    return get(conn, shift_id)


def current(conn: Connection) -> Shift | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM shifts WHERE state = 'open'").fetchone()
    return None if row is None else _row(row)


def closed(conn: Connection, limit: int) -> list[Shift]:
    """The latest closed shifts, newest first."""
    return [_row(r) for r in conn.execute(
        f"SELECT {_COLUMNS} FROM shifts WHERE state = 'closed' ORDER BY seq DESC LIMIT ?", (limit,))]


def get(conn: Connection, shift_id: str) -> Shift:
    row = conn.execute(f"SELECT {_COLUMNS} FROM shifts WHERE id = ?", (shift_id,)).fetchone()
    if row is None:
        raise NotFoundError("No such shift.")
    return _row(row)


def close_shift(conn: Connection, shift_id: str, *, closed_by: str, counted_fen: int, expected_fen: int,
                count_detail: dict[str, int]) -> Shift:
    shift = get(conn, shift_id)
    if shift.state == "closed":
        raise ClosedShiftError()
    states.check("shift", shift.state, "closed")
    # A payment not settled yet (a QR sale left 待付款) is not this shift's: whatever it becomes, paid or
    # cancelled, it joins the next shift as an order made with no shift open does, and that Z report has it.
    conn.execute(f"UPDATE orders SET shift_id = NULL WHERE shift_id = ? AND state IN {UNSETTLED}", (shift_id,))
    conn.execute(
        "UPDATE shifts SET state = 'closed', closed_at = ?, closed_by = ?, counted_fen = ?, expected_fen = ?, "
        "difference_fen = ?, count_detail = ? WHERE id = ?",
        (utc_now(), closed_by, counted_fen, expected_fen, counted_fen - expected_fen,
         json.dumps(count_detail, sort_keys=True), shift_id),
    )
    return get(conn, shift_id)
