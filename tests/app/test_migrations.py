"""Alembic migrations build the schema the models describe, on an empty database, repeatably."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from kb import create_app
from kb.db import get_engine, upgrade


def test_upgrade_on_an_empty_database_matches_the_models(tmp_path):
    app = create_app({"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/empty.sqlite3",
                      "SECRET_KEY": "x"})
    upgrade(app)
    engine = get_engine(app)
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == [], f"models and migrations differ: write a migration ({diff})"
    upgrade(app)  # running it again is safe
    engine.dispose()


def test_sqlite_database_runs_in_wal_mode(app):
    with get_engine(app).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
