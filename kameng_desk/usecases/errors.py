"""Errors of counter use cases, worded for the cashier."""

from __future__ import annotations

from typing import Literal

from kameng_desk.records import money

# Why an account cannot be topped up. The screens word each one in their language from these fields, never from
# the English message (which is for logs and the command line).
AccountProblem = Literal["length", "satellite", "prefix", "empty", "pattern"]
VoidRefusal = Literal["topup", "state", "handed_over", "other"]
_ACCOUNT_TEXT = {"length": "A mobile number has 11 digits.",
                 "satellite": "1349 numbers are satellite phones and cannot be topped up here.",
                 "prefix": "{prefix} is not a known mobile number prefix.",
                 "empty": "Enter the game account.",
                 "pattern": "This is not a valid account for {product_name}."}


class CounterError(Exception):
    """Base of counter use-case errors."""


class EmptyCartError(CounterError):
    def __init__(self) -> None:
        super().__init__("The cart is empty.")


class NotEnoughCashError(CounterError):
    def __init__(self, total_fen: int, received_fen: int) -> None:
        super().__init__("The cash received is less than the total.")
        self.total_fen, self.received_fen = total_fen, received_fen


class ProductUnavailableError(CounterError):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not on sale any more.")
        self.name = name


class InvalidAccountError(CounterError):
    """A phone number or game account that cannot be topped up; `problem` says why (`prefix`: the number's first
    three digits, `product_name`: the game the account is for)."""

    def __init__(self, problem: AccountProblem, *, prefix: str = "", product_name: str = "") -> None:
        super().__init__(_ACCOUNT_TEXT[problem].format(prefix=prefix, product_name=product_name))
        self.problem, self.prefix, self.product_name = problem, prefix, product_name


class NotOwnerError(CounterError):
    def __init__(self) -> None:
        super().__init__("Only the owner can approve this.")


class NotVoidableError(CounterError):
    """`why` for the screens: a top-up, a sale in another `state`, codes handed over, or another reason."""

    def __init__(self, reason: str, *, why: VoidRefusal = "other", state: str = "") -> None:
        super().__init__(reason)
        self.why, self.state = why, state


class FloatOutOfRangeError(CounterError):
    """A float no counter drawer holds: a typing or scanning slip."""

    def __init__(self, float_fen: int, maximum_fen: int) -> None:
        super().__init__(f"A shift's float is 0 to {maximum_fen // 100} yuan, not {float_fen / 100:.2f}.")
        self.float_fen, self.maximum_fen = float_fen, maximum_fen


class NoOpenShiftError(CounterError):
    def __init__(self) -> None:
        super().__init__("No shift is open: open one with a cash float first.")


class CashOutOfRangeError(CounterError):
    """The cash received is more than any customer hands over for this total (nothing was recorded)."""

    def __init__(self, total_fen: int, received_fen: int) -> None:
        super().__init__(f"The cash received ({money.yuan(received_fen)}) is more than "
                         f"{money.yuan(money.MAX_OVERPAY_FEN)} above the total ({money.yuan(total_fen)}): "
                         "check the amount; nothing was recorded.")
        self.total_fen, self.received_fen = total_fen, received_fen
