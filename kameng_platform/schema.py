"""Platform tables (SQLAlchemy Core). Alembic migrations in migrations/ create and evolve them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

Id = String(64)

resellers = Table(
    "resellers", metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("tier", String(32), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    # Migration 0012: frozen by the operator (console): no restock and no new top-up take its money until thawed.
    Column("frozen_at", BigInteger),
)

# The balance is the sum of a reseller's ledger rows; (reason, reference) makes each movement happen once.
ledger = Table(
    "ledger", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("reseller_id", Id, ForeignKey("resellers.id"), nullable=False, index=True),
    Column("amount_fen", BigInteger, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("reference", String(128), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    UniqueConstraint("reason", "reference", name="ledger_once"),
)

categories = Table(
    "categories", metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sort", Integer, nullable=False, default=0),
)

products = Table(
    "products", metadata,
    Column("id", Id, primary_key=True),
    Column("category_id", Id, ForeignKey("categories.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("face_value_fen", BigInteger, nullable=False),
    Column("suggested_retail_fen", BigInteger, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("account_rule", String(200)),
    Column("redeem_hint", Text, nullable=False, default=""),
    Column("redeem_url", String(500)),
    Column("sort", Integer, nullable=False, default=0),
    # Migration 0008: what a scanner reads off the product (EAN-8/13 or Code128); at most one product per code.
    Column("barcode", String(32)),
    Index("products_barcode", "barcode", unique=True),
    # Migration 0012: the supplier whose codes it sells (the console's supplier users stock their own only).
    Column("supplier_id", Id),
    Index("products_supplier", "supplier_id"),
    # Migration 0015: what the platform pays the supplier per code (成本价); NULL until agreed.
    Column("supply_price_fen", BigInteger),
)

prices = Table(
    "prices", metadata,
    Column("product_id", Id, ForeignKey("products.id"), primary_key=True),
    Column("tier", String(32), primary_key=True),
    Column("price_fen", BigInteger, nullable=False),
)

# state: stock -> assigned (to one terminal) -> sold; any -> revoked.
codes = Table(
    "codes", metadata,
    Column("id", Id, primary_key=True),
    Column("product_id", Id, ForeignKey("products.id"), nullable=False),
    Column("card_no_index", String(64), nullable=False, unique=True),
    Column("card_no_sealed", LargeBinary, nullable=False),
    Column("secret_sealed", LargeBinary, nullable=False),
    Column("expires_on", String(10)),
    Column("state", String(16), nullable=False),
    Column("terminal_id", Id),
    Column("allocation_id", Id),
    Column("order_id", Id),
    Column("import_batch", Id, nullable=False),
    Index("codes_pick", "product_id", "state", "id"),
    Index("codes_allocation", "allocation_id"),
    Index("codes_stock_expiry", "expires_on", postgresql_where=text("state = 'stock' AND expires_on IS NOT NULL"),
          sqlite_where=text("state = 'stock' AND expires_on IS NOT NULL")),
    # 0016: what each counter holds now (the portal's stock view), however many codes it sold before.
    Index("codes_held", "terminal_id", "product_id", postgresql_where=text("state = 'assigned'"),
          sqlite_where=text("state = 'assigned'")),
)

terminals = Table(
    "terminals", metadata,
    Column("id", Id, primary_key=True),
    Column("reseller_id", Id, ForeignKey("resellers.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("secret_sealed", LargeBinary, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger),
)

pairing_codes = Table(
    "pairing_codes", metadata,
    Column("code_index", String(64), primary_key=True),
    Column("reseller_id", Id, ForeignKey("resellers.id"), nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("used_at", BigInteger),
)

nonces = Table(
    "nonces", metadata,
    Column("terminal_id", Id, primary_key=True),
    Column("nonce", String(64), primary_key=True),
    Column("seen_at", BigInteger, nullable=False),
    # Pruning deletes by age (terminals.ReplayGuard): rows older than the replay window.
    Index("nonces_seen_at", "seen_at"),
)

# Pairing attempts per fixed window, per source address and in total ("total"), shared by every API process.
pairing_attempts = Table(
    "pairing_attempts", metadata,
    Column("bucket", String(80), primary_key=True),
    Column("window_start", BigInteger, nullable=False),
    Column("attempts", Integer, nullable=False),
)

allocations = Table(
    "allocations", metadata,
    Column("request_id", Id, primary_key=True),
    Column("terminal_id", Id, nullable=False),
    Column("product_id", Id, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("charged_fen", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Index("allocations_created_at", "created_at"),  # 0012: the dashboard's product ranking reads a window
    # Migration 0015: whose codes the restock took and what the platform owes them for it (supply price × quantity
    # at that moment; NULL when the product had no supply price), read by supplier_settlement.
    Column("supplier_id", Id),
    Column("supply_fen", BigInteger),
    Index("allocations_supplier", "supplier_id", "created_at", "supply_fen", "quantity"),
    Index("allocations_terminal", "terminal_id", "product_id"),  # 0016: a counter's last restock per product
)

orders = Table(
    "orders", metadata,
    Column("order_id", Id, primary_key=True),
    Column("terminal_id", Id, nullable=False, index=True),
    Column("reseller_id", Id, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("number", String(64), nullable=False),
    Column("status", String(16), nullable=False),  # accepted | rejected
    Column("reason", Text),
    Column("total_fen", BigInteger),
    Column("cost_fen", BigInteger, nullable=False, default=0),
    Column("voided", Boolean, nullable=False, default=False),
    Column("topup_state", String(16)),
    Column("topup_product_id", Id),
    Column("topup_account_sealed", LargeBinary),
    Column("created_at", String(40), nullable=False),
    Column("received_at", BigInteger, nullable=False),
    # Migration 0007: the top-up worker's lease on this order (periodic.claim): one process at a time
    # submits it or asks the supplier about it.
    Column("claimed_by", String(64)),
    Column("lease_until", BigInteger),
    Index("orders_received_at", "received_at"),  # 0012: the dashboard reads a window of days
    # 0014: the dashboard counts the top-ups still without a final answer (support_queries.STUCK_STATES).
    Index("orders_topup_open", "received_at",
          postgresql_where=text("topup_state IN ('queued', 'submitted', 'unknown')"),
          sqlite_where=text("topup_state IN ('queued', 'submitted', 'unknown')")),
)

# The changes feed. Rows are numbered under a lock held to commit (see feed.py), so a reader paging by seq
# never passes a row that commits later with a lower number.
feed = Table(
    "feed", metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("reseller_id", Id),
    Column("terminal_id", Id),
    Column("type", String(32), nullable=False),
    Column("data", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

# Payments of walk-in customers (migration 0002). status: pending -> paid | expired | cancelled; money that
# arrives after expiry or cancellation still makes it paid (the desk then flags the order for refund).
payments = Table(
    "payments", metadata,
    Column("payment_id", Id, primary_key=True),
    Column("terminal_id", Id, nullable=False),
    Column("order_id", Id, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("method", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("qr_content", Text),
    Column("expires_at", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("paid_at", BigInteger),
    # Migration 0003: the order number as the gateway knows it (WeChat allows only 32 characters) and the
    # gateway's own transaction number; the reconciler finds open payments through payments_open.
    Column("out_trade_no", String(64)),
    Column("gateway_trade_no", String(64)),
    # Migration 0007: the reconciler's lease, one reconcile interval long: across all processes the gateway
    # is asked about a payment once per interval.
    Column("claimed_by", String(64)),
    Column("lease_until", BigInteger),
    # Migration 0010 (counter payments, issue #17): kind "qr" (the customer scans our QR) or "code" (the cashier
    # scans the customer's payment code); the app that pays a code payment; why the gateway refused it; a keyed
    # hash of its payment code (crypto.Sealer.index), which tells a retry from another payment without the code
    # ever being stored; and until when the platform waits for the customer's password before reversing it.
    Column("kind", String(8), nullable=False),
    Column("app", String(16)),
    Column("failure", String(64)),
    Column("auth_hash", String(64)),
    Column("code_deadline", BigInteger),
    Index("payments_gateway_order", "method", "out_trade_no", unique=True),
    Index("payments_open", "status", "expires_at"),
    Index("payments_created_at", "created_at"),  # 0012: the dashboard reads a window of days
)

# Refunds of paid payments (migration 0010). status: pending -> succeeded | failed. The gateway knows a refund by
# out_refund_no (unique per gateway): the same number sent again is the same refund, which is what makes a retry
# after a lost answer safe. claimed_by / lease_until: the reconciler's lease (periodic.claim), as for payments.
refunds = Table(
    "refunds", metadata,
    Column("refund_id", Id, primary_key=True),
    Column("payment_id", Id, ForeignKey("payments.payment_id"), nullable=False, index=True),
    Column("terminal_id", Id, nullable=False),
    Column("method", String(16), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("reason", String(80), nullable=False),
    Column("status", String(16), nullable=False),
    Column("out_refund_no", String(64), nullable=False),
    Column("gateway_refund_no", String(64)),
    Column("failure", String(64)),
    Column("created_at", BigInteger, nullable=False),
    Column("finished_at", BigInteger),
    Column("claimed_by", String(64)),
    Column("lease_until", BigInteger),
    Index("refunds_gateway_number", "method", "out_refund_no", unique=True),
    Index("refunds_open", "status"),
)

# Z reports of closed shifts (migration 0004), one per terminal and shift; a closed shift never changes, so a
# second upload must match the first byte for byte (payload_hash).
shift_reports = Table(
    "shift_reports", metadata,
    Column("terminal_id", Id, primary_key=True),
    Column("shift_id", Id, primary_key=True),
    Column("reseller_id", Id, nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("opened_at", String(40), nullable=False),
    Column("closed_at", String(40), nullable=False),
    Column("float_fen", BigInteger, nullable=False),
    Column("expected_fen", BigInteger, nullable=False),
    Column("counted_fen", BigInteger, nullable=False),
    Column("report", Text, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("received_at", BigInteger, nullable=False),
)

# The sandbox supplier's record (migration 0005): one store for every platform process, the order id (the
# idempotency key) as primary key, so one top-up is executed once however many processes submit it.
# `submissions` counts how often the platform asked for it: more than one means the platform sent a top-up
# again that the supplier had already executed (harmless only because the supplier honours the key).
sandbox_topups = Table(
    "sandbox_topups", metadata,
    Column("order_id", Id, primary_key=True),
    Column("state", String(16), nullable=False),
    Column("reason", String(200)),
    Column("executed_at", BigInteger, nullable=False),
    Column("submissions", Integer, nullable=False),
)


# The sandbox gateway's own record (migration 0010), as a real gateway keeps it: one store for every platform
# process, keyed by our order and refund numbers, so a charge or refund sent twice (a retry after a lost answer,
# another process) happens once, and what the sandbox took and returned outlives a killed platform process.
# state of a trade: paying (the customer is "entering the password" until pays_at) | paid | failed | reversed;
# charges counts the pay_code calls for it (more than one: the platform asked again, harmlessly).
sandbox_trades = Table(
    "sandbox_trades", metadata,
    Column("out_trade_no", String(64), primary_key=True),
    Column("kind", String(8), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Column("pays_at", BigInteger),
    Column("reason", String(64)),
    Column("charges", Integer, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

# state: processing (until done_at) | succeeded | failed; requests counts the refund calls for it.
sandbox_refunds = Table(
    "sandbox_refunds", metadata,
    Column("out_refund_no", String(64), primary_key=True),
    Column("out_trade_no", String(64), nullable=False, index=True),
    Column("amount_fen", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Column("done_at", BigInteger),
    Column("requests", Integer, nullable=False),
)

# The owner's retail price of a product, for every counter of the shop (last writer wins by changed_at, the
# desk's fixed-width UTC text). A reset keeps its row with retail_fen NULL: deleting it would forget when the
# reset happened, and an older price arriving later would then win over it.
retail_prices = Table(
    "retail_prices", metadata,
    Column("reseller_id", Id, ForeignKey("resellers.id"), primary_key=True),
    Column("product_id", Id, ForeignKey("products.id"), primary_key=True),
    Column("retail_fen", BigInteger),
    Column("changed_at", String(40), nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("terminal_id", Id, nullable=False),
)


# What each gateway told the platform about a payment (migration 0013; `kind` leaves room for refunds), written
# in the transaction that applied it: a notify (source "notify") or the answer to the platform's own call or query
# ("answer"). outcome: "applied" (it changed the payment), "repeat" (it said what was known already: a repeated
# notify changes nothing), "not_paid" (nothing to apply yet; kept for notifies only), "refused" (no such number,
# another amount). The console's payment page shows them, so a repeated notify is seen as such.
gateway_notices = Table(
    "gateway_notices", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("method", String(16), nullable=False),
    Column("kind", String(8), nullable=False),  # payment | refund
    Column("number", String(64), nullable=False),  # out_trade_no or out_refund_no
    Column("payment_id", Id),
    Column("refund_id", Id),
    Column("source", String(8), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("received_at", BigInteger, nullable=False),
    Index("gateway_notices_payment", "payment_id"),
)


# What the platform paid each supplier (migration 0015), recorded by finance (console) or the CLI. The bank
# reference is unique per supplier: a payout typed twice is one payout. advance: paid beyond what was owed, on
# purpose (a confirm box); without it a payout larger than the balance owed is refused (supplier_settlement).
supplier_payouts = Table(
    "supplier_payouts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("supplier_id", Id, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("reference", String(128), nullable=False),
    Column("paid_on", String(10), nullable=False),  # YYYY-MM-DD, the bank's date
    Column("advance", Boolean, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    UniqueConstraint("supplier_id", "reference", name="supplier_payouts_once"),
    Index("supplier_payouts_paid_on", "supplier_id", "paid_on"),
)

# A reseller's recharge of its balance by payment QR (migration 0017, console): its payment is a payments row
# like a desk's (same gateways, notifies, reconciler, once-only apply), with no terminal (terminal_id "") and the
# payment id as its order id; this row says whose balance it credits. credited_at is set, with the ledger's
# ("recharge", payment_id) row, in the transaction that marks the payment paid: once, whoever saw it paid first.
recharges = Table(
    "recharges", metadata,
    Column("payment_id", Id, ForeignKey("payments.payment_id"), primary_key=True),
    Column("reseller_id", Id, ForeignKey("resellers.id"), nullable=False),
    Column("user_id", Integer),  # the console user who asked for it (console_users.id; its name below)
    Column("username", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("credited_at", BigInteger),
    Index("recharges_reseller", "reseller_id", "created_at"),
)
