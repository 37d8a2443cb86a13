"""initial platform schema

Revision ID: 0001
"""

from alembic import op

from kameng_platform.schema import metadata

revision = "0001"
down_revision = None


def upgrade() -> None:
    # The first revision creates the tables as schema.py defined them at 0001; later changes get
    # revisions of their own with explicit operations.
    metadata.create_all(bind=op.get_bind())
