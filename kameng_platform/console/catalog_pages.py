"""The console's catalog pages (issue #18): categories and products with their tier prices (bulk edit), codes
(import with the CLI's per-line report, revoke, expiring), resellers (create, tier, credit and debit) and
suppliers, and a supplier's own pages (their products, stock, sales and settlement).

Every change goes through kameng_platform.admin, as the CLI's commands do, and is an audit entry written in the
same transaction, with the reason the person gave."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kameng_platform import admin
from kameng_platform.console import auth
from kameng_platform.console import catalog_queries as cq
from kameng_platform.console.roles import Role
from kameng_platform.console.web import PREFIX, _source, allow, render
from kameng_platform.errors import ApiError
from kameng_platform.routes.deps import Services, ServicesDep

router = APIRouter(prefix=PREFIX, include_in_schema=False)
MAX_CSV_BYTES = 5 * 1024 * 1024  # a CSV of about 50,000 codes; a bigger batch is split (or the CLI used)
EXPIRY_DAYS = 30  # "expiring within N days" unless the page asks otherwise
Session = auth.Session


def _back(path: str) -> Response:
    return RedirectResponse(PREFIX + path, status_code=303)


# --- categories and products -------------------------------------------------------------------------------

def _catalog_page(request: Request, platform: Services, status: int = 200, **context: Any) -> HTMLResponse:
    def read(conn):
        return cq.category_rows(conn), cq.product_rows(conn), cq.tiers(conn)
    categories, products, tiers = platform.in_transaction(read)
    return render(request, "catalog.html", status, categories=categories, products=products, tiers=tiers,
                  **{"error": "", "changed": None, **context})


@router.get("/catalog", response_class=HTMLResponse)
def catalog(request: Request, platform: ServicesDep, _s: Annotated[Session, allow(Role.OPERATOR)],
            changed: int | None = None) -> HTMLResponse:
    return _catalog_page(request, platform, changed=changed)


@router.post("/catalog/category", response_class=HTMLResponse)
def save_category(request: Request, platform: ServicesDep, session: Annotated[Session, allow(Role.OPERATOR)],
                  id: Annotated[str, Form(max_length=64)] = "", name: Annotated[str, Form(max_length=100)] = "",
                  kind: Annotated[str, Form(max_length=16)] = "card", sort: Annotated[str, Form(max_length=10)] = "",
                  reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    order = cq.int_in(sort, 0, -100_000, 100_000)
    if not (id.strip() and name.strip() and reason.strip()) or kind not in ("card", "topup") or order is None:
        return _catalog_page(request, platform, 400, error="category")

    def save(conn):
        admin.upsert_category(conn, id.strip(), name.strip(), kind, order)
        auth.audit(conn, session.user, "category_saved", target=id.strip(), reason=reason.strip(),
                   source=_source(request))
    platform.in_transaction(save)
    return _back("/catalog")


@router.post("/catalog/product", response_class=HTMLResponse)
def add_product(request: Request, platform: ServicesDep, session: Annotated[Session, allow(Role.OPERATOR)],
                id: Annotated[str, Form(max_length=64)] = "", category: Annotated[str, Form(max_length=64)] = "",
                name: Annotated[str, Form(max_length=200)] = "", kind: Annotated[str, Form(max_length=16)] = "card",
                face: Annotated[str, Form(max_length=20)] = "", retail: Annotated[str, Form(max_length=20)] = "",
                price: Annotated[str, Form(max_length=20)] = "",
                supplier: Annotated[str, Form(max_length=64)] = "",
                reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """A new product at the standard tier (other tiers are set in the bulk edit), optionally a supplier's."""
    try:
        fen = {"face": cq.fen_of(face), "retail": cq.fen_of(retail), "price": cq.fen_of(price)}
    except cq.MoneyError:
        return _catalog_page(request, platform, 400, error="money")
    if not (id.strip() and name.strip() and reason.strip()):
        return _catalog_page(request, platform, 400, error="product")

    def save(conn):
        if not cq.category_exists(conn, category):
            raise ApiError(404, "unknown_category", "no such category")
        if cq.product_exists(conn, id.strip()):  # "add" never overwrites: prices are changed in the bulk edit
            raise ApiError(409, "product_exists", f"product {id.strip()} exists already")
        admin.upsert_product(conn, product_id=id.strip(), category_id=category, name=name.strip(), kind=kind,
                             face_value_fen=fen["face"], suggested_retail_fen=fen["retail"],
                             tier_prices={"standard": fen["price"]})
        admin.set_supplier(conn, id.strip(), supplier.strip() or None)
        auth.audit(conn, session.user, "product_saved", target=id.strip(), reason=reason.strip(),
                   source=_source(request))
    try:
        platform.in_transaction(save)
    except ApiError as exc:
        return _catalog_page(request, platform, exc.status, error="product", detail=exc.message)
    return _back("/catalog")


@router.post("/catalog/bulk", response_class=HTMLResponse)
async def bulk_edit(request: Request, platform: ServicesDep,
                    session: Annotated[Session, allow(Role.OPERATOR)]) -> Response:
    """The products table as one form: `price:<product>:<tier>` (yuan) and `active:<product>` for each row shown.
    Only what differs from the stored value is changed; all of it in one transaction, or nothing."""
    form = await request.form()
    reason = str(form.get("reason", "")).strip()
    shown = {str(v) for v in form.getlist("product")}
    wanted_prices: dict[tuple[str, str], int] = {}
    try:
        for key, value in form.multi_items():
            if key.startswith("price:") and str(value).strip():
                _, product_id, tier = key.split(":", 2)
                wanted_prices[(product_id, tier)] = cq.fen_of(str(value))
    except (cq.MoneyError, ValueError):
        return await run_in_threadpool(_catalog_page, request, platform, 400, error="money")
    if not reason:
        return await run_in_threadpool(_catalog_page, request, platform, 400, error="reason")
    active = {p for p in shown if form.get(f"active:{p}") == "on"}

    def apply(conn) -> int:
        current = {p.id: p for p in cq.product_rows(conn)}
        changes = 0
        for product_id in shown:
            row = current.get(product_id)
            if row is None:
                raise ApiError(404, "unknown_product", f"no such product {product_id}")
            if row.active != (product_id in active):
                admin.set_active(conn, product_id, product_id in active)
                auth.audit(conn, session.user, "product_enabled" if product_id in active else "product_disabled",
                           target=product_id, reason=reason, source=_source(request))
                changes += 1
        for (product_id, tier), fen in sorted(wanted_prices.items()):
            row = current.get(product_id)
            if row is None:
                raise ApiError(404, "unknown_product", f"no such product {product_id}")
            if row.prices.get(tier) != fen:
                admin.set_price(conn, product_id, tier, fen)
                auth.audit(conn, session.user, "price_changed", target=f"{product_id} {tier}",
                           reason=f"{reason} ({row.prices.get(tier)} → {fen} fen)", source=_source(request))
                changes += 1
        return changes
    try:
        changes = await run_in_threadpool(platform.in_transaction, apply)
    except ApiError as exc:
        return await run_in_threadpool(_catalog_page, request, platform, exc.status, error="product",
                                       detail=exc.message)
    return _back(f"/catalog?changed={changes}")


# --- codes ---------------------------------------------------------------------------------------------------

def _supplier_scope(session: Session) -> str | None:
    """A supplier acts on its own products only; staff (None) on every product."""
    return session.user.supplier_id if session.user.role is Role.SUPPLIER else None


def _codes_page(request: Request, platform: Services, session: Session, status: int = 200, days: int = EXPIRY_DAYS,
                **context: Any) -> HTMLResponse:
    own = _supplier_scope(session)

    def read(conn):
        products = [p for p in cq.product_rows(conn, own) if p.kind == "card"]
        return products, cq.expiring_codes(conn, days, own)
    products, expiring = platform.in_transaction(read)
    return render(request, "codes.html", status, products=products, expiring=expiring, days=days,
                  **{"error": "", "report": None, "imported_into": "", "revoked": "", **context})


@router.get("/codes", response_class=HTMLResponse)
def codes_page(request: Request, platform: ServicesDep,
               session: Annotated[Session, allow(Role.OPERATOR, Role.SUPPLIER)], days: str = "",
               revoked: str = "") -> HTMLResponse:
    within = cq.int_in(days, EXPIRY_DAYS, 1, 3650)
    if within is None:
        return _codes_page(request, platform, session, 400, error="days")
    return _codes_page(request, platform, session, days=within, revoked=revoked)


@router.post("/codes/import", response_class=HTMLResponse)
async def import_codes(request: Request, platform: ServicesDep,
                       session: Annotated[Session, allow(Role.OPERATOR, Role.SUPPLIER)],
                       product: Annotated[str, Form(max_length=64)] = "",
                       file: Annotated[UploadFile | None, File()] = None) -> HTMLResponse:
    """A CSV of codes (`card_no,card_secret[,expires_on]`), all or nothing with the CLI's per-line report. A supplier
    imports into its own products only: another's is "no such product" (404), as if it did not exist."""
    data = await file.read(MAX_CSV_BYTES + 1) if file is not None else b""
    if len(data) > MAX_CSV_BYTES:
        return await run_in_threadpool(_codes_page, request, platform, session, 413, error="too_big")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return await run_in_threadpool(_codes_page, request, platform, session, 400, error="not_utf8")
    if not text.strip():
        return await run_in_threadpool(_codes_page, request, platform, session, 400, error="empty")
    own = _supplier_scope(session)

    def load(conn) -> admin.ImportReport | None:
        if own is not None and not cq.supplier_owns(conn, own, product):
            return None
        report = admin.import_codes(conn, platform.sealer, product, text)  # with a bad line it writes nothing
        if report.ok:
            auth.audit(conn, session.user, "codes_imported", target=product, reason=f"{report.imported}",
                       source=_source(request))
        return report
    try:
        report = await run_in_threadpool(platform.in_transaction, load)
    except ApiError:  # not a card product
        report = None
    if report is None:
        return await run_in_threadpool(_codes_page, request, platform, session, 404, error="no_product")
    return await run_in_threadpool(_codes_page, request, platform, session, 200 if report.ok else 400,
                                   report=report, imported_into=product)


@router.post("/codes/revoke", response_class=HTMLResponse)
def revoke_code(request: Request, platform: ServicesDep, session: Annotated[Session, allow(Role.OPERATOR)],
                code: Annotated[str, Form(max_length=64)] = "",
                reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Revoke one code (leaked, refunded by the supplier): a counter holding it is told through the feed."""
    if not reason.strip():
        return _codes_page(request, platform, session, 400, error="reason")

    def revoke(conn) -> bool:
        try:
            before = admin.revoke_code(conn, code.strip())
        except ApiError:
            return False
        auth.audit(conn, session.user, "code_revoked", target=code.strip(), reason=f"{reason.strip()} ({before})",
                   source=_source(request))
        return True
    if not platform.in_transaction(revoke):
        return _codes_page(request, platform, session, 404, error="no_code")
    return _back(f"/codes?revoked={code.strip()}")


# --- resellers -----------------------------------------------------------------------------------------------

def _resellers_page(request: Request, platform: Services, status: int = 200, **context: Any) -> HTMLResponse:
    def read(conn):
        return cq.reseller_rows(conn), cq.tiers(conn)
    rows, tiers = platform.in_transaction(read)
    return render(request, "resellers.html", status, rows=rows, tiers=tiers,
                  **{"error": "", "detail": "", **context})


@router.get("/resellers", response_class=HTMLResponse)
def resellers_page(request: Request, platform: ServicesDep,
                   _s: Annotated[Session, allow(Role.OPERATOR, Role.FINANCE)]) -> HTMLResponse:
    return _resellers_page(request, platform)


@router.post("/resellers/create", response_class=HTMLResponse)
def create_reseller(request: Request, platform: ServicesDep, session: Annotated[Session, allow(Role.OPERATOR)],
                    name: Annotated[str, Form(max_length=200)] = "", tier: Annotated[str, Form(max_length=32)] = "",
                    reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    if not (name.strip() and tier.strip() and reason.strip()):
        return _resellers_page(request, platform, 400, error="fields")

    def create(conn) -> str:
        reseller_id = admin.create_reseller(conn, name.strip(), tier.strip())
        auth.audit(conn, session.user, "reseller_created", target=reseller_id, reason=reason.strip(),
                   source=_source(request))
        return reseller_id
    platform.in_transaction(create)
    return _back("/resellers")


@router.post("/resellers/tier", response_class=HTMLResponse)
def set_tier(request: Request, platform: ServicesDep, session: Annotated[Session, allow(Role.OPERATOR)],
             reseller: Annotated[str, Form(max_length=64)] = "", tier: Annotated[str, Form(max_length=32)] = "",
             reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    if not (tier.strip() and reason.strip()):
        return _resellers_page(request, platform, 400, error="fields")

    def change(conn) -> None:
        admin.set_tier(conn, reseller, tier.strip())
        auth.audit(conn, session.user, "reseller_tier", target=reseller, reason=f"{reason.strip()} (→ {tier})",
                   source=_source(request))
    try:
        platform.in_transaction(change)
    except ApiError as exc:
        return _resellers_page(request, platform, exc.status, error="api", detail=exc.message)
    return _back("/resellers")


@router.post("/resellers/freeze", response_class=HTMLResponse)
def freeze(request: Request, platform: ServicesDep, session: Annotated[Session, allow(Role.OPERATOR)],
           reseller: Annotated[str, Form(max_length=64)] = "", frozen: Annotated[str, Form(max_length=1)] = "",
           reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Freeze (frozen=1) or thaw (frozen=0) a reseller: while frozen its restocks and new top-ups are refused."""
    if frozen not in ("0", "1") or not reason.strip():
        return _resellers_page(request, platform, 400, error="fields")

    def change(conn) -> None:
        admin.set_frozen(conn, reseller, frozen == "1")
        auth.audit(conn, session.user, "reseller_frozen" if frozen == "1" else "reseller_thawed", target=reseller,
                   reason=reason.strip(), source=_source(request))
    try:
        platform.in_transaction(change)
    except ApiError as exc:
        return _resellers_page(request, platform, exc.status, error="api", detail=exc.message)
    return _back("/resellers")


@router.post("/resellers/money", response_class=HTMLResponse)
def move_money(request: Request, platform: ServicesDep,
               session: Annotated[Session, allow(Role.OPERATOR, Role.FINANCE)],
               reseller: Annotated[str, Form(max_length=64)] = "", direction: Annotated[str, Form(max_length=8)] = "",
               amount: Annotated[str, Form(max_length=20)] = "", reference: Annotated[str, Form(max_length=128)] = "",
               reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """A credit (money received: bank transfer, cash) or a debit (a correction), with the payment's reference;
    the ledger row and its audit entry are one transaction."""
    try:
        fen = cq.fen_of(amount)
    except cq.MoneyError:
        return _resellers_page(request, platform, 400, error="money")
    if direction not in ("credit", "debit") or not (reference.strip() and reason.strip()) or fen <= 0:
        return _resellers_page(request, platform, 400, error="fields")
    move = admin.credit if direction == "credit" else admin.debit

    def post(conn) -> None:
        move(conn, reseller, fen, reference.strip())
        auth.audit(conn, session.user, f"reseller_{direction}", target=reseller,
                   reason=f"{reason.strip()} ({fen} fen, {reference.strip()})", source=_source(request))
    try:
        platform.in_transaction(post)
    except ApiError as exc:
        return _resellers_page(request, platform, exc.status, error="api", detail=exc.message)
    return _back("/resellers")


# --- suppliers -----------------------------------------------------------------------------------------------

def _suppliers_page(request: Request, platform: Services, status: int = 200, **context: Any) -> HTMLResponse:
    def read(conn):
        return cq.supplier_rows(conn), cq.product_rows(conn)
    rows, products = platform.in_transaction(read)
    return render(request, "suppliers.html", status, rows=rows, products=products, **{"error": "", **context})


@router.get("/suppliers", response_class=HTMLResponse)
def suppliers_page(request: Request, platform: ServicesDep,
                   _s: Annotated[Session, allow(Role.OPERATOR)]) -> HTMLResponse:
    return _suppliers_page(request, platform)


@router.post("/suppliers/assign", response_class=HTMLResponse)
def assign_product(request: Request, platform: ServicesDep, session: Annotated[Session, allow(Role.OPERATOR)],
                   product: Annotated[str, Form(max_length=64)] = "",
                   supplier: Annotated[str, Form(max_length=64)] = "",
                   reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    if not reason.strip():
        return _suppliers_page(request, platform, 400, error="reason")

    def assign(conn) -> None:
        admin.set_supplier(conn, product, supplier.strip() or None)
        auth.audit(conn, session.user, "product_supplier", target=product,
                   reason=f"{reason.strip()} (→ {supplier.strip() or '-'})", source=_source(request))
    try:
        platform.in_transaction(assign)
    except ApiError:
        return _suppliers_page(request, platform, 404, error="no_product")
    return _back("/suppliers")


@router.get("/supplier", response_class=HTMLResponse)
def supplier_home(request: Request, platform: ServicesDep,
                  session: Annotated[Session, allow(Role.SUPPLIER, Role.OPERATOR)],
                  supplier: str = "") -> HTMLResponse:
    """A supplier's own products: stock, what resellers restocked and the settlement per day (staff: ?supplier=)."""
    supplier_id = _supplier_scope(session) or supplier
    if not supplier_id:
        return render(request, "error.html", 404, error="no_supplier")

    def read(conn):
        return cq.supplier_stock(conn, supplier_id), cq.settlement(conn, supplier_id)
    stock, settlement = platform.in_transaction(read)
    return render(request, "supplier.html", supplier_id=supplier_id, stock=stock, settlement=settlement,
                  total_fen=sum(r.charged_fen for r in settlement), total_codes=sum(r.codes for r in settlement))
