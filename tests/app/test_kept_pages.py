"""Action pages kept for anonymous readers: served again without the database, never after a change."""

from __future__ import annotations

import re

from sqlalchemy import event, update

from kb.indexing import revision
from kb.models import FieldAction, UserAccount
from kb.models.base import utcnow
from kb.views._kept import KeptPages, kept_page
from tests.conftest import login

NONCE = re.compile(r'nonce="([^"]+)"')


class Statements:
    """Counts the SQL statements the app's engine runs."""

    def __init__(self, app) -> None:
        self.count = 0
        event.listen(app.extensions["kb_engine"], "before_cursor_execute", self._seen)

    def _seen(self, *args) -> None:
        self.count += 1


def test_a_second_anonymous_view_reads_only_the_revision_and_keeps_its_own_nonce(app, client, session, make):
    action = make.action(title="Atelier couture à Barriol")
    session.commit()
    first = client.get(f"/actions/{action.id}")
    statements = Statements(app)
    second = client.get(f"/actions/{action.id}")
    assert second.status_code == 200 and statements.count == 1  # the content revision, nothing else
    html = second.get_data(as_text=True)
    assert "Atelier couture à Barriol" in html and "\x00" not in html
    nonces = set(NONCE.findall(html))
    assert len(nonces) == 1 and nonces != set(NONCE.findall(first.get_data(as_text=True)))
    assert f"'nonce-{nonces.pop()}'" in second.headers["Content-Security-Policy"]


def test_a_change_committed_anywhere_shows_at_the_next_view(app, client, session, make):
    partner = make.organisation(name="Centre social Les Tamaris")
    action = make.action(title="Atelier couture")
    action.partners = [partner]
    session.commit()
    url = f"/actions/{action.id}"
    assert "Centre social Les Tamaris" in client.get(url).get_data(as_text=True)
    partner.name = "Centre social Les Platanes"  # shown on the action page, stored in another table
    session.commit()
    assert "Centre social Les Platanes" in client.get(url).get_data(as_text=True)
    session.execute(update(FieldAction).where(FieldAction.id == action.id).values(publication_status="masquee"))
    session.commit()  # a bulk statement moves the revision too
    assert client.get(url).status_code == 404


def test_signed_in_readers_and_pending_messages_are_never_served_a_kept_page(app, client, session, make):
    author = make.user("professionnel")
    action = make.action(title="Atelier couture", author_id=author.id)
    session.commit()
    url = f"/actions/{action.id}"
    kept = client.get(url).get_data(as_text=True)
    assert "Déconnexion" not in kept
    login(client, author)
    assert "Déconnexion" in client.get(url).get_data(as_text=True)
    client.post("/compte/deconnexion", data={"csrf_token": _token(client)})
    with client.session_transaction() as cookie:
        cookie["_flashes"] = [("success", "Vous êtes déconnecté·e.")]
    assert "Vous êtes déconnecté·e." in client.get(url).get_data(as_text=True)
    assert "Vous êtes déconnecté·e." not in client.get(url).get_data(as_text=True)


def _token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/compte/").get_data(as_text=True)).group(1)


def test_the_revision_counts_commits_that_change_content_only(any_app):
    from kb.db import new_session

    with any_app.app_context(), new_session(any_app) as session:
        start = revision.current(session)
        account = UserAccount(email="lea@exemple.fr", display_name="Léa", role="etudiant", password_hash="x")
        session.add(account)
        session.commit()
        assert revision.current(session) == start + 1
        account.last_login_at = utcnow()  # a sign-in changes no page
        session.commit()
        assert revision.current(session) == start + 1
        account.display_name = "Léa M."
        session.rollback()
        assert revision.current(session) == start + 1
        account.display_name = "Léa M."
        session.commit()
        session.execute(update(UserAccount).where(UserAccount.id == account.id).values(display_name="Léa Martin"))
        session.commit()
        assert revision.current(session) == start + 3


def test_a_page_holding_a_forms_token_or_an_error_is_never_kept(app):
    renders = []

    def answer(value):
        def render():
            renders.append(value)
            return value
        return render

    pages = {1: '<form><input name="csrf_token" value="one-session-only"></form>', 2: ("Introuvable", 404),
             3: "<p>Une page publique</p>"}
    for name, value in pages.items():
        for _ in range(2):
            with app.test_request_context(f"/actions/{name}"):
                kept_page(name, answer(value))
    assert renders.count(pages[1]) == 2 and renders.count(pages[2]) == 2 and renders.count(pages[3]) == 1


def test_query_strings_and_spellings_of_the_id_share_one_kept_page(app, client, session, make):
    action = make.action(title="Atelier couture")
    session.commit()
    client.get(f"/actions/{action.id}")
    statements = Statements(app)
    for url in (f"/actions/{action.id}?x={n}" for n in range(5)):
        assert "Atelier couture" in client.get(url).get_data(as_text=True)
    assert "Atelier couture" in client.get(f"/actions/000{action.id}").get_data(as_text=True)
    assert statements.count == 6  # the revision, once a view: no page rendered again


def test_a_page_under_another_script_root_is_kept_apart(app, client, session, make):
    action = make.action(title="Atelier couture")
    session.commit()
    moved = client.get(f"/actions/{action.id}", base_url="http://localhost/ailleurs")
    assert 'href="/ailleurs/actions/' in moved.get_data(as_text=True)
    assert "/ailleurs/" not in client.get(f"/actions/{action.id}").get_data(as_text=True)


def test_a_page_rendered_without_its_similar_actions_is_not_kept(app, client, session, make, monkeypatch):
    from kb.services import search as search_services
    from search_index import SearchIndexError

    action = make.action(title="Atelier couture")
    session.commit()

    def unavailable(*args, **kwargs):
        raise SearchIndexError("index indisponible")

    monkeypatch.setattr(search_services, "similar_actions", unavailable)
    client.get(f"/actions/{action.id}")
    statements = Statements(app)
    client.get(f"/actions/{action.id}")
    assert statements.count > 1  # rendered again, not served without its similar actions


def test_the_kept_pages_stay_within_their_size():
    pages = KeptPages(max_bytes=16_000)
    for n in range(40):
        pages.put(("action", n), b"x" * 900)
    assert pages.size <= 16_000 and pages.get(("action", 39)) and pages.get(("action", 0)) is None
    pages.put(("action", 99), b"x" * 1_001)  # over a sixteenth of the store: never kept
    assert pages.get(("action", 99)) is None


def test_a_savepoint_rolled_back_keeps_the_outer_changes_counted(app, session, make):
    action = make.action(title="Atelier couture")
    session.commit()
    start = revision.current(session)
    action.title = "Atelier couture et récup"
    session.flush()
    savepoint = session.begin_nested()
    make.organisation(name="Brouillon")
    savepoint.rollback()
    session.commit()
    assert revision.current(session) == start + 1
