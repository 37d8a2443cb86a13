"""Mainland China mobile numbers: 11 digits, a known prefix, and the carrier it belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from kameng_desk.usecases.errors import InvalidAccountError

# Number segments as allocated by MIIT (three-digit prefixes; 1349 is the satellite exception).
CARRIER_PREFIXES: dict[str, tuple[str, ...]] = {
    "cmcc": ("134", "135", "136", "137", "138", "139", "147", "148", "150", "151", "152", "157", "158",
             "159", "172", "178", "182", "183", "184", "187", "188", "195", "197", "198"),
    "cucc": ("130", "131", "132", "145", "146", "155", "156", "166", "175", "176", "185", "186", "196"),
    "ctcc": ("133", "149", "153", "173", "174", "177", "180", "181", "189", "190", "191", "193", "199"),
    "cbn": ("192",),
    "mvno": ("162", "165", "167", "170", "171"),
}
_BY_PREFIX = {prefix: carrier for carrier, prefixes in CARRIER_PREFIXES.items() for prefix in prefixes}

CARRIER_NAMES = {"cmcc": "中国移动", "cucc": "中国联通", "ctcc": "中国电信", "cbn": "中国广电", "mvno": "虚拟运营商"}


@dataclass(frozen=True)
class PhoneNumber:
    number: str
    carrier: str  # key of CARRIER_PREFIXES

    @property
    def masked(self) -> str:
        return f"{self.number[:3]}****{self.number[7:]}"


def normalise(text: str) -> str:
    digits = "".join(ch for ch in text if not ch.isspace() and ch != "-")
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits


def parse_phone(text: str) -> PhoneNumber:
    number = normalise(text)
    if not (number.isascii() and number.isdigit()) or len(number) != 11:
        raise InvalidAccountError("length")
    if number.startswith("1349"):
        raise InvalidAccountError("satellite")
    carrier = _BY_PREFIX.get(number[:3])
    if carrier is None:
        raise InvalidAccountError("prefix", prefix=number[:3])
    return PhoneNumber(number, carrier)
