"""initial platform schema

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

# Frozen: the v1 tables exactly as schema.py defined them when 0001 was written (commit 383cab7). This file
# must never import schema.py: a column added there later would otherwise be created here on a fresh install
# and then again by its own revision. Changes go into new revisions.
Id = sa.String(64)


def upgrade() -> None:
    op.create_table(
        "resellers",
        sa.Column("id", Id, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tier", sa.String(32), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "ledger",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reseller_id", Id, sa.ForeignKey("resellers.id"), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("reference", sa.String(128), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("reason", "reference", name="ledger_once"),
    )
    op.create_index("ix_ledger_reseller_id", "ledger", ["reseller_id"])
    op.create_table(
        "categories",
        sa.Column("id", Id, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sort", sa.Integer, nullable=False),
    )
    op.create_table(
        "products",
        sa.Column("id", Id, primary_key=True),
        sa.Column("category_id", Id, sa.ForeignKey("categories.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("face_value_fen", sa.BigInteger, nullable=False),
        sa.Column("suggested_retail_fen", sa.BigInteger, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("account_rule", sa.String(200)),
        sa.Column("redeem_hint", sa.Text, nullable=False),
        sa.Column("redeem_url", sa.String(500)),
        sa.Column("sort", sa.Integer, nullable=False),
    )
    op.create_table(
        "prices",
        sa.Column("product_id", Id, sa.ForeignKey("products.id"), primary_key=True),
        sa.Column("tier", sa.String(32), primary_key=True),
        sa.Column("price_fen", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "codes",
        sa.Column("id", Id, primary_key=True),
        sa.Column("product_id", Id, sa.ForeignKey("products.id"), nullable=False),
        sa.Column("card_no_index", sa.String(64), nullable=False, unique=True),
        sa.Column("card_no_sealed", sa.LargeBinary, nullable=False),
        sa.Column("secret_sealed", sa.LargeBinary, nullable=False),
        sa.Column("expires_on", sa.String(10)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("terminal_id", Id),
        sa.Column("allocation_id", Id),
        sa.Column("order_id", Id),
        sa.Column("import_batch", Id, nullable=False),
    )
    op.create_index("codes_pick", "codes", ["product_id", "state", "id"])
    op.create_index("codes_allocation", "codes", ["allocation_id"])
    op.create_table(
        "terminals",
        sa.Column("id", Id, primary_key=True),
        sa.Column("reseller_id", Id, sa.ForeignKey("resellers.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False, unique=True),
        sa.Column("secret_sealed", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("revoked_at", sa.BigInteger),
    )
    op.create_table(
        "pairing_codes",
        sa.Column("code_index", sa.String(64), primary_key=True),
        sa.Column("reseller_id", Id, sa.ForeignKey("resellers.id"), nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("used_at", sa.BigInteger),
    )
    op.create_table(
        "nonces",
        sa.Column("terminal_id", Id, primary_key=True),
        sa.Column("nonce", sa.String(64), primary_key=True),
        sa.Column("seen_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "allocations",
        sa.Column("request_id", Id, primary_key=True),
        sa.Column("terminal_id", Id, nullable=False),
        sa.Column("product_id", Id, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("charged_fen", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "orders",
        sa.Column("order_id", Id, primary_key=True),
        sa.Column("terminal_id", Id, nullable=False),
        sa.Column("reseller_id", Id, nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("total_fen", sa.BigInteger),
        sa.Column("cost_fen", sa.BigInteger, nullable=False),
        sa.Column("voided", sa.Boolean, nullable=False),
        sa.Column("topup_state", sa.String(16)),
        sa.Column("topup_product_id", Id),
        sa.Column("topup_account_sealed", sa.LargeBinary),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("received_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_orders_terminal_id", "orders", ["terminal_id"])
    op.create_table(
        "feed",
        # INTEGER on SQLite makes the key the rowid, which is what numbers rows there.
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("reseller_id", Id),
        sa.Column("terminal_id", Id),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
