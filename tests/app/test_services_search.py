"""Searching: who finds whom, the query as asked (text, filters, sort, page), French facet labels, similar
actions, and the ids that feed the map."""

from __future__ import annotations

import pytest

from kb import indexing
from kb.forms.search import SearchForm
from kb.indexing.documents import KIND_LABELS
from kb.models import FieldAction, choices
from kb.policy import ANONYMOUS, Viewer
from kb.services import search as services
from kb.services.tags import get_or_create_tags
from search_index import SearchResults
from tests.conftest import login

STUDENT = Viewer(role="etudiant", user_id=1)


@pytest.fixture
def index(app, session):
    """index(): commit the test's rows and return the app's index, brought up to date."""

    def _index():
        session.commit()
        indexing.sync(app)
        return indexing.get_index(app)

    return _index


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def test_a_signed_in_user_finds_a_listed_practitioner_and_never_an_unlisted_one(index, make):
    make.practitioner(first_name="Zénobie", last_name="Quarante")
    make.practitioner(first_name="Zénobie", last_name="Trente", consent_listed=False)
    found = index()
    assert titles(services.run_search(found, SearchForm(text="Zénobie"), STUDENT)) == ["Zénobie Quarante"]
    assert titles(services.run_search(found, SearchForm(text="Zénobie"), ANONYMOUS)) == []


def test_the_directory_search_page_follows_the_same_rule(app, client, session, make, sign_in):
    make.practitioner(first_name="Zénobie", last_name="Quarante")
    make.practitioner(first_name="Zénobie", last_name="Trente", consent_listed=False)
    session.commit()
    assert "Zénobie Quarante" not in client.get("/recherche?q=Zénobie").get_data(as_text=True)
    sign_in("etudiant")
    page = client.get("/recherche?q=Zénobie").get_data(as_text=True)
    assert "Zénobie Quarante" in page and "Trente" not in page
    professional = make.user("professionnel")
    session.commit()
    other = app.test_client()
    login(other, professional)
    assert [hit["title"] for hit in other.get("/api/search?q=Zénobie").get_json()["results"]] == ["Zénobie Quarante"]


@pytest.fixture
def gardens(make):
    """Three published garden actions of different years, and a repair café."""
    from datetime import date

    make.action(title="Jardin de Barriol", writeup="Un jardin partagé.", start_date=date(2012, 2, 1), mode="groupe")
    make.action(title="Atelier jardin du Trébon", writeup="Un jardin partagé, un jardin de quartier.",
                start_date=date(2020, 5, 1), mode="dsl")
    make.action(title="Collectif du jardin", writeup="Des jardins.", start_date=date(2016, 9, 1), mode="communautaire")
    make.action(title="Repair café", writeup="Réparer ensemble.", start_date=date(2018, 1, 1))


def test_the_search_runs_the_text_filters_sort_and_page_asked_for(index, gardens):
    found = index()
    assert len(services.run_search(found, SearchForm(text="jardin"), ANONYMOUS).hits) == 3
    by_date = services.run_search(found, SearchForm(text="jardin", sort="date"), ANONYMOUS)
    assert titles(by_date) == ["Atelier jardin du Trébon", "Collectif du jardin", "Jardin de Barriol"]
    by_title = services.run_search(found, SearchForm(text="jardin", sort="title"), ANONYMOUS)
    assert titles(by_title) == ["Atelier jardin du Trébon", "Collectif du jardin", "Jardin de Barriol"]
    filtered = services.run_search(found, SearchForm(text="jardin", filters={"mode": ["dsl", "groupe"]}, sort="date"),
                                   ANONYMOUS)
    assert titles(filtered) == ["Atelier jardin du Trébon", "Jardin de Barriol"]
    second = services.run_search(found, SearchForm(text="jardin", sort="date", page=2), ANONYMOUS, per_page=2)
    assert (titles(second), second.total, second.page, second.per_page) == (["Jardin de Barriol"], 3, 2, 2)


def test_facet_labels_are_the_french_names_of_the_stored_keys(session, make):
    make.action(publics=["Familles monoparentales"], themes=["Accès aux droits"])
    get_or_create_tags(session, "atelier", ["Posture professionnelle"])
    labels = services.facet_labels(session)
    assert set(labels) == {"kind", "territory", "commune", "mode", "publics", "themes", "status", "barrier_kinds",
                           "actors", "dimensions", "has_tool"}
    assert labels["kind"] == KIND_LABELS and labels["mode"] == choices.INTERVENTION_MODES
    assert labels["barrier_kinds"] == choices.BARRIER_KINDS and labels["actors"] == choices.ACTOR_CATEGORIES
    assert labels["dimensions"] == choices.EFFECT_DIMENSIONS and labels["has_tool"]["oui"] == "Avec un outil"
    assert labels["status"] == choices.ACTION_STATUSES
    assert labels["territory"] == {"arles": "Arles", "avignon": "Avignon", "marseille": "Marseille"}
    assert labels["commune"]["13004"] == "Arles"
    assert labels["publics"] == {"familles-monoparentales": "Familles monoparentales"}
    assert labels["themes"] == {"acces-aux-droits": "Accès aux droits"}


def test_facets_are_labelled_with_years_newest_first_and_empty_ones_left_out():
    results = SearchResults(hits=[], total=7, page=1, per_page=20, facets={
        "themes": [],
        "visibility": [("public", 7)],
        "kind": [("action", 5), ("practitioner", 2)],
        "year": [("2015", 4), ("2020", 2), ("2012", 1)],
        "commune": [("13004", 3), ("99999", 1)],
        "publics": [],
    })
    labels = {"kind": KIND_LABELS, "commune": {"13004": "Arles"}}
    shown = services.facets(results, labels)
    assert [(f.name, f.title) for f in shown] == [("kind", "Type"), ("year", "Année"), ("commune", "Commune")]
    assert shown[0].values == [("action", "Actions", 5), ("practitioner", "Intervenant·es", 2)]
    assert shown[1].values == [("2020", "2020", 2), ("2015", "2015", 4), ("2012", "2012", 1)]
    assert shown[2].values == [("13004", "Arles", 3), ("99999", "99999", 1)]  # an unknown key shows as itself


def test_similar_actions_are_visible_ones_closest_first(app, index, session, make):
    def action(title: str, writeup: str, **fields) -> FieldAction:
        made = make.action(title=title, summary=writeup, writeup=writeup, **fields)
        made.effects, made.barriers, made.levers = [], [], []  # only the write-ups make them alike
        return made

    base = action("Jardin partagé", "Jardin partagé, potager collectif, compost et semis au quartier.")
    closest = action("Potager collectif", "Jardin partagé, potager collectif, compost et semis.")
    close = action("Compost", "Compost collectif et semis au jardin.")
    action("Brouillon", "Jardin partagé, potager collectif, compost et semis au quartier.", publication_status="brouillon")
    make.practitioner(first_name="Jardin", last_name="Potager",
                      skills_knowledge="Jardin partagé, potager collectif, compost et semis au quartier.")
    action("Repair café", "Réparer des vélos ensemble.")
    found = index()
    similar = services.similar_actions(session, found, base.id, ANONYMOUS)
    assert [a.id for a in similar] == [closest.id, close.id]
    # a signed-in user may find the practitioner in search, but similar actions are actions
    assert [a.id for a in services.similar_actions(session, found, base.id, STUDENT)] == [closest.id, close.id]
    assert [a.id for a in services.similar_actions(session, found, base.id, ANONYMOUS, limit=1)] == [closest.id]
    closest.publication_status = "brouillon"  # unpublished since the index was written
    session.commit()
    assert [a.id for a in services.similar_actions(session, indexing.get_index(app), base.id, ANONYMOUS)] == [close.id]


def test_five_similar_actions_at_most_by_default(index, session, make):
    made = []
    for n in range(7):
        action = make.action(title=f"Jardin partagé {n}", summary="Jardin partagé, potager et compost.",
                             writeup="Jardin partagé, potager collectif, compost et semis au quartier.")
        action.effects, action.barriers, action.levers = [], [], []
        made.append(action)
    found = index()
    assert len(services.similar_actions(session, found, made[0].id, ANONYMOUS)) == 5


def test_matching_action_ids_are_actions_only(index, session, make):
    action = make.action(title="Atelier xylophone", writeup="Du xylophone.")
    make.practitioner(first_name="Xylophone", last_name="Durand")
    found = index()
    assert services.matching_action_ids(found, "xylophone", STUDENT) == [action.id]
    assert services.matching_action_ids(found, "", STUDENT) is None
    assert services.matching_action_ids(found, None, STUDENT) is None
    assert session.get(FieldAction, action.id) is not None
