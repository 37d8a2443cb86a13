"""The sandbox gateway: its QR content is the URL of a pay page on the platform (at the configured public
URL); pressing 付款 there records the payment in the sandbox's own record and hands the platform what a
verified notify would say, in process. Its notify route also takes signed notifies, as a real gateway's
would (tests forge and replay them).

It also plays the counter's calls (issue #17) by fixed demo rules (docs/payments.md "The sandbox"):
- `pay_code` charges any WeChat or Alipay payment code; a code ending in 0000 is refused (AUTH_CODE_INVALID);
  an amount ending in 99 fen answers PAYING (the customer "enters the password") and is paid PASSWORD_S later;
- `reverse` closes a trade not paid and returns the money of a paid one;
- `refund` returns part or all of a paid trade (never more than is left); an amount ending in 99 fen answers
  PROCESSING and succeeds PASSWORD_S later.

Its record lives in the platform's database (`sandbox_trades`, `sandbox_refunds`), as a real gateway's lives
on its side: shared by every platform process, surviving a killed one, and keyed by our order and refund
numbers, so a charge or refund asked for twice (a retry after a lost answer) happens once, as at a real gateway.

Never enable it on a platform that takes real money: anyone who opens the pay page can "pay". The platform
offers it only with the sandbox opt-in (settings.allow_sandbox, `serve --allow-sandbox`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.parse
from collections.abc import Mapping

from sqlalchemy import Connection, Engine, func, select, update

from kameng_platform import clock
from kameng_platform.db import insert_once
from kameng_platform.gateways.base import (
    App,
    CodeOutcome,
    CodePaymentRequest,
    CodeResult,
    GatewayError,
    GatewayNotice,
    NotifyReply,
    PaymentRequest,
    RefundRequest,
    RefundResult,
    RefundState,
)
from kameng_platform.schema import sandbox_refunds, sandbox_trades

PASSWORD_S = 3  # how long the sandbox's customer "enters the password" (and a slow refund takes)
REFUSED_CODE_SUFFIX = "0000"


def _slow(amount_fen: int) -> bool:
    """The demo rule for "waiting": an amount ending in 99 fen (0.99, 12.99 元)."""
    return amount_fen % 100 == 99


def _trade_no(out_trade_no: str) -> str:
    return "SBX" + hashlib.sha256(out_trade_no.encode()).hexdigest()[:29]


class SandboxGateway:
    name = "sandbox"
    apps: tuple[App, ...] = ("wechat", "alipay")
    code_apps: tuple[App, ...] = ("wechat", "alipay")
    can_refund = True

    password_s = PASSWORD_S  # a test playing a customer who never enters the password sets it longer

    def __init__(self, server_key: bytes, engine: Engine) -> None:
        self._key = hashlib.sha256(b"kameng-sandbox-gateway" + server_key).digest()
        self._engine = engine  # the platform's: its owner disposes of it

    def out_trade_no(self, payment_id: str) -> str:
        return payment_id

    def create(self, request: PaymentRequest) -> str:
        return f"{request.public_url.rstrip('/')}/pay/{request.payment_id}"

    def sign_notify(self, payment_id: str, amount_fen: int, status: str) -> str:
        """`payment_id` is the refund number for a refund notify (status refund_succeeded / refund_failed)."""
        message = f"{payment_id}|{amount_fen}|{status}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def customer_paid(self, payment_id: str, amount_fen: int) -> GatewayNotice:
        """The pay page's 付款: record it in the sandbox's record, and return what its notify would say. A second
        press finds the trade paid already and takes nothing more."""
        with self._engine.begin() as conn:
            insert_once(conn, sandbox_trades, out_trade_no=payment_id, kind="qr", amount_fen=amount_fen,
                        state="paid", charges=1, created_at=clock.now())
        return GatewayNotice(payment_id, amount_fen, True, _trade_no(payment_id))

    def verify_notify(self, method: str, headers: Mapping[str, str], query: str,
                      body: bytes) -> GatewayNotice | RefundResult:
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
        refund_no = form.get("out_refund_no")
        number = refund_no if refund_no is not None else form.get("payment_id", "")
        amount, status, sign = (form.get(k, "") for k in ("amount_fen", "status", "sign"))
        statuses = ("refund_succeeded", "refund_failed") if refund_no is not None else ("paid",)
        # ASCII digits only: "²".isdigit() is true, and int() refuses it.
        if not (amount.isascii() and amount.isdigit()) or status not in statuses:
            raise GatewayError("the sandbox notify is malformed")
        # As bytes: compare_digest refuses str with non-ASCII characters (a forged `sign` must not raise).
        if not hmac.compare_digest(self.sign_notify(number, int(amount), status).encode(), sign.encode()):
            raise GatewayError("the sandbox notify signature does not verify")
        if refund_no is not None:
            state = RefundState.SUCCEEDED if status == "refund_succeeded" else RefundState.FAILED
            return RefundResult(refund_no, state, int(amount), _trade_no(refund_no))
        return GatewayNotice(number, int(amount), True, _trade_no(number))

    # -- the record ------------------------------------------------------------------------------------------

    @staticmethod
    def _trade(conn: Connection, out_trade_no: str):
        """The trade, locked, with a password that has been "entered" by now counted as paid."""
        t = sandbox_trades.c
        row = conn.execute(select(sandbox_trades).where(t.out_trade_no == out_trade_no).with_for_update()).first()
        if row is not None and row.state == "paying" and clock.now() >= row.pays_at:
            conn.execute(update(sandbox_trades).where(t.out_trade_no == out_trade_no).values(state="paid"))
            row = conn.execute(select(sandbox_trades).where(t.out_trade_no == out_trade_no)).first()
        return row

    def query(self, out_trade_no: str) -> GatewayNotice | None:
        with self._engine.begin() as conn:
            row = self._trade(conn, out_trade_no)
        if row is None:
            return None
        return GatewayNotice(out_trade_no, row.amount_fen, row.state == "paid",
                             _trade_no(out_trade_no) if row.state == "paid" else "",
                             closed=row.state in ("failed", "reversed"))

    def close(self, out_trade_no: str) -> None:
        """The sandbox plays a gateway that cannot close QR orders, the worst case: its pay page still takes
        money after a cancel, so the late-money path (refund to the customer) stays easy to try."""

    def pay_code(self, request: CodePaymentRequest) -> CodeResult:
        """One charge; the same order number again is the same trade (its state is the answer, nothing more is
        taken), as at WeChat and Alipay."""
        now = clock.now()
        if request.auth_code.endswith(REFUSED_CODE_SUFFIX):
            state, reason, pays_at = "failed", "AUTH_CODE_INVALID", None
        elif _slow(request.amount_fen):
            state, reason, pays_at = "paying", None, now + self.password_s
        else:
            state, reason, pays_at = "paid", None, None
        with self._engine.begin() as conn:
            if not insert_once(conn, sandbox_trades, out_trade_no=request.out_trade_no, kind="code",
                               amount_fen=request.amount_fen, state=state, pays_at=pays_at, reason=reason,
                               charges=1, created_at=now):
                conn.execute(update(sandbox_trades).where(sandbox_trades.c.out_trade_no == request.out_trade_no)
                             .values(charges=sandbox_trades.c.charges + 1))
            row = self._trade(conn, request.out_trade_no)
        if row.kind != "code" or (row.amount_fen != request.amount_fen and row.state != "reversed"):
            raise GatewayError("the sandbox has this order number for another trade (OUT_TRADE_NO_USED)")
        if row.state == "paid":
            return CodeResult(CodeOutcome.PAID, _trade_no(request.out_trade_no))
        if row.state == "paying":
            return CodeResult(CodeOutcome.PAYING)
        return CodeResult(CodeOutcome.FAILED, reason=row.reason or "TRADE_REVERSED")

    def reverse(self, out_trade_no: str) -> None:
        """Closed if not paid, the money back if paid; a trade never seen is recorded reversed, so a charge that
        arrives after its reverse is refused (the number cannot be used again)."""
        with self._engine.begin() as conn:
            if not insert_once(conn, sandbox_trades, out_trade_no=out_trade_no, kind="code", amount_fen=0,
                               state="reversed", reason="TRADE_REVERSED", charges=0, created_at=clock.now()):
                row = self._trade(conn, out_trade_no)
                if row.kind != "code":
                    raise GatewayError("the sandbox reverses code payments only")
                if self._refunded(conn, out_trade_no):
                    raise GatewayError("the sandbox cannot reverse a trade with refunds (REVERSE_EXPIRE)")
                conn.execute(update(sandbox_trades).where(sandbox_trades.c.out_trade_no == out_trade_no)
                             .values(state="reversed", reason="TRADE_REVERSED"))

    @staticmethod
    def _refunded(conn: Connection, out_trade_no: str) -> int:
        r = sandbox_refunds.c
        return int(conn.execute(select(func.coalesce(func.sum(r.amount_fen), 0))
                                .where(r.out_trade_no == out_trade_no, r.state != "failed")).scalar())

    @staticmethod
    def _refund_row(conn: Connection, out_refund_no: str):
        r = sandbox_refunds.c
        row = conn.execute(select(sandbox_refunds).where(r.out_refund_no == out_refund_no)).first()
        if row is not None and row.state == "processing" and clock.now() >= row.done_at:
            conn.execute(update(sandbox_refunds).where(r.out_refund_no == out_refund_no).values(state="succeeded"))
            row = conn.execute(select(sandbox_refunds).where(r.out_refund_no == out_refund_no)).first()
        return row

    @staticmethod
    def _result(row) -> RefundResult:
        return RefundResult(row.out_refund_no, RefundState(row.state), row.amount_fen, _trade_no(row.out_refund_no),
                            "NOT_ENOUGH" if row.state == "failed" else "")

    def refund(self, request: RefundRequest) -> RefundResult:
        """The same refund number again is the same refund; a refund of more than the trade has left is refused
        (FAILED), as a real gateway refuses it."""
        with self._engine.begin() as conn:
            trade = self._trade(conn, request.out_trade_no)  # locked: two refunds of one trade take turns
            row = self._refund_row(conn, request.out_refund_no)
            if row is not None:
                conn.execute(update(sandbox_refunds).where(sandbox_refunds.c.out_refund_no == request.out_refund_no)
                             .values(requests=sandbox_refunds.c.requests + 1))
                if (row.out_trade_no, row.amount_fen) != (request.out_trade_no, request.amount_fen):
                    raise GatewayError("the sandbox has this refund number for another refund")
                return self._result(row)
            if trade is None or trade.state != "paid":  # refused for good, and nothing recorded
                return RefundResult(request.out_refund_no, RefundState.FAILED, request.amount_fen,
                                    reason="TRADE_NOT_PAID")
            left = trade.amount_fen - self._refunded(conn, request.out_trade_no)
            state = "failed" if request.amount_fen > left else "processing" if _slow(request.amount_fen) \
                else "succeeded"
            conn.execute(sandbox_refunds.insert().values(
                out_refund_no=request.out_refund_no, out_trade_no=request.out_trade_no, amount_fen=request.amount_fen,
                state=state, done_at=clock.now() + self.password_s, requests=1))
            return self._result(self._refund_row(conn, request.out_refund_no))

    def refund_status(self, out_refund_no: str, out_trade_no: str) -> RefundResult | None:
        with self._engine.begin() as conn:
            row = self._refund_row(conn, out_refund_no)
        return None if row is None or row.out_trade_no != out_trade_no else self._result(row)

    def ack(self) -> NotifyReply:
        return NotifyReply(200, b"success", "text/plain")

    def refuse(self, reason: str) -> NotifyReply:
        # The platform's own error shape: the sandbox is ours, and the desk-side tests read it.
        return NotifyReply(400, json.dumps({"error": {"code": "bad_notify", "message": reason}}).encode(),
                           "application/json")
