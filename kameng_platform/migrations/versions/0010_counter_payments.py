"""counter payments (issue #17): code payments' columns, refunds, and the sandbox gateway's own record

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    # Every payment before 0010 was a QR payment; the default fills them in and is then dropped (schema.py
    # declares none: the code always says which kind it records). Batch mode: SQLite cannot alter a column.
    op.add_column("payments", sa.Column("kind", sa.String(8), nullable=False, server_default="qr"))
    with op.batch_alter_table("payments") as batch:
        batch.alter_column("kind", server_default=None)
    for name, type_ in (("app", sa.String(16)), ("failure", sa.String(64)), ("auth_hash", sa.String(64)),
                        ("code_deadline", sa.BigInteger())):
        op.add_column("payments", sa.Column(name, type_))
    op.create_table(
        "refunds",
        sa.Column("refund_id", sa.String(64), primary_key=True),
        sa.Column("payment_id", sa.String(64), sa.ForeignKey("payments.payment_id"), nullable=False),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.String(80), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("out_refund_no", sa.String(64), nullable=False),
        sa.Column("gateway_refund_no", sa.String(64)),
        sa.Column("failure", sa.String(64)),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("finished_at", sa.BigInteger),
        sa.Column("claimed_by", sa.String(64)),
        sa.Column("lease_until", sa.BigInteger),
    )
    op.create_index("ix_refunds_payment_id", "refunds", ["payment_id"])
    op.create_index("refunds_gateway_number", "refunds", ["method", "out_refund_no"], unique=True)
    op.create_index("refunds_open", "refunds", ["status"])
    op.create_table(
        "sandbox_trades",
        sa.Column("out_trade_no", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("pays_at", sa.BigInteger),
        sa.Column("reason", sa.String(64)),
        sa.Column("charges", sa.Integer, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "sandbox_refunds",
        sa.Column("out_refund_no", sa.String(64), primary_key=True),
        sa.Column("out_trade_no", sa.String(64), nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("done_at", sa.BigInteger),
        sa.Column("requests", sa.Integer, nullable=False),
    )
    op.create_index("ix_sandbox_refunds_out_trade_no", "sandbox_refunds", ["out_trade_no"])
