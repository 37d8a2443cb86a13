"""The supplier adapter interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class TopupRequest:
    order_id: str  # the idempotency key, used for every submit and query of this top-up
    product_id: str
    account: str
    face_value_fen: int

    def __repr__(self) -> str:  # the account is a customer's phone number
        return f"TopupRequest(order_id={self.order_id!r}, product_id={self.product_id!r})"


@dataclass(frozen=True)
class SupplierResult:
    state: str  # succeeded | failed | pending | unknown (no answer, or the supplier has no record)
    reason: str | None = None


class SupplierError(Exception):
    """The supplier could not be asked (network, malformed reply): the outcome is unknown."""


class Supplier(Protocol):
    def submit(self, request: TopupRequest) -> SupplierResult: ...

    def query(self, order_id: str) -> SupplierResult: ...

    def close(self) -> None:
        """Release connections when the platform stops."""
        ...
