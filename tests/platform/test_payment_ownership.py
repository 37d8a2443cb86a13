"""A payment id belongs to the terminal that creates it: no other terminal, of another reseller or of the same
one, can read it, cancel it, or spoil it by cancelling it first (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest

from kameng_platform import admin, terminals
from kameng_platform.crypto import Sealer
from tests.platform.client import PlatformHarness, Terminal


def other_reseller_terminal(harness: PlatformHarness) -> Terminal:
    engine = harness.engine()
    with engine.begin() as conn:
        reseller_id = admin.create_reseller(conn, "隔壁网吧")
        code = terminals.create_pairing_code(conn, Sealer(harness.settings.server_key), reseller_id, 3600)
    engine.dispose()
    return harness.pair(code)


def create(t: Terminal, payment_id: str):
    return t.request("POST", "/v1/payments", {"payment_id": payment_id, "order_id": f"o-{payment_id[:8]}",
                                              "amount_fen": 1500, "method": "sandbox"})


@pytest.mark.parametrize("stranger_kind", ["other_reseller", "same_reseller"])
def test_another_terminal_cannot_spoil_read_or_cancel_a_payment(harness, stranger_kind) -> None:
    owner = harness.pair()
    stranger = other_reseller_terminal(harness) if stranger_kind == "other_reseller" else harness.pair()

    # The stranger cancels an id before its owner creates it: that is the stranger's own business...
    early = str(uuid.uuid4())
    cancelled = stranger.request("POST", f"/v1/payments/{early}/cancel")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    # ...and gives it no claim on the id: the owner's create works, and the payment is the owner's alone.
    created = create(owner, early)
    assert created.status_code == 200, created.text
    assert created.json()["status"] == "pending" and created.json()["qr_content"]
    assert stranger.request("GET", f"/v1/payments/{early}").status_code == 404
    assert stranger.request("POST", f"/v1/payments/{early}/cancel").status_code == 404
    assert owner.request("GET", f"/v1/payments/{early}").json()["status"] == "pending"

    # A payment the owner created first: the stranger can neither read nor cancel it, and changes nothing.
    later = str(uuid.uuid4())
    assert create(owner, later).status_code == 200
    for reply in (stranger.request("GET", f"/v1/payments/{later}"),
                  stranger.request("POST", f"/v1/payments/{later}/cancel")):
        assert (reply.status_code, reply.json()["error"]["code"]) == (404, "not_found")
    assert owner.request("GET", f"/v1/payments/{later}").json()["status"] == "pending"
    # Nor can the stranger take the owner's id for a payment of its own.
    assert create(stranger, later).status_code == 404


def test_the_owners_own_cancel_before_create_still_refuses_its_late_create(harness) -> None:
    owner = harness.pair()
    payment_id = str(uuid.uuid4())
    cancelled = owner.request("POST", f"/v1/payments/{payment_id}/cancel")
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    late = create(owner, payment_id)
    assert (late.status_code, late.json()["error"]["code"]) == (409, "payment_cancelled")
    assert owner.request("GET", f"/v1/payments/{payment_id}").json()["status"] == "cancelled"
    # The tombstone is no payment: the sandbox pay page does not show it.
    page = owner.http.get(f"{harness.url}/pay/{payment_id}")
    assert (page.status_code, page.json()["error"]["message"]) == (404, "no such payment")
