"""The platform's ASGI app (FastAPI: the OpenAPI document comes from the same pydantic models that
validate requests, so the contract and the code cannot drift)."""


import html
import logging
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from kameng_platform import (
    catalog,
    clock,
    feed,
    ledger,
    order_push,
    payments,
    restock,
    retail_prices,
    shift_reports,
    signing,
    terminals,
)
from kameng_platform.crypto import Sealer
from kameng_platform.db import make_engine, migrate
from kameng_platform.errors import ApiError, error_response
from kameng_platform.gateways.base import GatewayError
from kameng_platform.gateways.epay import fen_to_yuan
from kameng_platform.gateways.registry import GatewayRegistry, build_registry
from kameng_platform.gateways.sandbox import SandboxGateway
from kameng_platform.guard import RequestGuard
from kameng_platform.models import (
    BatchResponse,
    CatalogResponse,
    ChangesResponse,
    ErrorResponse,
    OrderBatch,
    PairRequest,
    PairResponse,
    PathId,
    PaymentCreate,
    PaymentMethods,
    PaymentOut,
    RestockRequest,
    RestockResponse,
    RetailPriceIn,
    RetailPriceOut,
    ShiftReportIn,
    ShiftReportOut,
    TimeResponse,
    VoidRequest,
    VoidResponse,
)
from kameng_platform.openapi import add_links
from kameng_platform.settings import PlatformSettings
from kameng_platform.terminals import Terminal

log = logging.getLogger(__name__)
ERRORS = {status: {"model": ErrorResponse} for status in (400, 401, 402, 403, 404, 409, 413, 503)}
PAIR_ERRORS = {**ERRORS, 429: {"model": ErrorResponse}}


def create_app(settings: PlatformSettings, *, run_migrations: bool = True,
               gateways: GatewayRegistry | None = None) -> FastAPI:
    """`gateways` defaults to those the settings configure (tests pass adapters talking to a fake gateway)."""
    if run_migrations:
        migrate(settings.db_url)
    engine: Engine = make_engine(settings.db_url)
    registry = gateways or build_registry(settings)
    sealer = Sealer(settings.server_key)
    app = FastAPI(title="Kameng platform API", version="1.0.0",
                  description="Wire contract v1 between 卡盟收银台 desks and the central platform. "
                              "Money is integer fen. Signed requests: see docs/platform.md.")
    app.state.engine, app.state.sealer, app.state.settings = engine, sealer, settings
    app.state.gateways = registry
    generated = app.openapi
    app.openapi = lambda: add_links(generated())  # the served document carries the links the checked-in one does

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
        return error_response(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail),
                              getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(400, "bad_request", f"{where}: {first.get('msg', 'invalid request')}")

    replay_guard = terminals.ReplayGuard(settings.max_skew_s)
    pairing_limits = terminals.PairingLimits(settings.pair_attempts_per_source, settings.pair_attempts_total,
                                             settings.pair_window_s)

    async def signed(request: Request) -> Terminal:
        body = await request.body()  # already read, within the limit, by the RequestGuard
        # The signature covers the request target exactly as sent, never the decoded path (docs/platform.md).
        target = signing.request_target(request.scope["raw_path"], request.scope["query_string"])

        def check() -> Terminal:
            with engine.begin() as conn:
                return terminals.authenticate(conn, sealer, replay_guard, request.headers, method=request.method,
                                              target=target, body=body)

        return await run_in_threadpool(check)

    Auth = Annotated[Terminal, Depends(signed)]

    @app.get("/v1/time", response_model=TimeResponse)
    def get_time() -> dict:
        return {"server_time": clock.now()}

    @app.post("/v1/pair", response_model=PairResponse, responses=PAIR_ERRORS)
    def post_pair(body: PairRequest, request: Request) -> dict:
        with engine.begin() as conn:  # committed before the code is checked: a refused attempt counts too
            retry_after = terminals.count_pairing_attempt(conn, request.client and request.client.host,
                                                          pairing_limits)
        if retry_after is not None:
            raise ApiError(429, "too_many_attempts", f"Too many pairing attempts; try again in {retry_after} s.",
                           {"Retry-After": str(retry_after)})
        with engine.begin() as conn:
            return terminals.pair(conn, sealer, body.pairing_code, body.device_name)

    @app.get("/v1/catalog", response_model=CatalogResponse, responses=ERRORS)
    def get_catalog(terminal: Auth) -> dict:
        with engine.begin() as conn:
            return {"categories": catalog.category_view(conn), "products": catalog.product_view(conn, terminal.tier),
                    "retail_prices": retail_prices.of_reseller(conn, terminal.reseller_id),
                    "balance_fen": ledger.balance(conn, terminal.reseller_id), "cursor": feed.head(conn)}

    @app.post("/v1/restock", response_model=RestockResponse, responses=ERRORS)
    def post_restock(body: RestockRequest, terminal: Auth) -> dict:
        try:
            with engine.begin() as conn:
                return restock.restock(conn, sealer, terminal, body.request_id, body.product_id, body.quantity)
        except restock.ReplayedRequest:
            with engine.begin() as conn:
                return restock.replay(conn, sealer, terminal, body.request_id, body.product_id, body.quantity)

    @app.post("/v1/orders/batch", response_model=BatchResponse, responses=ERRORS)
    def post_orders(body: OrderBatch, terminal: Auth) -> dict:
        if len(body.orders) > settings.max_batch:
            raise ApiError(413, "batch_too_large", f"At most {settings.max_batch} orders per batch.")
        results = []
        for order in body.orders:
            with engine.begin() as conn:
                results.append(order_push.accept(conn, sealer, terminal, order))
        return {"results": results}

    @app.post("/v1/orders/{order_id}/void", response_model=VoidResponse, responses=ERRORS)
    def post_void(order_id: PathId, body: VoidRequest, terminal: Auth) -> dict:
        with engine.begin() as conn:
            returned = order_push.void(conn, terminal, order_id)
        return {"order_id": order_id, "status": "voided", "codes_returned": returned}

    @app.get("/v1/changes", response_model=ChangesResponse, responses=ERRORS)
    def get_changes(terminal: Auth, cursor: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
                    limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
        with engine.begin() as conn:
            rows = feed.page(conn, reseller_id=terminal.reseller_id, terminal_id=terminal.id, cursor=cursor,
                             limit=limit + 1)
            changes = []
            for seq, type_, data in rows[:limit]:
                if type_ == "product":
                    view = catalog.product_view(conn, terminal.tier, data["product_id"])
                    if not view:
                        continue
                    data = view[0]
                changes.append({"seq": seq, "type": type_, "data": data})
        next_cursor = rows[:limit][-1][0] if rows else cursor
        return {"changes": changes, "next_cursor": next_cursor, "has_more": len(rows) > limit}

    @app.put("/v1/shift-reports/{shift_id}", response_model=ShiftReportOut, responses=ERRORS)
    def put_shift_report(shift_id: PathId, body: ShiftReportIn, terminal: Auth) -> dict:
        """A closed shift's Z report; the same upload again is a duplicate, different figures a conflict."""
        with engine.begin() as conn:
            return shift_reports.store(conn, terminal, shift_id, body)

    @app.put("/v1/retail-prices/{product_id}", response_model=RetailPriceOut, responses=ERRORS)
    def put_retail_price(product_id: PathId, body: RetailPriceIn, terminal: Auth) -> dict:
        """The shop owner's price, for every counter of the shop: the latest changed_at wins."""
        with engine.begin() as conn:
            return retail_prices.put(conn, terminal, product_id, body)

    @app.get("/v1/payment-methods", response_model=PaymentMethods, responses=ERRORS)
    def get_payment_methods(terminal: Auth) -> dict:
        """The gateways this platform runs, in the operator's order: a desk uses the first."""
        return {"methods": registry.names}

    @app.post("/v1/payments", response_model=PaymentOut, responses=ERRORS)
    def post_payment(body: PaymentCreate, terminal: Auth) -> dict:
        return payments.create(engine, terminal, registry, payment_id=body.payment_id, order_id=body.order_id,
                               amount_fen=body.amount_fen, method=body.method, description=body.description,
                               public_url=settings.public_url,
                               ttl_s=settings.payment_ttl_s)

    @app.get("/v1/payments/{payment_id}", response_model=PaymentOut, responses=ERRORS)
    def get_payment(payment_id: PathId, terminal: Auth) -> dict:
        with engine.begin() as conn:
            return payments.status(conn, terminal, payment_id)

    @app.post("/v1/payments/{payment_id}/cancel", response_model=PaymentOut, responses=ERRORS)
    def cancel_payment(payment_id: PathId, terminal: Auth) -> dict:
        return payments.cancel(engine, terminal, registry, payment_id)

    # The sandbox gateway's own pages and the gateways' callbacks are not part of the desk-platform contract:
    # they stay out of the OpenAPI document. One route for both methods, so a 405 names both in its Allow header.
    @app.api_route("/pay/{payment_id}", methods=["GET", "POST"], response_class=HTMLResponse,
                   include_in_schema=False)
    def pay_page(payment_id: str, request: Request) -> str:
        """GET shows the sandbox pay page; POST is the customer pressing 付款: the gateway's server then
        notifies the platform, signed, as a real gateway would."""
        sandbox = registry.get("sandbox")
        if not isinstance(sandbox, SandboxGateway):
            raise ApiError(404, "not_found", "The sandbox gateway is not enabled on this platform.")
        if not payment_id.isprintable() or len(payment_id) > 64:  # e.g. NUL, which PostgreSQL cannot compare
            raise ApiError(404, "not_found", "No such payment.")
        with engine.begin() as conn:
            row = payments.get_for_page(conn, payment_id)
        if row.method != "sandbox":
            raise ApiError(404, "not_found", "This payment is not a sandbox payment.")
        if request.method == "GET":
            return PAY_PAGE.format(payment_id=html.escape(payment_id), amount=fen_to_yuan(row.amount_fen))
        # Recorded here, through the notify's own apply_notice, not by an HTTP notify to ourselves: that went to
        # the request's Host header (anyone could make us post to any URL) and held this worker while waiting
        # for another (45 posts held a signed request for 9 to 11 s).
        applied = payments.apply_notice(engine, "sandbox", sandbox.customer_paid(payment_id, row.amount_fen))
        return "<p>付款成功 / Paid</p>" if applied else "<p>付款失败 / Failed</p>"

    @app.api_route("/v1/gateways/{name}/notify", methods=["GET", "POST"], include_in_schema=False)
    async def gateway_notify(name: str, request: Request) -> Response:
        """A gateway's callback: verified (signature, merchant, our order number, amount) before anything
        changes, and answered in that gateway's own format."""
        gateway = registry.get(name)
        if gateway is None:
            raise ApiError(404, "not_found", "No such payment gateway on this platform.")
        body = await request.body()
        try:
            notice = gateway.verify_notify(request.method, request.headers, request.url.query, body)
        except GatewayError as exc:
            log.warning("%s notify refused: %s", name, exc)
            reply = gateway.refuse("验签失败 / the notify does not verify")
        else:
            applied = await run_in_threadpool(payments.apply_notice, engine, name, notice)
            reply = gateway.ack() if applied else gateway.refuse("订单不符 / the notify does not match a payment")
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type)

    # Which routes are signed comes from the routes themselves (those that depend on `signed`), so the guard
    # can check their headers before reading a body, and no list of paths can drift from the code.
    signed_routes = [r for r in app.routes if isinstance(r, APIRoute)
                     and any(d.call is signed for d in r.dependant.dependencies)]

    def check_signed(scope, headers) -> None:
        if any(route.matches(scope)[0] is Match.FULL for route in signed_routes):
            replay_guard.check_headers(headers)

    app.add_middleware(RequestGuard, limit=settings.body_limit, check_signed=check_signed)
    return app


PAY_PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>沙箱支付</title>
<body style="font-family:sans-serif;text-align:center;margin-top:3em">
<h1>沙箱支付 Sandbox pay</h1><p>金额 ￥{amount}</p>
<form method="post" action="/pay/{payment_id}"><button style="font-size:2em">付款 Pay</button></form></body></html>
"""
