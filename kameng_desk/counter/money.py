"""Money is integer fen; this is the one place that turns it into 元 for people."""

from __future__ import annotations


def yuan(fen: int) -> str:
    """Fen as a 元 amount with two decimals, without floats: 1050 -> '10.50'."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def parse_yuan(text: str) -> int:
    """'12.5' -> 1250 fen; raises ValueError for anything that is not a plain amount."""
    text = text.strip().replace("￥", "").replace("¥", "")
    whole, _, cents = text.partition(".")
    if not whole.isdigit() and not (whole == "" and cents.isdigit()):
        raise ValueError("not an amount")
    if len(cents) > 2 or (cents and not cents.isdigit()):
        raise ValueError("at most two decimals")
    return int(whole or 0) * 100 + int(cents.ljust(2, "0") or 0)
