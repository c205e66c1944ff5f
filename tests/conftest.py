"""Fixtures: an app on a throw-away SQLite file (or PostgreSQL database) and index dir, its client, runner
and session."""

from __future__ import annotations

import re
import shutil
import weakref
from collections.abc import Iterator
from itertools import count
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, event
from werkzeug.test import TestResponse

from kb import create_app, indexing
from kb.db import new_session, upgrade
from kb.reference import ensure_units
from tests import factories
from tests.pg import PostgresServer

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _config(base: Path, db_file: Path | str) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_DIR": str(base / "instance"),
        "DATABASE_URL": db_file if isinstance(db_file, str) else f"sqlite:///{db_file}",
        "INDEX_DIR": str(base / "index"),
        "SECRET_KEY": "tests-only-secret",
        "SERVER_NAME": "localhost",
        "DEMO_MODE": True,  # the demo database has the demo accounts (production instances do not)
    }


DATABASES = ("sqlite", "postgresql")


def pytest_addoption(parser) -> None:
    parser.addoption("--database", choices=DATABASES, default="sqlite",
                     help="the database every test's app runs on (make test runs the suite on each)")


# Fixtures that name their engine (they ran on both in the SQLite run) or hold the run's database.
_NAMED_ENGINE = {"postgres", "pg_template", "pg_demo"}
_RUN_DATABASE = {"migrated_db", "empty_database"}


def pytest_collection_modifyitems(config, items) -> None:
    """The PostgreSQL run keeps the tests whose app runs on the run's database.

    It leaves out the tests marked ``sqlite`` (about SQLite itself), those that name their engines (they
    already ran on both in the SQLite run) and those that use no database of the run (nothing in them
    depends on the engine); pytest counts them as deselected.
    """
    if config.getoption("database") != "postgresql":
        return
    kept, left = [], []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        params = item.callspec.params.values() if hasattr(item, "callspec") else ()
        names_engines = bool(names & _NAMED_ENGINE) or any(isinstance(p, str) and p in DATABASES for p in params)
        if item.get_closest_marker("sqlite") or names_engines or not names & _RUN_DATABASE:
            left.append(item)
        else:
            kept.append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


class Template:
    """A database copied for each test, with its search index beside it: a SQLite file, or a PostgreSQL
    database used as the template of ``CREATE DATABASE``."""

    def __init__(self, url: str, index: Path, postgres: PostgresServer | None = None) -> None:
        self.url, self.index, self.postgres = url, index, postgres

    def copy(self, db_file: Path, index_dir: Path | None = None) -> str:
        """URL of a fresh copy: the file ``db_file`` (SQLite) or a new database (PostgreSQL); the index is
        copied into ``index_dir`` when the template has one."""
        if index_dir is not None and self.index.is_dir():
            shutil.copytree(self.index, index_dir)
        if self.postgres is None:
            shutil.copy(self.url.removeprefix("sqlite:///"), db_file)
            return f"sqlite:///{db_file}"
        return pg_database(self.postgres, self.url.rsplit("/", 1)[1])

    def discard(self, url: str) -> None:
        """Drop a PostgreSQL copy (the cluster would fill the disk); SQLite copies go with their temp dir."""
        if self.postgres is not None and url != self.url:
            name = url.rsplit("/", 1)[1]
            self.postgres.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _on_postgresql(request) -> bool:
    return request.config.getoption("database") == "postgresql"


@pytest.fixture(scope="session")
def migrated_db(request, tmp_path_factory) -> Template:
    """The run's database, migrated once, with the three units; copied for each test."""
    base = tmp_path_factory.mktemp("template")
    postgres = request.getfixturevalue("postgres") if _on_postgresql(request) else None
    url = postgres.create_database("kb_migrated") if postgres else f"sqlite:///{base / 'template.sqlite3'}"
    app = create_app(_config(base, url))
    upgrade(app)
    with app.app_context(), new_session(app) as session:
        ensure_units(session)
        session.commit()
    app.extensions["kb_engine"].dispose()  # a template database must have no open connection
    return Template(url, base / "index", postgres)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, migrated_db) -> Template:
    """The run's database with the demo data and its index, generated once per run."""
    from kb.demo import generate
    from kb.storage import get_storage

    base = tmp_path_factory.mktemp("demo")
    if migrated_db.postgres:
        url = migrated_db.postgres.create_database("kb_demo", template=migrated_db.url.rsplit("/", 1)[1])
    else:
        url = migrated_db.copy(base / "demo.sqlite3")
    app = create_app(_config(base, url))
    with app.app_context(), new_session(app) as session:
        generate(session, storage=get_storage(app))
        session.commit()
    indexing.drain(app)  # the template's index is copied with its database
    indexing.close_index(app)
    app.extensions["kb_engine"].dispose()
    return Template(url, base / "index", migrated_db.postgres)


@pytest.fixture
def empty_database(request, tmp_path) -> Iterator[str | None]:
    """URL of an empty database (not migrated) on the run's engine; None on SQLite (the instance's own file)."""
    if not _on_postgresql(request):
        yield None
        return
    postgres = request.getfixturevalue("postgres")
    name = f"kb_empty_{next(_pg_databases)}"
    yield postgres.create_database(name)
    postgres.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_engines: weakref.WeakSet = weakref.WeakSet()


@event.listens_for(Engine, "engine_connect")
def _remember_engine(connection) -> None:
    _engines.add(connection.engine)


@pytest.fixture(autouse=True)
def _close_connections():
    """Close the pooled connections of every engine a test used (apps a test creates and leaves), so that a
    PostgreSQL connection is never left to the garbage collector (psycopg warns) and databases can be dropped."""
    yield
    for engine in list(_engines):
        checked_out = getattr(engine.pool, "checkedout", lambda: 0)()
        if not checked_out:  # a session held across tests (a module's fixture) keeps its engine as it is
            engine.dispose()


class ReadableTestResponse(TestResponse):
    """A test response whose text reads with plain spaces: the pages put French no-break spaces before « : ; ? ! »
    and inside guillemets (``kb.typography``), and assertions about what a page says should not have to spell
    them. ``response.data`` keeps the exact bytes (the typography tests read those)."""

    def get_data(self, as_text: bool = False):
        data = super().get_data(as_text=as_text)
        return data.replace("\u00a0", " ") if as_text else data


class ReadableClient(FlaskClient):
    """The test client, answering with ``ReadableTestResponse``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.response_wrapper = type("ReadableResponse", (ReadableTestResponse, self.application.response_class), {})


def _make_app(tmp_path: Path, source: Template):
    url = source.copy(tmp_path / "kb.sqlite3", tmp_path / "index")
    app = create_app(_config(tmp_path, url))
    app.test_client_class = ReadableClient
    yield app
    indexing.close_index(app)
    app.extensions["kb_engine"].dispose()
    source.discard(url)


@pytest.fixture
def app(tmp_path, migrated_db):
    """An app on an empty (migrated) database of its own."""
    yield from _make_app(tmp_path, migrated_db)


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server for the run (Debian's package, a cluster of its own in a temp dir)."""
    server = PostgresServer()
    yield server
    server.stop()


_pg_databases = count(1)


@pytest.fixture(scope="session")
def pg_template(postgres, tmp_path_factory) -> str:
    """Name of a PostgreSQL database migrated once, with the three units; copied for each test."""
    postgres.create_database("kb_template")
    base = tmp_path_factory.mktemp("pg-template")
    app = create_app(_config(base, postgres.url("kb_template")))
    upgrade(app)
    with app.app_context(), new_session(app) as session:
        ensure_units(session)
        session.commit()
    app.extensions["kb_engine"].dispose()  # a template database must have no open connection
    return "kb_template"


def pg_database(postgres, template: str) -> str:
    """URL of a fresh copy of a template database."""
    return postgres.create_database(f"kb_test_{next(_pg_databases)}", template=template)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, tmp_path, migrated_db):
    """The same test on SQLite and on PostgreSQL: an app on an empty migrated database of each."""
    if request.param == "sqlite":
        yield from _make_app(tmp_path, migrated_db)
        return
    postgres = request.getfixturevalue("postgres")
    url = pg_database(postgres, request.getfixturevalue("pg_template"))
    app = create_app(_config(tmp_path, url))
    app.test_client_class = ReadableClient
    yield app
    indexing.close_index(app)
    app.extensions["kb_engine"].dispose()
    postgres.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.fixture
def demo_app(tmp_path, demo_db):
    """An app on a copy of the demo database."""
    yield from _make_app(tmp_path, demo_db)


@pytest.fixture
def client(app):
    """Test client of `app`."""
    return app.test_client()


@pytest.fixture
def demo_client(demo_app):
    """Test client of `demo_app`."""
    return demo_app.test_client()


@pytest.fixture
def runner(app):
    """CLI runner of `app`."""
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    """A session on the app's database, inside an app context."""
    with app.app_context(), new_session(app) as db_session:
        yield db_session


@pytest.fixture
def make(session):
    """Factories bound to the test session: make.action(...), make.organisation(...), ..."""
    return factories.Factories(session)


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form at `url` (the session cookie keeps it valid)."""
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token in {url}"
    return match.group(1)


def post_form(client, url: str, data: dict, follow_redirects: bool = False):
    """Submit a form the way a browser does: fetch it for its token, then post."""
    payload = dict(data)
    payload["csrf_token"] = csrf_token(client, url)
    return client.post(url, data=payload, follow_redirects=follow_redirects)


def login(client, account, password: str = factories.PASSWORD):
    """Sign `client` in through the login form, as a person would."""
    response = post_form(client, "/compte/connexion", {"email": account.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return account


@pytest.fixture
def sign_in(client, session, make):
    """sign_in(role, **fields): create an account, commit, and sign the test client in with it."""

    def _sign_in(role: str = "formateur", **fields):
        account = make.user(role, **fields)
        session.commit()
        return login(client, account)

    return _sign_in


@pytest.fixture
def editor(sign_in):
    """The test client signed in as a trainer (who may edit every record)."""
    return sign_in("formateur")
