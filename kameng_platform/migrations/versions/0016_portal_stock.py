"""portal stock: what each counter holds now, and its last restock per product (the reseller portal's stock view)

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"


def upgrade() -> None:
    # Only the codes a counter holds (assigned, not sold): the index stays the size of the counters' shelves.
    op.create_index("codes_held", "codes", ["terminal_id", "product_id"],
                    postgresql_where=sa.text("state = 'assigned'"), sqlite_where=sa.text("state = 'assigned'"))
    op.create_index("allocations_terminal", "allocations", ["terminal_id", "product_id"])

