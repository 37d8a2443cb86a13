"""initial platform schema

Revision ID: 0001
"""

from alembic import op

from kameng_platform.schema import V1_TABLES, metadata

revision = "0001"
down_revision = None


def upgrade() -> None:
    # The first revision creates the tables as schema.py defined them at 0001; later changes get
    # revisions of their own with explicit operations.
    metadata.create_all(bind=op.get_bind(), tables=[t for t in metadata.sorted_tables if t.name in V1_TABLES])
