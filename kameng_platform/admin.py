"""Operator actions: resellers, balance credits, products and prices, code import, revocation, reports."""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from kameng_platform import clock, feed, ledger
from kameng_platform.crypto import Sealer
from kameng_platform.errors import ApiError, bad_request, not_found
from kameng_platform.schema import categories, codes, orders, prices, products, resellers
from kameng_platform.schema import ledger as ledger_t


def create_reseller(conn: Connection, name: str, tier: str = "standard", reseller_id: str | None = None) -> str:
    reseller_id = reseller_id or "r_" + secrets.token_hex(6)
    conn.execute(insert(resellers).values(id=reseller_id, name=name, tier=tier, created_at=clock.now()))
    return reseller_id


def credit(conn: Connection, reseller_id: str, amount_fen: int, reference: str) -> int:
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        raise bad_request("a credit is a positive amount of fen")
    if conn.execute(select(resellers.c.id).where(resellers.c.id == reseller_id)).first() is None:
        raise not_found("no such reseller")
    return ledger.post(conn, reseller_id, amount_fen, "credit", reference)


def _upsert(conn: Connection, table, values: dict, keys: list[str]) -> None:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table).values(**values)
    stmt = stmt.on_conflict_do_update(index_elements=keys, set_={k: v for k, v in values.items() if k not in keys})
    conn.execute(stmt)


def upsert_category(conn: Connection, category_id: str, name: str, kind: str, sort: int = 0) -> None:
    _upsert(conn, categories, dict(id=category_id, name=name, kind=kind, sort=sort), ["id"])


def upsert_product(conn: Connection, *, product_id: str, category_id: str, name: str, kind: str,
                   face_value_fen: int, suggested_retail_fen: int, tier_prices: dict[str, int],
                   active: bool = True, account_rule: str | None = None, redeem_hint: str = "",
                   redeem_url: str | None = None, sort: int = 0, barcode: str | None = None) -> None:
    """`barcode` None keeps the product's code as it is, "" clears it."""
    for amount in (face_value_fen, suggested_retail_fen, *tier_prices.values()):
        if not isinstance(amount, int) or amount < 0:
            raise bad_request("prices are non-negative integer fen")
    if kind not in ("card", "topup"):
        raise bad_request("kind is card or topup")
    values = dict(id=product_id, category_id=category_id, name=name, kind=kind, face_value_fen=face_value_fen,
                  suggested_retail_fen=suggested_retail_fen, active=active, account_rule=account_rule,
                  redeem_hint=redeem_hint, redeem_url=redeem_url, sort=sort)
    if barcode is not None:
        values["barcode"] = check_barcode(barcode)
        _refuse_taken_barcode(conn, values["barcode"], product_id)
    _upsert(conn, products, values, ["id"])
    for tier, price in tier_prices.items():
        _upsert(conn, prices, dict(product_id=product_id, tier=tier, price_fen=price), ["product_id", "tier"])
    feed.append(conn, "product", {"product_id": product_id})


# What a scanner sends: printable ASCII without spaces (Code128 covers all of it; EAN codes are digits).
BARCODE = re.compile(r"[!-~]{1,32}")


def check_barcode(code: str) -> str | None:
    """The code to store, None for an empty one (no barcode); an 8 or 13 digit code must be a valid EAN."""
    code = code.strip()
    if not code:
        return None
    if not BARCODE.fullmatch(code):
        raise bad_request("a barcode is 1-32 printable ASCII characters without spaces (EAN-8, EAN-13 or Code128); "
                          "give --barcode '' to remove it")
    if code.isdigit() and len(code) in (8, 13):
        expected = ean_check_digit(code[:-1])
        if code[-1] != expected:
            raise bad_request(f"{code} is not a valid EAN-{len(code)}: its last (check) digit should be {expected}; "
                              "retype it from the label")
    return code


def ean_check_digit(digits: str) -> str:
    """GS1 check digit: weights 3 and 1 alternate from the rightmost digit leftwards."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str(-total % 10)


def _refuse_taken_barcode(conn: Connection, code: str | None, product_id: str) -> None:
    if code is None:
        return
    other = conn.execute(select(products.c.id).where(products.c.barcode == code, products.c.id != product_id)).scalar()
    if other is not None:
        raise ApiError(409, "barcode_taken", f"barcode {code} is already on product {other}: a scan must find one "
                                             f"product; clear it there first (--barcode '')")


def set_active(conn: Connection, product_id: str, active: bool) -> None:
    if conn.execute(update(products).where(products.c.id == product_id).values(active=active)).rowcount == 0:
        raise not_found("no such product")
    feed.append(conn, "product", {"product_id": product_id})


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)

    @property
    def ok(self) -> bool:
        return not self.errors


CARD_FIELD = re.compile(r"^[A-Za-z0-9-]{4,64}$")


def import_codes(conn: Connection, sealer: Sealer, product_id: str, text: str) -> ImportReport:
    """CSV rows `card_no,card_secret[,expires_on YYYY-MM-DD]`: all rows go in, or none (with a report)."""
    report = ImportReport()
    product = conn.execute(select(products.c.kind).where(products.c.id == product_id)).scalar()
    if product != "card":
        raise ApiError(404, "unknown_product", f"{product_id} is not a card product")
    rows: list[tuple[str, str, str | None]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if number == 1 and row[0].strip().lower() in ("card_no", "卡号"):
            continue
        if len(row) not in (2, 3):
            report.errors.append((number, f"expected 2 or 3 fields, found {len(row)}"))
            continue
        card_no, secret = row[0].strip(), row[1].strip()
        expires = row[2].strip() if len(row) == 3 and row[2].strip() else None
        if not CARD_FIELD.match(card_no) or not CARD_FIELD.match(secret):
            report.errors.append((number, "card number and secret are 4-64 letters, digits or '-'"))
            continue
        if expires is not None:
            try:
                if date.fromisoformat(expires) < datetime.now(UTC).date():
                    report.errors.append((number, f"already expired on {expires}"))
                    continue
            except ValueError:
                report.errors.append((number, f"expiry {expires!r} is not YYYY-MM-DD"))
                continue
        if card_no in seen:
            report.errors.append((number, f"duplicate of line {seen[card_no]}"))
            continue
        seen[card_no] = number
        rows.append((card_no, secret, expires))
    indexes = {sealer.index(c): c for c, _, _ in rows}
    if indexes:
        existing = set(conn.execute(select(codes.c.card_no_index).where(codes.c.card_no_index.in_(list(indexes))))
                       .scalars())
        for idx in existing:
            report.errors.append((seen[indexes[idx]], "this card number is already in stock"))
    if report.errors:
        report.errors.sort()
        return report
    batch = "b_" + secrets.token_hex(6)
    values = []
    for card_no, secret, expires in rows:
        code_id = "c_" + secrets.token_hex(10)
        values.append(dict(id=code_id, product_id=product_id, card_no_index=sealer.index(card_no),
                           card_no_sealed=sealer.seal(card_no, "card_no:" + code_id),
                           secret_sealed=sealer.seal(secret, "secret:" + code_id), expires_on=expires,
                           state="stock", import_batch=batch))
    if values:
        conn.execute(insert(codes), values)
    report.imported = len(values)
    return report


def revoke_code(conn: Connection, code_id: str) -> str:
    row = conn.execute(select(codes.c.state, codes.c.terminal_id, codes.c.product_id)
                       .where(codes.c.id == code_id).with_for_update()).first()
    if row is None:
        raise not_found("no such code")
    conn.execute(update(codes).where(codes.c.id == code_id).values(state="revoked"))
    if row.terminal_id:
        feed.append(conn, "code_revoked", {"code_id": code_id, "product_id": row.product_id},
                    terminal_id=row.terminal_id)
    return row.state


def ledger_rows(conn: Connection, reseller_id: str) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(
        select(ledger_t).where(ledger_t.c.reseller_id == reseller_id).order_by(ledger_t.c.id))]


def reconciliation(conn: Connection, reseller_id: str) -> list[dict]:
    """Per UTC day: credits, restock charges, top-up charges, refunds, card sales reported, and the
    balance movement, which equals the sum of the ledger rows of that day."""
    day = func.date(func.to_timestamp(ledger_t.c.created_at)) if conn.dialect.name == "postgresql" else \
        func.date(ledger_t.c.created_at, "unixepoch")
    by_reason = conn.execute(select(day.label("day"), ledger_t.c.reason, func.sum(ledger_t.c.amount_fen))
                             .where(ledger_t.c.reseller_id == reseller_id).group_by("day", ledger_t.c.reason)).all()
    odays = func.date(func.to_timestamp(orders.c.received_at)) if conn.dialect.name == "postgresql" else \
        func.date(orders.c.received_at, "unixepoch")
    sales = conn.execute(select(odays.label("day"), func.count(), func.coalesce(func.sum(orders.c.total_fen), 0))
                         .where(orders.c.reseller_id == reseller_id, orders.c.kind == "sale",
                                orders.c.status == "accepted", orders.c.voided.is_(False))
                         .group_by("day")).all()
    days: dict[str, dict] = {}
    for d, reason, amount in by_reason:
        entry = days.setdefault(str(d), {"day": str(d), "credit": 0, "restock": 0, "topup": 0, "refund": 0,
                                         "sales_orders": 0, "sales_fen": 0, "movement": 0})
        entry[reason] = entry.get(reason, 0) + int(amount)
        entry["movement"] += int(amount)
    for d, n, total in sales:
        entry = days.setdefault(str(d), {"day": str(d), "credit": 0, "restock": 0, "topup": 0, "refund": 0,
                                         "sales_orders": 0, "sales_fen": 0, "movement": 0})
        entry["sales_orders"], entry["sales_fen"] = int(n), int(total)
    return [days[k] for k in sorted(days)]


def set_price(conn: Connection, product_id: str, tier: str, price_fen: int) -> None:
    """One tier's price of one product (the console's bulk edit); the desks hear of it through the feed."""
    if not isinstance(price_fen, int) or price_fen < 0:
        raise bad_request("prices are non-negative integer fen")
    if conn.execute(select(products.c.id).where(products.c.id == product_id)).first() is None:
        raise not_found("no such product")
    _upsert(conn, prices, dict(product_id=product_id, tier=tier, price_fen=price_fen), ["product_id", "tier"])
    feed.append(conn, "product", {"product_id": product_id})


def set_supplier(conn: Connection, product_id: str, supplier_id: str | None) -> None:
    """The supplier whose codes this product sells (None: the platform's own)."""
    if conn.execute(update(products).where(products.c.id == product_id)
                    .values(supplier_id=supplier_id)).rowcount == 0:
        raise not_found("no such product")


def debit(conn: Connection, reseller_id: str, amount_fen: int, reference: str) -> int:
    """Take money off a reseller's balance (a correction, a refund paid out by other means); never below zero."""
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        raise bad_request("a debit is a positive amount of fen")
    if conn.execute(select(resellers.c.id).where(resellers.c.id == reseller_id)).first() is None:
        raise not_found("no such reseller")
    ledger.lock_reseller(conn, reseller_id)
    if ledger.balance(conn, reseller_id) < amount_fen:
        raise ApiError(409, "insufficient_balance", "the balance is lower than this debit")
    return ledger.post(conn, reseller_id, -amount_fen, "debit", reference)


def set_tier(conn: Connection, reseller_id: str, tier: str) -> None:
    """The price tier a reseller's counters buy at (its terminals read the catalog at this tier from now on)."""
    if conn.execute(update(resellers).where(resellers.c.id == reseller_id).values(tier=tier)).rowcount == 0:
        raise not_found("no such reseller")


def set_frozen(conn: Connection, reseller_id: str, frozen: bool) -> None:
    """Freeze a reseller (no restock, no new top-up: ledger.lock_reseller tells the charging code) or thaw it.
    Sales of codes its counters already hold are still accepted: those were paid for, and refusing them would
    only lose the record."""
    ledger.lock_reseller(conn, reseller_id)
    if conn.execute(update(resellers).where(resellers.c.id == reseller_id)
                    .values(frozen_at=clock.now() if frozen else None)).rowcount == 0:
        raise not_found("no such reseller")
