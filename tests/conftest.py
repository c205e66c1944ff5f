"""Fixtures: an app on a throw-away SQLite file (or PostgreSQL database) and index dir, its client, runner
and session."""

from __future__ import annotations

import re
import shutil
from itertools import count
from pathlib import Path

import pytest
from flask.testing import FlaskClient
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


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory) -> Path:
    """A database file migrated once, with the three units; copied for each test."""
    base = tmp_path_factory.mktemp("template")
    db_file = base / "template.sqlite3"
    app = create_app(_config(base, db_file))
    upgrade(app)
    with app.app_context(), new_session(app) as session:
        ensure_units(session)
        session.commit()
    app.extensions["kb_engine"].dispose()
    return db_file


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, migrated_db) -> Path:
    """A database file with the demo data, generated once per run."""
    from kb.demo import generate
    from kb.storage import get_storage

    base = tmp_path_factory.mktemp("demo")
    db_file = base / "demo.sqlite3"
    shutil.copy(migrated_db, db_file)
    app = create_app(_config(base, db_file))
    with app.app_context(), new_session(app) as session:
        generate(session, storage=get_storage(app))
        session.commit()
    indexing.drain(app)  # the template's index is copied with its database
    indexing.close_index(app)
    app.extensions["kb_engine"].dispose()
    return db_file


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


def _make_app(tmp_path: Path, source: Path):
    db_file = tmp_path / "kb.sqlite3"
    shutil.copy(source, db_file)
    if (source.parent / "index").is_dir():
        shutil.copytree(source.parent / "index", tmp_path / "index")
    app = create_app(_config(tmp_path, db_file))
    app.test_client_class = ReadableClient
    yield app
    indexing.close_index(app)
    app.extensions["kb_engine"].dispose()


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
