"""Writing through the API with a personal token: created and revoked on the account page, shown once, kept
hashed; a professional creates and edits her actions exactly as through the forms, moderation included."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlmodel import select

from kb.models import ActionRevision, ApiToken, FieldAction
from tests.conftest import csrf_token, login, post_form
from tests.factories import PASSWORD

ACTION = {"title": "Atelier numérique des Tamaris", "mode": "groupe", "commune": "13200",
          "summary": "Un atelier hebdomadaire pour apprendre les démarches en ligne ensemble.",
          "publication_status": "en_attente", "themes": ["Numérique"],
          "effects": [{"dimension": "individuel", "description": "Des démarches faites seules."}],
          "barriers": [{"kind": "organisationnel", "actor_category": "intervenant",
                        "description": "Pas de salle équipée le samedi."}],
          "levers": ["Le prêt de tablettes par la médiathèque."]}


@pytest.fixture
def pro(session, make):
    account = make.user("professionnel", email="autrice@exemple.fr")
    make.user("formateur", email="moderatrice@exemple.fr")
    session.commit()
    return account


def new_token(client, account, name: str = "Script de saisie") -> str:
    login(client, account)
    page = post_form(client, "/compte/jetons", {"name": name, "password": PASSWORD})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    return re.search(r'id="new-token" value="(obs_[^"]+)"', page.get_data(as_text=True)).group(1)


def test_a_token_is_shown_once_kept_hashed_and_revoked(client, session, pro):
    secret = new_token(client, pro)
    stored = session.exec(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest() and secret not in repr(stored.__dict__)
    listing = client.get("/compte/jetons").get_data(as_text=True)
    assert secret not in listing and f"{secret[:12]}…" in listing
    exported = client.get("/compte/mes-donnees.json").get_data(as_text=True)
    assert '"nom": "Script de saisie"' in exported and secret not in exported
    anonymous = client.application.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    assert anonymous.post("/api/v1/actions", json=ACTION, headers=headers).status_code == 201
    token = csrf_token(client, "/compte/jetons")
    assert client.post(f"/compte/jetons/{stored.id}/revoquer", data={"csrf_token": token}).status_code == 302
    refused = anonymous.post("/api/v1/actions", json=ACTION, headers=headers)
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == 401


def test_a_professional_creates_an_action_that_waits_for_moderation(client, session, pro):
    headers = {"Authorization": f"Bearer {new_token(client, pro)}"}
    api = client.application.test_client()
    created = api.post("/api/v1/actions", json=ACTION, headers=headers)
    assert created.status_code == 201
    body = created.get_json()
    assert body["publication_status"] == "en_attente" and body["pending_revision"] is False
    action = session.get(FieldAction, body["id"])
    assert action.author_id == pro.id and [t.name for t in action.tags_of("theme")] == ["Numérique"]
    assert [e.description for e in action.effects] == ["Des démarches faites seules."]
    assert created.headers["Location"] == f"/api/v1/actions/{action.id}"
    assert api.get(f"/api/v1/actions/{action.id}").status_code == 404  # not public until moderated
    published = api.post("/api/v1/actions", json={**ACTION, "title": "Autre atelier du samedi",
                                                  "publication_status": "publiee"}, headers=headers)
    assert published.status_code == 422 and "publication_status" in published.get_json()["error"]["fields"]


def test_her_edit_of_a_published_action_is_proposed_to_the_moderators(client, session, make, pro):
    action = make.action(title="Jardin partagé des Tamaris", author_id=pro.id)
    session.commit()
    headers = {"Authorization": f"Bearer {new_token(client, pro)}"}
    api = client.application.test_client()
    edited = api.put(f"/api/v1/actions/{action.id}",
                     json={**ACTION, "title": "Jardin partagé des Tamaris (deuxième saison)",
                           "publication_status": "publiee"}, headers=headers)
    assert edited.status_code == 200 and edited.get_json()["pending_revision"] is True
    session.expire_all()
    assert session.get(FieldAction, action.id).title == "Jardin partagé des Tamaris"  # the published one stays
    pending = session.exec(select(ActionRevision).where(ActionRevision.action_id == action.id,
                                                        ActionRevision.status == "en_attente")).one()
    assert any(c["field"] == "title" for c in pending.changes)
    assert session.exec(select(ApiToken)).one().last_used_at is not None
    other = make.action(title="L'action d'une autre")
    session.commit()
    assert api.put(f"/api/v1/actions/{other.id}", json=ACTION, headers=headers).status_code == 403


def test_errors_name_each_field_and_doubts_need_a_confirmation(client, session, make, pro):
    headers = {"Authorization": f"Bearer {new_token(client, pro)}"}
    api = client.application.test_client()
    wrong = api.post("/api/v1/actions", json={**ACTION, "mode": "inconnu",
                                             "effects": [{"dimension": "?", "description": "Des démarches faites seules."}]}, headers=headers)
    assert wrong.status_code == 422
    assert wrong.get_json()["error"]["fields"] == {"mode": "Choisissez une valeur de la liste.",
                                                   "effects.0.dimension": "Choisissez une valeur de la liste."}
    typed = api.post("/api/v1/actions", json={**ACTION, "title": 12, "unknown": 1}, headers=headers)
    assert typed.status_code == 422 and set(typed.get_json()["error"]["fields"]) == {"title", "unknown"}
    not_json = api.post("/api/v1/actions", data="title=x", headers=headers)
    assert not_json.status_code == 400
    naming = {**ACTION, "summary": "Mme Durand, 82 ans, vient chaque semaine à l'atelier du 12 rue des Lilas."}
    doubt = api.post("/api/v1/actions", json=naming, headers=headers)
    assert doubt.status_code == 422 and "confirm_warnings" in doubt.get_json()["error"]["fields"]
    assert "Mme Durand" in doubt.get_json()["error"]["message"]
    assert api.post("/api/v1/actions", json={**naming, "confirm_warnings": True}, headers=headers).status_code == 201


def test_a_browser_session_cannot_write_and_a_student_gets_no_token(client, session, make, pro):
    login(client, pro)
    refused = client.post("/api/v1/actions", json=ACTION)  # signed in by cookie: no token, no write
    assert refused.status_code == 401
    assert session.exec(select(FieldAction)).all() == []
    student = make.user("etudiant")
    session.commit()
    other = client.application.test_client()
    login(other, student)
    assert other.get("/compte/jetons").status_code == 403


def test_hostile_bodies_are_refused_without_a_server_error(client, session, pro):
    headers = {"Authorization": f"Bearer {new_token(client, pro)}", "Content-Type": "application/json"}
    api = client.application.test_client()
    for body in ("[" * 100_000 + "]" * 100_000, '{"title": NaN}', "not json", "[]", '"texte"'):
        answer = api.post("/api/v1/actions", data=body, headers=headers)
        assert answer.status_code in (400, 422), body[:20]
        assert set(answer.get_json()["error"]) == {"code", "message", "fields"}
    commas = api.post("/api/v1/actions", json={**ACTION, "themes": ["Numérique, accès aux droits"]}, headers=headers)
    assert commas.status_code == 422 and "themes" in commas.get_json()["error"]["fields"]
    missing = api.post("/api/v1/actions", json={**ACTION, "partner_ids": [999999]}, headers=headers)
    assert missing.status_code == 422 and set(missing.get_json()["error"]["fields"]) == {"partner_ids"}


def test_a_token_needs_the_password_and_a_new_password_revokes_it(client, session, pro):
    login(client, pro)
    refused = post_form(client, "/compte/jetons", {"name": "Essai", "password": "pas le bon"})
    assert refused.status_code == 422 and "Mot de passe incorrect." in refused.get_data(as_text=True)
    assert session.exec(select(ApiToken)).all() == []
    headers = {"Authorization": f"Bearer {new_token(client, pro)}"}
    changed = post_form(client, "/compte/mot-de-passe", {"current_password": PASSWORD, "password": "un-nouveau-mot-2026",
                                                         "password_confirm": "un-nouveau-mot-2026"})
    assert changed.status_code == 302
    api = client.application.test_client()
    assert api.post("/api/v1/actions", json=ACTION, headers=headers).status_code == 401


def test_a_token_works_whatever_cookie_comes_with_it_and_a_bad_one_is_refused(client, session, pro):
    secret = new_token(client, pro)
    client.get("/compte/")  # the client now carries a session cookie too
    assert client.post("/api/v1/actions", json=ACTION, headers={"Authorization": f"bearer {secret}"}).status_code == 201
    api = client.application.test_client()
    wrong = api.get("/api/v1/actions", headers={"Authorization": "Bearer obs_inconnu"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")


def test_an_edit_without_publication_status_keeps_it(client, session, make, pro):
    trainer = make.user("formateur", email="formatrice-api@exemple.fr")
    action = make.action(title="Jardin partagé des Tamaris")
    session.commit()
    other = client.application.test_client()
    headers = {"Authorization": f"Bearer {new_token(other, trainer)}"}
    body = {k: v for k, v in ACTION.items() if k != "publication_status"}
    edited = other.put(f"/api/v1/actions/{action.id}", json=body, headers=headers)
    assert edited.status_code == 200 and edited.get_json()["publication_status"] == "publiee"
