"""Use-case errors in plain, translated words for the cashier."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from kameng_desk import first_run, shop_admin
from kameng_desk.counter import errors as counter_errors
from kameng_desk.counter.handover import CodesHandedOverError, NotShowableError
from kameng_desk.counter.money import MAX_OVERPAY_FEN, CashOutOfRangeError, yuan
from kameng_desk.counter.refunds import NotRefundableError
from kameng_desk.payments.qr_sale import PaymentNotCancellableError
from kameng_desk.sync import errors as sync_errors
from local_cache import errors as store_errors


def tr(text: str) -> str:
    # pyside6-lupdate files module-level tr() calls under the empty context.
    return QCoreApplication.translate("", text)


class Notice(Exception):
    """A problem the screen found itself, already in the cashier's words (translated)."""


def _refusal(exc: sync_errors.PlatformRefusedError) -> str | None:
    """The platform's refusals the cashier or owner meets, by their machine-readable code (the platform's own
    message is English, for operators, and must not reach a Chinese screen)."""
    if exc.code == "too_many_attempts":
        if exc.retry_after_s:
            return tr("配对尝试次数过多，请 {n} 分钟后再试。").format(n=math.ceil(exc.retry_after_s / 60))
        return tr("配对尝试次数过多，请稍后再试。")
    return {
        "pairing_code_invalid": tr("配对码无效或已过期，请向运营方索取新的配对码。"),
        "out_of_stock": tr("平台上此商品已无库存，请联系运营方补货。"),
        "insufficient_balance": tr("平台账户余额不足，请先向运营方充值。"),
        "product_inactive": tr("此商品在平台上已停售。"),
        "unknown_product": tr("平台上没有此商品，请同步后再试。"),
        "payment_expired": tr("此收款码已过期，请重新发起收款。"),
        "payment_cancelled": tr("此笔扫码收款已取消。"),
    }.get(exc.code)


def describe(exc: Exception) -> str:
    if isinstance(exc, Notice):
        return str(exc)
    if isinstance(exc, store_errors.OutOfStockError):
        return tr("库存不足：{name} 需要 {wanted} 张，只有 {available} 张。未售出任何卡密。").format(
            name=exc.product_name, wanted=exc.wanted, available=exc.available)
    if isinstance(exc, store_errors.WrongPinError):
        return tr("PIN 错误，还可尝试 {n} 次。").format(n=exc.attempts_left)
    if isinstance(exc, store_errors.PinLockedError):
        return tr("PIN 错误次数过多，账号已锁定，请 {n} 分钟后再试（收银台关闭或修改系统时间期间不计时）。").format(
            n=exc.minutes_left)
    if isinstance(exc, store_errors.EmptyPinError):
        return tr("请输入 PIN。")
    if isinstance(exc, store_errors.StaffDisabledError):
        return tr("此账号已停用，请联系店长。")
    if isinstance(exc, store_errors.DiskFullError):
        return tr("磁盘已满，本次操作未保存（之前的记录都在）。请清理磁盘后重试。")
    if isinstance(exc, counter_errors.NotEnoughCashError):
        return tr("收款金额不足。")
    if isinstance(exc, CashOutOfRangeError):
        return tr("收款 ￥{r} 不合理：最多比应收 ￥{t} 多 ￥{m}。请核对金额（扫码请扫到搜索框）。"
                  "未记录任何销售。").format(r=yuan(exc.received_fen), t=yuan(exc.total_fen), m=yuan(MAX_OVERPAY_FEN))
    if isinstance(exc, counter_errors.EmptyCartError):
        return tr("购物车是空的。")
    if isinstance(exc, counter_errors.ProductUnavailableError):
        return tr("{name} 已停售。").format(name=exc.name)
    if isinstance(exc, counter_errors.InvalidAccountError):
        return tr("号码或账号无效：{detail}").format(detail=str(exc))
    if isinstance(exc, counter_errors.NotOwnerError):
        return tr("此操作需要店长授权。")
    if isinstance(exc, CodesHandedOverError):
        return tr("不能作废：这笔销售的卡密已显示或已开始打印，顾客可能已拿到卡密，卡密不能再放回库存。"
                  "卡密有问题时请按售后处理。")
    if isinstance(exc, NotShowableError):
        return tr("这笔订单已作废、已取消或未付款，不能显示卡密。")
    if isinstance(exc, counter_errors.NotVoidableError):
        return tr("不能作废：{detail}").format(detail=str(exc))
    if isinstance(exc, PaymentNotCancellableError):
        return (tr("这笔扫码收款正在收银台上进行：请在收银台取消。") if exc.in_progress
                else tr("这笔订单没有未付款的扫码收款可以取消（已付款或已取消）。"))
    if isinstance(exc, NotRefundableError):
        return tr("不能退款：{detail}").format(detail=str(exc))
    if isinstance(exc, counter_errors.NoOpenShiftError):
        return tr("当前没有开班：请先在“后台 → 交班”中开班。")
    if isinstance(exc, first_run.SetupFieldError):
        return {"shop_name": tr("请填写店名（会打印在每张小票上）。"), "owner_name": tr("请填写店长姓名。"),
                "pin": tr("PIN 为 4 到 8 位数字。"), "pin_again": tr("两次输入的 PIN 不一致。")}[exc.field]
    if isinstance(exc, first_run.AlreadySetUpError):
        return tr("此收银台已设置过，请用店长账号登录后修改。")
    if isinstance(exc, shop_admin.InvalidSettingError):
        return {"shop_name": tr("店名不能为空，最多 40 个字。"), "receipt_header": tr("小票抬头最多 200 个字。"),
                "auto_lock_minutes": tr("自动锁屏时间为 1 到 120 分钟。"), "language": tr("不支持这种语言。"),
                "name": tr("请填写员工姓名。"), "pin": tr("PIN 为 4 到 8 位数字。")}.get(exc.name, str(exc))
    if isinstance(exc, shop_admin.LastOwnerError):
        return tr("不能停用最后一位店长：否则没人能授权作废或修改设置。")
    if isinstance(exc, shop_admin.UnsyncedOrdersError):
        return tr("还有 {n} 个订单没上传到平台：请先同步，再解除配对。").format(n=exc.waiting)
    if isinstance(exc, sync_errors.OfflineError):
        return tr("无法连接平台：订单保存在本机，联网后自动上传。")
    if isinstance(exc, sync_errors.ClockSkewError):
        return tr("本机时间偏差超过 5 分钟，请校正日期和时间。")
    if isinstance(exc, sync_errors.TerminalRevokedError):
        return tr("平台已停用此收银台，请向运营方索取新的配对码。")
    if isinstance(exc, sync_errors.PlatformRefusedError):
        return _refusal(exc) or tr("平台拒绝了此操作（{code}），请把这段代码告诉运营方。").format(code=exc.code)
    if isinstance(exc, sync_errors.SyncError | store_errors.StoreError | counter_errors.CounterError):
        return str(exc)
    return tr("意外错误：{kind}。已记录的销售不受影响。").format(kind=type(exc).__name__)
