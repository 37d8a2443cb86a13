"""gateway notices: every payment and refund notify (and gateway answer) the platform applied, repeats included

Revision ID: 0013
Revises: 0011 (console3's 0012 lands beside it: on merging both, this one revises 0012)
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.create_table(
        "gateway_notices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("payment_id", sa.String(64)),
        sa.Column("refund_id", sa.String(64)),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("received_at", sa.BigInteger, nullable=False),
    )
    op.create_index("gateway_notices_payment", "gateway_notices", ["payment_id"])

