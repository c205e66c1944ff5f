"""Alembic migrations build the schema the models describe, on an empty database, repeatably."""

from __future__ import annotations

import pytest
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


@pytest.mark.sqlite
def test_sqlite_database_runs_in_wal_mode(app):
    with get_engine(app).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> str:
    """The URL of an empty database (no table at all) of each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/empty.sqlite3"
    postgres = request.getfixturevalue("postgres")
    return postgres.create_database(f"kb_empty_{tmp_path.name[-20:].replace('-', '_')}".lower())


def test_every_migration_goes_up_and_down_on_both_databases(empty_database, tmp_path):
    """From nothing to the last revision, back to nothing one step at a time, and up again: each downgrade undoes
    its upgrade, on SQLite (batch mode) and PostgreSQL, and the schema matches the models both times."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from kb.db import alembic_config

    app = create_app({"INSTANCE_DIR": str(tmp_path), "DATABASE_URL": empty_database, "SECRET_KEY": "x"})
    engine = get_engine(app)
    cfg = alembic_config(empty_database)
    revisions = [script.revision for script in ScriptDirectory.from_config(cfg).walk_revisions()]  # newest first
    upgrade(app)

    def run(step, target: str) -> None:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            step(cfg, target)

    for revision in revisions[1:]:  # down one revision at a time, to the first
        run(command.downgrade, revision)
    run(command.downgrade, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(app)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)
    assert diff == [] and len(revisions) >= 23
    engine.dispose()
