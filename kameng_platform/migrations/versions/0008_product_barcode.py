"""products carry the barcode a scanner reads off them, one product per code

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.add_column("products", sa.Column("barcode", sa.String(32)))
    # NULLs are distinct in a unique index on SQLite and PostgreSQL alike: products without a code are many.
    op.create_index("products_barcode", "products", ["barcode"], unique=True)
