"""The slips a shop prints: sale receipt, card slip, top-up receipt, refund slip, shift (Z) report and test page.

Builders take plain records and return a Slip; they never touch the database (see queueing for that).
Amounts are fen, shown as 元 through records.money.yuan; stored codes are printed by their names in records.labels.
Times are stored in UTC and printed in local time.
"""

from __future__ import annotations

from dataclasses import dataclass

from kameng_desk.printing.layout import Barcode, Cut, DrawerKick, Element, Feed, QrCode, Row, Separator, Slip, Text
from kameng_desk.printing.profiles import PrinterProfile
from kameng_desk.records.labels import PAYMENT_METHODS, TOPUP_STATES, local_time, name_of
from kameng_desk.records.money import yuan
from kameng_desk.records.zreport import ZReport
from local_cache.codes import CardCode
from local_cache.orders import Order
from local_cache.refunds import Refund

THANKS = "谢谢惠顾，欢迎再来"


@dataclass(frozen=True)
class Shop:
    name: str
    header: str = ""  # 小票抬头, e.g. 欢迎光临，点卡售出概不退换


@dataclass(frozen=True)
class CardProduct:
    """What a card slip needs from the catalog."""
    name: str
    redeem_hint: str = ""
    redeem_url: str | None = None


def money(fen: int) -> str:
    return f"￥{yuan(fen)}"


def mask_account(account: str) -> str:
    """Phone numbers as 138****5678; other accounts keep their first and last two characters."""
    if len(account) == 11 and account.isdigit():
        return f"{account[:3]}****{account[7:]}"
    if len(account) <= 4:
        return "*" * len(account)
    return f"{account[:2]}{'*' * (len(account) - 4)}{account[-2:]}"


def _header(shop: Shop, title: str) -> list[Element]:
    lines: list[Element] = [Text(shop.name, "center", "large", True)]
    if shop.header:
        lines.append(Text(shop.header, "center"))
    return [*lines, Text(title, "center", "normal", True), Separator()]


def _order_rows(order: Order, cashier: str) -> list[Element]:
    return [Row("单号", order.number), Row("时间", local_time(order.created_at)), Row("收银员", cashier)]


def _payment_rows(order: Order) -> list[Element]:
    rows: list[Element] = [Row("合计", money(order.total_fen), bold=True),
                           Row("支付方式", name_of(PAYMENT_METHODS, order.payment_method))]
    if order.cash_received_fen is not None:
        rows += [Row("实收", money(order.cash_received_fen)), Row("找零", money(order.change_fen or 0))]
    return rows


def sale_receipt(order: Order, *, shop: Shop, cashier: str) -> Slip:
    elements: list[Element] = [DrawerKick()] if order.payment_method == "cash" else []
    elements += [*_header(shop, "销售小票"), *_order_rows(order, cashier), Separator()]
    for line in order.lines:
        elements += [Text(line.product_name), Row(f"  {line.quantity} × {money(line.unit_price_fen)}",
                                                  money(line.amount_fen))]
    elements += [Separator(), *_payment_rows(order), Separator(), Barcode(order.number),
                 Text(THANKS, "center"), Cut()]
    return Slip("sale_receipt", tuple(elements))


def card_slip(order: Order, code: CardCode, *, shop: Shop, product: CardProduct, index: int, count: int) -> Slip:
    """What the cashier hands over: the card number and secret, large, with how to redeem them."""
    elements: list[Element] = [
        *_header(shop, "点卡卡密凭证"),
        Row("商品", product.name),
        Text("卡号："), Text(code.card_no, size="tall", bold=True),
        Text("卡密："), Text(code.card_secret, size="tall", bold=True),
    ]
    if code.expires_on:
        elements.append(Row("有效期至", code.expires_on))
    elements.append(Separator())
    if product.redeem_hint:
        elements.append(Text(f"使用方法：{product.redeem_hint}"))
    if product.redeem_url:
        elements += [QrCode(product.redeem_url), Text("扫码充值", "center")]
    elements += [Separator(), Row("单号", f"{order.number}  {index}/{count}"),
                 Row("时间", local_time(order.created_at)),
                 Text("卡密如同现金，请妥善保管，售出后不退不换。"), Cut()]
    return Slip("card_slip", tuple(elements))


def topup_receipt(order: Order, *, shop: Shop, cashier: str) -> Slip:
    line = order.lines[0]
    state = name_of(TOPUP_STATES, order.topup_state or "queued")
    elements: list[Element] = [DrawerKick()] if order.payment_method == "cash" else []
    elements += [
        *_header(shop, "充值凭证"), *_order_rows(order, cashier), Separator(),
        Row("商品", line.product_name), Row("充值账号", mask_account(order.topup_account or "")),
        Row("状态", state), Separator(), *_payment_rows(order), Separator(),
        Text("充值结果以到账为准，如未到账请凭单号查询。"), Barcode(order.number), Cut(),
    ]
    return Slip("topup_receipt", tuple(elements))


# How the money of a refund went back, as the slip and the Z report say it.
REFUND_METHODS = {"cash": "现金退款", "gateway": "原路退回", "cash_instead": "现金代退（原支付方式不支持退款）"}


def refund_slip(order: Order, refund: Refund, *, shop: Shop, approver: str, payment_app: str | None = None) -> Slip:
    """退款凭证: which order, how much, how it went back, when, who approved it. Never a card code: a refunded card
    sale's codes went back on the shelf and may be sold again. A cash refund opens the drawer."""
    how = REFUND_METHODS.get(refund.method, refund.method)
    if refund.method == "gateway" and payment_app:
        how = f"{how}（{payment_app}）"
    elements: list[Element] = [DrawerKick()] if refund.from_drawer else []
    elements += [
        *_header(shop, "退款凭证"), Row("单号", order.number), Row("原订单金额", money(order.total_fen)),
        Row("退款金额", money(refund.amount_fen), bold=True), Row("退款方式", how),
        Row("时间", local_time(refund.finished_at or refund.created_at)), Row("授权人", approver or "自动退款"),
        Separator(), Barcode(order.number), Text("退款已完成，请妥善保管此凭证。", "center"), Cut(),
    ]
    return Slip("refund_slip", tuple(elements))


def z_report_slip(report: ZReport, *, shop: Shop, cashier: str) -> Slip:
    shift = report.shift
    elements: list[Element] = [
        *_header(shop, f"交班报表 (Z) 第 {report.seq} 班"),
        Row("收银员", cashier), Row("开班", local_time(shift.opened_at)),
        Row("交班", local_time(shift.closed_at) if shift.closed_at else "未交班"),
        Row("单数", str(report.orders)),
    ]
    if report.first_number:
        elements += [Row("首单", report.first_number), Row("末单", report.last_number or "")]
    if report.before_open_orders:  # orders made with no shift open joined this one; their cash is in the float
        elements.append(Row("开班前订单", f"{report.before_open_orders} 笔 {money(report.before_open_fen)}"))
    elements += [Separator(), Text("商品销售", bold=True)]
    for p in report.sales_by_product:
        elements += [Row(f"{p.name} ×{p.quantity}", money(p.amount_fen)),
                     Row("  成本 / 毛利", f"{money(p.cost_fen)} / {money(p.profit_fen)}")]
    if report.by_staff:
        elements += [Separator(), Text("按员工", bold=True)]
        for s in report.by_staff:
            elements += [Row(f"{s.name} {s.orders} 笔", money(s.amount_fen)),
                         Row("  毛利", money(s.profit_fen))]
    elements += [Separator(), Text("支付方式", bold=True)]
    for method, fen in sorted(report.by_payment_method.items()):
        elements.append(Row(name_of(PAYMENT_METHODS, method), money(fen)))
    elements += [
        Row("充值", f"{report.topups_count} 笔 {money(report.topups_fen)}"),
        Row("充值失败已退款", money(report.topups_failed_fen)),
        Row("作废/退款", f"{len(report.voids)} 笔"),
    ]
    actions = {"void": "作废", "refund": "退款"}
    elements += [Row(f"  {actions.get(v.action, v.action)} {v.number or ''}",
                     money(v.amount_fen) if v.amount_fen is not None else "") for v in report.voids]
    if report.passed_on:  # unsettled at the close: the next shift's Z report has their money
        elements.append(Row("未结算转下一班", f"{len(report.passed_on)} 笔"))
        elements += [Row(f"  {p.number}", money(p.total_fen)) for p in report.passed_on]
    if report.refunds_by_method:
        elements.append(Text("退款", bold=True))
        elements += [Row(f"  {REFUND_METHODS.get(m, m)}", money(fen))
                     for m, fen in sorted(report.refunds_by_method.items())]
    margin = f"（{report.margin:.1%}）" if report.margin is not None else ""
    elements += [
        Row("无销售开钱箱", f"{report.drawer_openings} 次"),
        Row("销售合计", money(report.sales_fen), bold=True),
        Row("成本合计", money(report.cost_fen)), Row("毛利", f"{money(report.profit_fen)}{margin}", bold=True),
        Separator(), Row("备用金", money(shift.float_fen)),
    ]
    if shift.expected_fen is not None:
        elements += [Row("应有现金", money(shift.expected_fen)), Row("实点现金", money(shift.counted_fen or 0)),
                     Row("差额", money(shift.difference_fen or 0), bold=True)]
    elements += [Feed(2), Text("收银员签字：________"), Cut()]
    return Slip("z_report", tuple(elements))


def printer_test_page(profile: PrinterProfile, *, shop: Shop) -> Slip:
    ruler = "".join(str(n % 10) for n in range(1, profile.columns + 1))
    return Slip("test_page", (
        *_header(shop, "打印测试页"),
        Row("纸宽", f"{profile.name} / {profile.columns} 列"), Row("编码", profile.encoding.upper()),
        Row("二维码", "打印机原生" if profile.native_qr else "图片"), Row("切纸", "有" if profile.cut else "无"),
        Text(ruler), Text("中文测试：收银台打印正常。"), Text("符号：￥【】《》“”、。·×"),
        Row("左对齐", "右对齐"), Text("居中", "center"), Text("倍高", size="tall"), Text("大字", size="large"),
        QrCode("https://kameng.example/printer-test"), Barcode("KM-TEST-0001"), Cut(),
    ))
