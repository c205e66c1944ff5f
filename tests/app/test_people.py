"""Organisations and practitioners: forms, directory listing and consent to show contact details."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import select

from kb.models import ActionPractitioner, FieldAction, Organisation, Practitioner, PractitionerOrganisation
from tests.conftest import post_form


def test_create_organisation_with_commune_from_its_name(client, session, editor):
    response = post_form(client, "/organisations/nouvelle", {
        "name": "Maison des familles du Trébon", "kind": "association", "commune": "arles",
        "postal_code": "13200", "email": "contact@trebon.example.org", "website": "https://trebon.example.org"})
    assert response.status_code == 302
    org = session.exec(select(Organisation)).one()
    assert org.commune_insee == "13004" and org.latitude is not None
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Maison des familles du Trébon" in html and "contact@trebon.example.org" in html


def test_invalid_organisation_form_keeps_values(client, editor):
    response = post_form(client, "/organisations/nouvelle", {"name": "Centre social Nord", "kind": "centre_social",
                                                             "postal_code": "ABCDE", "phone": "04 65 71 10 20"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Le code postal compte 5 chiffres" in html
    assert 'value="04 65 71 10 20"' in html and 'value="Centre social Nord"' in html


def test_practitioner_contact_shown_only_with_consent(client, session, make, sign_in):
    open_person = make.practitioner(first_name="Sarah", email="sarah@example.org", phone="04 90 11 22 33",
                                    consent_contact=True)
    private = make.practitioner(first_name="Yanis", email="yanis@example.org", phone="04 90 44 55 66",
                                consent_contact=False)
    session.commit()
    sign_in("professionnel")
    html = client.get(f"/intervenants/{open_person.id}").get_data(as_text=True)
    assert "04 90 11 22 33" in html and f"/intervenants/{open_person.id}/contacter" in html
    assert "sarah@example.org" not in html  # the address itself is never shown: the relay writes to it
    html = client.get(f"/intervenants/{private.id}").get_data(as_text=True)
    assert "04 90 44 55 66" not in html and "yanis@example.org" not in html and "Non communiquées" in html
    api = client.get("/api/v1/practitioners").get_json()["items"]
    by_name = {p["first_name"]: p for p in api}
    assert by_name["Sarah"]["phone"] == "04 90 11 22 33" and by_name["Sarah"]["contact"].endswith("/contacter")
    assert by_name["Yanis"]["phone"] is None and by_name["Yanis"]["contact"] is None
    assert "example.org" not in client.get("/api/v1/practitioners").get_data(as_text=True)


def test_students_see_the_directory_without_contact_details(client, session, make, sign_in):
    person = make.practitioner(first_name="Sarah", phone="04 90 11 22 33", consent_contact=True)
    session.commit()
    assert client.get("/intervenants/").status_code == 302  # anonymous: sign in first
    sign_in("etudiant")
    html = client.get(f"/intervenants/{person.id}").get_data(as_text=True)
    assert "Sarah" in html and "04 90 11 22 33" not in html and "/contacter" not in html
    assert client.get(f"/intervenants/{person.id}/contacter").status_code == 403


def test_unlisted_practitioner_is_hidden_everywhere(client, session, make, sign_in):
    hidden = make.practitioner(first_name="Discrète", last_name="Personne", consent_listed=False, consent_contact=False)
    action = make.action(people=[(hidden, "porteur")])
    session.commit()
    sign_in("professionnel")
    assert client.get(f"/intervenants/{hidden.id}").status_code == 404
    assert "Discrète" not in client.get("/intervenants/").get_data(as_text=True)
    page = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Discrète" not in page and "Intervenant·e non listé·e" in page
    assert client.get("/api/v1/practitioners").get_json()["total"] == 0
    assert client.get(f"/api/v1/actions/{action.id}").get_json()["practitioners"] == []


def test_create_and_edit_practitioner_records_consent_date(client, session, make, editor):
    org = make.organisation()
    session.commit()
    response = post_form(client, "/intervenants/nouveau", {
        "first_name": "Léa", "last_name": "Morel", "function": "cesf", "actor_category": "intervenant",
        "isic_experience": "debutant", "organisation_ids": str(org.id), "consent_listed": "on"})
    assert response.status_code == 302
    person_id = int(re.search(r"/intervenants/(\d+)$", response.headers["Location"]).group(1))
    person = session.get(Practitioner, person_id)
    assert person.consent_listed and not person.consent_contact and person.consent_date is not None
    assert [o.id for o in person.organisations] == [org.id]
    form = client.get(f"/intervenants/{person_id}/modifier").get_data(as_text=True)
    assert 'value="Léa"' in form and re.search(r'name="consent_listed" type="checkbox" checked', form)


def test_delete_practitioner_removes_links(client, session, make, editor):
    org = make.organisation()
    person = make.practitioner(organisations=[org])
    action = make.action(people=[(person, "porteur")])
    session.commit()
    person_id, action_id = person.id, action.id
    assert post_form(client, f"/intervenants/{person_id}/supprimer", {}).status_code == 302
    session.expunge_all()
    assert session.get(Practitioner, person_id) is None
    assert session.get(FieldAction, action_id) is not None
    assert session.exec(select(func.count()).select_from(ActionPractitioner)).one() == 0
    assert session.exec(select(func.count()).select_from(PractitionerOrganisation)).one() == 0


def test_delete_organisation_keeps_actions(client, session, make, editor):
    org = make.organisation()
    action = make.action()
    action.partners = [org]
    session.commit()
    org_id, action_id = org.id, action.id
    assert post_form(client, f"/organisations/{org_id}/supprimer", {}).status_code == 302
    session.expunge_all()
    assert session.get(Organisation, org_id) is None
    assert session.get(FieldAction, action_id).partners == []


def test_directory_filters(client, session, make, sign_in):
    make.practitioner(first_name="Aline", last_name="Bonnet", function="es")
    make.practitioner(first_name="Marc", last_name="Giraud", function="ass")
    session.commit()
    sign_in("etudiant")
    html = client.get("/intervenants/?kind=es").get_data(as_text=True)
    assert "Aline Bonnet" in html and "Marc Giraud" not in html
    html = client.get("/intervenants/?q=gir").get_data(as_text=True)
    assert "Marc Giraud" in html and "Aline Bonnet" not in html
