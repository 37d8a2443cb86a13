"""Golden bytes for every slip on 58 mm (32 columns) and 80 mm (48), and what the bytes say when decoded by
the tests' own ESC/POS decoder. Regenerate goldens after an intended change with KAMENG_UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from kameng_desk.printing.escpos_render import render_escpos
from kameng_desk.printing.layout import Slip
from kameng_desk.printing.profiles import PAPER_58, PAPER_80, PrinterProfile
from kameng_desk.printing.slips import card_slip, printer_test_page, sale_receipt, topup_receipt, z_report_slip
from tests.printing.conftest import CODES, LONG_NAME, QB_PRODUCT, SALE, SHOP, TOPUP, Z
from tests.printing.escpos_decoder import Printed, decode

pytestmark = pytest.mark.usefixtures("china_time")
GOLDEN = Path(__file__).parent / "golden"
PROFILES = {"58": replace(PAPER_58, drawer_pin=2), "80": replace(PAPER_80, drawer_pin=2)}


def slips(profile: PrinterProfile) -> dict[str, Slip]:
    return {
        "sale_receipt": sale_receipt(SALE, shop=SHOP, cashier="小李"),
        "card_slip": card_slip(SALE, CODES[0], shop=SHOP, product=QB_PRODUCT, index=1, count=2),
        "topup_receipt": topup_receipt(TOPUP, shop=SHOP, cashier="小李"),
        "z_report": z_report_slip(Z, shop=SHOP, cashier="小李"),
        "test_page": printer_test_page(profile, shop=SHOP),
    }


def printed(kind: str, paper: str, *, copy: bool = False) -> tuple[bytes, Printed]:
    profile = PROFILES[paper]
    data = render_escpos(slips(profile)[kind], profile, copy=copy)
    return data, decode(data)


def has_line(p: Printed, *parts: str) -> bool:
    return any(all(part in line for part in parts) for line in p.lines)


@pytest.mark.parametrize("paper", ["58", "80"])
@pytest.mark.parametrize("kind", ["sale_receipt", "card_slip", "topup_receipt", "z_report", "test_page"])
def test_golden_bytes(kind: str, paper: str) -> None:
    data, p = printed(kind, paper)
    path = GOLDEN / f"{kind}_{paper}.bin"
    if os.environ.get("KAMENG_UPDATE_GOLDEN"):
        path.write_bytes(data)
    assert data == path.read_bytes()
    assert data.startswith(b"\x1b@\x1c&")  # initialise, then Chinese mode before any text
    assert p.chinese_mode
    columns = PROFILES[paper].columns
    assert max(p.widths) <= columns, "a line overflows the paper"
    assert p.kinds()[-2:] == ["feed", "cut"]


@pytest.mark.parametrize("paper", ["58", "80"])
def test_sale_receipt_says_what_was_sold(paper: str) -> None:
    _, p = printed("sale_receipt", paper)
    assert p.kinds()[0] == "drawer"  # cash sale: the drawer opens as the receipt starts
    assert has_line(p, "星空网吧") and has_line(p, "销售小票")
    assert has_line(p, "单号", "KM-250101-0007") and has_line(p, "时间", "2025-01-01 12:05:06")
    assert has_line(p, "收银员", "小李")
    assert has_line(p, "Q币10元") and has_line(p, "2 × ￥10.00", "￥20.00")
    assert "".join(p.lines).replace(" ", "").count(LONG_NAME) == 1  # wrapped, nothing lost
    assert has_line(p, "合计", "￥70.00") and has_line(p, "支付方式", "现金")
    assert has_line(p, "实收", "￥100.00") and has_line(p, "找零", "￥30.00")
    assert ("barcode", "KM-250101-0007") in p.events
    assert not has_line(p, "COPY")


@pytest.mark.parametrize("paper", ["58", "80"])
def test_card_slip_shows_code_secret_and_redeem_qr(paper: str) -> None:
    _, p = printed("card_slip", paper)
    assert has_line(p, "CARDNO00000001") and has_line(p, "SECRET-QB-000001-ZX")
    secret_line = next(i for i, line in enumerate(p.lines) if "SECRET-QB-000001-ZX" in line)
    assert p.sizes[secret_line] == (1, 2) and p.bold[secret_line]  # double height, still one line
    assert has_line(p, "有效期至", "2026-12-31") and has_line(p, "Q币10元")
    assert "pay.qq.com" in p.text and has_line(p, "KM-250101-0007", "1/2")
    assert p.qr_payloads() == ["https://pay.qq.com/qb"]
    assert "drawer" not in p.kinds()


def test_card_slip_image_qr_for_printers_without_native_qr() -> None:
    profile = replace(PAPER_58, native_qr=False)
    p = decode(render_escpos(slips(profile)["card_slip"], profile))
    assert [e for e in p.events if e[0] == "qr"] == [("qr", "image", "https://pay.qq.com/qb")]


@pytest.mark.parametrize("paper", ["58", "80"])
def test_topup_receipt_masks_the_phone_number(paper: str) -> None:
    data, p = printed("topup_receipt", paper)
    assert has_line(p, "充值账号", "138****5678") and b"13812345678" not in data
    assert has_line(p, "状态", "已受理") and has_line(p, "支付方式", "扫码支付") and has_line(p, "￥50.00")
    assert "drawer" not in p.kinds()  # paid by QR


@pytest.mark.parametrize("paper", ["58", "80"])
def test_z_report_totals(paper: str) -> None:
    _, p = printed("z_report", paper)
    assert has_line(p, "交班报表", "3")
    assert has_line(p, "销售合计", "￥750.00") and has_line(p, "现金", "￥700.00")
    assert has_line(p, "应有现金", "￥900.00") and has_line(p, "实点现金", "￥880.00")
    assert has_line(p, "差额", "￥-20.00") and has_line(p, "作废/退款", "1 笔")
    assert has_line(p, "开班", "2025-01-01 09:00:00") and has_line(p, "交班", "2025-01-01 18:00:00")


@pytest.mark.parametrize("paper", ["58", "80"])
def test_z_report_cost_profit_voids_and_orders_before_open(paper: str) -> None:
    _, p = printed("z_report", paper)
    assert has_line(p, "成本", "￥190.00", "￥10.00")  # Q币10元: cost and 毛利 per product
    assert has_line(p, "成本合计", "￥238.00") and has_line(p, "毛利", "￥512.00", "68.3%")
    assert has_line(p, "小李", "11 笔", "￥750.00")  # by staff
    assert has_line(p, "作废", "KM-250101-0009", "￥30.00")  # each void with its order and amount
    assert has_line(p, "开班前订单", "1 笔", "￥50.00")


@pytest.mark.parametrize("paper", ["58", "80"])
def test_test_page_full_width_symbols_survive(paper: str) -> None:
    _, p = printed("test_page", paper)
    columns = PROFILES[paper].columns
    assert "".join(str(n % 10) for n in range(1, columns + 1)) in p.lines
    assert has_line(p, "￥【】《》")  # lost by escpos' magic encoder on lines without Han characters
    assert p.qr_payloads() and ("barcode", "KM-TEST-0001") in p.events


@pytest.mark.parametrize("kind", ["sale_receipt", "card_slip"])
def test_a_reprint_says_copy_and_never_opens_the_drawer(kind: str) -> None:
    _, p = printed(kind, "58", copy=True)
    assert "重印 / COPY" in p.lines[0]
    assert "drawer" not in p.kinds()


def test_no_cutter_feeds_past_the_tear_bar_instead() -> None:
    profile = replace(PAPER_58, cut=False)
    p = decode(render_escpos(slips(profile)["card_slip"], profile))
    assert "cut" not in p.kinds() and p.kinds()[-1] == "feed"
