"""The platform's ASGI app (FastAPI: the OpenAPI document comes from the same pydantic models that
validate requests, so the contract and the code cannot drift). The routes live in routes/, one module a
resource; this builds the app's services, the request guard, the error answers and the document's links."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from kameng_platform.crypto import Sealer
from kameng_platform.db import make_engine, migrate
from kameng_platform.errors import ApiError, error_response
from kameng_platform.gateways.registry import GatewayRegistry, build_registry
from kameng_platform.guard import RequestGuard
from kameng_platform.openapi import add_links
from kameng_platform.routes import ROUTERS
from kameng_platform.routes.deps import Services, signed_terminal
from kameng_platform.settings import PlatformSettings
from kameng_platform.terminals import PairingLimits, ReplayGuard


def create_app(settings: PlatformSettings, *, run_migrations: bool = True,
               gateways: GatewayRegistry | None = None) -> FastAPI:
    """`gateways` defaults to those the settings configure (tests pass adapters talking to a fake gateway)."""
    if run_migrations:
        migrate(settings.db_url)
    replay_guard = ReplayGuard(settings.max_skew_s)
    app = FastAPI(title="Kameng platform API", version="1.0.0",
                  description="Wire contract v1 between 卡盟收银台 desks and the central platform. "
                              "Money is integer fen. Signed requests: see docs/platform.md.")
    engine = make_engine(settings.db_url)
    app.state.services = Services(
        engine=engine, sealer=Sealer(settings.server_key), settings=settings,
        gateways=gateways or build_registry(settings, engine), replay_guard=replay_guard,
        pairing_limits=PairingLimits(settings.pair_attempts_per_source, settings.pair_attempts_total,
                                     settings.pair_window_s))
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

    for router in ROUTERS:
        app.include_router(router)
    if settings.console:
        # Imported here only: the console brings Jinja2, which the desk's bundle leaves out with this package.
        from kameng_platform.console.web import mount

        mount(app)

    # Which routes are signed comes from the routes themselves (those that depend on `signed_terminal`), so the
    # guard can check their headers before reading a body, and no list of paths can drift from the code. Read
    # from the routers (included without a prefix, so their routes match as the app's do): FastAPI 0.165 keeps
    # an included router whole in `app.routes`, where no APIRoute of it is found.
    signed_routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)
                     and any(d.call is signed_terminal for d in r.dependant.dependencies)]

    def check_signed(scope, headers) -> None:
        if any(route.matches(scope)[0] is Match.FULL for route in signed_routes):
            replay_guard.check_headers(headers)

    app.add_middleware(RequestGuard, limit=settings.body_limit, check_signed=check_signed)
    return app
