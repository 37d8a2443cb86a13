"""Refunds of paid payments, back to where the money came from, through the payment's gateway.

A refund is recorded first (pending), under the payment row's lock, after the checks that keep the money right:
the payment is the terminal's own and paid, its gateway can refund, and the amount is at most what the payment
has left (its amount less every refund not failed), so two refunds racing for the last fen cannot both be
recorded. Then the gateway is asked outside any transaction. Its answer, a refund notify, or the reconciler's
question (`refund_status`, leases as for payments) finishes it: succeeded or failed, each step a "refund" row in
the terminal's changes feed. A refund whose answer was lost stays pending and is sent again with the same
out_refund_no, which every gateway takes as the same refund: executed at most once.

    refund:  pending --SUCCEEDED--> succeeded        pending --FAILED--> failed
             pending --PROCESSING / no answer--> pending (asked again, or re-sent with the same number)
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, func, select, update

from kameng_platform import clock, feed, notices, periodic
from kameng_platform.db import insert_once
from kameng_platform.errors import ApiError, conflict, not_found
from kameng_platform.gateways.base import (
    Gateway,
    GatewayError,
    GatewayUnsupported,
    RefundRequest,
    RefundResult,
    RefundState,
)
from kameng_platform.gateways.epay import fen_to_yuan
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.schema import payments, refunds
from kameng_platform.terminals import Terminal

log = logging.getLogger(__name__)

# Gateways that refuse more refunds of one payment than this (WeChat Pay: 50 partial refunds per order).
MAX_REFUNDS = {"wechat": 50}
# Gateways that refund a payment once and in full only (易支付: no refund number, the order is then "refunded").
FULL_REFUNDS_ONLY = frozenset({"epay"})


def _view(row) -> dict:
    return {"refund_id": row.refund_id, "payment_id": row.payment_id, "amount_fen": row.amount_fen,
            "status": row.status, "reason": row.reason, "failure": row.failure, "created_at": row.created_at,
            "finished_at": row.finished_at}


def listing(conn: Connection, payment_id: str) -> list[dict]:
    """A payment's refunds, oldest first."""
    rows = conn.execute(select(refunds).where(refunds.c.payment_id == payment_id)
                        .order_by(refunds.c.created_at, refunds.c.refund_id)).all()
    return [_view(r) for r in rows]


def _get(conn: Connection, refund_id: str):
    return conn.execute(select(refunds).where(refunds.c.refund_id == refund_id)).first()


def record(conn: Connection, terminal: Terminal, gateways: GatewayRegistry, *, payment_id: str, refund_id: str,
            amount_fen: int, reason: str) -> tuple[object, bool]:
    """(the refund's row, whether this call recorded it). The payment row is locked first: every refund of one
    payment is decided one after the other, on PostgreSQL (FOR UPDATE) as on SQLite (one writer)."""
    payment = conn.execute(select(payments).where(payments.c.payment_id == payment_id).with_for_update()).first()
    if payment is None or payment.terminal_id != terminal.id or payment.order_id == "":
        raise not_found("no such payment of this terminal")
    if (known := _get(conn, refund_id)) is not None:
        if (known.terminal_id, known.payment_id, known.amount_fen, known.reason) != (terminal.id, payment_id,
                                                                                     amount_fen, reason):
            raise conflict("This refund id was used for another refund.")
        return known, False
    if payment.status != "paid":
        raise ApiError(409, "payment_not_paid", "Only a paid payment can be refunded.")
    gateway = gateways.get(payment.method)
    if gateway is None or not gateway.can_refund:
        raise ApiError(409, "refund_unsupported",
                       f"The {payment.method} gateway cannot refund; give the money back in cash.")
    r = refunds.c
    count, committed = conn.execute(select(func.count(), func.coalesce(func.sum(r.amount_fen), 0))
                                    .where(r.payment_id == payment_id, r.status != "failed")).one()
    limit = MAX_REFUNDS.get(payment.method)
    if limit is not None and conn.execute(select(func.count()).where(r.payment_id == payment_id)).scalar() >= limit:
        raise ApiError(409, "too_many_refunds",
                       f"The {payment.method} gateway takes at most {limit} refunds of one payment; give the rest "
                       "back in cash.")
    if payment.method in FULL_REFUNDS_ONLY and amount_fen != payment.amount_fen:
        # Refused before anything is recorded or sent: the desk gives this amount back in cash instead.
        raise ApiError(409, "refund_unsupported",
                       f"The {payment.method} gateway refunds a payment only in full ({fen_to_yuan(payment.amount_fen)}"
                       " yuan); give a partial refund back in cash.")
    left = payment.amount_fen - int(committed)
    if amount_fen > left:
        raise ApiError(409, "refund_exceeds_payment",
                       f"Only {fen_to_yuan(left)} yuan ({left} fen) of this payment can still be refunded "
                       f"({count} refund(s) so far).")
    now = clock.now()
    # The gateway's refund number follows its own rule for order numbers (length, characters).
    inserted = insert_once(conn, refunds, refund_id=refund_id, payment_id=payment_id, terminal_id=terminal.id,
                           method=payment.method, amount_fen=amount_fen, reason=reason, status="pending",
                           out_refund_no=gateway.out_trade_no(refund_id), created_at=now)
    if not inserted:  # the refund number is taken by another refund id that maps to the same number
        raise conflict("This refund id's gateway refund number is another refund's; use a new refund id.")
    row = _get(conn, refund_id)
    feed.append(conn, "refund", _view(row), terminal_id=terminal.id)
    return row, True


def create(engine: Engine, terminal: Terminal, gateways: GatewayRegistry, *, payment_id: str, refund_id: str,
           amount_fen: int, reason: str) -> dict:
    """POST /v1/payments/{id}/refunds. Idempotent by refund id: the same body again answers the same refund,
    and a pending one is sent to the gateway again with the same refund number (never a second refund)."""
    with engine.begin() as conn:
        row, _ = record(conn, terminal, gateways, payment_id=payment_id, refund_id=refund_id,
                         amount_fen=amount_fen, reason=reason)
    gateway = gateways.get(row.method)
    if row.status == "pending" and gateway is not None:
        _send(engine, gateway, row)
    with engine.connect() as conn:
        return _view(_get(conn, refund_id))


def send_pending(engine: Engine, gateways: GatewayRegistry, refund_id: str) -> dict:
    """Send a recorded refund that is still pending to its gateway (outside any transaction), as `create` does
    after recording one: the console's refund of a 掉单 payment. Its refund number makes a resend the same
    refund. Returns the refund as it stands then."""
    with engine.connect() as conn:
        row = _get(conn, refund_id)
    gateway = gateways.get(row.method)
    if row.status == "pending" and gateway is not None:
        _send(engine, gateway, row)
    with engine.connect() as conn:
        return _view(_get(conn, refund_id))


def _request(conn: Connection, row) -> RefundRequest:
    payment = conn.execute(select(payments).where(payments.c.payment_id == row.payment_id)).one()
    return RefundRequest(row.out_refund_no, payment.out_trade_no, payment.gateway_trade_no or "", row.amount_fen,
                         payment.amount_fen, row.reason)


def _send(engine: Engine, gateway: Gateway, row) -> None:
    with engine.connect() as conn:
        request = _request(conn, row)
    try:
        result = gateway.refund(request)
    except GatewayUnsupported as exc:
        log.warning("%s cannot refund %s: %s", row.method, row.refund_id, exc)
        apply_result(engine, row.method, RefundResult(row.out_refund_no, RefundState.FAILED, row.amount_fen,
                                                 reason="unsupported"), source=None)  # our word, not the gateway's
        return
    except GatewayError as exc:  # the outcome is unknown: the reconciler asks, or sends the same number again
        log.warning("%s refund %s: no clear answer (%s); asking again later", row.method, row.refund_id, exc)
        return
    apply_result(engine, row.method, result)


def apply_result(engine: Engine, method: str, result: RefundResult,
                 source: notices.Source | None = "answer") -> bool:
    """What a refund answer, query or verified refund notify (source "notify") says. False (and logged) when it
    names no refund of that gateway or another amount; PROCESSING and anything after the refund's final state
    change nothing. Each is kept in gateway_notices in the same transaction (a repeat as "repeat"), beside the
    payment's own notices, so a notify WeChat sends again is plainly one refund."""
    with engine.begin() as conn:
        row = conn.execute(select(refunds).where(refunds.c.method == method,
                                                 refunds.c.out_refund_no == result.out_refund_no)
                           .with_for_update()).first()

        def kept(outcome: str) -> None:
            if source is not None:
                notices.record(conn, method, "refund", result.out_refund_no, source=source, outcome=outcome,
                               amount_fen=result.amount_fen, payment_id=row.payment_id if row is not None else None,
                               refund_id=row.refund_id if row is not None else None)
        if row is None:
            log.warning("%s refund answer refused: no refund with that number", method)
            kept("refused")
            return False
        if row.amount_fen != result.amount_fen:
            log.warning("%s refund answer refused: refund %s is %d fen, the gateway says %d", method, row.refund_id,
                        row.amount_fen, result.amount_fen)
            kept("refused")
            return False
        if row.status != "pending":
            kept("repeat")
            return True
        if result.state is RefundState.PROCESSING:
            # Still on its way; a reason (WeChat's ABNORMAL) means it waits for the operator: shown, said once.
            held = bool(result.reason) and row.failure != result.reason[:64]
            kept("held" if held else "processing")
            if held:
                conn.execute(update(refunds).where(refunds.c.refund_id == row.refund_id)
                             .values(failure=result.reason[:64]))
                feed.append(conn, "refund", _view(_get(conn, row.refund_id)), terminal_id=row.terminal_id)
                log.warning("%s refund %s of payment %s is held (%s): it stays pending until the gateway reports "
                            "it done; finish it in the %s merchant platform", method, row.refund_id,
                            row.payment_id, result.reason, method)
            return True
        status = "succeeded" if result.state is RefundState.SUCCEEDED else "failed"
        conn.execute(update(refunds).where(refunds.c.refund_id == row.refund_id).values(
            status=status, finished_at=clock.now(), gateway_refund_no=result.refund_no[:64] or None,
            failure=None if status == "succeeded" else (result.reason[:64] or "failed")))
        feed.append(conn, "refund", _view(_get(conn, row.refund_id)), terminal_id=row.terminal_id)
        kept(status)
        log.info("%s refund %s of payment %s %s", method, row.refund_id, row.payment_id, status)
        return True


def reconcile(engine: Engine, gateways: GatewayRegistry, *, after_s: int, every_s: float, worker: str,
              limit: int = 200) -> int:
    """The reconciler's pass over pending refunds older than `after_s`: asks the gateway (leased, once per
    `every_s` across all processes), and sends a refund the gateway never received again with the same number.
    Returns how many it finished."""
    now = clock.now()
    r = refunds.c
    with engine.connect() as conn:
        due = conn.execute(select(refunds).where(r.status == "pending", r.created_at <= now - after_s,
                                                 periodic.lease_free(refunds, now))
                           .order_by(r.created_at).limit(limit)).all()
    return sum(_ask(engine, gateways, row, worker=worker, lease_s=every_s) for row in due)


def ask_one(engine: Engine, gateways: GatewayRegistry, refund_id: str, *, worker: str,
            lease_s: float = 30) -> str | None:
    """A person's "ask the gateway again" about one pending refund (the console), under the reconciler's lease.
    Returns its payment id, or None when there is no such pending refund."""
    with engine.connect() as conn:
        row = conn.execute(select(refunds).where(refunds.c.refund_id == refund_id,
                                                 refunds.c.status == "pending")).first()
    if row is None:
        return None
    _ask(engine, gateways, row, worker=worker, lease_s=lease_s)
    return row.payment_id


def _ask(engine: Engine, gateways: GatewayRegistry, row, *, worker: str, lease_s: float) -> bool:
    """Ask the gateway about one pending refund if this worker wins its lease; True when it finished."""
    gateway = gateways.get(row.method)
    if gateway is None:
        return False
    with engine.begin() as conn:
        if not periodic.claim(conn, refunds, row.refund_id, refunds.c.status == "pending", worker=worker,
                              lease_s=lease_s):
            return False
        out_trade_no = _request(conn, row).out_trade_no
    try:
        result = gateway.refund_status(row.out_refund_no, out_trade_no)
    except GatewayError as exc:
        log.warning("%s refund query for %s failed: %s", row.method, row.refund_id, exc)
        return False
    if result is None:  # the gateway never got it: the same number again is the same refund
        _send(engine, gateway, row)
        return False
    return apply_result(engine, row.method, result) and result.state is not RefundState.PROCESSING
