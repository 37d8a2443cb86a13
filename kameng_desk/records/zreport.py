"""The shift (Z) report as a record: what the shifts use case computes, the slip prints and the platform gets."""

from __future__ import annotations

from dataclasses import dataclass, field

from local_cache.shifts import Shift


@dataclass(frozen=True)
class ProductLine:
    product_id: str
    name: str
    quantity: int
    amount_fen: int
    cost_fen: int = 0  # default: Z reports snapshotted before costs were kept

    @property
    def profit_fen(self) -> int:
        return self.amount_fen - self.cost_fen


@dataclass(frozen=True)
class StaffLine:
    staff_id: str
    name: str
    orders: int
    amount_fen: int
    cost_fen: int

    @property
    def profit_fen(self) -> int:
        return self.amount_fen - self.cost_fen


@dataclass(frozen=True)
class ApprovedAction:
    action: str  # void | refund | reprint
    subject: str | None
    staff_id: str | None
    approver_id: str | None
    at: str
    number: str | None = None  # the order voided or refunded, and its amount
    amount_fen: int | None = None


@dataclass(frozen=True)
class PassedOn:
    """An order still unsettled (a QR sale 待付款) when its shift closed: it joins the next shift, whatever it
    becomes, and that Z report has its money."""

    number: str
    total_fen: int


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
    # Orders made before the shift opened that joined it (see the module docstring); defaults for Z reports
    # snapshotted before these fields existed.
    before_open_orders: int = 0
    before_open_fen: int = 0
    cost_fen: int = 0  # what the standing sales cost the shop (毛利 = sales_fen - cost_fen)
    by_staff: tuple[StaffLine, ...] = ()
    # Refunds paid while the shift was open, by how the money went back (cash | gateway | cash_instead): the cash
    # ones left this drawer (the expected cash is net of them), a gateway one went back to the customer's payment.
    refunds_by_method: dict[str, int] = field(default_factory=dict)
    passed_on: tuple[PassedOn, ...] = ()  # only a closed shift passes orders on

    @property
    def profit_fen(self) -> int:
        return self.sales_fen - self.cost_fen

    @property
    def margin(self) -> float | None:
        return self.profit_fen / self.sales_fen if self.sales_fen else None
