"""recharges: a reseller recharges its balance by payment QR (console, issue #18)

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"


def upgrade() -> None:
    op.create_table(
        "recharges",
        sa.Column("payment_id", sa.String(64), sa.ForeignKey("payments.payment_id"), primary_key=True),
        sa.Column("reseller_id", sa.String(64), sa.ForeignKey("resellers.id"), nullable=False),
        sa.Column("user_id", sa.Integer),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("credited_at", sa.BigInteger),
    )
    op.create_index("recharges_reseller", "recharges", ["reseller_id", "created_at"])
