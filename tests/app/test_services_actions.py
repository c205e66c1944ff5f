"""Field actions: the filtered, paged list everyone sees, the filters it offers, and saving an action with
its places, tags, partners, tools, people, effects, barriers and levers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from kb.errors import DomainError
from kb.forms.actions import ActionInput, BarrierRow, EffectRow, LeverRow, PersonRow
from kb.forms.filters import ActionFilters
from kb.models import ActionPractitioner, Barrier, Effect, FieldAction, Lever
from kb.models.base import utcnow
from kb.policy import ANONYMOUS, Viewer
from kb.services import actions as services

TRAINER = Viewer(role="formateur", user_id=None)


@pytest.fixture
def catalogue(make):
    """Published, archived, hidden and unpublished actions in several places, modes and years."""
    avignon = make.territory("avignon").id
    make.action(title="Jardin de Barriol", start_date=date(2012, 2, 24), themes=["Santé"], publics=["Familles"])
    make.action(title="Café des parents", start_date=date(2012, 12, 31), mode="communautaire", status="terminee",
                themes=["Parentalité"])
    make.action(title="Conseil citoyen", start_date=date(2013, 1, 1), mode="dsl", commune_insee="84007",
                territory_id=avignon, publics=["Familles", "Jeunes"], publication_status="archivee")
    make.action(title="Sans date", start_date=None, themes=["Santé"])
    make.action(title="Brouillon", start_date=date(2012, 6, 1), themes=["Logement"], publication_status="brouillon",
                commune_insee="13055", publics=["Seniors"])
    make.action(title="Tarascon", start_date=None, commune_insee="13108", publication_status="archivee")
    make.action(title="En attente", start_date=date(2011, 6, 1), publication_status="en_attente")
    hidden = make.action(title="Masquée", start_date=date(2010, 6, 1), themes=["Logement"], commune_insee="13055")
    hidden.hidden_at = utcnow()


def titles(found) -> list[str]:
    return [a.title for a in found]


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, ["Conseil citoyen", "Café des parents", "Jardin de Barriol", "Tarascon", "Sans date"]),  # undated: last
    ({"territory": "avignon"}, ["Conseil citoyen"]),
    ({"commune": "13004"}, ["Café des parents", "Jardin de Barriol", "Sans date"]),
    ({"mode": "communautaire"}, ["Café des parents"]),
    ({"status": "terminee"}, ["Café des parents"]),
    ({"public": "familles"}, ["Conseil citoyen", "Jardin de Barriol"]),
    ({"public": "jeunes", "theme": "sante"}, []),
    ({"theme": "sante"}, ["Jardin de Barriol", "Sans date"]),
    ({"year": 2012}, ["Café des parents", "Jardin de Barriol"]),
    ({"year": 2013}, ["Conseil citoyen"]),
    ({"territory": "arles", "theme": "parentalite", "year": 2012}, ["Café des parents"]),
])
def test_the_list_shows_public_actions_matching_every_filter_newest_first(session, catalogue, filters, expected):
    for viewer in (ANONYMOUS, TRAINER):  # drafts are reviewed in the moderation queue, not in lists
        page = services.list_actions(session, ActionFilters(**filters), viewer)
        assert titles(page.items) == expected and page.total == len(expected)


def test_a_theme_and_a_public_of_the_same_name_are_different_filters(session, make):
    make.action(title="Public", publics=["Jeunes"])
    make.action(title="Thème", themes=["Jeunes"])
    assert titles(services.list_actions(session, ActionFilters(theme="jeunes"), ANONYMOUS).items) == ["Thème"]
    assert titles(services.list_actions(session, ActionFilters(public="jeunes"), ANONYMOUS).items) == ["Public"]


def test_the_list_is_paged_and_same_day_actions_keep_a_stable_order(session, make):
    made = [make.action(title=f"Action {n}", start_date=date(2020, 1, 1)) for n in range(5)]
    first = services.list_actions(session, ActionFilters(), ANONYMOUS, per_page=2)
    third = services.list_actions(session, ActionFilters(page=3), ANONYMOUS, per_page=2)
    assert [a.id for a in first.items] == [made[4].id, made[3].id] and (first.total, first.page, first.per_page) == (
        5, 1, 2)
    assert [a.id for a in third.items] == [made[0].id] and third.page == 3


def test_the_latest_actions_are_the_last_added_public_ones(session, make):
    made = [make.action(title=f"Action {n}") for n in range(8)]
    make.action(title="Brouillon", publication_status="brouillon")
    made[0].created_at = utcnow() + timedelta(days=1)
    session.flush()
    assert titles(services.latest_actions(session, ANONYMOUS)) == [
        "Action 0", "Action 7", "Action 6", "Action 5", "Action 4", "Action 3"]
    assert titles(services.latest_actions(session, ANONYMOUS, limit=2)) == ["Action 0", "Action 7"]


def test_actions_added_at_the_same_time_are_listed_last_saved_first(session, make):
    made = [make.action(title=f"Import {n}") for n in range(3)]
    for action in made:
        action.created_at = made[0].created_at  # a batch import
    session.flush()
    assert titles(services.latest_actions(session, ANONYMOUS)) == ["Import 2", "Import 1", "Import 0"]


def test_filters_offer_only_values_some_public_action_has(session, catalogue):
    options = services.filter_options(session, ANONYMOUS)
    assert [t.slug for t in options["territories"]] == ["arles", "avignon", "marseille"]
    assert [c.name for c in options["communes"]] == ["Arles", "Avignon", "Tarascon"]  # by name, not by code
    assert [t.name for t in options["publics"]] == ["Familles", "Jeunes"]
    assert [t.name for t in options["themes"]] == ["Parentalité", "Santé"]
    assert options["years"] == [2013, 2012]


def test_an_action_is_found_by_id(session, make):
    action = make.action()
    assert services.get_action(session, action.id) is action
    assert services.get_action(session, 999_999) is None


# Saving


def action_input(**fields) -> ActionInput:
    values = {"title": "Jardin partagé de Barriol", "summary": "Un jardin cultivé par les habitant·es.", "mode": "dsl"}
    values.update(fields)
    return ActionInput(**values)


def test_a_new_action_is_saved_with_everything_it_holds(session, make):
    alice, bruno = make.practitioner(), make.practitioner()
    partner, tool = make.organisation(), make.tool()
    arles = make.territory("arles").id
    action = services.create_action(session, action_input(
        writeup="## Contexte", territory_id=arles, commune="Arles", address="4, rue des Arènes",
        latitude=43.6801, longitude=4.6312, location_precision="commune", start_date=date(2012, 2, 24),
        end_date=date(2013, 6, 30), status="terminee", publication_status="en_attente",
        publics=["Familles"], themes=["Santé", "Alimentation"], partner_ids=[partner.id], tool_ids=[tool.id],
        people=[PersonRow(practitioner_id=alice.id), PersonRow(practitioner_id=bruno.id, role="referent")],
        effects=[EffectRow(dimension="groupe", description="Entraide.", indicator="8 sur 10")],
        barriers=[BarrierRow(kind="financier", actor_category="direction", description="Pas de budget.")],
        levers=[LeverRow(description="La direction.")]), TRAINER)
    session.expire_all()
    saved = session.get(FieldAction, action.id)
    assert (saved.title, saved.summary, saved.writeup, saved.mode, saved.territory_id, saved.commune_insee,
            saved.address, saved.latitude, saved.longitude, saved.location_precision, saved.start_date, saved.end_date,
            saved.status, saved.publication_status) == (
        "Jardin partagé de Barriol", "Un jardin cultivé par les habitant·es.", "## Contexte", "dsl", arles, "13004",
        "4, rue des Arènes", 43.6801, 4.6312, "commune", date(2012, 2, 24), date(2013, 6, 30), "terminee",
        "en_attente")
    assert [t.name for t in saved.tags_of("public")] == ["Familles"]
    assert [t.name for t in saved.tags_of("theme")] == ["Alimentation", "Santé"]
    assert [o.id for o in saved.partners] == [partner.id] and [t.id for t in saved.tools] == [tool.id]
    assert sorted((link.practitioner_id, link.role) for link in saved.practitioner_links) == sorted(
        [(alice.id, "porteur"), (bruno.id, "referent")])
    assert [(e.dimension, e.description, e.indicator) for e in saved.effects] == [("groupe", "Entraide.", "8 sur 10")]
    assert [(b.kind, b.actor_category, b.description) for b in saved.barriers] == [
        ("financier", "direction", "Pas de budget.")]
    assert [lever.description for lever in saved.levers] == ["La direction."]


def test_without_a_point_an_action_is_placed_at_its_communes_centre_or_nowhere(session):
    at_centre = services.create_action(session, action_input(commune="13004"), TRAINER)
    assert (at_centre.latitude, at_centre.longitude) == pytest.approx((43.67681, 4.63031))
    nowhere = services.create_action(session, action_input(), TRAINER)
    assert (nowhere.commune_insee, nowhere.latitude, nowhere.longitude) == (None, None, None)
    point_only = services.create_action(session, action_input(latitude=43.7, longitude=4.6), TRAINER)
    assert (point_only.commune_insee, point_only.latitude, point_only.longitude) == (None, 43.7, 4.6)


def test_an_edit_replaces_rows_and_the_authors_tags_but_keeps_the_trainers_tags(session, make):
    from kb.services.workshops import set_workshop_tags

    action = make.action(themes=["Santé"], publics=["Familles"])
    set_workshop_tags(session, action, ["Groupe 2026"])
    services.update_action(session, action, action_input(commune="13004", themes=["Logement"]), TRAINER)
    session.expire_all()
    saved = session.get(FieldAction, action.id)
    assert saved.title == "Jardin partagé de Barriol"
    assert [t.name for t in saved.tags_of("theme")] == ["Logement"] and saved.tags_of("public") == []
    assert [t.name for t in saved.tags_of("atelier")] == ["Groupe 2026"]
    assert (saved.effects, saved.barriers, saved.levers, saved.practitioner_links) == ([], [], [], [])
    assert session.exec(select(Effect)).all() == [] and session.exec(select(Barrier)).all() == []
    assert session.exec(select(Lever)).all() == []


@pytest.mark.parametrize(("fields", "field", "what"), [
    ({"territory_id": 999_999}, "territory_id", "Ce territoire n'existe pas."),
    ({"partner_ids": [999_999]}, "partner_ids", "Une organisation "),
    ({"tool_ids": [999_999]}, "tool_ids", "Un outil "),
    ({"people": [PersonRow(practitioner_id=999_999)]}, "people", "Un·e intervenant·e choisi·e n'existe plus. "),
])
def test_an_action_refers_to_existing_records(session, fields, field, what):
    with pytest.raises(DomainError) as refused:
        services.create_action(session, action_input(**fields), TRAINER)
    assert refused.value.field == field and refused.value.message.startswith(what)
    if field != "territory_id":
        # (the agreement of "choisi·e" with "organisation" and "outil" is left to a wording fix)
        assert refused.value.message.endswith(" n'existe plus. Rechargez la page.")


def test_a_person_is_named_once_per_action(session, make):
    person = make.practitioner()
    rows = [PersonRow(practitioner_id=person.id), PersonRow(practitioner_id=person.id, role="referent")]
    with pytest.raises(DomainError) as twice:
        services.create_action(session, action_input(people=rows), TRAINER)
    assert (twice.value.field, twice.value.message) == ("people", "Une même personne est indiquée deux fois.")


def test_an_unknown_commune_is_refused(session):
    with pytest.raises(DomainError) as refused:
        services.create_action(session, action_input(commune="Trifouilly-les-Oies"), TRAINER)
    assert refused.value.field == "commune"


def test_deleting_an_action_deletes_its_rows_and_links(session, make):
    person = make.practitioner()
    action = make.action(people=[(person, "porteur")])
    services.delete_action(session, action, TRAINER)
    session.expire_all()
    assert session.get(FieldAction, action.id) is None
    assert session.exec(select(Effect)).all() == [] and session.exec(select(ActionPractitioner)).all() == []
