"""Creating, changing and deleting actions through the forms, as a user would."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import select

from kb.models import ActionPractitioner, Barrier, Effect, FieldAction, Lever, Tag
from tests.conftest import post_form

FORM = {"title": "Café des parents de Barriol", "summary": "Un temps d'échange mensuel entre parents et professionnel·les.",
        "writeup": "## Contexte\n\nLes parents du quartier <script>alert(1)</script> se sentaient isolés.",
        "mode": "groupe", "status": "en_cours", "publication_status": "publiee", "location_precision": "exacte",
        "commune": "13200", "start_date": "2012-02-24", "publics": "Parents d'adolescents, Familles",
        "themes": "Parentalité", "effects-0-dimension": "individuel",
        "effects-0-description": "Les parents osent solliciter l'école.", "effects-0-indicator": "6 rendez-vous pris",
        "barriers-0-kind": "financier", "barriers-0-actor_category": "direction",
        "barriers-0-description": "Aucun financement pérenne.", "levers-0-description": "Un partenariat avec la PMI."}


def test_create_action_then_read_it(client, session, make, editor):
    person = make.practitioner(first_name="Inès", last_name="Garnier")
    session.commit()
    response = post_form(client, "/actions/nouvelle", {**FORM, "people-0-practitioner_id": str(person.id),
                                                       "people-0-role": "porteur"})
    assert response.status_code == 302
    action_id = int(re.search(r"/actions/(\d+)$", response.headers["Location"]).group(1))
    page = client.get(f"/actions/{action_id}").get_data(as_text=True)
    assert "Café des parents de Barriol" in page
    assert "<script>alert(1)</script>" not in page and "<h2>Contexte</h2>" in page
    assert "Aucun financement pérenne." in page and "Point de vue : cadre de direction" in page
    assert "Inès Garnier" in page and "Arles" in page
    action = session.get(FieldAction, action_id)
    assert action.commune_insee == "13004"
    assert action.latitude is not None  # placed at the commune centre
    assert sorted(t.name for t in action.tags_of("public")) == ["Familles", "Parents d'adolescents"]


def test_invalid_form_keeps_input_and_explains(client, session, editor):
    data = {**FORM, "title": "", "end_date": "2001-01-01", "effects-1-description": "Plus de confiance"}
    response = post_form(client, "/actions/nouvelle", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ce champ est obligatoire." in html
    assert "La date de fin précède la date de début." in html
    assert 'id="effects-1-dimension-error"' in html
    assert "Un temps d&#39;échange mensuel" in html  # the summary typed is still there
    assert "Plus de confiance" in html
    assert session.exec(select(func.count()).select_from(FieldAction)).one() == 0


def test_unknown_commune_is_refused_with_a_message(client, session, editor):
    response = post_form(client, "/actions/nouvelle", {**FORM, "commune": "Trifouilly-les-Oies"})
    assert response.status_code == 422
    assert "Commune inconnue" in response.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(FieldAction)).one() == 0


def test_edit_replaces_rows_and_keeps_the_rest(client, session, make, editor):
    action = make.action(title="Jardin partagé", publics=["Habitants"])
    session.commit()
    page = client.get(f"/actions/{action.id}/modifier").get_data(as_text=True)
    assert 'value="Jardin partagé"' in page and "Le temps collectif n&#39;est pas compté" in page
    data = {**FORM, "title": "Jardin partagé des Alyscamps", "barriers-0-description": "",
            "barriers-0-kind": "", "barriers-0-actor_category": ""}
    response = post_form(client, f"/actions/{action.id}/modifier", data)
    assert response.status_code == 302
    session.expire_all()
    changed = session.get(FieldAction, action.id)
    assert changed.title == "Jardin partagé des Alyscamps"
    assert changed.barriers == []
    assert [e.description for e in changed.effects] == ["Les parents osent solliciter l'école."]


def test_delete_removes_the_action_and_its_rows(client, session, make, editor):
    person = make.practitioner()
    action = make.action(people=[(person, "porteur")], themes=["Logement"])
    make.tool(actions=[action])
    session.commit()
    action_id = action.id
    assert "Supprimer définitivement" in client.get(f"/actions/{action_id}/supprimer").get_data(as_text=True)
    response = post_form(client, f"/actions/{action_id}/supprimer", {})
    assert response.status_code == 302
    session.expunge_all()
    assert session.get(FieldAction, action_id) is None
    for model in (Effect, Barrier, Lever, ActionPractitioner):
        assert session.exec(select(func.count()).select_from(model)).one() == 0
    assert session.exec(select(func.count()).select_from(Tag)).one() == 1  # tags are shared vocabulary


def test_post_without_csrf_token_is_rejected(client, session):
    response = client.post("/actions/nouvelle", data=FORM)
    assert response.status_code == 400
    assert "jeton CSRF" in response.get_data(as_text=True)
    assert session.exec(select(func.count()).select_from(FieldAction)).one() == 0


def test_user_text_is_escaped_on_pages(client, session, make):
    action = make.action(title='<img src=x onerror="alert(1)">', summary="<b>résumé</b> & co")
    session.commit()
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert '<img src=x onerror' not in html and "&lt;img src=x onerror=" in html
    assert "&lt;b&gt;résumé&lt;/b&gt; &amp; co" in html
    listing = client.get("/actions/").get_data(as_text=True)
    assert '<img src=x onerror' not in listing
