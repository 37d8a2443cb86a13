"""The OpenAPI document: checked in, equal to what the server generates, and honoured by the server
under property-based input (schemathesis): no 500 on any generated request, every reply matches it."""

from __future__ import annotations

import json
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from kameng_platform.openapi import document

OPENAPI = Path(__file__).resolve().parents[2] / "resources" / "openapi.json"
schema = schemathesis.openapi.from_path(OPENAPI)


def test_checked_in_openapi_matches_the_server() -> None:
    assert json.loads(OPENAPI.read_text(encoding="utf-8")) == json.loads(document()), (
        "resources/openapi.json is stale: run `kameng-platform openapi > resources/openapi.json`")


def test_error_codes_are_documented() -> None:
    doc = json.loads(OPENAPI.read_text(encoding="utf-8"))
    restock = doc["paths"]["/v1/restock"]["post"]["responses"]
    assert {"200", "400", "401", "402", "409", "413"} <= set(restock)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_replies_match_schema(case, harness) -> None:
    case.call_and_validate(base_url=harness.url)
