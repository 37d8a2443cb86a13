"""pairing attempts counted per source and in total; nonces indexed by age so they can be pruned

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "pairing_attempts",
        sa.Column("bucket", sa.String(80), primary_key=True),
        sa.Column("window_start", sa.BigInteger, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
    )
    op.create_index("nonces_seen_at", "nonces", ["seen_at"])

