"""Browser tests: a real server on 127.0.0.1 (werkzeug in a thread) and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from kb import create_app, indexing
from kb.db import new_session
from tests import factories
from tests.conftest import Template

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
# Tiles from a closed local port: the map must show its markers with no tile server, and tile requests stay local.
UNREACHABLE_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run (the Debian package, never a downloaded build)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveServer:
    """The app served on a free port of 127.0.0.1, with the requests its pages made."""

    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()


def _serve(tmp_path: Path, source: Template, fill=None) -> Iterator[LiveServer]:
    url = source.copy(tmp_path / "kb.sqlite3", tmp_path / "index")
    app = create_app({"INSTANCE_DIR": str(tmp_path / "instance"), "DATABASE_URL": url,
                      "INDEX_DIR": str(tmp_path / "index"), "SECRET_KEY": "browser-tests",
                      "TILES_URL": UNREACHABLE_TILES, "DEMO_MODE": True})
    if fill:
        with app.app_context(), new_session(app) as session:
            fill(factories.Factories(session))
            session.commit()
        indexing.sync(app)
    server = LiveServer(app)
    yield server
    server.stop()
    indexing.close_index(app)
    app.extensions["kb_engine"].dispose()
    source.discard(url)


@pytest.fixture
def demo_server(tmp_path, demo_db):
    """The demo data served for real."""
    yield from _serve(tmp_path, demo_db)


@pytest.fixture
def serve(tmp_path, migrated_db):
    """Serve an empty database filled by `fill(make)`: `server = serve(fill)`."""
    servers = []

    def start(fill):
        generator = _serve(tmp_path, migrated_db, fill)
        servers.append(generator)
        return next(generator)

    yield start
    for generator in servers:
        next(generator, None)


@pytest.fixture
def page(browser):
    """A fresh browser page that records the host of every request it makes."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.hosts = set()
    page.problems = []
    page.on("request", lambda request: page.hosts.add(urlsplit(request.url).hostname))
    page.on("pageerror", lambda error: page.problems.append(f"JavaScript: {error}"))
    page.on("console", lambda message: page.problems.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert page.problems == [], "scripts failed or the Content-Security-Policy blocked something"


DEMO_ACCOUNTS = {
    "admin": ("admin@demo.observatoire-isic.fr", "demo-admin-2012"),
    "formatrice": ("formatrice@demo.observatoire-isic.fr", "demo-formatrice-2012"),
    "professionnelle": ("professionnelle@demo.observatoire-isic.fr", "demo-pro-2012"),
}


def sign_in_as(page, base: str, who: str, then: str = "/compte/") -> None:
    """Sign in with a demo account through the login form, then wait on the page ``then`` it leads to."""
    email, password = DEMO_ACCOUNTS[who]
    page.goto(f"{base}/compte/connexion?next={then}")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url(f"**{then}")
