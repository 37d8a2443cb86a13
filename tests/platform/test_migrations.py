"""The Alembic chain builds, from an empty database, exactly the schema schema.py describes, on SQLite and on
PostgreSQL; and the first revision is frozen (it never reads today's schema.py)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from kameng_platform import schema
from kameng_platform.console import tables as _console_tables  # noqa: F401 -- its tables join schema.metadata
from kameng_platform.db import MIGRATIONS, make_engine, migrate

ROOT = Path(__file__).resolve().parents[2]


def test_migrated_from_empty_matches_schema_py(db_url) -> None:
    migrate(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            # compare_type: column types (String lengths, BigInteger vs Integer, Boolean, LargeBinary);
            # compare_server_default: schema.py declares none, so any default a migration adds is a difference.
            # Tables, columns, nullability, indexes, unique constraints and foreign keys are always compared.
            context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
            diff = compare_metadata(context, schema.metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert tables == set(schema.metadata.tables) | {"alembic_version"}


def test_first_revision_does_not_import_schema_py() -> None:
    tree = ast.parse((MIGRATIONS / "versions" / "0001_initial.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert imported == {"sqlalchemy", "alembic"}


PROBE = """
import json, sys
from sqlalchemy import Column, String, inspect
from kameng_platform import schema
from kameng_platform.console import tables as _console_tables  # noqa: F401 -- its tables join schema.metadata
from kameng_platform.db import make_engine, migrate

# A column added to a v1 table in schema.py, as a later revision would add it with op.add_column.
schema.resellers.append_column(Column("probe", String(10)))
migrate(sys.argv[1])
engine = make_engine(sys.argv[1])
with engine.connect() as conn:
    print(json.dumps([c["name"] for c in inspect(conn).get_columns("resellers")]))
engine.dispose()
"""


def test_a_column_added_to_a_v1_table_is_not_created_by_0001(db_url) -> None:
    """Before the freeze, 0001 built the v1 tables from today's schema.py: the new column appeared on a fresh
    install, and the revision that adds it then failed there ("duplicate column")."""
    out = subprocess.run([sys.executable, "-c", PROBE, db_url], cwd=ROOT, capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), check=True).stdout
    assert json.loads(out) == ["id", "name", "tier", "created_at", "frozen_at"]  # frozen_at: 0012, no "probe"
