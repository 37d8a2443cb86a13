"""supplier payouts: a product's supply price, what each restock owes its supplier, payouts recorded by finance

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    # What the platform pays the supplier for one code of the product (成本价 / 进价); NULL: not agreed yet.
    op.add_column("products", sa.Column("supply_price_fen", sa.BigInteger))
    # Each restock keeps whose codes it took and what the platform owes for them, at the price of that moment:
    # a later price change or a product moved to another supplier does not rewrite what was owed.
    op.add_column("allocations", sa.Column("supplier_id", sa.String(64)))
    op.add_column("allocations", sa.Column("supply_fen", sa.BigInteger))
    # Restocks before this revision: the product's supplier now is the best record of whose codes they were; no
    # supply price existed, so what they owe stays NULL (shown as "without a supply price", never as 0).
    op.execute("UPDATE allocations SET supplier_id = (SELECT products.supplier_id FROM products "
               "WHERE products.id = allocations.product_id)")
    op.create_index("allocations_supplier", "allocations", ["supplier_id", "created_at", "supply_fen", "quantity"])
    op.create_table(
        "supplier_payouts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("supplier_id", sa.String(64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("reference", sa.String(128), nullable=False),
        sa.Column("paid_on", sa.String(10), nullable=False),
        sa.Column("advance", sa.Boolean, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("supplier_id", "reference", name="supplier_payouts_once"),
    )
    op.create_index("supplier_payouts_paid_on", "supplier_payouts", ["supplier_id", "paid_on"])
