"""Tests against the real `observatoire serve`: gunicorn, two forked workers, a real instance directory.

What depends on processes (request state, locks, concurrent writers, crashes) only shows here: the
Flask test client runs every request in one process and pushes a fresh context each time.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import Template
from tests.pg import free_port

ROOT = Path(__file__).resolve().parents[2]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
DEMO_PASSWORDS = {"professionnelle@demo.observatoire-isic.fr": "demo-pro-2012"}


def cli_env(instance: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    """Environment of an `observatoire` command on `instance` (tiles from a closed port, mail to files)."""
    env = {**os.environ, "KB_INSTANCE_DIR": str(instance), "KB_INDEX_DIR": str(instance / "index"),
           "KB_MAIL_BACKEND": "file", "KB_SECRET_KEY": "served-tests", "KB_DEMO_MODE": "1", "KB_TILES_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png",
           "PYTHONPATH": str(ROOT)}
    if database_url:
        env["KB_DATABASE_URL"] = database_url
    env.update(extra)
    return env


def observatoire(env: dict[str, str], *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run one `observatoire` command to its end."""
    return subprocess.run([sys.executable, "-m", "kb.cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


class Server:
    """`observatoire serve --workers N` in a process group of its own, with its log."""

    def __init__(self, env: dict[str, str], workers: int = 2) -> None:
        self.env, self.workers = env, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(env["KB_INSTANCE_DIR"]) / f"serve-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Server:
        """Start serving and wait until every worker answers."""
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kb.cli", "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}:\n{self.log()}")
            if self.log().count("Booting worker") >= self.workers:
                try:
                    if requests.get(self.url + "/", timeout=5).status_code == 200:
                        return self
                except requests.ConnectionError:
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"serve did not answer in {timeout} s:\n{self.log()}")

    def log(self) -> str:
        """Everything the server printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        """Stop gracefully (SIGTERM to gunicorn's arbiter)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def kill(self) -> None:
        """kill -9 the arbiter and its workers at once, as a crash or an OOM kill would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def client_session() -> requests.Session:
    """A browser-like HTTP client keeping its cookies."""
    return requests.Session()


def form_token(http: requests.Session, url: str) -> str:
    """The CSRF token of the form at `url`."""
    page = http.get(url, timeout=30)
    match = CSRF_RE.search(page.text)
    assert match, f"no CSRF token at {url} ({page.status_code})"
    return match.group(1)


def sign_in(http: requests.Session, base: str, email: str, password: str) -> None:
    """Sign in through the login form."""
    token = form_token(http, base + "/compte/connexion")
    answer = http.post(base + "/compte/connexion", data={"csrf_token": token, "email": email, "password": password},
                       allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text[:300]


def copy_instance(tmp_path: Path, demo_db: Template) -> tuple[Path, str]:
    """An instance directory with the demo index, and the URL of a copy of the demo database (its file in the
    instance directory on SQLite, as `observatoire` places it by default)."""
    instance = tmp_path / "instance"
    instance.mkdir()
    return instance, demo_db.copy(instance / "observatoire.sqlite3", instance / "index")


def pytest_collection_modifyitems(items) -> None:
    """Every test of this folder is marked `served` (select or leave them out with -m)."""
    for item in items:
        if "tests/served/" in str(item.fspath):
            item.add_marker(pytest.mark.served)


@pytest.fixture
def served(tmp_path, demo_db):
    """serve(**env) -> a started Server on a copy of the demo instance, on the run's database unless
    ``database_url`` names another."""
    servers: list[Server] = []
    copies: list[str] = []

    def start(database_url: str | None = None, workers: int = 2, **extra: str) -> Server:
        instance = tmp_path / "instance"
        if not instance.exists():
            copies.append(copy_instance(tmp_path, demo_db)[1])
        server = Server(cli_env(instance, database_url or copies[0], **extra), workers).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
    for url in copies:
        demo_db.discard(url)


@pytest.fixture
def pg_demo(postgres, pg_template, tmp_path):
    """(URL, name) of a PostgreSQL database holding the demo data, loaded with the real `observatoire demo`."""
    from tests.conftest import pg_database

    url = pg_database(postgres, pg_template)
    instance = tmp_path / "pg-instance"
    instance.mkdir()
    loaded = observatoire(cli_env(instance, url), "demo")
    assert loaded.returncode == 0, loaded.stderr
    return url, url.rsplit("/", 1)[1]
