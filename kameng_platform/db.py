"""Engines for SQLite (default) and PostgreSQL; migrations through Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            dbapi_conn.execute("PRAGMA journal_mode = WAL")
            dbapi_conn.execute("PRAGMA synchronous = FULL")
            dbapi_conn.execute("PRAGMA foreign_keys = ON")

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn) -> None:
            # Writers take the lock up front: no deadlocking read-to-write upgrades under concurrency.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(url: str) -> None:
    command.upgrade(alembic_config(url), "head")


def insert_once(conn: Connection, table: Table, **values: object) -> bool:
    """Insert a row unless its unique key is taken: True when this call inserted it.

    The answer to every "two deliveries at the same instant" race: a concurrent transaction inserting the same
    key makes this one wait until it commits (PostgreSQL) or has committed already (SQLite's one writer), and
    then nothing is inserted and nothing is raised, so the caller's transaction stays usable and its next
    statement reads the winner's row. No savepoint, no IntegrityError to tell apart from other failures."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[conn.dialect.name]
    # RETURNING rather than rowcount, which psycopg reports as -1 for an INSERT ... ON CONFLICT.
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing()
    return conn.execute(statement.returning(*table.primary_key.columns)).first() is not None


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
