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
