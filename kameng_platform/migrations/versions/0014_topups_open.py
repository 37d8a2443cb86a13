"""the dashboard's count of stuck top-ups: a partial index of the top-ups without a final answer

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"

OPEN = "topup_state IN ('queued', 'submitted', 'unknown')"


def upgrade() -> None:
    # Without it the count reads every order ever received; with it, only the few still open.
    op.create_index("orders_topup_open", "orders", ["received_at"], postgresql_where=sa.text(OPEN),
                    sqlite_where=sa.text(OPEN))

