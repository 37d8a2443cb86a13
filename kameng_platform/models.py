"""Wire models of API v1 (pydantic): the OpenAPI document is generated from these."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kameng_platform.gateways.base import GatewayName

Fen = Annotated[int, Field(ge=0, le=100_000_000, description="integer fen (分)")]
IdStr = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


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
    pairing_code: Annotated[str, Field(min_length=4, max_length=64)]
    device_name: Annotated[str, Field(min_length=1, max_length=100)]


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


class CatalogResponse(BaseModel):
    categories: list[CategoryOut]
    products: list[ProductOut]
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
    account: Annotated[str, Field(min_length=1, max_length=64)]


class OrderIn(Strict):
    order_id: IdStr
    number: Annotated[str, Field(min_length=1, max_length=64)]
    kind: Literal["sale", "topup"]
    created_at: Annotated[str, Field(min_length=1, max_length=40)]
    payment_method: Literal["cash", "qr_dynamic", "qr_static"]
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
    voided_at: Annotated[str, Field(min_length=1, max_length=40)]


class VoidResponse(BaseModel):
    order_id: str
    status: Literal["voided"]
    codes_returned: int


class Change(BaseModel):
    seq: int
    type: Literal["product", "order_status", "code_revoked", "balance"]
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
    opened_at: Annotated[str, Field(min_length=1, max_length=40)]
    closed_at: Annotated[str, Field(min_length=1, max_length=40)]
    float_fen: Fen
    expected_fen: Annotated[int, Field(ge=-100_000_000, le=1_000_000_000)]
    counted_fen: Annotated[int, Field(ge=0, le=1_000_000_000)]
    report: dict[str, Any]


class ShiftReportOut(BaseModel):
    shift_id: str
    status: Literal["accepted", "duplicate"]
    difference_fen: int


class PaymentMethods(BaseModel):
    methods: list[GatewayName]  # the first is the default


class PaymentCreate(Strict):
    payment_id: IdStr
    order_id: IdStr
    amount_fen: Annotated[int, Field(ge=1, le=100_000_000)]
    method: GatewayName
    description: Annotated[str, Field(max_length=128)] = ""


class PaymentOut(BaseModel):
    payment_id: str
    status: Literal["pending", "paid", "expired", "cancelled"]
    amount_fen: int
    qr_content: str | None
    expires_at: int
    paid_at: int | None
