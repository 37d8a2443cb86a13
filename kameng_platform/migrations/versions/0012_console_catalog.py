"""console catalog and dashboard: products name their supplier, resellers can be frozen; indexes the dashboard
reads by

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    # The supplier whose codes a product sells (a console supplier user sees and stocks only its own products).
    op.add_column("products", sa.Column("supplier_id", sa.String(64)))
    op.create_index("products_supplier", "products", ["supplier_id"])
    # A frozen reseller (console): restocks and new top-ups are refused until the operator thaws it.
    op.add_column("resellers", sa.Column("frozen_at", sa.BigInteger))
    # The dashboard's day series and rankings read a window of days: without these, a full scan of every order
    # and payment ever made (bench/bench_console.py).
    op.create_index("orders_received_at", "orders", ["received_at"])
    op.create_index("payments_created_at", "payments", ["created_at"])
    op.create_index("allocations_created_at", "allocations", ["created_at"])
    # Codes in stock by expiry date: "expiring within N days" reads only the stock codes that expire at all.
    op.create_index("codes_stock_expiry", "codes", ["expires_on"],
                    postgresql_where=sa.text("state = 'stock' AND expires_on IS NOT NULL"),
                    sqlite_where=sa.text("state = 'stock' AND expires_on IS NOT NULL"))

