"""The index never loses an update: writers in several processes, rebuilds while they write, then kill -9.

Bounded: four writers of 40 operations each (trainers and the admin edit the same demo actions whose partner
organisations the admin renames), two rebuilds, one crash; about a minute. It ends the way
an operator would check: `observatoire index check` reports no drift, and every action committed to the
database (read from the database itself, not from the answers the writers got) is found by its title
when it is published, and by nobody while it waits for moderation.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest

from tests.served.conftest import ROOT, Server, client_session, observatoire

WRITERS = [("professionnelle@demo.observatoire-isic.fr", "demo-pro-2012", "pro"),
           ("formatrice@demo.observatoire-isic.fr", "demo-formatrice-2012", "formatrice"),
           ("formatrice@demo.observatoire-isic.fr", "demo-formatrice-2012", "formatrice2"),
           ("admin@demo.observatoire-isic.fr", "demo-admin-2012", "admin")]
OPERATIONS = 40


def answered(log_file) -> list[dict]:
    return [json.loads(line) for line in log_file.read_text().splitlines()] if log_file.exists() else []


def start_writers(server: Server, out) -> list[subprocess.Popen]:
    return [subprocess.Popen([sys.executable, "-m", "tests.served.soak_writer", server.url, email, password, name,
                              str(OPERATIONS), str(out)], cwd=ROOT, env=server.env)
            for email, password, name in WRITERS]


def soak_actions(server: Server) -> list[tuple[int, str, str]]:
    """The soak's actions as the database holds them (not as the writers were told)."""
    query = ("SELECT id, title, publication_status FROM field_action WHERE title LIKE 'Soak %' ORDER BY id")
    url = server.env["KB_DATABASE_URL"]
    if url.startswith("postgresql"):
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as db:
            return db.execute(query).fetchall()
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
        return db.execute(query).fetchall()


@pytest.fixture(params=["sqlite", "postgresql"])
def soak_server(request, served):
    """The served demo instance, on SQLite or on PostgreSQL."""
    if request.param == "sqlite":
        return served()
    url, _ = request.getfixturevalue("pg_demo")
    return served(database_url=url)


def test_writers_rebuilds_and_a_crash_leave_no_drift(soak_server, tmp_path):
    server = soak_server
    out = tmp_path / "answers.jsonl"
    writers = start_writers(server, out)
    rebuilds = []
    deadline = time.monotonic() + 240
    while len(answered(out)) < OPERATIONS and time.monotonic() < deadline:  # a third of the burst done
        if not rebuilds and len(answered(out)) >= 10:  # this one on two processes, as a large rebuild runs
            rebuilds.append(subprocess.Popen([sys.executable, "-m", "kb.cli", "index", "rebuild"], cwd=ROOT,
                                             env={**server.env, "KB_INDEX_PARALLEL_FROM": "1"},
                                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        time.sleep(0.05)
    rebuilds.append(subprocess.Popen([sys.executable, "-m", "kb.cli", "index", "rebuild"], cwd=ROOT,
                                     env=server.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
    while len(answered(out)) < 3 * OPERATIONS and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()  # mid-burst: requests in flight, perhaps a commit whose index write never happened
    for process in writers:
        process.wait(timeout=120)
    errors = [r.communicate(timeout=120)[1] for r in rebuilds]
    assert [r.returncode for r in rebuilds] == [0, 0], errors

    answers = answered(out)
    assert len(answers) >= 3 * OPERATIONS
    failed = [a for a in answers if a["code"] >= 500]
    assert failed == [], f"a writer got a server error: {failed}\n{server.log()[-6000:]}"
    assert sum(a["op"] == "create" and a["code"] == 302 for a in answers) >= 10

    restarted = Server(server.env).start()  # start-up drains the outbox and repairs drift
    try:
        check = observatoire(server.env, "index", "check")
        assert check.returncode == 0, check.stdout + check.stderr
        assert "Documents manquants : 0" in check.stdout and "Documents périmés : 0" in check.stdout

        visitor = client_session()
        actions = soak_actions(server)
        assert len(actions) >= 10 and any(status == "publiee" for _, _, status in actions)
        for action_id, title, status in actions:
            found = visitor.get(restarted.url + "/api/search", params={"q": f'"{title}"'}, timeout=30).json()
            # Published: found by anyone. Waiting for moderation: found by nobody, as on the pages.
            assert (f"action:{action_id}" in [hit["id"] for hit in found["results"]]) == (status == "publiee"), title
        assert "Fatal Python error" not in restarted.log() + server.log()
    finally:
        restarted.stop()
