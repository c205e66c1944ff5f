"""Organisations and practitioners: directory lists and their filters, saving with places and dated consent,
deleting."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from kb.db import new_session
from kb.errors import DomainError
from kb.forms.filters import PeopleFilters
from kb.forms.people import OrganisationInput, PractitionerInput
from kb.models import ActionPractitioner, ConsentRecord, FieldAction, Organisation, Practitioner
from kb.policy import ANONYMOUS, Viewer
from kb.services import people as services
from tests.factories import Factories

TRAINER = Viewer(role="formateur", user_id=None)


def names(page) -> list[str]:
    return [getattr(item, "full_name", None) or item.name for item in page.items]


# Lists


@pytest.fixture
def organisations(make):
    """Organisations of the three units, of two kinds."""
    make.organisation(name="Centre social Les Tamaris", territory_id=make.territory("arles").id)
    make.organisation(name="CCAS d'Avignon", kind="ccas", territory_id=make.territory("avignon").id)
    make.organisation(name="Centre social 100% quartier", territory_id=make.territory("marseille").id)
    make.organisation(name="ADDAP_13", kind="association", territory_id=make.territory("marseille").id)


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ["ADDAP_13", "CCAS d'Avignon", "Centre social 100% quartier", "Centre social Les Tamaris"]),
    ({"territory": "marseille"}, ["ADDAP_13", "Centre social 100% quartier"]),
    ({"kind": "centre_social"}, ["Centre social 100% quartier", "Centre social Les Tamaris"]),
    ({"q": "CENTRE"}, ["Centre social 100% quartier", "Centre social Les Tamaris"]),
    ({"q": "100%"}, ["Centre social 100% quartier"]),  # % and _ are read as typed, not as wildcards
    ({"q": "P_1"}, ["ADDAP_13"]),
    ({"q": "%"}, ["Centre social 100% quartier"]),
    ({"q": "_"}, ["ADDAP_13"]),
    ({"territory": "marseille", "kind": "association", "q": "addap"}, ["ADDAP_13"]),
])
def test_organisations_are_filtered_and_listed_by_name(session, organisations, filters, expected):
    assert names(services.list_organisations(session, PeopleFilters(**filters))) == expected


def test_a_backslash_in_a_search_is_read_as_typed(session, make):
    make.organisation(name="Maison A\\B")
    make.organisation(name="Maison AB")
    assert names(services.list_organisations(session, PeopleFilters(q="a\\b"))) == ["Maison A\\B"]


def test_lists_are_paged(session, organisations):
    first = services.list_organisations(session, PeopleFilters(), per_page=3)
    assert names(first) == ["ADDAP_13", "CCAS d'Avignon", "Centre social 100% quartier"]
    second = services.list_organisations(session, PeopleFilters(page=2), per_page=3)
    assert (names(second), second.total, second.page, second.per_page) == (["Centre social Les Tamaris"], 4, 2, 3)


def test_lists_show_twenty_per_page(session, make):
    for n in range(21):
        make.organisation(name=f"Organisation {n:02d}")
        make.practitioner(first_name="Nadia", last_name=f"Martin {n:02d}")
    organisations = services.list_organisations(session, PeopleFilters())
    practitioners = services.list_practitioners(session, PeopleFilters(), ANONYMOUS)
    for page in (organisations, practitioners):
        assert (len(page.items), page.total, page.pages) == (20, 21, 2)


def test_odd_characters_in_a_name_are_searched_as_typed(session, make):
    make.practitioner(first_name="Anne_Marie", last_name="Durand")  # typed with an underscore
    make.practitioner(first_name="Anne-Marie", last_name="Dupont")
    make.practitioner(first_name="Zoé", last_name="100%")
    assert names(services.list_practitioners(session, PeopleFilters(q="e_m"), ANONYMOUS)) == ["Anne_Marie Durand"]
    assert names(services.list_practitioners(session, PeopleFilters(q="0%"), ANONYMOUS)) == ["Zoé 100%"]


def test_searches_ignore_case_on_both_databases(any_app):
    with any_app.app_context(), new_session(any_app) as session:
        make = Factories(session)
        make.organisation(name="Centre social Les Tamaris")
        make.practitioner(first_name="Nadia", last_name="Martin")
        make.practitioner(first_name="Martine", last_name="Blanc")
        found = services.list_organisations(session, PeopleFilters(q="centre SOCIAL"))
        assert names(found) == ["Centre social Les Tamaris"]
        people = services.list_practitioners(session, PeopleFilters(q="MARTIN"), ANONYMOUS)
        assert names(people) == ["Martine Blanc", "Nadia Martin"]


@pytest.fixture
def directory(make):
    """Listed and unlisted practitioners of two units and two functions."""
    arles, avignon = make.territory("arles").id, make.territory("avignon").id
    make.practitioner(first_name="Nadia", last_name="Martin", territory_id=arles)
    make.practitioner(first_name="Alice", last_name="Martin", territory_id=avignon, function="es")
    make.practitioner(first_name="Martin", last_name="Arnaud", territory_id=arles, function="es")
    make.practitioner(first_name="Zoé", last_name="Blanc", territory_id=arles)
    make.practitioner(first_name="Martine", last_name="Cachée", territory_id=arles, consent_listed=False)


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ["Martin Arnaud", "Zoé Blanc", "Alice Martin", "Nadia Martin"]),
    ({"territory": "arles"}, ["Martin Arnaud", "Zoé Blanc", "Nadia Martin"]),
    ({"kind": "es"}, ["Martin Arnaud", "Alice Martin"]),
    ({"q": "martin"}, ["Martin Arnaud", "Alice Martin", "Nadia Martin"]),  # first or last name
    ({"q": "ZOÉ"}, ["Zoé Blanc"]),
    ({"territory": "arles", "kind": "es", "q": "arn"}, ["Martin Arnaud"]),
])
def test_the_directory_lists_listed_practitioners_by_name(session, directory, filters, expected):
    page = services.list_practitioners(session, PeopleFilters(**filters), ANONYMOUS)
    assert names(page) == expected and page.total == len(expected)


def test_the_directory_query_never_holds_unlisted_people(session, directory):
    assert "Martine Cachée" not in [p.full_name for p in session.exec(services.directory_query(TRAINER))]


# Organisations


def organisation_input(**fields) -> OrganisationInput:
    values = {"name": "Centre social Les Tamaris", "kind": "centre_social"}
    values.update(fields)
    return OrganisationInput(**values)


def test_an_organisation_is_saved_with_every_field(session, make):
    arles = make.territory("arles")
    org = services.save_organisation(session, organisation_input(
        director_name="Claire Fabre", address="4, rue des Arènes", postal_code="13200", commune="Arles",
        territory_id=arles.id, phone="04 65 71 00 00", fax="04 65 71 00 01", email="accueil@tamaris.example.org",
        website="https://tamaris.example.org", latitude=43.6801, longitude=4.6312), TRAINER)
    session.expire_all()
    saved = session.get(Organisation, org.id)
    assert (saved.name, saved.kind, saved.director_name, saved.address, saved.postal_code, saved.commune_insee,
            saved.territory_id, saved.phone, saved.fax, saved.email, saved.website, saved.latitude,
            saved.longitude) == ("Centre social Les Tamaris", "centre_social", "Claire Fabre", "4, rue des Arènes",
                                 "13200", "13004", arles.id, "04 65 71 00 00", "04 65 71 00 01",
                                 "accueil@tamaris.example.org", "https://tamaris.example.org", 43.6801, 4.6312)


def test_an_organisation_without_a_point_is_placed_at_its_communes_centre_or_nowhere(session):
    org = services.save_organisation(session, organisation_input(commune="13004"), TRAINER)
    assert (org.latitude, org.longitude) == pytest.approx((43.67681, 4.63031))
    edited = services.save_organisation(session, organisation_input(name="Tamaris"), TRAINER, org)
    assert edited.id == org.id and (edited.commune_insee, edited.latitude, edited.longitude) == (None, None, None)
    assert edited.name == "Tamaris" and len(session.exec(select(Organisation)).all()) == 1


def test_an_organisation_refers_to_an_existing_unit_and_commune(session):
    with pytest.raises(DomainError) as unit:
        services.save_organisation(session, organisation_input(territory_id=999_999), TRAINER)
    assert (unit.value.field, unit.value.message) == ("territory_id", "Ce territoire n'existe pas.")
    with pytest.raises(DomainError) as commune:
        services.save_organisation(session, organisation_input(commune="Trifouilly-les-Oies"), TRAINER)
    assert commune.value.field == "commune"


def test_deleting_an_organisation_keeps_its_people_and_actions(session, make):
    org = make.organisation()
    person = make.practitioner(organisations=[org])
    action = make.action()
    action.partners = [org]
    session.flush()
    services.delete_organisation(session, org, TRAINER)
    session.expire_all()
    assert session.get(Organisation, org.id) is None
    assert session.get(Practitioner, person.id).organisations == []
    assert session.get(FieldAction, action.id).partners == []


# Practitioners


def practitioner_input(**fields) -> PractitionerInput:
    values = {"first_name": "Nadia", "last_name": "Martin", "function": "ass", "actor_category": "intervenant"}
    values.update(fields)
    return PractitionerInput(**values)


def consents(session, person) -> list[tuple[bool, bool, int | None]]:
    return [(c.listed, c.contact, c.recorded_by_id)
            for c in session.exec(select(ConsentRecord).where(ConsentRecord.practitioner_id == person.id)
                                  .order_by(ConsentRecord.id))]


def test_a_practitioner_is_saved_with_her_organisations_and_a_dated_consent(session, make):
    trainer = make.user("formateur")
    orgs = [make.organisation(), make.organisation()]
    arles = make.territory("arles")
    person = services.save_practitioner(session, practitioner_input(
        territory_id=arles.id, isic_experience="experimente", skills_knowledge="Le DSL.", skills_know_how="Animer.",
        skills_interpersonal="Écouter.", email="nadia@example.org", phone="04 65 71 12 34", consent_listed=True,
        organisation_ids=[o.id for o in orgs]), Viewer(role="formateur", user_id=trainer.id))
    session.expire_all()
    saved = session.get(Practitioner, person.id)
    assert (saved.full_name, saved.function, saved.actor_category, saved.territory_id, saved.isic_experience,
            saved.skills_knowledge, saved.skills_know_how, saved.skills_interpersonal, saved.email, saved.phone) == (
        "Nadia Martin", "ass", "intervenant", arles.id, "experimente", "Le DSL.", "Animer.", "Écouter.",
        "nadia@example.org", "04 65 71 12 34")
    assert sorted(o.id for o in saved.organisations) == sorted(o.id for o in orgs)
    assert (saved.consent_listed, saved.consent_contact, saved.consent_date) == (True, False, date.today())
    assert consents(session, saved) == [(True, False, trainer.id)]


def test_a_new_consent_is_recorded_only_when_it_changes(session, make):
    person = services.save_practitioner(session, practitioner_input(), TRAINER)
    assert consents(session, person) == [(False, False, None)]  # even a refusal is dated
    person.consent_date = date(2020, 1, 1)
    services.save_practitioner(session, practitioner_input(phone="04 65 71 12 34"), TRAINER, person)
    assert consents(session, person) == [(False, False, None)] and person.consent_date == date(2020, 1, 1)
    services.save_practitioner(session, practitioner_input(consent_listed=True), TRAINER, person)
    services.save_practitioner(session, practitioner_input(consent_listed=True, consent_contact=True), TRAINER, person)
    assert consents(session, person) == [(False, False, None), (True, False, None), (True, True, None)]
    assert person.consent_date == date.today() and len(session.exec(select(Practitioner)).all()) == 1


def test_a_practitioner_refers_to_existing_units_and_organisations(session):
    with pytest.raises(DomainError) as unit:
        services.save_practitioner(session, practitioner_input(territory_id=999_999), TRAINER)
    assert (unit.value.field, unit.value.message) == ("territory_id", "Ce territoire n'existe pas.")
    with pytest.raises(DomainError) as org:
        services.save_practitioner(session, practitioner_input(organisation_ids=[999_999]), TRAINER)
    assert (org.value.field, org.value.message) == (
        "organisation_ids", "Une organisation choisie n'existe plus. Rechargez la page.")
    assert session.exec(select(Practitioner)).all() == []


def test_deleting_a_practitioner_removes_her_parts_in_actions(session, make):
    person = make.practitioner()
    action = make.action(people=[(person, "porteur")])
    services.delete_practitioner(session, person, TRAINER)
    session.expire_all()
    assert session.get(Practitioner, person.id) is None and session.get(FieldAction, action.id) is not None
    assert session.exec(select(ActionPractitioner)).all() == []
