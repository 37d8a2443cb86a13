"""Errors of counter use cases, worded for the cashier."""

from __future__ import annotations


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
    """A phone number or game account that cannot be topped up."""


class NotOwnerError(CounterError):
    def __init__(self) -> None:
        super().__init__("Only the owner can approve this.")


class NotVoidableError(CounterError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)


class NoOpenShiftError(CounterError):
    def __init__(self) -> None:
        super().__init__("No shift is open: open one with a cash float first.")
