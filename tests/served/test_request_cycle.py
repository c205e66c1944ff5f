"""One request, one context: under gunicorn each request gets its own `g`, database session and CSRF check."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from tests.served.conftest import (
    DEMO_PASSWORDS,
    client_session,
    form_token,
    sign_in,
)

PRO = "professionnelle@demo.observatoire-isic.fr"
FORMS = ["/actions/nouvelle", "/organisations/nouvelle", "/compte/connexion", "/actions/1/signaler",
         "/compte/mot-de-passe-oublie"]


def forged_posts(http, base: str, rounds: int) -> list[int]:
    """Status codes of forms posted with a forged token, between ordinary page views."""
    codes = []
    for n in range(rounds):
        form = FORMS[n % len(FORMS)]
        http.get(base + form, timeout=30)  # the page gives this client a real token first
        codes.append(http.post(base + form, data={"csrf_token": f"forged-{n}", "title": "x"}, timeout=30).status_code)
        http.get(base + "/actions/", timeout=30)
    return codes


def test_forged_tokens_are_refused_with_400_for_visitors_and_signed_in_users(served):
    server = served()
    anonymous = client_session()
    assert set(forged_posts(anonymous, server.url, 40)) == {400}
    signed_in = client_session()
    sign_in(signed_in, server.url, PRO, DEMO_PASSWORDS[PRO])
    assert set(forged_posts(signed_in, server.url, 24)) == {400}
    # The refusal is the French page, and the user is still signed in afterwards.
    answer = signed_in.post(server.url + "/actions/nouvelle", data={"csrf_token": "forged"}, timeout=30)
    assert "jeton CSRF" in answer.text
    assert "Déconnexion" in signed_in.get(server.url + "/compte/", timeout=30).text
    assert "Traceback" not in server.log()


def test_a_body_over_the_limit_answers_413_with_the_french_page(served):
    server = served()
    http = client_session()
    token = form_token(http, server.url + "/actions/nouvelle")
    body = {"csrf_token": token, "title": "x" * (5 * 1024 * 1024)}
    for _ in range(6):  # several times, so that both workers answer at least once
        answer = http.post(server.url + "/actions/nouvelle", data=body, timeout=60)
        assert answer.status_code == 413
        assert "trop volumineux" in answer.text
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert http.get(server.url + "/", timeout=30).status_code == 200


def idle_in_transaction(postgres, database: str) -> int:
    rows = postgres.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                            f"'{database}' AND state LIKE 'idle in transaction%'")
    return rows[0][0]


def test_postgresql_connections_go_back_idle_after_a_burst(served, postgres, pg_demo):
    url, database = pg_demo
    server = served(database_url=url)
    http = client_session()
    sign_in(http, server.url, PRO, DEMO_PASSWORDS[PRO])
    pages = ["/", "/actions/", "/actions/1", "/recherche?q=jeunes", "/carte", "/pairs", "/organisations/",
             "/api/v1/actions", "/compte/", "/ateliers/", "/agenda"]
    for _ in range(4):
        for page in pages:
            assert http.get(server.url + page, timeout=30).status_code == 200, page
        assert set(forged_posts(http, server.url, 5)) == {400}
    assert idle_in_transaction(postgres, database) == 0


def worker_pids(server) -> list[int]:
    """Process ids of gunicorn's workers (the children of the arbiter)."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def test_the_arbiter_forks_its_workers_from_a_single_thread(served):
    """A fork copies only the forking thread: another thread's frames and locks are left half-done in the child
    (gunicorn's control socket, an asyncio thread in the arbiter, once crashed a worker's garbage collector)."""
    server = served()
    assert client_session().get(server.url + "/", timeout=30).status_code == 200
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    assert "\nThreads:\t1\n" in status
    assert len(worker_pids(server)) == 2
    assert "Control socket listening" not in server.log()


def test_a_crashing_worker_leaves_its_python_stack_in_the_log_and_the_site_keeps_answering(served):
    server = served()
    http = client_session()
    assert http.get(server.url + "/recherche?q=jeunes", timeout=30).status_code == 200
    crashed = worker_pids(server)[0]
    os.kill(crashed, signal.SIGSEGV)  # what a fault in C code does
    deadline = time.monotonic() + 30
    while "Fatal Python error: Segmentation fault" not in server.log() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "Fatal Python error: Segmentation fault" in server.log()
    assert "Current thread" in server.log() or "Thread 0x" in server.log()  # the stack, thanks to faulthandler
    while (len(worker_pids(server)) < 2 or crashed in worker_pids(server)) and time.monotonic() < deadline:
        time.sleep(0.1)  # gunicorn replaces the worker
    assert crashed not in worker_pids(server) and len(worker_pids(server)) == 2
    assert all(http.get(server.url + "/", timeout=30).status_code == 200 for _ in range(6))
