"""The checked-in OpenAPI document (resources/openapi.json) is generated here; a test compares them.

The document carries OpenAPI links: which answer feeds which request (a payment's id into its status and its
cancel, the catalog's product into a restock, a restock's codes into a sale, a sale's id into its void). They
document the flows a desk follows and drive the stateful tests (schemathesis follows them with the values the
server really answered)."""

from __future__ import annotations

import json
from typing import Any

PAYMENT_ID = {"path.payment_id": "$response.body#/payment_id"}

# (method, path) of an answer -> its links: name -> (method, path) of the request it feeds, and how.
LINKS: dict[tuple[str, str], dict[str, tuple[tuple[str, str], dict[str, Any]]]] = {
    ("post", "/v1/payments"): {
        "PaymentStatus": (("get", "/v1/payments/{payment_id}"), {
            "description": "The payment just created, by its id.", "parameters": PAYMENT_ID}),
        "CancelPayment": (("post", "/v1/payments/{payment_id}/cancel"), {
            "description": "Cancel it (answers `paid` when the customer was first).", "parameters": PAYMENT_ID}),
        "CreateAgain": (("post", "/v1/payments"), {
            "description": "The same create again (a retry): the same payment.", "requestBody": "$request.body"}),
        "RefundPayment": (("post", "/v1/payments/{payment_id}/refunds"), {
            "description": "Refund (part of) it once paid; 409 `payment_not_paid` before.",
            "parameters": PAYMENT_ID}),
    },
    ("post", "/v1/payments/{payment_id}/refunds"): {
        "PaymentWithRefunds": (("get", "/v1/payments/{payment_id}"), {
            "description": "The refunded payment, listing this refund.", "parameters": PAYMENT_ID}),
    },
    ("post", "/v1/payments/{payment_id}/cancel"): {
        "PaymentStatus": (("get", "/v1/payments/{payment_id}"), {
            "description": "The cancelled payment stays cancelled (or paid, when money came first).",
            "parameters": PAYMENT_ID}),
        "CreateAfterCancel": (("post", "/v1/payments"), {
            "description": "A create arriving after the cancel of its id is refused (409 `payment_cancelled`).",
            "requestBody": {"payment_id": "$response.body#/payment_id"}}),
    },
    ("get", "/v1/catalog"): {
        "RestockFirstProduct": (("post", "/v1/restock"), {
            "description": "Restock one code of the catalog's first product.",
            "requestBody": {"product_id": "$response.body#/products/0/id", "quantity": 1}}),
    },
    ("post", "/v1/restock"): {
        "SellFirstCode": (("post", "/v1/orders/batch"), {
            "description": "A cash sale of the first code the restock assigned.",
            "requestBody": {"orders": [{
                "order_id": "$response.body#/request_id", "number": "S-1", "kind": "sale",
                "created_at": "2026-01-01T00:00:00.000000Z", "payment_method": "cash", "total_fen": 1000,
                "lines": [{"product_id": "$response.body#/product_id", "quantity": 1, "unit_price_fen": 1000,
                           "code_ids": ["$response.body#/codes/0/id"]}]}]},
            "x-schemathesis": {"merge_body": False}}),
    },
    ("post", "/v1/orders/batch"): {
        "VoidFirstOrder": (("post", "/v1/orders/{order_id}/void"), {
            "description": "Void the batch's first order (a sale whose codes were never handed over).",
            "parameters": {"path.order_id": "$response.body#/results/0/order_id"}}),
    },
}


def add_links(spec: dict[str, Any]) -> dict[str, Any]:
    """Links on each source's 200 answer; targets by operationId, looked up so a renamed handler still links."""
    for (method, path), links in LINKS.items():
        response = spec["paths"][path][method]["responses"]["200"]
        response["links"] = {name: {"operationId": spec["paths"][target_path][target_method]["operationId"],
                                    **fields}
                             for name, ((target_method, target_path), fields) in links.items()}
    return spec


def document() -> str:
    """What the server serves at /openapi.json (create_app adds the links), as checked in."""
    from kameng_platform.app import create_app  # app imports this module for add_links
    from kameng_platform.settings import PlatformSettings

    app = create_app(PlatformSettings("sqlite://", bytes(32)), run_migrations=False)
    return json.dumps(app.openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
