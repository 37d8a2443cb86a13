"""sandbox supplier record: one table for every platform process (it was a file or memory per process)

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.create_table(
        "sandbox_topups",
        sa.Column("order_id", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(200)),
        sa.Column("executed_at", sa.BigInteger, nullable=False),
        sa.Column("submissions", sa.Integer, nullable=False),
    )
