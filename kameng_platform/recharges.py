"""A reseller recharges its prepaid balance by payment QR (issue #18), through the platform's own gateways.

The recharge's payment is a QR payment like a desk's (payments.py): recorded first, then the gateway asked for
its QR outside any transaction (payments.show_qr), and marked paid by whatever learns it first: the gateway's
notify, the reconciler, or the portal page's poll asking the gateway. All three go through payments.apply_notice,
which marks a payment paid at one place, under the payment's row lock, and there credits the recharge
(`credit`): the ledger row ("recharge", payment_id) in the transaction that marks it paid. A repeated notify, a
notify racing the reconciler, two processes: the second finds the payment paid and changes nothing; the ledger's
unique (reason, reference) would refuse a second credit anyway. Money that lands after expiry still credits: the
money was received.

The payment has no terminal: terminal_id is NO_TERMINAL (""; a terminal id is never empty, so a desk's GET,
cancel or refund of it answers 404 as for any foreign payment) and its order id is its own id (no desk order
has it). The columns stay NOT NULL: every desk query keeps its meaning, and the `recharges` row says whose
balance it is. Sales figures leave recharges out through `of_desks`.

    pending --paid (notify, reconciler, poll)--> paid (credited once)
    pending --expires_at passes--> expired (shown; a late payment still makes it paid and credits it)

A frozen reseller may still recharge: a freeze stops what spends its balance (restock, top-ups), and paying in
is how a reseller in arrears settles with the operator; the money only adds to what the operator holds.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Engine, select, update

from kameng_platform import clock, ledger, payments, periodic
from kameng_platform.db import insert_once
from kameng_platform.errors import ApiError
from kameng_platform.gateways.registry import GatewayRegistry
from kameng_platform.schema import payments as payments_t
from kameng_platform.schema import recharges, resellers

log = logging.getLogger(__name__)

NO_TERMINAL = ""
MAX_FEN = 5_000_000  # ¥50,000: more than a café tops up at once, and a typo of an extra zero or two is caught
REASON = "recharge"  # the ledger reason of a credit
DESCRIPTION = "卡盟余额充值"  # what the customer's payment app shows
LIST = 20  # recharges shown on the page


class RechargeRefused(Exception):
    """Nothing was recorded, or the gateway could not be asked; `why` names it for the page:
    amount | method | no_reseller | taken | gateway."""

    def __init__(self, why: str, message: str) -> None:
        super().__init__(message)
        self.why = why


@dataclass(frozen=True)
class Recharge:
    payment_id: str
    reseller_id: str
    amount_fen: int
    method: str
    status: str  # pending | paid | expired | cancelled
    qr_content: str | None
    expires_at: int
    created_at: int
    paid_at: int | None
    credited_at: int | None
    username: str


def new_id() -> str:
    """A recharge's payment id, handed to the form: the same form sent twice is the same recharge."""
    return "rc-" + secrets.token_hex(16)


def valid_id(payment_id: str) -> bool:
    return len(payment_id) == 35 and payment_id.startswith("rc-") and all(c in "0123456789abcdef"
                                                                           for c in payment_id[3:])


def methods(gateways: GatewayRegistry) -> list[str]:
    """The gateways a recharge can be paid through: every configured one shows a QR (wechat, alipay, epay,
    sandbox), in the operator's order; none configured, none offered."""
    return [name for name in gateways.names if gateways.get(name).apps]


def of_desks() -> ColumnElement[bool]:
    """For queries of sales (the dashboard, 掉单): a desk's payment, not a recharge's. By the terminal, which
    every desk payment has and no recharge does: no subquery in the dashboard's scans."""
    return payments_t.c.terminal_id != NO_TERMINAL


def create(engine: Engine, gateways: GatewayRegistry, *, payment_id: str, reseller_id: str, amount_fen: int,
           method: str, public_url: str, ttl_s: int, user_id: int | None, username: str,
           recorded: Callable[[Connection], None] = lambda conn: None) -> Recharge:
    """Record a recharge (and call `recorded` in that transaction: the console's audit entry), then ask the
    gateway for its QR. The same payment id again (the form sent twice) is the same recharge: asked for its QR
    again if the gateway did not answer the first time, never a second payment."""
    if not isinstance(amount_fen, int) or not 1 <= amount_fen <= MAX_FEN:
        raise RechargeRefused("amount", f"a recharge is 0.01 to {MAX_FEN // 100} yuan")
    gateway = gateways.get(method)
    if gateway is None or method not in methods(gateways):
        raise RechargeRefused("method", f"payment method {method} is not configured on this platform")
    if not valid_id(payment_id):
        raise RechargeRefused("taken", "not a recharge id of this platform")
    with engine.begin() as conn:
        if conn.execute(select(resellers.c.id).where(resellers.c.id == reseller_id)).first() is None:
            raise RechargeRefused("no_reseller", f"no reseller {reseller_id}")
        now = clock.now()
        if insert_once(conn, payments_t, payment_id=payment_id, terminal_id=NO_TERMINAL, order_id=payment_id,
                       amount_fen=amount_fen, method=method, status="pending", qr_content=None,
                       out_trade_no=gateway.out_trade_no(payment_id), expires_at=now + ttl_s, created_at=now,
                       kind="qr"):
            conn.execute(recharges.insert().values(payment_id=payment_id, reseller_id=reseller_id, user_id=user_id,
                                                   username=username[:64], created_at=now))
            recorded(conn)
        known = get(conn, payment_id)
        if known is None or (known.reseller_id, known.amount_fen, known.method) != (reseller_id, amount_fen,
                                                                                    method):
            raise RechargeRefused("taken", "this recharge form was used for another recharge; open the page again")
        row = conn.execute(select(payments_t).where(payments_t.c.payment_id == payment_id)).one()
    if row.qr_content is None and row.status == "pending":
        try:
            payments.show_qr(engine, gateway, row, DESCRIPTION, public_url)
        except ApiError as exc:  # unreachable, or expired before it could be asked: nothing was paid
            raise RechargeRefused("gateway", exc.message) from None
    with engine.connect() as conn:
        return get(conn, payment_id)


def credit(conn: Connection, payment_id: str, amount_fen: int) -> int | None:
    """Called by payments.apply_notice in the transaction that marks `payment_id` paid: a recharge's reseller is
    credited its amount, once. The new balance, or None for a desk's payment (or one credited already)."""
    reseller_id = conn.execute(update(recharges).where(recharges.c.payment_id == payment_id,
                                                       recharges.c.credited_at.is_(None))
                               .values(credited_at=clock.now()).returning(recharges.c.reseller_id)).scalar()
    if reseller_id is None:
        return None
    balance = ledger.post(conn, reseller_id, amount_fen, reason=REASON, reference=payment_id)
    log.info("recharge %s: reseller %s credited %d fen", payment_id, reseller_id, amount_fen)
    return balance


def status(engine: Engine, gateways: GatewayRegistry, payment_id: str, reseller_id: str) -> Recharge | None:
    """The recharge as the page's poll sees it, None when it is not this reseller's. A pending one is asked about
    at its gateway first, at most once per payments.CODE_ASK_S across every poll, page and process (the
    payment's lease, shared with the reconciler), and never holding the page past payments.ANSWER_WITHIN_S."""
    with engine.connect() as conn:
        row = get(conn, payment_id)
    if row is None or row.reseller_id != reseller_id:
        return None
    if row.status in ("pending", "expired") and row.qr_content is not None:
        payments._within(payments.ANSWER_WITHIN_S, lambda: _ask(engine, gateways, row))
        with engine.connect() as conn:
            row = get(conn, payment_id)
    return row


def _ask(engine: Engine, gateways: GatewayRegistry, row: Recharge) -> None:
    gateway = gateways.get(row.method)
    if gateway is None:
        return  # a gateway the operator has since switched off: the reconciler skips it too
    payments.ask_about(engine, gateway, row.method, row.payment_id, gateway.out_trade_no(row.payment_id),
                       still_open=payments_t.c.status == "pending", worker=periodic.worker_id(),
                       lease_s=payments.CODE_ASK_S)


def _read():
    p, r = payments_t.c, recharges.c
    return (select(p.payment_id, p.amount_fen, p.method, p.status, p.qr_content, p.expires_at, p.created_at,
                   p.paid_at, r.reseller_id, r.credited_at, r.username)
            .join(recharges, r.payment_id == p.payment_id))


def _recharge(row) -> Recharge:
    """Its expiry shown as on a desk's payment: pending past its expiry reads expired."""
    state = "expired" if row.status == "pending" and clock.now() > row.expires_at else row.status
    return Recharge(row.payment_id, row.reseller_id, row.amount_fen, row.method, state, row.qr_content,
                    row.expires_at, row.created_at, row.paid_at, row.credited_at, row.username)


def listing(conn: Connection, reseller_id: str, limit: int = LIST) -> list[Recharge]:
    """A reseller's recent recharges, newest first (one query)."""
    query = (_read().where(recharges.c.reseller_id == reseller_id)
             .order_by(recharges.c.created_at.desc(), recharges.c.payment_id.desc()).limit(limit))
    return [_recharge(row) for row in conn.execute(query)]


def get(conn: Connection, payment_id: str) -> Recharge | None:
    """A recharge by its payment id (None: no recharge has it)."""
    row = conn.execute(_read().where(payments_t.c.payment_id == payment_id)).first()
    return None if row is None else _recharge(row)
