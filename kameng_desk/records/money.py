"""Money is integer fen; this is the one place that turns it into 元 for people, and that says what a sane cash
tender is (the bounds the counter, the CLI and the tests share; usecases.recording enforces them)."""

from __future__ import annotations

LARGEST_NOTE_FEN = 100_00  # ¥100 is the largest RMB note
# Nobody hands over more than ten ¥100 notes beyond the price: more than that is a typo or a scanned code.
MAX_OVERPAY_FEN = 10 * LARGEST_NOTE_FEN
# A cash amount has at most 7 whole-yuan digits (¥9,999,999, far above any order: 500 per line); a barcode
# (EAN-8, EAN-13, UPC-A) has 8 or more digits, so a longer number in the cash field is a scan.
MAX_CASH_DIGITS = 7


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


def looks_like_code(text: str) -> bool:
    """Longer than any cash amount (more than MAX_CASH_DIGITS digits before the point): a scanned code."""
    whole = text.strip().replace("￥", "").replace("¥", "").partition(".")[0]
    return whole.isdigit() and len(whole) > MAX_CASH_DIGITS


def is_suspicious_change(total_fen: int, received_fen: int) -> bool:
    """More change than the largest note: the customer would have handed over a ¥100 note they did not need,
    which real tenders do not do; the cashier confirms before the sale is recorded."""
    return received_fen - total_fen > LARGEST_NOTE_FEN
