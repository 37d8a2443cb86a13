"""Cash shifts (交班): open with a float, close with a count by denomination, and the Z report.

Expected cash = float + cash taken for the shift's orders that still stand (voided sales and failed,
refunded top-ups are paid back, so they are not in the drawer), less the cash refunds the drawer paid out
(local_cache.queries.shift.cash_taken).

Every order belongs to a shift: one made while no shift was open (the counter asks for a counted float before
a cash sale, but a QR sale or a top-up can still come after the last close) joins the next shift opened. Its
cash was in the drawer when the float was counted, so it is listed in that Z report but not expected again.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from kameng_desk.printing.layout import DrawerKick, Slip
from kameng_desk.printing.slips import z_report_slip
from kameng_desk.records.zreport import ApprovedAction, PassedOn, ProductLine, StaffLine, ZReport
from kameng_desk.usecases.errors import FloatOutOfRangeError, NoOpenShiftError
from kameng_desk.usecases.print_queue import enqueue_slip, shop
from kameng_desk.usecases.session import require_owner
from local_cache import Store, audit, outbox, settings, shifts, staff
from local_cache.connection import Connection
from local_cache.queries import shift as shift_figures
from local_cache.shifts import Shift

# Renminbi notes and coins, in fen.
# A float above this is a typing or scanning slip, not money in a counter drawer.
MAX_FLOAT_FEN = 10_000_00
DENOMINATIONS_FEN = (10000, 5000, 2000, 1000, 500, 100, 50, 10)


def counted_total(counts: dict[int, int]) -> int:
    for denomination, n in counts.items():
        if denomination not in DENOMINATIONS_FEN:
            raise ValueError(f"{denomination} fen is not a Renminbi denomination")
        if n < 0:
            raise ValueError("a count cannot be negative")
    return sum(denomination * n for denomination, n in counts.items())


def open_shift(store: Store, *, staff_id: str, float_fen: int) -> Shift:
    """Open a shift with the float counted in the drawer (0 to MAX_FLOAT_FEN, whichever screen asked)."""
    if not 0 <= float_fen <= MAX_FLOAT_FEN:
        raise FloatOutOfRangeError(float_fen, MAX_FLOAT_FEN)
    with store.transaction() as conn:
        shift = shifts.open_shift(conn, staff_id, float_fen)
        audit.append(conn, "shift_open", staff_id=staff_id, subject=shift.id,
                     detail={"seq": shift.seq, "float_fen": float_fen})
        return shift


def expected_cash(conn: Connection, shift: Shift) -> int:
    return shift.float_fen + shift_figures.cash_taken(conn, shift)


def z_report(conn: Connection, shift: Shift, passed_on: tuple[PassedOn, ...] = ()) -> ZReport:
    f = shift_figures.figures(conn, shift)
    sales_by_product = tuple(ProductLine(*r) for r in f.sales_by_product)
    return ZReport(
        seq=shift.seq, shift=shift, orders=f.orders, sales_by_product=sales_by_product,
        by_payment_method=f.by_payment_method, topups_count=f.topups, topups_fen=f.topups_fen,
        topups_failed_fen=f.topups_failed_fen, voids=tuple(ApprovedAction(*r) for r in f.approved_actions),
        drawer_openings=f.drawer_openings, first_number=f.first_number, last_number=f.last_number,
        sales_fen=sum(f.by_payment_method.values()), before_open_orders=f.before_open_orders,
        before_open_fen=f.before_open_fen, cost_fen=sum(p.cost_fen for p in sales_by_product),
        by_staff=tuple(StaffLine(*r) for r in f.by_staff), refunds_by_method=f.refunds_by_method,
        passed_on=passed_on,
    )


@dataclass(frozen=True)
class ShiftStatus:
    """The open shift as the shifts screen shows it before the count. With a blind count the expected cash is
    not given out until the shift is closed (the Z report then shows it with the difference)."""

    shift: Shift
    staff_name: str | None
    orders: int
    expected_fen: int | None


def blind_count(conn: Connection) -> bool:
    return bool(settings.get(conn, settings.SHIFT_BLIND_COUNT, False))


def set_blind_count(store: Store, *, enabled: bool, staff_id: str, approver_id: str) -> None:
    """A cash-control setting: the owner's, and audited."""
    with store.transaction() as conn:
        require_owner(conn, approver_id)
        if blind_count(conn) != enabled:
            settings.put(conn, settings.SHIFT_BLIND_COUNT, enabled)
            audit.append(conn, "settings", staff_id=staff_id, approver_id=approver_id,
                         subject=settings.SHIFT_BLIND_COUNT, detail={"to": enabled})


def status(conn: Connection) -> ShiftStatus | None:
    shift = shifts.current(conn)
    if shift is None:
        return None
    expected = None if blind_count(conn) else expected_cash(conn, shift)
    return ShiftStatus(shift, staff.name_of(conn, shift.staff_id), shift_figures.order_count(conn, shift.id),
                       expected)


def closed_shifts(conn: Connection, limit: int = 100) -> list[Shift]:
    """The latest closed shifts, newest first (each has its Z report, numbered by the shift's seq)."""
    return shifts.closed(conn, limit)


def _snapshot(z: ZReport) -> dict[str, Any]:
    data = asdict(z)
    del data["shift"]  # the shift row itself is immutable once closed
    return data


def _from_snapshot(shift: Shift, data: dict[str, Any]) -> ZReport:
    return ZReport(**{**data, "shift": shift,
                      "sales_by_product": tuple(ProductLine(**p) for p in data["sales_by_product"]),
                      "voids": tuple(ApprovedAction(**v) for v in data["voids"]),
                      "by_staff": tuple(StaffLine(**v) for v in data.get("by_staff", ())),
                      "passed_on": tuple(PassedOn(**v) for v in data.get("passed_on", ()))})


def z_report_of(conn: Connection, shift_id: str) -> ZReport:
    """The Z report as it was made at close, from the hash-chained audit log: a top-up that fails later
    does not rewrite a printed report (its refund shows in the shift where it is paid back)."""
    shift = shifts.get(conn, shift_id)
    if shift.state != "closed":
        raise ValueError("A Z report is made when the shift is closed.")
    closing = audit.first_detail(conn, "shift_close", shift_id)
    data = closing.get("z_report") if closing else None
    return _from_snapshot(shift, data) if data else z_report(conn, shift)


def close_shift(store: Store, *, staff_id: str, counts: dict[int, int]) -> ZReport:
    counted = counted_total(counts)
    with store.transaction() as conn:
        shift = shifts.current(conn)
        if shift is None:
            raise NoOpenShiftError()
        expected = expected_cash(conn, shift)
        passed_on = tuple(PassedOn(*r) for r in shift_figures.unsettled_orders(conn, shift.id))
        closed = shifts.close_shift(conn, shift.id, closed_by=staff_id, counted_fen=counted,
                                    expected_fen=expected, count_detail={str(k): v for k, v in counts.items()})
        z = z_report(conn, closed, passed_on)
        audit.append(conn, "shift_close", staff_id=staff_id, subject=shift.id,
                     detail={"seq": shift.seq, "counted_fen": counted, "expected_fen": expected,
                             "difference_fen": counted - expected, "z_report": _snapshot(z)})
        _queue_z_slip(conn, z)  # a closed shift always has its printed report, like a sale its receipt
        outbox.enqueue(conn, "shift_report", shift.id, shift_report_payload(z))  # and the platform gets it
        return z


def shift_report_payload(z: ZReport) -> dict[str, Any]:
    """What PUT /v1/shift-reports/{shift_id} carries: the closed shift's figures and its Z report."""
    shift = z.shift
    return {"shift_id": shift.id, "seq": shift.seq, "opened_at": shift.opened_at, "closed_at": shift.closed_at,
            "float_fen": shift.float_fen, "expected_fen": shift.expected_fen, "counted_fen": shift.counted_fen,
            "report": _snapshot(z)}


def _queue_z_slip(conn: Connection, z: ZReport, *, is_copy: bool = False) -> None:
    enqueue_slip(conn, z_report_slip(z, shop=shop(conn), cashier=staff.name_of(conn, z.shift.staff_id) or ""),
                 is_copy=is_copy)


def print_z_copy(store: Store, *, shift_id: str) -> None:
    """Queue the Z report of a closed shift again (as a COPY)."""
    with store.transaction() as conn:
        _queue_z_slip(conn, z_report_of(conn, shift_id), is_copy=True)


def record_drawer_open(store: Store, *, staff_id: str, approver_id: str | None) -> None:
    """Opening the drawer without a sale is allowed but always recorded (and approved for a cashier); the
    drawer kick goes through the print queue with the record, like a cash sale's."""
    with store.transaction() as conn:
        if approver_id is not None:
            require_owner(conn, approver_id)
        audit.append(conn, "drawer_open", staff_id=staff_id, approver_id=approver_id)
        enqueue_slip(conn, Slip("drawer_kick", (DrawerKick(),)))
