"""Kept action pages under gunicorn: a change committed through one worker shows at once on the other."""

from __future__ import annotations

import re

from kb.demo.accounts import DEMO_ACCOUNTS
from tests.app.html_forms import main_form
from tests.served.conftest import client_session, sign_in

TRAINER = next((email, password) for email, _n, role, password, ok in DEMO_ACCOUNTS if role == "formateur" and ok)


def test_an_edit_through_one_worker_shows_at_once_in_every_workers_kept_pages(served):
    server = served()
    reader = client_session()
    action = re.search(r'href="/actions/(\d+)"', reader.get(server.url + "/actions/", timeout=30).text).group(1)
    url = f"{server.url}/actions/{action}"
    for _ in range(8):  # both workers render the page, then keep it
        assert reader.get(url, timeout=30).status_code == 200
    trainer = client_session()
    sign_in(trainer, server.url, *TRAINER)
    form = main_form(trainer.get(url + "/modifier", timeout=30).text, url + "/modifier")
    sent = [(k, "Titre changé pendant la lecture" if k == "title" else v) for k, v in form.pairs()]
    answer = trainer.post(url + "/modifier", data=[*sent, ("confirm_warnings", "1")], allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text[:500]
    pages = [reader.get(url, timeout=30).text for _ in range(8)]
    assert all("Titre changé pendant la lecture" in page for page in pages)
    trainer.post(f"{url}/modifier", data=[*form.pairs(), ("confirm_warnings", "1")], timeout=30)
    assert "Titre changé pendant la lecture" not in reader.get(url, timeout=30).text
    assert "Traceback" not in server.log()


def test_a_script_name_header_moves_no_link_of_the_kept_pages(served):
    server = served()
    http = client_session()
    action = re.search(r'href="/actions/(\d+)"', http.get(server.url + "/actions/", timeout=30).text).group(1)
    for _ in range(4):  # a client on the server's own host, as a local proxy passing headers through would be
        answer = http.get(f"{server.url}/x/actions/{action}", headers={"SCRIPT_NAME": "/x"}, timeout=30)
        assert answer.status_code == 404  # the header is ignored: no page lives under /x
    pages = [http.get(f"{server.url}/actions/{action}", timeout=30).text for _ in range(6)]
    assert all('href="/x/' not in page for page in pages)
