"""What a stored code reads as on paper, and stored times in the shop's local time: data with no dependencies.

The database keeps codes ('cash', 'queued', ...); a slip prints these Chinese names for them. The screens have
their own, translatable, words for the same codes (kameng_desk/gui/texts.py): paper is always Chinese, a screen
follows the cashier's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from local_cache.ids import parse_utc

# orders.payment_method -> the name a receipt and the Z report print; every method an order can have (the back
# office's filter offers these).
PAYMENT_METHODS: Mapping[str, str] = MappingProxyType({"cash": "现金", "qr_dynamic": "扫码支付", "qr_static": "收款码",
                                                       "code": "付款码支付"})

# orders.topup_state -> what a top-up receipt says (a receipt printed before the platform answered says 已受理).
TOPUP_STATES: Mapping[str, str] = MappingProxyType({"queued": "已受理，等待充值", "submitted": "充值中",
                                                    "succeeded": "充值成功", "failed": "充值失败，已退款"})


def name_of(names: Mapping[str, str], code: str | None) -> str:
    """A code's name; a code this version has no name for (a newer desk wrote it) shows as itself."""
    return names.get(code or "", code or "")


def local_time(utc_text: str | None, *, with_date: bool = True) -> str:
    """Stored in UTC, shown in the shop's local time ('' for no time); with_date=False: the time of day only."""
    if not utc_text:
        return ""
    return parse_utc(utc_text).astimezone().strftime("%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S")
