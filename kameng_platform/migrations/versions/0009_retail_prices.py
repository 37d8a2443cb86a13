"""retail prices: the owner's price of a product, shared by every counter of the shop

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "retail_prices",
        sa.Column("reseller_id", sa.String(64), sa.ForeignKey("resellers.id"), primary_key=True),
        sa.Column("product_id", sa.String(64), sa.ForeignKey("products.id"), primary_key=True),
        sa.Column("retail_fen", sa.BigInteger),
        sa.Column("changed_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
    )
