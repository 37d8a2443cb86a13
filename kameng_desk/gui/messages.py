"""Use-case errors in plain, translated words for the cashier, and the one box that shows them."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QMessageBox, QWidget

from kameng_desk.gui.texts import state_label, tr
from kameng_desk.printing.errors import NotReprintableError
from kameng_desk.records.money import MAX_OVERPAY_FEN, yuan
from kameng_desk.records.payment_port import PlatformUnreachableError
from kameng_desk.sync import errors as sync_errors
from kameng_desk.usecases import barcodes, first_run, shop_admin, static_qr, stock
from kameng_desk.usecases import errors as counter_errors
from kameng_desk.usecases.handover import CodesHandedOverError, NotShowableError
from kameng_desk.usecases.qr_sale import PaymentNotCancellableError
from kameng_desk.usecases.refunds import GatewayOfflineError, NotRefundableError
from local_cache import errors as store_errors
from local_cache.states import ORDER as ORDER_STATES


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
        "reseller_frozen": tr("平台已冻结本店的账户，暂时不能补货或上传订单：请联系运营方。"),
        "product_inactive": tr("此商品在平台上已停售。"),
        "unknown_product": tr("平台上没有此商品，请同步后再试。"),
        "payment_expired": tr("此收款码已过期，请重新发起收款。"),
        "payment_cancelled": tr("此笔扫码收款已取消。"),
    }.get(exc.code)


def rejection_words(reason: str) -> str | None:
    """An order the platform refused, when its reason ("code: English text") is one the owner can act on."""
    return {"reseller_frozen": tr("平台已冻结本店的账户，请联系运营方。"),
            "insufficient_balance": tr("平台账户余额不足，请先向运营方充值。")}.get(reason.partition(":")[0])


def _account(exc: counter_errors.InvalidAccountError) -> str:
    return {"length": tr("手机号是 11 位数字。"),
            "satellite": tr("1349 开头的是卫星电话号码，不能在这里充值。"),
            "prefix": tr("{prefix} 不是已知的手机号段，请核对号码。").format(prefix=exc.prefix),
            "empty": tr("请输入游戏账号。"),
            "pattern": tr("这不是 {name} 的有效账号，请核对。").format(name=exc.product_name)}[exc.problem]


def _void_refusal(exc: counter_errors.NotVoidableError) -> str:
    if exc.why == "topup":
        return tr("不能作废：充值单不能作废，充值失败时平台会退款。")
    if exc.why == "state":
        state = state_label(exc.state) if exc.state in ORDER_STATES else tr("未完成")
        return tr("不能作废：这笔订单{state}，不是已完成的销售。").format(state=state)
    return tr("不能作废这笔订单。")


def _backup(exc: store_errors.BackupError) -> str:
    return {"short_passphrase": tr("备份密码至少 {n} 个字符。").format(n=exc.minimum),
            "write_failed": tr("备份无法写入 {path}：请检查磁盘空间和写入权限。").format(path=exc.path),
            "no_file": tr("找不到备份文件 {path}，没有任何改动。").format(path=exc.path),
            "wrong_passphrase": tr("{path} 无法用这个密码打开（或不是卡盟备份），没有任何改动。").format(
                path=exc.path)}[exc.problem]


def _unexplained(exc: Exception) -> str | None:
    """Errors of the store, the platform link and the counter with no words of their own above: said in the
    cashier's language by type (their English message is for the log and the command line)."""
    if isinstance(exc, store_errors.KeyringUnavailableError):
        return tr("没有可用的系统密钥环（{backend}）：数据库密钥必须保存在系统密钥环中"
                  "（Windows 为“凭据管理器”）。请启动密钥环服务，或先用演示模式试用。").format(backend=exc.backend)
    if isinstance(exc, store_errors.MissingKeyError):
        return tr("数据库 {path} 存在，但系统密钥环中没有它的密钥，没有任何改动。请恢复密钥环条目，"
                  "或用“kameng-desk restore”把备份恢复到新的数据目录。").format(path=exc.db_path)
    if isinstance(exc, store_errors.WrongKeyError):
        return tr("系统密钥环中的密钥打不开 {path}，没有任何改动。请恢复正确的密钥环条目或恢复备份。").format(
            path=exc.db_path)
    if isinstance(exc, store_errors.SchemaTooNewError):
        return tr("此数据库由更新版本的收银台写入（版本 {found}，本程序支持 {known}）：请安装新版本，"
                  "数据库没有改动。").format(found=exc.found, known=exc.known)
    if isinstance(exc, store_errors.MigrationError):
        return tr("数据库升级未完成，数据没有改动：请把日志发给技术支持。")
    if isinstance(exc, store_errors.InvalidTransitionError):
        return tr("这条记录的状态刚刚变了，请刷新后再试。")
    if isinstance(exc, store_errors.ClosedShiftError):
        return tr("这个班次已交班，不能再修改。")
    if isinstance(exc, store_errors.NotFoundError):
        return tr("找不到这条记录（可能已被删除），请刷新后再试。")
    if isinstance(exc, store_errors.StoreError):
        return tr("本机数据库出错，本次操作没有保存，之前的记录都在。")
    if isinstance(exc, sync_errors.ServerBusyError):
        return tr("平台繁忙，稍后自动重试。")
    if isinstance(exc, sync_errors.BadReplyError):
        return tr("平台的回复无法读取，稍后自动重试。")
    if isinstance(exc, sync_errors.AuthError):
        return tr("平台不接受此收银台的签名：请把此情况告诉运营方。")
    if isinstance(exc, sync_errors.NotPairedError):
        return tr("此收银台还没有配对平台。")
    if isinstance(exc, sync_errors.SyncError):
        return tr("与平台通讯未完成，稍后自动重试；订单保存在本机。")
    if isinstance(exc, PlatformUnreachableError):
        return tr("连不上平台：请稍后再试，或收现金。")
    if isinstance(exc, static_qr.NotAnImageError):
        return tr("这个文件不是 PNG、JPEG、GIF 或 BMP 图片：请把收款码从支付软件保存成图片再选择。原收款码没有改动。")
    if isinstance(exc, static_qr.StaticQrTooLargeError):
        return tr("收款码图片太大：请裁剪到只剩二维码后再试。原收款码没有改动。")
    if isinstance(exc, static_qr.InvalidStaticQrTextError):
        return tr("收款码文字为 1 到 {n} 个字符（支付软件给出的收款链接）。原收款码没有改动。").format(
            n=static_qr.MAX_TEXT_CHARS)
    if isinstance(exc, static_qr.NoStaticQrError):
        return tr("还没有设置店铺收款码：请店长在设置中添加，或收现金。")
    if isinstance(exc, static_qr.DamagedStaticQrError):
        return tr("保存的店铺收款码已损坏，请店长重新设置。")
    if isinstance(exc, counter_errors.CounterError):
        return tr("操作未完成。已记录的销售不受影响。")
    return None


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
    if isinstance(exc, counter_errors.CashOutOfRangeError):
        return tr("收款 ￥{r} 不合理：最多比应收 ￥{t} 多 ￥{m}。请核对金额（扫码请扫到搜索框）。"
                  "未记录任何销售。").format(r=yuan(exc.received_fen), t=yuan(exc.total_fen), m=yuan(MAX_OVERPAY_FEN))
    if isinstance(exc, counter_errors.EmptyCartError):
        return tr("购物车是空的。")
    if isinstance(exc, counter_errors.ProductUnavailableError):
        return tr("{name} 已停售。").format(name=exc.name)
    if isinstance(exc, counter_errors.InvalidAccountError):
        return tr("号码或账号无效：{detail}").format(detail=_account(exc))
    if isinstance(exc, stock.BalanceTooLowError):
        return tr("余额不足：需要 ￥{t}，平台余额 ￥{b}。请先充值。").format(
            t=yuan(exc.quote.total_fen), b=yuan(exc.quote.balance_fen or 0))
    if isinstance(exc, barcodes.BarcodeTakenError):
        return tr("条码 {code} 已属于“{name}”：一个条码只能对应一个商品。").format(code=exc.code, name=exc.product_name)
    if isinstance(exc, barcodes.InvalidBarcodeError):
        return tr("条码只能是 1 到 32 个英文字母、数字或符号（不含空格），请重扫。")
    if isinstance(exc, counter_errors.NotOwnerError):
        return tr("此操作需要店长授权。")
    if isinstance(exc, CodesHandedOverError):
        return tr("不能作废：这笔销售的卡密已显示或已开始打印，顾客可能已拿到卡密，卡密不能再放回库存。"
                  "卡密有问题时请按售后处理。")
    if isinstance(exc, NotShowableError):
        return tr("这笔订单已作废、已取消或未付款，不能显示卡密。")
    if isinstance(exc, counter_errors.NotVoidableError):
        return _void_refusal(exc)
    if isinstance(exc, NotReprintableError):
        if exc.state is None:
            return tr("重印需要店长授权。")
        state = state_label(exc.state) if exc.state in ORDER_STATES else tr("未完成")
        return tr("不能重印：这笔订单{state}，不是已完成的销售。").format(state=state)
    if isinstance(exc, PaymentNotCancellableError):
        return (tr("这笔扫码收款正在收银台上进行：请在收银台取消。") if exc.in_progress
                else tr("这笔订单没有未付款的扫码收款可以取消（已付款或已取消）。"))
    if isinstance(exc, NotRefundableError):
        return {"not_failed": tr("不能退款：平台还没有报告这笔充值失败，暂时不用退款。"),
                "refunded": tr("不能退款：这笔订单已经退过款了（或作废时已退还现金）。"),
                "handed_over": tr("不能退款：这笔销售的卡密已显示或已开始打印，顾客可能已拿到卡密，"
                                  "卡密不能再放回库存。"),
                "state": tr("不能退款：这笔订单没有付款，或还没完成，没有钱可退。"),
                "amount": tr("退款金额不对：卡密销售只能整单退款；其他订单的金额应大于 0。"),
                "over_amount": tr("退款金额超过可退金额：最多还能退 ￥{v}。").format(v=yuan(exc.left_fen)),
                "no_payment": tr("这笔订单不是通过平台付款的，直接按原支付方式退款即可。"),
                "pending": tr("这笔订单有一笔退款正在等平台处理：请等它完成，不要再退现金。")}[exc.why]
    if isinstance(exc, GatewayOfflineError):
        return tr("平台暂时连不上：原路退款需要平台，这笔退款没有办理。请稍后再试，或改为从钱箱退现金。")
    if isinstance(exc, counter_errors.FloatOutOfRangeError):
        return tr("备用金 ￥{v} 不合理：应在 ￥0 到 ￥{m} 之间，请重新清点。").format(
            v=yuan(exc.float_fen), m=yuan(exc.maximum_fen))
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
                "name": tr("请填写员工姓名。"), "pin": tr("PIN 为 4 到 8 位数字。"),
                "pole_port": tr("客显端口应是 COM3 这样的串口，或 /dev/ttyUSB0 这样的设备。")}.get(exc.name,
                                                                                     tr("这项设置无效。"))
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
    if isinstance(exc, store_errors.BackupError):
        return _backup(exc)
    explained = _unexplained(exc)
    if explained is not None:
        return explained
    return tr("意外错误：{kind}。已记录的销售不受影响。").format(kind=type(exc).__name__)


def show_error(parent: QWidget, problem: Exception | str) -> None:
    """The error box every screen opens; a str is already in the cashier's words. open(), not exec(): the
    caller returns at once and the event loop (timers, the worker's replies) keeps running behind the box."""
    text = problem if isinstance(problem, str) else describe(problem)
    box = QMessageBox(QMessageBox.Icon.Warning, tr("未完成"), text, parent=parent)
    box.setObjectName("errorBox")
    box.open()
