"""The console's words: Chinese in the templates (`{{ _("…") }}`, Jinja2's i18n extension), English in EN below,
one catalog for every page. A small dict rather than gettext .po/.mo files: the console has a few hundred
words, and the desk's Qt .ts catalogs are for Qt only. tests/platform/test_console_i18n.py fails on a template
text without an English entry, and on words written into a template outside `_()`."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"

LANGS = ("zh_CN", "en")  # the first is the default

EN: dict[str, str] = {
    "卡盟平台控制台": "Kameng platform console",
    "概览": "Dashboard",
    "订单": "Orders",
    "余额与流水": "Balance and ledger",
    "操作日志": "Audit log",
    "我的账户": "My account",
    "退出": "Log out",
    "登录": "Log in",
    "用户名、密码或动态口令不对。": "Wrong user name, password or one-time code.",
    "登录失败次数过多，已暂时锁定，请 %(minutes)s 分钟后再试。":
        "Too many failed logins: locked for now. Try again in %(minutes)s minutes.",
    "页面已过期，请重新登录。": "The page had expired. Please log in again.",
    "用户名": "User name",
    "密码": "Password",
    "动态口令": "One-time code",
    "站长和财务必填：验证器应用中的 6 位数字":
        "Required for operators and finance: the 6 digits in your authenticator app",
    "出错了": "Something went wrong",
    "无权访问": "Not allowed",
    "你的角色不能打开这个页面。": "Your role cannot open this page.",
    "请求被拒绝": "Request refused",
    "表单已过期或不是从本控制台提交的，什么都没有改动。请刷新页面后重试。":
        "The form had expired or was not sent from this console; nothing was changed. Reload the page and try again.",
    "筛选条件有误": "Invalid filter",
    "请检查“%(field)s”一项（日期格式为 2026-12-01）。": "Check the “%(field)s” field (dates are written 2026-12-01).",
    "输入有误": "Invalid input",
    "输入里有不可见的控制字符，请重新输入。什么都没有改动。":
        "The input holds invisible control characters: type it again. Nothing was changed.",
    "没有这个代理": "No such reseller",
    "请从订单列表选择一个代理。": "Choose a reseller from the orders list.",
    "返回首页": "Back to the start page",
    "角色": "Role",
    "代理编号": "Reseller id",
    "供货商编号": "Supplier id",
    "已启用": "On",
    "未启用": "Off",
    "今天": "Today",
    "近 7 天": "Last 7 days",
    "近 30 天": "Last 30 days",
    "成交额": "Sales (GMV)",
    "订单数": "Orders",
    "支付成功率": "Payment success rate",
    "成交额和订单数只计已接受、未作废的订单。": "Sales and orders count accepted orders that were not voided.",
    "支付成功率 = 已支付 ÷（已支付 + 已过期 + 已取消），等待中的不计；日期按北京时间。":
        "Payment success rate = paid ÷ (paid + expired + cancelled), pending ones not counted; days are Beijing time.",
    "从": "From",
    "到": "To",
    "代理": "Reseller",
    "全部": "All",
    "状态": "State",
    "筛选": "Filter",
    "收到时间": "Received",
    "单号": "Number",
    "类型": "Kind",
    "商品": "Product",
    "金额": "Amount",
    "充值": "Top-up",
    "卡密": "Card",
    "没有符合条件的订单。": "No orders match.",
    "只显示最新的 %(n)s 条，请缩小筛选范围。": "Only the newest %(n)s are shown: narrow the filter.",
    "预付余额": "Prepaid balance",
    "余额流水": "Ledger",
    "时间": "Time",
    "摘要": "Entry",
    "参考号": "Reference",
    "还没有流水。": "No entries yet.",
    "只显示最新的 %(n)s 条。": "Only the newest %(n)s are shown.",
    "操作": "Action",
    "谁": "Who",
    "对象": "Target",
    "原因": "Reason",
    "来源地址": "Source address",
    "没有记录。": "No entries.",
    "已接受": "Accepted",
    "已拒绝": "Rejected",
    "已作废": "Voided",
    "充值排队中": "Top-up queued",
    "充值已提交": "Top-up submitted",
    "充值成功": "Top-up succeeded",
    "充值失败": "Top-up failed",
    "充值结果不明": "Top-up result unknown",
    "站长": "Operator",
    "财务": "Finance",
    "客服": "Support",
    "供货商": "Supplier",
    "登录失败": "Login failed",
    "锁定期间尝试登录": "Login tried while locked",
    "添加用户": "User added",
    "重置动态口令": "One-time code reset",
    "生成演示用户": "Demo user seeded",
    "停用用户": "User disabled",
    "收银终端": "Counters",
    "请先选择一个代理。": "Choose a reseller first.",
    "停用终端须填写原因，什么都没有改动。": "Revoking a counter needs a reason; nothing was changed.",
    "没有这个在用的终端，什么都没有改动。": "No such active counter; nothing was changed.",
    "新的配对码": "New pairing code",
    "在新收银台的首次设置中选择“连接平台”，填写平台地址 %(url)s 和这个配对码。":
        "In the new counter's first-run setup, choose “pair with a platform” and enter the platform address "
        "%(url)s and this code.",
    "只能使用一次，%(until)s 前有效；只显示这一次，平台不保存明文。":
        "It works once, until %(until)s; it is shown only now (the platform does not keep it readable).",
    "为新收银台生成配对码": "Pairing code for a new counter",
    "名称": "Name",
    "编号前缀": "Number prefix",
    "配对时间": "Paired",
    "%(when)s 已停用": "Revoked %(when)s",
    "在用": "Active",
    "停用原因（必填）": "Reason (required)",
    "停用": "Revoke",
    "还没有收银终端。": "No counters yet.",
    "生成配对码": "Pairing code made",
    "停用收银终端": "Counter revoked",
    "充值入账": "Credit",
    "话费/游戏充值扣款": "Top-up charge",
    "补货扣款": "Restock charge",
    "退款": "Refund",
    # 补单, reconciliation, statements and exports (support_pages.py)
    "日期": "Date",
    "销售额（元）": "Sales (yuan)",
    "充值未完成": "Top-ups open",
    "收款笔数": "Payments",
    "收款（元）": "Payments (yuan)",
    "退款（元）": "Refunds (yuan)",
    "期初余额（元）": "Opening balance (yuan)",
    "充值入账（元）": "Credits (yuan)",
    "充值扣款（元）": "Top-up charges (yuan)",
    "补货扣款（元）": "Restock charges (yuan)",
    "退回（元）": "Refunded to balance (yuan)",
    "其他（元）": "Other (yuan)",
    "期末余额（元）": "Closing balance (yuan)",
    "核对": "Check",
    "平": "Balanced",
    "不平": "Unbalanced",
    "期末余额 = 期初余额 + 当日各项变动，每行都已核对；金额单位为元，按北京时间分日。":
        "Closing balance = opening balance + the day's movements, checked on every line; yuan; days in Beijing time.",
    "补单：标记充值成功": "Resolution: top-up marked succeeded",
    "补单：标记充值失败": "Resolution: top-up marked failed",
    "补单：再次查询供货商": "Resolution: supplier asked again",
    "补单：退款": "Resolution: refund",
    "补单：再次查询退款": "Resolution: refund asked again",
    "收款": "Payment",
    "订单未完成": "order not completed",
    "渠道": "Channel",
    "创建时间": "Created",
    "付款时间": "Paid",
    "渠道单号": "Channel transaction",
    "已退": "Refunded",
    "发起时间": "Started",
    "状态变化": "State changes",
    "没有退款。": "No refunds.",
    "全部：%(amount)s": "All: %(amount)s",
    "原因（必填）": "Reason (required)",
    "原路退款": "Refund to the payer",
    "已标记充值成功，并记入操作日志。": "Marked succeeded, and written to the audit log.",
    "已标记充值失败，扣款已退回代理余额，并记入操作日志。":
        "Marked failed: the charge went back to the reseller's balance, and it is in the audit log.",
    "这笔充值已有结果，或正在向供货商查询：什么都没有改动。":
        "This top-up has its outcome already, or the supplier is being asked right now: nothing was changed.",
    "平台没有配置供货商，无法查询。": "The platform has no supplier configured to ask.",
    "供货商回复：充值成功。": "The supplier says: the top-up succeeded.",
    "供货商回复：充值失败，扣款已退回代理余额。":
        "The supplier says: the top-up failed; the charge went back to the reseller's balance.",
    "供货商还没有最终结果（或正在查询中），稍后再试。":
        "The supplier has no final answer yet (or is being asked); try again later.",
    "退款已发起，并记入操作日志。": "The refund was started, and written to the audit log.",
    "这次退款已经发起过，没有重复退款。": "This refund was started before; nothing was refunded twice.",
    "已向支付渠道查询退款。": "The payment channel was asked about the refund.",
    "这笔退款已有结果：什么都没有改动。": "This refund has its outcome already: nothing was changed.",
    "这笔收款已没有可退的金额（可能已有人退过）：什么都没有改动。":
        "Nothing of this payment is left to refund (someone may have refunded it): nothing was changed.",
    "这笔收款未支付，不能退款：什么都没有改动。":
        "This payment is not paid, so it cannot be refunded: nothing was changed.",
    "这个支付渠道不能原路退款，请退现金：什么都没有改动。":
        "This payment channel cannot refund; give the money back in cash: nothing was changed.",
    "这笔收款的退款次数已达渠道上限，请退现金：什么都没有改动。":
        "This payment has as many refunds as its channel allows; give the rest back in cash: nothing was changed.",
    "什么都没有改动。": "Nothing was changed.",
    "再次查询供货商": "Ask the supplier again",
    "供货商单号": "Supplier reference",
    "标记成功": "Mark succeeded",
    "标记失败并退回扣款": "Mark failed and refund the charge",
    "导出 XLSX": "Export XLSX",
    "导出 CSV": "Export CSV",
    "补单": "Resolutions",
    "对账": "Reconciliation",
    "对账单": "Statement",
    "流水": "Ledger",
    "金额（元）": "Amount (yuan)",
    "余额（元）": "Balance (yuan)",
    "卡住的充值": "Stuck top-ups",
    "超过多少分钟没有结果": "Without an outcome for more than (minutes)",
    "扣款": "Charged",
    "处理": "Resolve",
    "正在查询": "being asked",
    "没有卡住的充值。": "No stuck top-ups.",
    "已付款但订单未完成（掉单）": "Paid, but the order did not complete (lost orders)",
    "订单状态": "Order state",
    "平台没有收到订单": "The platform never received the order",
    "退款须由财务或站长处理": "Refunds are for finance or the operator",
    "没有掉单。": "No lost orders.",
    "等待中的退款": "Refunds waiting",
    "再次查询": "Ask again",
    "没有等待中的退款。": "No refunds waiting.",
    "须填写原因": "A reason is needed",
    "补单的每一步都要写明原因，什么都没有改动。": "Every resolution needs a reason; nothing was changed.",
    "须填写供货商单号": "The supplier's reference is needed",
    "标记充值成功须填写供货商的单号，什么都没有改动。":
        "Marking a top-up succeeded needs the supplier's reference; nothing was changed.",
    "金额有误": "Wrong amount",
    "请填写以元为单位、最多两位小数的金额，什么都没有改动。":
        "Enter an amount in yuan with at most two decimals; nothing was changed.",
    "没有这种导出格式": "No such export format",
    "可导出 CSV 或 XLSX。": "Exports are CSV or XLSX.",
    "账目不平": "The books do not balance",
    "期末余额不等于期初余额加本期变动：%(field)s。请联系站长核查，报表不予显示。":
        "The closing balance is not the opening balance plus the movements: %(field)s. Ask the operator to check; "
        "the report is not shown.",
    "没有这个订单": "No such order",
    "没有这笔收款": "No such payment",
    "返回补单": "Back to resolutions",
    "订单详情": "Order",
    "订单编号": "Order id",
    "退回": "Refunded",
    "收款详情": "Payment",
}


def _english(text: str) -> str:
    return EN.get(text, text)


@functools.cache
def environment(lang: str) -> jinja2.Environment:
    """One environment per language, autoescaping everything it renders (a product named <script> is text)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined)
    gettext = _english if lang == "en" else str
    env.install_gettext_callables(gettext, lambda one, many, n: gettext(one if n == 1 else many), newstyle=True)
    return env
