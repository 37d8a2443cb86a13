"""shift reports: the Z report of every closed shift, uploaded by the desk

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.create_table(
        "shift_reports",
        sa.Column("terminal_id", sa.String(64), primary_key=True),
        sa.Column("shift_id", sa.String(64), primary_key=True),
        sa.Column("reseller_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("opened_at", sa.String(40), nullable=False),
        sa.Column("closed_at", sa.String(40), nullable=False),
        sa.Column("float_fen", sa.BigInteger, nullable=False),
        sa.Column("expected_fen", sa.BigInteger, nullable=False),
        sa.Column("counted_fen", sa.BigInteger, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("received_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_shift_reports_reseller_id", "shift_reports", ["reseller_id"])
