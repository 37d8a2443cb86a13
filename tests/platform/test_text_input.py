"""Text the platform cannot keep (NUL, which PostgreSQL text refuses; other control characters on one line; a
lone surrogate) is refused at the edge with 400 naming the field, on SQLite exactly as on PostgreSQL, and
nothing is written."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import func, select

from kameng_platform.schema import orders, shift_reports, terminals
from tests.platform.test_api import sale
from tests.platform.test_shift_reports import report


def count(harness, table) -> int:
    engine = harness.engine()
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(table)).scalar()
    engine.dispose()
    return n


def refused(reply: httpx.Response, field: str) -> bool:
    error = reply.json()["error"]
    return reply.status_code == 400 and error["code"] == "bad_request" and error["message"].startswith(field)


@pytest.mark.parametrize("bad", ["前台\x001号", "前台\n1号", "\x7f"], ids=["nul", "newline", "del"])
def test_device_name_with_control_characters_is_refused_at_pairing(harness, bad) -> None:
    before = count(harness, terminals)
    reply = httpx.post(harness.url + "/v1/pair", json={"pairing_code": harness.pairing_code(), "device_name": bad})
    assert refused(reply, "body.device_name"), reply.text
    assert count(harness, terminals) == before


@pytest.mark.parametrize(("field", "where"), [("number", "number"), ("created_at", "created_at")])
def test_order_text_with_nul_is_refused(harness, field, where) -> None:
    t = harness.pair()
    order = {**sale("nul-1", "qb10", ["c1"]), field: "T-\x00"}
    reply = t.request("POST", "/v1/orders/batch", {"orders": [order]})
    assert refused(reply, f"body.orders.0.{where}"), reply.text
    topup = {"order_id": "nul-2", "number": "T-2", "kind": "topup", "created_at": "2026-12-01T03:00:00Z",
             "payment_method": "cash", "lines": [{"product_id": "hf50", "quantity": 1, "unit_price_fen": 5000}],
             "total_fen": 5000, "topup": {"account": "138\x0012345678"}}
    assert refused(t.request("POST", "/v1/orders/batch", {"orders": [topup]}), "body.orders.0.topup.account")
    assert count(harness, orders) == 0


@pytest.mark.parametrize("change", [{"opened_at": "2026-12-01\x00"}, {"closed_at": "\x00"},
                                    {"report": {"sales": "a\x00b"}}, {"report": {"k\x00": 1}},
                                    {"report": {"voids": [{"reason": "\ud800"}]}},
                                    {"report": {"sales": json.loads("[" * 900 + "]" * 900)}}],
                         ids=["opened_at", "closed_at", "report_value", "report_key", "report_lone_surrogate",
                              "report_nested_900_deep"])
def test_shift_report_with_nul_a_lone_surrogate_or_absurd_nesting_is_refused(harness, change) -> None:
    t = harness.pair()
    body = {**report(1), **change}
    reply = t.request("PUT", "/v1/shift-reports/shift-0001", body)
    assert refused(reply, f"body.{next(iter(change))}"), reply.text
    assert count(harness, shift_reports) == 0
    # Newlines in the breakdown are text the desk printed: kept.
    kept = t.request("PUT", "/v1/shift-reports/shift-0001", {**report(1), "report": {"note": "第一行\n第二行"}})
    assert kept.json()["status"] == "accepted"


def test_ids_in_the_path_that_cannot_exist_are_refused_before_any_query(harness) -> None:
    t = harness.pair()
    for method, path, body in [("GET", "/v1/payments/p%001", None), ("POST", "/v1/payments/p%001/cancel", None),
                               ("POST", "/v1/orders/o%001/void", {"voided_at": "2026-12-01T03:00:00Z"}),
                               ("PUT", "/v1/shift-reports/s%001", report(1))]:
        reply = t.request(method, path, body)  # signed over the raw target as sent (docs/platform.md, "Signing")
        assert refused(reply, "path."), (path, reply.text)
