"""Display texts every screen shares: tr(), stored times in local time, and the names of the codes the database
keeps (order, payment, top-up and sync states), in the cashier's language. Errors are worded in messages.py.

The names are looked up when shown (tr() at call time), so a language switch renames them; pyside6-lupdate files
these module-level tr() calls under the empty context (main.ts). What a slip prints for the same codes is in
records.labels: paper is always Chinese.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kameng_desk.records.labels import local_time as local_time  # the one local-time format, shared with slips


def tr(text: str) -> str:
    """Translate a module-level string (a widget's own strings use self.tr, under its class name)."""
    return QCoreApplication.translate("", text)


def state_label(state: str) -> str:
    """orders.state."""
    return {"fulfilled": tr("已完成"), "voided": tr("已作废"), "awaiting_payment": tr("待付款"),
            "paid": tr("已付款"), "cancelled": tr("已取消")}.get(state, state)


def topup_label(state: str | None) -> str:
    """orders.topup_state: how far the platform got with a top-up."""
    return {"queued": tr("排队中"), "submitted": tr("已提交"), "succeeded": tr("充值成功"),
            "failed": tr("充值失败（平台已退款）")}.get(state or "", state or "")


def order_state_label(state: str, kind: str, topup_state: str | None) -> str:
    """An order's state as the back office shows it; a fulfilled top-up also says how far the platform got."""
    text = state_label(state)
    return f"{text} · {topup_label(topup_state)}" if kind == "topup" and state == "fulfilled" else text


def payment_label(method: str) -> str:
    """orders.payment_method (the codes records.labels.PAYMENT_METHODS names on paper)."""
    return {"cash": tr("现金"), "qr_dynamic": tr("扫码（动态码）"),
            "qr_static": tr("扫码（静态码）"), "code": tr("付款码")}.get(method, method)


def kind_label(kind: str) -> str:
    """orders.kind."""
    return {"sale": tr("卖卡"), "topup": tr("直充")}.get(kind, kind)


def sync_label(state: str) -> str:
    """orders.sync_state."""
    return {"pending": tr("待上传"), "accepted": tr("已上传"), "rejected": tr("被平台拒绝")}.get(state, state)
