"""A made-up card slip (no real code), for the packaging self-test, the settings preview and the bench."""

from __future__ import annotations

from kameng_desk.printing.layout import Slip
from kameng_desk.printing.slips import CardProduct, Shop, card_slip
from local_cache.codes import CardCode
from local_cache.orders import Order, OrderLine

SAMPLE_SHOP = Shop("示例网吧【收银台】")


def sample_card_slip(*, with_qr: bool = True) -> Slip:
    product = CardProduct("腾讯Q币100元（官方直充卡）", "登录 pay.qq.com，选择“Q卡充值”，输入卡号和卡密。",
                          "https://pay.qq.com/qb" if with_qr else None)
    order = Order("sample", "KM-250101-0001", "sale", "fulfilled", "cash", 10000, "staff",
                  "2025-01-01T04:00:00.000000Z", (OrderLine("p", product.name, 1, 10000),))
    code = CardCode("c", "p", "1000 2000 3000 4000", "ABCD-EFGH-JKLM-NPQR", "2027-12-31", "sold", "sample", False)
    return card_slip(order, code, shop=SAMPLE_SHOP, product=product, index=1, count=1)
