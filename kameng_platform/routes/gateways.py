"""The payment gateways' side: their notify callbacks and the sandbox gateway's pay page.

Not part of the desk-platform contract: these routes stay out of the OpenAPI document."""

from __future__ import annotations

import html
import logging

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kameng_platform import payments, refunds
from kameng_platform.errors import ApiError
from kameng_platform.gateways.base import GatewayError, RefundResult
from kameng_platform.gateways.epay import fen_to_yuan
from kameng_platform.gateways.sandbox import SandboxGateway
from kameng_platform.routes.deps import ServicesDep

log = logging.getLogger(__name__)
router = APIRouter()


# One route for both methods, so a 405 names both in its Allow header.
@router.api_route("/pay/{payment_id}", methods=["GET", "POST"], response_class=HTMLResponse,
                  include_in_schema=False)
def pay_page(payment_id: str, request: Request, platform: ServicesDep) -> str:
    """GET shows the sandbox pay page; POST is the customer pressing 付款: the gateway's server then
    notifies the platform, signed, as a real gateway would."""
    sandbox = platform.gateways.get("sandbox")
    if not isinstance(sandbox, SandboxGateway):
        raise ApiError(404, "not_found", "The sandbox gateway is not enabled on this platform.")
    if not payment_id.isprintable() or len(payment_id) > 64:  # e.g. NUL, which PostgreSQL cannot compare
        raise ApiError(404, "not_found", "No such payment.")
    row = platform.in_transaction(payments.get_for_page, payment_id)
    if row.method != "sandbox":
        raise ApiError(404, "not_found", "This payment is not a sandbox payment.")
    if request.method == "GET":
        return PAY_PAGE.format(payment_id=html.escape(payment_id), amount=fen_to_yuan(row.amount_fen))
    # Recorded here, through the notify's own apply_notice, not by an HTTP notify to ourselves: that went to
    # the request's Host header (anyone could make us post to any URL) and held this worker while waiting
    # for another (45 posts held a signed request for 9 to 11 s).
    applied = payments.apply_notice(platform.engine, "sandbox", sandbox.customer_paid(payment_id, row.amount_fen),
                                    source="notify")
    return "<p>付款成功 / Paid</p>" if applied else "<p>付款失败 / Failed</p>"


@router.api_route("/v1/gateways/{name}/notify", methods=["GET", "POST"], include_in_schema=False)
async def gateway_notify(name: str, request: Request, platform: ServicesDep) -> Response:
    """A gateway's callback: verified (signature, merchant, our order or refund number, amount) before
    anything changes, and answered in that gateway's own format. A refund notify finishes its refund."""
    gateway = platform.gateways.get(name)
    if gateway is None:
        raise ApiError(404, "not_found", "No such payment gateway on this platform.")
    body = await request.body()
    try:
        notice = gateway.verify_notify(request.method, request.headers, request.url.query, body)
    except GatewayError as exc:
        log.warning("%s notify refused: %s", name, exc)
        reply = gateway.refuse("验签失败 / the notify does not verify")
    else:
        if isinstance(notice, RefundResult):
            applied = await run_in_threadpool(refunds.apply_result, platform.engine, name, notice, "notify")
        else:  # both kept in gateway_notices as a notify (repeats too)
            applied = await run_in_threadpool(payments.apply_notice, platform.engine, name, notice, source="notify")
        reply = gateway.ack() if applied else gateway.refuse("订单不符 / the notify does not match a payment")
    return Response(reply.body, status_code=reply.status, media_type=reply.media_type)


PAY_PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>沙箱支付</title>
<body style="font-family:sans-serif;text-align:center;margin-top:3em">
<h1>沙箱支付 Sandbox pay</h1><p>金额 ￥{amount}</p>
<form method="post" action="/pay/{payment_id}"><button style="font-size:2em">付款 Pay</button></form></body></html>
"""
