"""Wire models of API v1 (pydantic): the OpenAPI document is generated from these."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from kameng_platform.gateways.base import App, GatewayName

Fen = Annotated[int, Field(ge=0, le=100_000_000, description="integer fen (分)")]
ID_PATTERN = r"^[A-Za-z0-9_.:-]+$"
IdStr = Annotated[str, Field(min_length=1, max_length=64, pattern=ID_PATTERN)]
# An id in a request's path (a payment id, an order id): the same rule as in bodies, so an id that cannot
# exist is refused before any query (PostgreSQL cannot even compare a text containing NUL).
PathId = Annotated[str, Path(min_length=1, max_length=64, pattern=ID_PATTERN)]

# One line of text (a device name, an order number, a timestamp, an account): no control characters. NUL cannot
# be stored in PostgreSQL text at all, and the rest make no sense on one line; SQLite refuses them just the same.
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"


def _line(max_length: int, min_length: int = 1) -> Any:
    return Annotated[str, Field(min_length=min_length, max_length=max_length, pattern=NO_CONTROL)]


Line40, Line64, Line80, Line100 = _line(40), _line(64), _line(80), _line(100)
PairingCode, Description = _line(64, min_length=4), _line(128, min_length=0)


MAX_DEPTH = 16


def _storable(value: dict[str, Any]) -> dict[str, Any]:
    """Free-form JSON (a Z report's breakdown, kept as the desk printed it): any text, newlines included, but
    no NUL and no lone surrogate, which could not be kept as UTF-8 text or would differ between backends, and
    nested at most MAX_DEPTH deep (a report is a few levels; deeper would fail its serialisation)."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:  # a loop, not recursion: the nesting depth is the sender's choice
        item, depth = pending.pop()
        if isinstance(item, dict | list) and depth > MAX_DEPTH:
            raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, dict):
            pending += [(x, depth + 1) for x in (*item.keys(), *item.values())]
        elif isinstance(item, list):
            pending += [(x, depth + 1) for x in item]
        elif isinstance(item, str):
            if "\x00" in item:
                raise ValueError("text must not contain NUL characters")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("text must be valid Unicode (a lone surrogate is not)") from None
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class TimeResponse(BaseModel):
    server_time: int


class PairRequest(Strict):
    pairing_code: PairingCode
    device_name: Line100


class PairResponse(BaseModel):
    terminal_id: str
    terminal_secret: str
    reseller_id: str
    reseller_name: str
    terminal_prefix: str


class CategoryOut(BaseModel):
    id: str
    name: str
    kind: Literal["card", "topup"]
    sort: int


class ProductOut(BaseModel):
    id: str
    category_id: str
    name: str
    kind: Literal["card", "topup"]
    face_value_fen: int
    price_fen: int
    suggested_retail_fen: int
    active: bool
    account_rule: str | None
    redeem_hint: str
    redeem_url: str | None
    barcode: str | None = Field(description="what a scanner reads off the product (EAN-8, EAN-13 or Code128)")


class RetailPriceView(BaseModel):
    product_id: str
    retail_fen: int


class CatalogResponse(BaseModel):
    categories: list[CategoryOut]
    products: list[ProductOut]
    retail_prices: list[RetailPriceView] = Field(description="the shop owner's prices (a counter sells at these "
                                                             "instead of suggested_retail_fen)")
    balance_fen: int
    cursor: int


class RestockRequest(Strict):
    request_id: IdStr
    product_id: IdStr
    quantity: Annotated[int, Field(ge=1, le=500)]


class CodeOut(BaseModel):
    id: str
    card_no: str
    card_secret: str
    expires_on: str | None


class RestockResponse(BaseModel):
    request_id: str
    product_id: str
    codes: list[CodeOut]
    charged_fen: int
    balance_fen: int


class OrderLineIn(Strict):
    product_id: IdStr
    quantity: Annotated[int, Field(ge=1, le=500)]
    unit_price_fen: Fen
    code_ids: Annotated[list[IdStr], Field(max_length=500)] = []


class TopupIn(Strict):
    account: Line64


class OrderIn(Strict):
    order_id: IdStr
    number: Line64
    kind: Literal["sale", "topup"]
    created_at: Line40
    payment_method: Literal["cash", "qr_dynamic", "qr_static", "code"]  # code: the customer's payment code, scanned
    lines: Annotated[list[OrderLineIn], Field(min_length=1, max_length=50)]
    total_fen: Fen
    topup: TopupIn | None = None
    voided: bool = False


class OrderBatch(Strict):
    orders: Annotated[list[OrderIn], Field(min_length=1)]


class OrderResult(BaseModel):
    order_id: str
    status: Literal["accepted", "duplicate", "rejected", "conflict"]
    reason: str | None = None
    total_fen: int | None = None


class BatchResponse(BaseModel):
    results: list[OrderResult]


class VoidRequest(Strict):
    voided_at: Line40


class VoidResponse(BaseModel):
    order_id: str
    status: Literal["voided"]
    codes_returned: int


class Change(BaseModel):
    seq: int
    type: Literal["product", "order_status", "code_revoked", "balance", "retail_price", "refund"]
    data: dict


class ChangesResponse(BaseModel):
    changes: list[Change]
    next_cursor: int
    has_more: bool


class ShiftReportIn(Strict):
    """A closed shift's Z report. The figures the platform keeps in columns are typed; the breakdown (by product,
    by payment method, voids with who approved them) travels as the desk printed it."""

    shift_id: IdStr
    seq: Annotated[int, Field(ge=1, le=10_000_000)]
    opened_at: Line40
    closed_at: Line40
    float_fen: Fen
    expected_fen: Annotated[int, Field(ge=-100_000_000, le=1_000_000_000)]
    counted_fen: Annotated[int, Field(ge=0, le=1_000_000_000)]
    report: Annotated[dict[str, Any], AfterValidator(_storable)]


class ShiftReportOut(BaseModel):
    shift_id: str
    status: Literal["accepted", "duplicate"]
    difference_fen: int


class PaymentOption(BaseModel):
    method: GatewayName
    apps: list[App] = Field(description="the apps that can pay its QR")
    code_apps: list[App] = Field(description="the apps whose payment codes (付款码) it charges")
    can_refund: bool


class PaymentMethods(BaseModel):
    methods: list[GatewayName]  # the first is the default
    options: list[PaymentOption] = Field(description="what each method can do at the counter, in the same order")


# The customer's payment code, as the scanner read it. repr=False on the field: never in a repr or a log line; a
# refusal names the rule, never the value (app.py's validation answer carries only pydantic's message, not the
# input).
AuthCode = Annotated[str, Field(pattern=r"^[0-9]{16,24}$",
                                description="the customer's payment code (付款码), 16-24 ASCII digits; "
                                            "kind=code only; never stored or logged")]


class PaymentCreate(Strict):
    payment_id: IdStr
    order_id: IdStr
    amount_fen: Annotated[int, Field(ge=1, le=100_000_000)]
    kind: Literal["qr", "code"] = Field("qr", description="qr: the customer scans our QR; code: the cashier "
                                                          "scanned the customer's payment code")
    method: GatewayName | None = Field(None, description="required for qr; for code the platform chooses it from "
                                                         "the code (if given, it must be that one)")
    auth_code: AuthCode | None = Field(None, repr=False)
    description: Description = ""

    @model_validator(mode="after")
    def _kind_fields(self) -> PaymentCreate:
        if self.kind == "qr" and (self.method is None or self.auth_code is not None):
            raise ValueError("a QR payment needs a method and takes no auth_code")
        if self.kind == "code" and self.auth_code is None:
            raise ValueError("a code payment needs the auth_code the scanner read")
        return self


class RefundOut(BaseModel):
    refund_id: str
    payment_id: str
    amount_fen: int
    status: Literal["pending", "succeeded", "failed"]
    reason: str
    failure: str | None = Field(description="the gateway's reason when failed; while pending, why it waits for the "
                                            "operator (WeChat ABNORMAL: finish it in the merchant platform)")
    created_at: int
    finished_at: int | None


class PaymentOut(BaseModel):
    payment_id: str
    status: Literal["pending", "paid", "expired", "cancelled", "failed", "reversing"]
    amount_fen: int
    qr_content: str | None
    expires_at: int
    paid_at: int | None
    kind: Literal["qr", "code"]
    method: GatewayName
    app: App | None = Field(description="the app whose payment code paid (kind=code)")
    failure: str | None = Field(description="why it failed or was reversed: the gateway's reason (e.g. "
                                            "AUTH_CODE_INVALID), TRADE_CLOSED, or timeout (no password in time); "
                                            "reversing with reverse_unsupported: the gateway cannot reverse it, the "
                                            "operator settles it")
    refunded_fen: int = Field(description="the sum of its succeeded refunds")
    refunds: list[RefundOut]


class RefundCreate(Strict):
    refund_id: IdStr
    amount_fen: Annotated[int, Field(ge=1, le=100_000_000)]
    reason: Line80


DESK_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"


def _desk_time(value: str) -> str:
    datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ")  # a real instant, not only the right shape
    return value


# The desk's UTC time, fixed width, so text order is time order (what last-writer-wins compares).
DeskTime = Annotated[str, Field(pattern=DESK_TIME, examples=["2026-12-01T13:05:37.123456Z"]),
                     AfterValidator(_desk_time)]


class RetailPriceIn(Strict):
    retail_fen: Annotated[int, Field(ge=1, le=100_000_000)] | None = Field(
        description="integer fen (分); null: back to the suggested retail price")
    changed_at: DeskTime


class RetailPriceOut(BaseModel):
    """The shop's price after this request: the change sent, or a later one that won over it."""

    product_id: str
    retail_fen: int | None
    changed_at: str
    status: Literal["applied", "duplicate", "superseded"]
