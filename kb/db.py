"""Database engine and sessions per app, the request session on `g`, and the `db` commands."""

from __future__ import annotations

from pathlib import Path

import click
from alembic import command as alembic_command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app, g
from flask.cli import AppGroup
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite files get WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no branch - sqlite only
        cursor = dbapi_connection.cursor()
        # WAL lets readers work while a gunicorn worker writes; foreign keys are off by default.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def get_engine(app: Flask | None = None) -> Engine:
    """Return the app's engine."""
    return (app or current_app).extensions["kb_engine"]


def new_session(app: Flask | None = None) -> Session:
    """Open a session of its own (CLI, tests, a download that outlives its request)."""
    return Session(get_engine(app), expire_on_commit=False)


def get_session() -> Session:
    """Return the request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = new_session()
    return g.db_session


def commit() -> None:
    """Commit the request's unit of work (the one commit of a request), then run the after-commit hooks."""
    session = get_session()
    session.commit()
    app = current_app._get_current_object()
    from kb.mail import send_queued

    send_queued(app, session)
    for hook in app.extensions.get("kb_after_commit", ()):
        hook(app)


def _fresh_session() -> None:
    # g lives as long as the app context; a context kept open across requests (tests, the CLI)
    # must not hand one request's session, and its cached objects, to the next.
    _close_session(None)


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


def alembic_config(url: str) -> AlembicConfig:
    """Alembic configuration pointing at the packaged migrations and the given database."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(app: Flask, revision: str = "head") -> None:
    """Apply migrations up to `revision`."""
    cfg = alembic_config(app.config["DATABASE_URL"])
    with get_engine(app).begin() as connection:
        cfg.attributes["connection"] = connection
        alembic_command.upgrade(cfg, revision)


@click.group("db", cls=AppGroup)
def db_cli() -> None:
    """Base de données : migrations."""


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Révision cible.")
def upgrade_command(revision: str) -> None:
    """Appliquer les migrations (crée la base si elle est vide) et les unités de formation."""
    upgrade(current_app, revision)
    from kb.reference import ensure_units

    with new_session() as session:
        ensure_units(session)
        session.commit()
    click.echo(f"Base à jour ({revision}).", err=True)


def init_app(app: Flask) -> None:
    """Attach an engine to the app, close sessions after each request, register `db` commands."""
    app.extensions["kb_engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)
    app.before_request(_fresh_session)
    app.cli.add_command(db_cli)
