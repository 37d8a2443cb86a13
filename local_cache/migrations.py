"""Forward-only schema migrations, tracked in ``PRAGMA user_version``; each runs in its own transaction."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from local_cache.connection import Connection
from local_cache.errors import MigrationError, SchemaTooNewError
from local_cache.ids import format_utc, parse_utc


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _script(sql: str) -> Callable[[Connection], None]:
    def apply(conn: Connection) -> None:
        # executescript() would COMMIT the open transaction; run the statements one by one instead.
        for statement in sql.split(";\n"):
            if statement.strip():
                conn.execute(statement)

    return apply


V1_CORE = """
CREATE TABLE categories (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('card', 'topup')),
    sort INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE products (
    id TEXT PRIMARY KEY,
    category_id TEXT NOT NULL REFERENCES categories(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('card', 'topup')),
    face_value_fen INTEGER NOT NULL CHECK (face_value_fen >= 0),
    retail_price_fen INTEGER NOT NULL CHECK (retail_price_fen >= 0),
    cost_price_fen INTEGER CHECK (cost_price_fen >= 0),
    barcode TEXT,
    pinyin_initials TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    low_stock_threshold INTEGER NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
    account_rule TEXT,
    redeem_hint TEXT NOT NULL DEFAULT '',
    redeem_url TEXT,
    sort INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX products_barcode ON products(barcode);
CREATE TABLE card_codes (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products(id),
    card_no TEXT NOT NULL,
    card_secret TEXT NOT NULL,
    expires_on TEXT,
    state TEXT NOT NULL CHECK (state IN ('available', 'reserved', 'sold', 'quarantined')),
    order_id TEXT,
    allocated_at TEXT NOT NULL,
    sold_at TEXT,
    after_sales INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX card_codes_pick ON card_codes(product_id, state, allocated_at);
CREATE INDEX card_codes_order ON card_codes(order_id);
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('sale', 'topup')),
    state TEXT NOT NULL,
    topup_state TEXT,
    topup_account TEXT,
    payment_method TEXT NOT NULL,
    total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
    cash_received_fen INTEGER CHECK (cash_received_fen >= 0),
    change_fen INTEGER CHECK (change_fen >= 0),
    staff_id TEXT NOT NULL,
    approver_id TEXT,
    shift_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    sync_state TEXT NOT NULL DEFAULT 'pending' CHECK (sync_state IN ('pending', 'accepted', 'rejected')),
    status_reason TEXT,
    platform_total_fen INTEGER,
    codes_handed_over_at TEXT
) WITHOUT ROWID;
CREATE INDEX orders_created ON orders(created_at);
CREATE TABLE order_lines (
    order_id TEXT NOT NULL REFERENCES orders(id),
    line_no INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;
CREATE INDEX order_lines_product ON order_lines(product_id);
CREATE TABLE order_numbers (
    day TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL
);
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,  -- rows are never deleted, so rowids are never reused
    kind TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    done_at TEXT,
    UNIQUE (kind, ref_id)
);
CREATE INDEX outbox_pending ON outbox(kind, seq) WHERE done_at IS NULL;
CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE staff (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'cashier')),
    pin_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE shifts (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    staff_id TEXT NOT NULL REFERENCES staff(id),
    state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    opened_at TEXT NOT NULL,
    float_fen INTEGER NOT NULL CHECK (float_fen >= 0),
    closed_at TEXT,
    closed_by TEXT,
    counted_fen INTEGER,
    expected_fen INTEGER,
    difference_fen INTEGER,
    count_detail TEXT
);
CREATE TRIGGER shifts_closed_immutable BEFORE UPDATE ON shifts
WHEN OLD.state = 'closed'
BEGIN SELECT RAISE(ABORT, 'closed shift is immutable'); END;
CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
BEGIN SELECT RAISE(ABORT, 'shifts are never deleted'); END;
CREATE TABLE print_jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'printing', 'done', 'failed', 'cancelled')),
    printer TEXT NOT NULL,
    payload BLOB NOT NULL,
    order_id TEXT,
    is_copy INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX print_jobs_state ON print_jobs(state, created_at);
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    staff_id TEXT,
    approver_id TEXT,
    action TEXT NOT NULL,
    subject TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
)
"""

V2_PAYMENTS = """
CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    method TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    state TEXT NOT NULL
        CHECK (state IN ('new', 'pending', 'paid', 'expired', 'cancelled', 'cancel_requested')),
    qr_content TEXT,
    expires_at TEXT,
    cashier_cancelled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX payments_order ON payments(order_id);
CREATE INDEX payments_open ON payments(state) WHERE state IN ('new', 'pending', 'cancel_requested');
ALTER TABLE orders ADD COLUMN refund_needed INTEGER NOT NULL DEFAULT 0
"""


def _v4_lock_clock(conn: Connection) -> None:
    """Locks kept their end as a wall-clock time, which setting the clock forward released; now they keep the time
    left and the clocks when it was last seen (staff.LockState). A lock running at the upgrade keeps its rest,
    credited no further until seen by a monotonic clock, and counts toward the next, longer step."""
    _script("""
ALTER TABLE staff RENAME COLUMN locked_until TO lock_seen_at;
ALTER TABLE staff ADD COLUMN lock_left_s REAL;
ALTER TABLE staff ADD COLUMN lock_seen_mono REAL;
ALTER TABLE staff ADD COLUMN lock_seen_process TEXT
""")(conn)
    now = datetime.now(UTC)
    old_lockout = timedelta(minutes=5)  # the only lock length before 4; it reset the failure count to 0
    for staff_id, until in conn.execute("SELECT id, lock_seen_at FROM staff WHERE lock_seen_at IS NOT NULL").fetchall():
        left = min(max(parse_utc(until) - now, timedelta(0)), old_lockout)
        conn.execute("UPDATE staff SET failed_attempts = 5, lock_left_s = ?, lock_seen_at = ? WHERE id = ?",
                     (left.total_seconds() or None, format_utc(now) if left else None, staff_id))

# A card code reaches the customer when its secret is shown or its card slip is claimed for sending; from then on
# the sale cannot be voided and the code never goes back on sale (issue #14). Before 5 printing did not record it:
# a card slip that went to the printer (or may have, cut off or failed partly printed) counts now, and the slips a
# void left in the queue (their codes may be another order's by now) never print. The triggers hold the rule for
# every writer, whatever use case or sync path a later change adds.
V5_HANDOVER = """
UPDATE print_jobs SET state = 'cancelled'
WHERE state IN ('queued', 'failed', 'printing') AND order_id IN (SELECT id FROM orders WHERE state = 'voided');
UPDATE orders SET codes_handed_over_at = (
    SELECT min(j.updated_at) FROM print_jobs j WHERE j.order_id = orders.id AND j.kind = 'card_slip'
    AND (j.state IN ('printing', 'done') OR (j.is_copy = 1 AND j.attempts > 0)))
WHERE kind = 'sale' AND codes_handed_over_at IS NULL;
CREATE TRIGGER orders_handed_over_stays BEFORE UPDATE OF codes_handed_over_at, state ON orders
WHEN OLD.codes_handed_over_at IS NOT NULL
    AND (NEW.codes_handed_over_at IS NOT OLD.codes_handed_over_at OR NEW.state = 'voided')
BEGIN SELECT RAISE(ABORT, 'the codes of this sale were handed over: it cannot be voided'); END;
CREATE TRIGGER card_codes_handed_over_stay BEFORE UPDATE OF state, order_id ON card_codes
WHEN OLD.order_id IS NOT NULL AND (NEW.order_id IS NOT OLD.order_id OR NEW.state = 'available')
    AND (SELECT codes_handed_over_at FROM orders WHERE id = OLD.order_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a code handed over to a customer stays with its order'); END
"""

# The platform's barcode stays in `barcode` (each catalog update rewrites it); the one the owner attached by
# scanning the product lives beside it, kept across updates, and wins. One product per attached code.
V6_LOCAL_BARCODE = """
ALTER TABLE products ADD COLUMN local_barcode TEXT;
CREATE UNIQUE INDEX products_local_barcode ON products(local_barcode) WHERE local_barcode IS NOT NULL
"""

# Cost and profit (毛利, issue #15): a code keeps what the shop paid for it at restock (the tier price charged), and
# a sale line what its codes cost (a top-up line: the tier price the platform charges). Before 7 restock kept no
# price: codes in hand and past sales take the product's tier price as last synced, the best figure the desk has.
# The owner's retail price (shop_retail_fen, NULL = none) is what retail_price_fen holds while it is set; a catalog
# sync then only updates the platform's suggested price (suggested_retail_fen, NULL = the same as retail_price_fen).
V7_COST = """
ALTER TABLE card_codes ADD COLUMN cost_fen INTEGER CHECK (cost_fen >= 0);
ALTER TABLE order_lines ADD COLUMN cost_fen INTEGER CHECK (cost_fen >= 0);
UPDATE card_codes SET cost_fen = (SELECT p.cost_price_fen FROM products p WHERE p.id = card_codes.product_id);
UPDATE order_lines SET cost_fen = (
    SELECT order_lines.quantity * p.cost_price_fen FROM products p WHERE p.id = order_lines.product_id);
ALTER TABLE products ADD COLUMN shop_retail_fen INTEGER CHECK (shop_retail_fen > 0);
ALTER TABLE products ADD COLUMN suggested_retail_fen INTEGER CHECK (suggested_retail_fen >= 0)
"""

# Automatic restock is the owner's opt-in (issue #15): a product restocks itself only with a policy here (keep N
# codes), and only within the shop's daily budget (a setting, default 0: nothing). No foreign key: a policy names a
# product the catalog may drop or bring back; the engine only reads the policies of the active card products it has.
# The day's automatic spending is summed from the audit log's auto_restock entries, found by this index.
V8_RESTOCK_POLICY = """
CREATE TABLE restock_policies (
    product_id TEXT PRIMARY KEY,
    keep_codes INTEGER NOT NULL CHECK (keep_codes BETWEEN 1 AND 500),
    updated_at TEXT NOT NULL
);
CREATE INDEX audit_log_action_at ON audit_log(action, at)
"""

# Until 9 a print job's reason was its printing error's English message, which the queue panel matched to word it in
# Chinese: rewording a message broke its translation. Now a job keeps a code and its facts (print_jobs.JobReason).
# These are the messages version 8 stored (printing/errors.py then), frozen: each pattern gives the code and, by its
# named groups, the fields. "settings" reasons also name their problem. A text none matches (a release's message
# not listed here) becomes "unknown", which the panel words as a generic printer problem.
V8_PRINT_REASONS: tuple[tuple[str, str, dict[str, str]], ...] = (
    (r"Paper out: load a new roll; the slip prints by itself\.", "paper_out", {}),
    (r"Printer cover open: close it; the slip prints by itself\.", "cover_open", {}),
    (r"Printer error \(cutter jam or overheating\): switch the printer off and on\.", "fault", {}),
    (r"Printer offline: check that it is switched on and has paper\.", "offline", {}),
    (r"Printer not reachable at (?P<where>.*): check the cable or network and that it is on\.", "unreachable", {}),
    (r"No printer set up: choose one in 设置 → 打印机; slips wait until then\.", "no_printer", {}),
    (r"Connection lost while printing: check the slip, then retry \(prints as COPY\) or cancel\.", "interrupted", {}),
    (r"This slip cannot be printed \((?P<error>\w+)\); cancel it\.", "unprintable", {}),
    (r"Unknown printer connection ['\"](?P<kind>.*)['\"] \(use (?P<kinds>.*)\)\.", "settings", {"problem": "kind"}),
    (r"A network printer needs its IP address and a port \(usually 9100\)\.", "settings", {"problem": "network"}),
    (r"A USB printer needs its vendor and product id \(see the printer's label\)\.", "settings", {"problem": "usb"}),
    (r"The USB (?P<what>\w+) id is four hex digits, e\.g\. 0416\.", "settings", {"problem": "usb_id"}),
    (r"Choose the printer's port or device\.", "settings", {"problem": "device"}),
    (r"Serial speed must be 9600, 19200, 38400, 57600 or 115200 baud\.", "settings", {"problem": "baud"}),
    (r"Timeout must be between 0\.5 and 120 seconds\.", "settings", {"problem": "timeout"}),
    (r"The saved printer settings are damaged; set the printer up again\.", "settings", {"problem": "damaged"}),
    (r"Columns must be between 24 and 64\.", "settings", {"problem": "columns"}),
    (r"Dots must be a multiple of 8 between 192 and 832\.", "settings", {"problem": "dots"}),
    (r"Encoding must be one of (?P<encodings>.*)\.", "settings", {"problem": "encoding"}),
    (r"The cash drawer pin must be 2 or 5\.", "settings", {"problem": "drawer_pin"}),
    (r"(?P<path>.*) is not a printer device; slips are never written to ordinary files\.", "settings",
     {"problem": "not_a_device"}),
)


def _v8_reason(text: str) -> tuple[str, dict[str, str]]:
    """The code and fields for a reason version 8 stored as English text."""
    for pattern, code, fields in V8_PRINT_REASONS:
        if match := re.fullmatch(pattern, text, re.DOTALL):
            return code, {**fields, **match.groupdict()}
    return "unknown", {}


def _v9_reason_codes(conn: Connection) -> None:
    _script("""
ALTER TABLE print_jobs RENAME COLUMN last_error TO reason;
ALTER TABLE print_jobs ADD COLUMN reason_fields TEXT
""")(conn)
    for job_id, text in conn.execute("SELECT id, reason FROM print_jobs WHERE reason IS NOT NULL").fetchall():
        code, fields = _v8_reason(text)
        conn.execute("UPDATE print_jobs SET reason = ?, reason_fields = ? WHERE id = ?",
                     (code, json.dumps(fields, ensure_ascii=False, sort_keys=True) if fields else None, job_id))


# Refunds to the original payment (issue #17): one row per refund, its id made here and stored before the platform
# is asked, so a retry after a lost answer (or a crash) is the same refund. cash: from the drawer; gateway: back to
# the QR or code payment through the platform; cash_instead: the gateway could not refund, the drawer paid it.
# Before 10 the only refund was the owner-approved cash hand-back of a failed top-up, an audit entry: each becomes a
# succeeded cash refund of the order's total, so "already refunded" and the drawer's figures keep their history.
# The triggers hold the money rule for every writer: what is refunded (pending or done) never exceeds the order's
# total, and a refund's facts never change once written (only its status moves, states.REFUND).
V10_REFUNDS = """
CREATE TABLE refunds (
    refund_id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders(id),
    payment_id TEXT,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    method TEXT NOT NULL CHECK (method IN ('cash', 'gateway', 'cash_instead')),
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    staff_id TEXT,
    approver_id TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    failure TEXT,
    CHECK (method != 'gateway' OR payment_id IS NOT NULL)
) WITHOUT ROWID;
CREATE INDEX refunds_order ON refunds(order_id);
CREATE INDEX refunds_pending ON refunds(status) WHERE status = 'pending';
CREATE INDEX refunds_finished ON refunds(finished_at);
CREATE TRIGGER refunds_within_total BEFORE INSERT ON refunds
WHEN NEW.amount_fen + (SELECT coalesce(sum(r.amount_fen), 0) FROM refunds r
                       WHERE r.order_id = NEW.order_id AND r.status != 'failed')
    > (SELECT o.total_fen FROM orders o WHERE o.id = NEW.order_id)
BEGIN SELECT RAISE(ABORT, 'a refund above what is left of the order'); END;
CREATE TRIGGER refunds_facts_stay BEFORE UPDATE OF refund_id, order_id, payment_id, amount_fen, method ON refunds
BEGIN SELECT RAISE(ABORT, 'a refund keeps its amount and method'); END;
INSERT INTO refunds(refund_id, order_id, payment_id, amount_fen, method, status, reason, staff_id, approver_id,
                    created_at, finished_at)
SELECT 'audit-' || a.seq, a.subject, NULL, o.total_fen, 'cash', 'succeeded', 'topup_failed', a.staff_id,
       a.approver_id, a.at, a.at
FROM audit_log a JOIN orders o ON o.id = a.subject
WHERE a.action = 'refund' AND o.total_fen > 0 AND a.seq = (
    SELECT min(b.seq) FROM audit_log b WHERE b.action = 'refund' AND b.subject = a.subject)
"""


MIGRATIONS: list[Migration] = [
    Migration(1, "core tables", _script(V1_CORE)),
    Migration(2, "payments for QR sales", _script(V2_PAYMENTS)),
    # Until 3, a retry marked the job a copy; now the failure does, when bytes went out. Jobs failed before the
    # upgrade may be partly on paper: they keep printing as copies.
    Migration(3, "failed print jobs say whether they are partly printed",
              _script("UPDATE print_jobs SET is_copy = 1 WHERE state = 'failed'")),
    Migration(4, "PIN locks count down by the monotonic clock, not the wall clock", _v4_lock_clock),
    Migration(5, "codes handed over stay handed over", _script(V5_HANDOVER)),
    Migration(6, "barcodes the owner attached at the counter", _script(V6_LOCAL_BARCODE)),
    Migration(7, "codes and sale lines keep their cost; the owner sets the retail price", _script(V7_COST)),
    Migration(8, "automatic restock only by the owner's policy, within a daily budget", _script(V8_RESTOCK_POLICY)),
    Migration(9, "print job reasons are codes, not English words", _v9_reason_codes),
    Migration(10, "refunds to the original payment", _script(V10_REFUNDS)),
]

LATEST = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: Connection, target: int = LATEST) -> int:
    """Bring the schema up to ``target``; returns the version reached."""
    version = current_version(conn)
    if version > LATEST:
        raise SchemaTooNewError(version, LATEST)
    for migration in MIGRATIONS:
        if version < migration.version <= target:
            conn.execute("BEGIN IMMEDIATE")
            try:
                migration.apply(conn)
                conn.execute(f"PRAGMA user_version = {migration.version}")
                conn.execute("COMMIT")
            except Exception as exc:
                conn.execute("ROLLBACK")
                raise MigrationError(
                    f"Schema migration {migration.version} ({migration.name}) failed and was rolled back: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
            version = migration.version
    return version
