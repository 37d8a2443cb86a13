"""Asking the gateways about payments whose notify never came.

A gateway's notify can be lost (our server was down, a firewall, its retries gave up). Every few seconds the
reconciler asks the gateway about payments whose QR was shown, that are older than `after_s` (the notify
normally comes first) and expired less than `window_s` ago; a paid answer goes through the same
`payments.apply_notice` as a verified notify. Cancelled payments are asked too: a customer may pay in the
moment the cashier cancels, and that money must be on record. Every platform process runs this pass; before
asking, a process leases the payment for one interval (periodic.claim), so across all of them the gateway is
asked about each payment once per interval (its query quota is the operator's), and a killed process's
payments are asked about by another once its leases run out. Applying a notice twice would change nothing.

It also finishes what a desk left open (issue #17): code payments older than `after_s` still waiting for the
password are asked about and, past their wait, reversed (payments.advance_code, leased as the desk's polls are);
a payment left reversing is reversed again until the gateway confirms; and pending refunds are asked about, or
sent again with the same refund number when the gateway never got them (refunds.reconcile).
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, select

from kameng_platform import clock, payments, periodic, refunds
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.schema import payments as payments_table

log = logging.getLogger(__name__)

OPEN = ("pending", "cancelled")


def process(engine: Engine, gateways: GatewayRegistry, *, after_s: int, window_s: int, every_s: float,
            worker: str | None = None, limit: int = 200) -> int:
    """One pass, asking about each due payment not asked about in the last `every_s` seconds (by any
    process); returns how many QR payments it found paid."""
    worker = worker or periodic.worker_id()
    found = _qr_payments(engine, gateways, after_s=after_s, window_s=window_s, every_s=every_s, worker=worker,
                         limit=limit)
    _code_payments(engine, gateways, after_s=after_s, worker=worker, limit=limit)
    refunds.reconcile(engine, gateways, after_s=after_s, every_s=every_s, worker=worker, limit=limit)
    return found


def _code_payments(engine: Engine, gateways: GatewayRegistry, *, after_s: int, worker: str, limit: int) -> None:
    now = clock.now()
    t = payments_table.c
    with engine.connect() as conn:
        due = conn.execute(select(t.payment_id).where(
            t.kind == "code", periodic.lease_free(payments_table, now),
            # A payment its gateway cannot reverse waits for the operator: asking again would not help.
            ((t.status == "reversing") & t.failure.is_distinct_from(payments.REVERSE_UNSUPPORTED))
            | ((t.status == "pending") & (t.created_at <= now - after_s)))
            .order_by(t.created_at).limit(limit)).scalars().all()
    for payment_id in due:
        payments.advance_code(engine, gateways, payment_id, worker=worker)


def _qr_payments(engine: Engine, gateways: GatewayRegistry, *, after_s: int, window_s: int, every_s: float,
                 worker: str, limit: int) -> int:
    now = clock.now()
    t = payments_table.c
    with engine.connect() as conn:
        rows = conn.execute(select(t.payment_id, t.method, t.out_trade_no)
                            .where(t.kind == "qr", t.status.in_(OPEN), t.expires_at >= now - window_s,
                                   t.created_at <= now - after_s, t.qr_content.is_not(None),
                                   periodic.lease_free(payments_table, now))
                            # Newest first: with more open payments than one pass asks about, the ones just
                            # shown to a customer are the likeliest to have been paid.
                            .order_by(t.expires_at.desc()).limit(limit)).all()
    found = 0
    for row in rows:
        gateway = gateways.get(row.method)
        if gateway is None:
            continue  # a gateway the operator has since switched off
        found += payments.ask_about(engine, gateway, row.method, row.payment_id, row.out_trade_no,
                                    still_open=t.status.in_(OPEN), worker=worker, lease_s=every_s)
    return found
