"""The OpenAPI document: checked in, equal to what the server generates, and honoured by the server
under property-based input (schemathesis): no 500 on any generated request, every reply matches it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Response
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kameng_desk.sync.signing import signed_headers
from kameng_platform.openapi import document

OPENAPI = Path(__file__).resolve().parents[2] / "resources" / "openapi.json"
schema = schemathesis.openapi.from_path(OPENAPI)


def test_checked_in_openapi_matches_the_server() -> None:
    assert json.loads(OPENAPI.read_text(encoding="utf-8")) == json.loads(document()), (
        "resources/openapi.json is stale: run `kameng-platform openapi > resources/openapi.json`")


def test_the_running_server_serves_the_checked_in_document_links_included(harness) -> None:
    served = httpx.get(harness.url + "/openapi.json").json()
    assert served == json.loads(OPENAPI.read_text(encoding="utf-8"))
    assert "CancelPayment" in served["paths"]["/v1/payments"]["post"]["responses"]["200"]["links"]


def test_error_codes_are_documented() -> None:
    doc = json.loads(OPENAPI.read_text(encoding="utf-8"))
    restock = doc["paths"]["/v1/restock"]["post"]["responses"]
    assert {"200", "400", "401", "402", "409", "413"} <= set(restock)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_replies_match_schema(case, harness) -> None:
    case.call_and_validate(base_url=harness.url)


SIGNED_CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


def signed_call(case, terminal) -> httpx.Response:
    """Send the generated request as a paired desk would: signed over exactly the bytes sent."""
    kwargs = case.as_transport_kwargs(base_url=terminal.base_url)
    body = b""
    if kwargs.get("json") is not None:
        body = json.dumps(kwargs["json"]).encode()
    elif isinstance(kwargs.get("data"), bytes | str):
        body = kwargs["data"].encode() if isinstance(kwargs["data"], str) else kwargs["data"]
    request = httpx.Request(kwargs["method"], kwargs["url"], params=kwargs.get("params"))
    path = request.url.raw_path.decode()
    headers = {k: v for k, v in (kwargs.get("headers") or {}).items() if not k.lower().startswith("x-kameng")}
    headers.update(signed_headers(terminal.terminal_id, terminal.secret, kwargs["method"], request.url.raw_path,
                                  body))
    if body:
        headers.setdefault("Content-Type", "application/json")
    return terminal.http.request(kwargs["method"], terminal.base_url + path, content=body or None, headers=headers)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_signed_requests_never_500_and_match_schema(case, harness) -> None:
    # Hypothesis reuses the fixture across examples: pair once, sign every example.
    if not hasattr(harness, "terminal"):
        harness.terminal = harness.pair()
    response = signed_call(case, harness.terminal)
    assert response.status_code < 500, response.text
    case.validate_response(response, checks=SIGNED_CHECKS)


def test_stateful_links_never_500_and_match_schema(harness) -> None:
    """Schemathesis's stateful phase: it follows the document's links (create -> status / cancel -> status /
    a late create, restock -> sale -> void) with the ids the server really answered, signed as a desk signs."""
    terminal = harness.pair()
    answered: list[tuple[str, int]] = []

    class SignedDesk(schema.as_state_machine()):
        def call(self, case, **kwargs) -> Response:
            response = signed_call(case, terminal)
            answered.append((case.operation.label, response.status_code))
            return Response.from_any(response)

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            case.validate_response(response, checks=SIGNED_CHECKS, recorder=self.recorder)

    SignedDesk.run(settings=settings(max_examples=40, stateful_step_count=6, deadline=None,
                                     suppress_health_check=list(HealthCheck)))
    # The links were followed with ids the server answered: a payment (created, or cancelled first) read back.
    assert ("GET /v1/payments/{payment_id}", 200) in answered
