"""A model of the platform's code payments for the desk's tests (the payment port's code calls), with the sandbox
gateway's rules: an amount ending in 99 fen asks for the password; a code ending in 0000 fails AUTH_CODE_INVALID;
a code starting with neither 1 nor 2 is no payment code. Money taken is kept per payment, as at a gateway."""

from __future__ import annotations

from kameng_desk.records.payment_port import CodePayment, PlatformUnreachableError, UnknownPaymentCodeError
from kameng_desk.sync.errors import PlatformRefusedError


class CodePlatform:
    """Code payments as the platform keeps them. `online` False makes every call fail; `lose_replies` lets a
    charge reach the gateway while its answer is lost on the way back."""

    def __init__(self) -> None:
        self.asks_password = lambda amount_fen: amount_fen % 100 == 99
        self.status: dict[str, str] = {}
        self.failure: dict[str, str] = {}
        self.online = True
        self.lose_replies = False
        self.taken: dict[str, int] = {}  # the money at the gateway
        self.codes_seen: list[str] = []

    def _check(self) -> None:
        if not self.online:
            raise PlatformUnreachableError()

    def _answer(self, payment_id: str) -> CodePayment:
        if payment_id not in self.status:
            raise PlatformRefusedError(404, "not_found", "no such payment of this terminal")
        return CodePayment(self.status[payment_id], "sandbox", "wechat", self.failure.get(payment_id))

    def pay_code(self, *, payment_id, order_id, amount_fen, auth_code, description) -> CodePayment:
        self._check()
        self.codes_seen.append(auth_code)
        if not auth_code.startswith(("1", "2")):
            raise UnknownPaymentCodeError("not a WeChat Pay or Alipay payment code")
        if payment_id not in self.status:
            if auth_code.endswith("0000"):
                self.status[payment_id], self.failure[payment_id] = "failed", "AUTH_CODE_INVALID"
            elif self.asks_password(amount_fen):
                self.status[payment_id] = "pending"
            else:
                self.status[payment_id], self.taken[payment_id] = "paid", amount_fen
        if self.lose_replies:
            raise PlatformUnreachableError()
        return self._answer(payment_id)

    def code_payment(self, payment_id: str) -> CodePayment:
        self._check()
        return self._answer(payment_id)

    def payment_status(self, payment_id: str) -> str:
        self._check()
        return self._answer(payment_id).status

    def cancel_payment(self, payment_id: str) -> str:
        """A payment it never saw is recorded cancelled; a charged or waiting one is reversed at the gateway
        (reversing until the gateway confirms: `gateway_confirms`)."""
        self._check()
        if payment_id not in self.status:
            self.status[payment_id] = "cancelled"
        elif self.status[payment_id] in ("pending", "paid"):
            self.status[payment_id] = "reversing"
        return self.status[payment_id]

    def customer_enters_password(self, payment_id: str, amount_fen: int) -> None:
        self.status[payment_id], self.taken[payment_id] = "paid", amount_fen

    def gateway_confirms(self, payment_id: str) -> None:
        self.status[payment_id] = "cancelled"
        self.taken.pop(payment_id, None)
