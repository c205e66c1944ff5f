"""People's data: consent, contact relay, "Mes données" export and erasure, anonymisation, escaping."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from kb.forms.actions import action_form_values
from kb.mail import sent_mails
from kb.models import (
    ActionReport,
    ActionRevision,
    Attendance,
    ConsentRecord,
    DebateDay,
    DebateTheme,
    DebateVote,
    Enrolment,
    FieldAction,
    Practitioner,
    Presentation,
    UserAccount,
    Workshop,
    WorkshopSession,
)
from kb.services.privacy import identification_warnings
from tests.conftest import login, post_form

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_a_person_changes_her_consent_at_any_time(client, session, make, sign_in):
    person = make.practitioner(first_name="Salomé", consent_listed=True, consent_contact=True)
    session.commit()
    sign_in("professionnel", practitioner=person)
    assert post_form(client, "/compte/consentement", {"listed": "on"}).status_code == 302
    session.refresh(person)
    assert person.consent_listed and not person.consent_contact
    records = session.exec(select(ConsentRecord).where(ConsentRecord.practitioner_id == person.id)).all()
    assert [(r.listed, r.contact) for r in records] == [(True, False)]
    bad = post_form(client, "/compte/consentement", {"contact": "on"})
    assert bad.status_code == 422 and "figurer dans l&#39;annuaire" in bad.get_data(as_text=True)
    post_form(client, "/compte/consentement", {})
    session.refresh(person)
    assert not person.consent_listed
    other = make.user("etudiant")
    session.commit()
    assert client.get(f"/intervenants/{person.id}").status_code == 200  # she still sees her own page
    login(client, other)
    assert client.get(f"/intervenants/{person.id}").status_code == 404  # nobody else does


def test_the_contact_relay_hides_the_address_and_is_rate_limited(app, client, session, make, sign_in):
    person = make.practitioner(first_name="Hugo", email="hugo.secret@example.org")
    session.commit()
    sender = sign_in("professionnel", email="expediteur@exemple.fr")
    page = client.get(f"/intervenants/{person.id}/contacter").get_data(as_text=True)
    assert "hugo.secret@example.org" not in page
    short = post_form(client, f"/intervenants/{person.id}/contacter", {"subject": "Bonjour", "body": "Trop court"})
    assert short.status_code == 422 and 'value="Bonjour"' in short.get_data(as_text=True)
    message = {"subject": "Atelier cuisine", "body": "Bonjour, je monte un atelier semblable à Tarascon."}
    for _ in range(5):
        assert post_form(client, f"/intervenants/{person.id}/contacter", message).status_code == 302
    mail = sent_mails(app)[-1]
    assert mail["To"] == "hugo.secret@example.org" and mail["Reply-To"] == sender.email
    assert "atelier semblable à Tarascon" in mail.get_content()
    limited = post_form(client, f"/intervenants/{person.id}/contacter", message)
    assert limited.status_code == 422 and "Trop de tentatives" in limited.get_data(as_text=True)
    assert len(sent_mails(app)) == 5


def test_my_data_export_and_account_deletion(app, client, session, make, sign_in):
    person = make.practitioner(first_name="Agathe", last_name="Roux")
    account = sign_in("professionnel", practitioner=person, email="agathe@exemple.fr")
    action = make.action(title="Ludothèque itinérante", author_id=account.id, people=[(person, "porteur")])
    session.add(ActionRevision(action_id=action.id, author_id=account.id, kind="creation", status="appliquee"))
    session.commit()
    response = client.get("/compte/mes-donnees.json")
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["compte"]["email"] == "agathe@exemple.fr" and "password" not in json.dumps(data)
    assert data["fiche_intervenant"]["nom"] == "Roux"
    assert [a["titre"] for a in data["actions_redigees"]] == ["Ludothèque itinérante"]
    wrong = post_form(client, "/compte/supprimer", {"password": "pas-le-bon"})
    assert wrong.status_code == 422 and "Mot de passe incorrect" in wrong.get_data(as_text=True)
    assert post_form(client, "/compte/supprimer", {"password": "mot-de-passe-des-tests",
                                                   "anonymise_profile": "1"}).status_code == 302
    account_id = account.id
    session.expire_all()
    assert session.get(UserAccount, account_id) is None
    kept = session.get(FieldAction, action.id)
    assert kept is not None and kept.author_id is None
    assert session.exec(select(ActionRevision)).one().author_id is None
    assert session.get(Practitioner, person.id).last_name.startswith("anonymisé")
    assert client.get("/compte/").status_code == 302


def test_an_admin_anonymises_a_practitioner(app, client, session, make, sign_in):
    person = make.practitioner(first_name="Bruno", last_name="Identifiable", email="bruno@example.org",
                               phone="04 90 00 00 01", skills_knowledge="Animation de groupes")
    action = make.action(people=[(person, "porteur")])
    session.commit()
    sign_in("admin")
    assert post_form(client, f"/intervenants/{person.id}/anonymiser", {}).status_code == 302
    session.refresh(person)
    assert (person.email, person.phone, person.skills_knowledge, person.consent_listed) == ("", "", "", False)
    page = app.test_client().get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Identifiable" not in page and "Intervenant·e non listé·e" in page
    assert "Identifiable" not in app.test_client().get("/recherche?q=identifiable").get_data(as_text=True)


@pytest.mark.parametrize("text, expected", [
    ("Mme Benali est venue avec ses enfants.", "Mme Benali"),
    ("Karim, 17 ans, a proposé le thème.", "Karim, 17 ans"),
    ("Lucie (9 ans) dessine.", "Lucie (9 ans"),
    ("Rendez-vous au 12 bis rue des Lilas chaque mardi.", "12 bis rue des Lilas chaque mardi"),
    ("Appelez le 06 12 34 56 78.", "06 12 34 56 78"),
])
def test_identifying_details_are_spotted(text, expected):
    assert any(expected in warning for warning in identification_warnings(text))


@pytest.mark.parametrize("text", [
    "Depuis, 3 ans de travail collectif avec les familles.",
    "Un groupe de 12 personnes, âgées de 30 à 45 ans, se réunit au centre social.",
    "Les jeunes de 16 à 25 ans du quartier.",
])
def test_ordinary_sentences_are_not_flagged(text):
    assert identification_warnings(text) == []


def test_user_text_is_escaped_on_pages_popups_and_exports(app, client, session, make, sign_in):
    person = make.practitioner(first_name=XSS, last_name="Doe")
    org = make.organisation(name=f"Asso {XSS}")
    action = make.action(title=f"Titre {XSS}", summary=f"Résumé {XSS}", writeup=f"Récit {XSS}",
                         people=[(person, "porteur")])
    action.partners = [org]
    session.commit()
    sign_in("admin")
    client.post(f"/actions/{action.id}/signaler")  # no token: refused, nothing stored
    urls = [f"/actions/{action.id}", f"/carte/fiche/a{action.id}", f"/carte/fiche/o{org.id}", f"/organisations/{org.id}",
            f"/intervenants/{person.id}", "/actions/", "/recherche?q=titre", "/intervenants/", "/admin/comptes",
            f"/actions/{action.id}/historique", "/compte/mes-donnees"]
    for url in urls:
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
    api = client.get(f"/api/v1/actions/{action.id}")
    # JSON carries the text as typed; it is never rendered as HTML by a browser.
    assert api.mimetype == "application/json" and api.headers["X-Content-Type-Options"] == "nosniff"
    assert api.get_json()["title"] == f"Titre {XSS}"


def test_anonymising_also_removes_the_name_from_the_version_history(app, client, session, make, sign_in):
    person = make.practitioner(first_name="Bruno", last_name="Identifiable")
    action = make.action(title="Atelier mosaïque")
    session.commit()
    sign_in("admin")
    values = dict(action_form_values(action).lists())
    values.update({"people-0-practitioner_id": str(person.id), "people-0-role": "porteur"})
    post_form(client, f"/actions/{action.id}/modifier", values)
    assert "Bruno Identifiable" in client.get(f"/actions/{action.id}/historique").get_data(as_text=True)
    post_form(client, f"/intervenants/{person.id}/anonymiser", {})
    history = client.get(f"/actions/{action.id}/historique").get_data(as_text=True)
    assert "Identifiable" not in history and "Intervenant·e anonymisé·e" in history


def test_the_export_covers_workshops_and_votes(client, session, make, sign_in):
    person = make.practitioner(first_name="Agathe", last_name="Roux")
    account = sign_in("professionnel", practitioner=person)
    action = make.action()
    workshop = Workshop(name="Groupe ISIC Arles", year=2026, enrolments=[Enrolment(practitioner_id=person.id)])
    session.add(workshop)
    session.flush()
    meeting = WorkshopSession(workshop_id=workshop.id, day=date(2026, 2, 13), half_day="am",
                              attendance=[Attendance(practitioner_id=person.id, present=True)])
    debate = DebateDay(title="Journée", day=date(2026, 11, 27))
    session.add_all([meeting, debate, Presentation(session=meeting, action_id=action.id)])
    session.flush()
    theme = DebateTheme(debate_day_id=debate.id, title="La posture", questions="Q ?")
    session.add(theme)
    session.flush()
    session.add(DebateVote(theme_id=theme.id, account_id=account.id))
    session.commit()
    data = client.get("/compte/mes-donnees.json").get_json()
    assert data["votes_journee_debat"] == [{"theme": "La posture"}]
    assert data["ateliers_suivis"] == [{"atelier": "Groupe ISIC Arles", "experience": "debutant",
                                        "presences": [meeting.id]}]


def test_the_last_admin_cannot_leave_and_admins_delete_accounts(client, session, make, sign_in):
    other = make.user("etudiant", name="Compte à supprimer")
    action = make.action(author_id=other.id)
    session.commit()
    admin = sign_in("admin")
    refused = post_form(client, "/compte/supprimer", {"password": "mot-de-passe-des-tests"})
    assert refused.status_code == 422 and "dernier compte administrateur" in refused.get_data(as_text=True)
    other_id = other.id
    assert post_form(client, f"/admin/comptes/{other_id}/supprimer", {}).status_code == 302
    session.expire_all()
    assert session.get(UserAccount, other_id) is None and session.get(FieldAction, action.id).author_id is None
    assert session.get(UserAccount, admin.id) is not None


@pytest.mark.parametrize("url", ["/actions/99999999999999999999999", "/api/v1/actions/99999999999999999999999",
                                 "/moderation/versions/99999999999999999999", "/carte/fiche/a²",
                                 "/admin/comptes/99999999999999999999"])
def test_huge_or_odd_ids_in_urls_are_not_found(client, sign_in, url):
    sign_in("admin")
    assert client.get(url).status_code == 404


def test_huge_ids_and_control_characters_in_forms_are_explained(app, client, session, make, sign_in):
    person = make.practitioner(email="hugo@example.org")
    session.commit()
    sign_in("admin")
    form = {"title": "Titre correct", "summary": "Un résumé suffisamment long.", "mode": "groupe", "status": "en_cours",
            "partner_ids": "99999999999999999999", "people-0-practitioner_id": "99999999999999999999",
            "territory_id": "99999999999999999999"}
    response = post_form(client, "/actions/nouvelle", form)
    assert response.status_code == 422 and "Choisissez une valeur de la liste" in response.get_data(as_text=True)
    message = {"subject": "Bonjour\r\nBcc: victime@example.org", "body": "Un message assez long pour passer."}
    relay = post_form(client, f"/intervenants/{person.id}/contacter", message)
    assert relay.status_code == 422 and "tient sur une ligne" in relay.get_data(as_text=True)
    nul = post_form(client, "/actions/nouvelle", {**form, "title": "Titre\x00"})
    assert nul.status_code == 400 and "caractère invalide (NUL)" in nul.get_data(as_text=True)
    assert client.get("/actions/?commune=%00").status_code == 400


def test_a_pathological_write_up_is_scanned_quickly():
    # Unbounded repetitions made this input take 48 s; bounded ones make it linear.
    assert identification_warnings("a." * 100_000) == []


def test_client_addresses_come_from_the_proxy_when_configured(app, session, make):
    from kb import create_app

    action = make.action()
    session.commit()
    proxied = create_app({k: app.config[k] for k in ("TESTING", "DATABASE_URL", "INDEX_DIR", "SECRET_KEY",
                                                      "SERVER_NAME")} | {"INSTANCE_DIR": app.config["INSTANCE_DIR"],
                                                                         "PROXY_HOPS": 1})
    for address in ("203.0.113.1", "203.0.113.2"):
        visitor = proxied.test_client()
        visitor.environ_base["HTTP_X_FORWARDED_FOR"] = address
        assert post_form(visitor, f"/actions/{action.id}/signaler", {"reason": "erronee"}).status_code == 302
    assert len({r.reporter_key for r in session.exec(select(ActionReport))}) == 2
    proxied.extensions["kb_engine"].dispose()
