"""payment gateways: the gateway's order number and transaction number, and an index for the reconciler

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.add_column("payments", sa.Column("out_trade_no", sa.String(64)))
    op.add_column("payments", sa.Column("gateway_trade_no", sa.String(64)))
    # Every payment before 0003 went through the sandbox, whose order number is the payment id.
    op.execute("UPDATE payments SET out_trade_no = payment_id WHERE qr_content IS NOT NULL")
    op.create_index("payments_gateway_order", "payments", ["method", "out_trade_no"], unique=True)
    op.create_index("payments_open", "payments", ["status", "expires_at"])
