"""leases: which process works on a top-up or asks a gateway about a payment, and until when

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    for table in ("orders", "payments"):
        op.add_column(table, sa.Column("claimed_by", sa.String(64)))
        op.add_column(table, sa.Column("lease_until", sa.BigInteger))
