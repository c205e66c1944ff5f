"""Places on maps: actions where the policy lets them be drawn, organisations, starting points, peers near
a point."""

from __future__ import annotations

import pytest

from kb.errors import DomainError
from kb.forms.filters import ActionFilters
from kb.models import Organisation
from kb.models.base import utcnow
from kb.policy import ANONYMOUS, Viewer
from kb.services import geo as services
from kb.services.geo import Place
from maps.geo import haversine_km

STUDENT = Viewer(role="etudiant", user_id=1)
ARLES_CENTRE = (43.67681, 4.63031)


@pytest.fixture
def actions(make):
    """Actions in Arles (one sensitive), Avignon, with no place, unpublished and hidden."""
    avignon = make.territory("avignon").id
    exact = make.action(title="Jardin de Barriol", latitude=43.6766, longitude=4.6278, mode="groupe")
    sensitive = make.action(title="Accueil de jour", latitude=43.6801, longitude=4.6312, location_precision="commune",
                            mode="communautaire")
    in_avignon = make.action(title="Conseil citoyen", commune_insee="84007", latitude=43.95, longitude=4.81,
                             territory_id=avignon, mode="dsl")
    at_centre = make.action(title="Café des parents", latitude=None, longitude=None)
    make.action(title="Sans lieu", commune_insee=None, latitude=None, longitude=None, territory_id=None)
    make.action(title="Brouillon", publication_status="brouillon")
    hidden = make.action(title="Masquée")
    hidden.hidden_at = utcnow()
    return exact, sensitive, in_avignon, at_centre


def test_action_places_are_the_public_actions_drawn_where_the_policy_allows(session, actions):
    exact, sensitive, in_avignon, at_centre = actions
    places = services.action_places(session, ActionFilters(), ANONYMOUS)
    assert places == [
        Place(sensitive.id, "action", "Accueil de jour", *ARLES_CENTRE, mode="communautaire", territory="Arles",
              commune="Arles"),
        Place(at_centre.id, "action", "Café des parents", *ARLES_CENTRE, mode="groupe", territory="Arles",
              commune="Arles"),
        Place(in_avignon.id, "action", "Conseil citoyen", 43.95, 4.81, mode="dsl", territory="Avignon",
              commune="Avignon"),
        Place(exact.id, "action", "Jardin de Barriol", 43.6766, 4.6278, mode="groupe", territory="Arles",
              commune="Arles"),
    ]


def test_action_places_follow_the_filters_and_the_search_ids(session, actions):
    exact, sensitive, in_avignon, _ = actions
    assert [p.id for p in services.action_places(session, ActionFilters(mode="dsl"), ANONYMOUS)] == [in_avignon.id]
    assert [p.id for p in services.action_places(session, ActionFilters(), ANONYMOUS, ids=[exact.id, sensitive.id])] \
        == [sensitive.id, exact.id]
    assert services.action_places(session, ActionFilters(), ANONYMOUS, ids=[]) == []


def test_actions_of_the_same_title_are_drawn_in_the_order_they_were_added(session, make):
    first = make.action(title="Jardin partagé")
    second = make.action(title="Jardin partagé", publication_status="archivee")
    assert [p.id for p in services.action_places(session, ActionFilters(), ANONYMOUS)] == [first.id, second.id]


def test_an_action_without_commune_or_unit_has_empty_labels(session, make):
    action = make.action(title="Hors unité", commune_insee=None, territory_id=None, latitude=43.7, longitude=4.6)
    [place] = services.action_places(session, ActionFilters(), ANONYMOUS)
    assert (place.id, place.territory, place.commune) == (action.id, "", "")
    assert services.action_place(action) == Place(action.id, "action", "Hors unité", 43.7, 4.6, mode="groupe")


def test_an_action_page_shows_it_where_the_policy_allows(session, actions):
    exact, sensitive, in_avignon, at_centre = actions
    assert services.action_place(exact) == Place(exact.id, "action", "Jardin de Barriol", 43.6766, 4.6278,
                                                 mode="groupe", territory="Arles", commune="Arles")
    assert (services.action_place(sensitive).lat, services.action_place(sensitive).lon) == ARLES_CENTRE
    assert (services.action_place(at_centre).lat, services.action_place(at_centre).lon) == ARLES_CENTRE


def test_an_action_with_no_place_is_not_drawn(make):
    assert services.action_place(make.action(commune_insee=None, latitude=None, longitude=None)) is None


@pytest.fixture
def organisations(make):
    """Organisations placed at their address, at their commune's centre, and nowhere."""
    marseille = make.territory("marseille").id
    own = make.organisation(name="Centre social Belsunce", commune_insee="13201", latitude=43.2990, longitude=5.3780,
                            territory_id=marseille)
    centre = make.organisation(name="CCAS d'Arles", commune_insee="13004", latitude=None, longitude=None)
    nowhere = make.organisation(name="Association sans adresse", commune_insee="12218", latitude=None, longitude=None)
    return own, centre, nowhere


def test_organisations_are_drawn_at_their_address_else_their_communes_centre(session, organisations):
    own, centre, nowhere = organisations
    assert services.organisation_places(session) == [
        Place(centre.id, "organisation", "CCAS d'Arles", *ARLES_CENTRE, territory="", commune="Arles"),
        Place(own.id, "organisation", "Centre social Belsunce", 43.2990, 5.3780, territory="Marseille",
              commune="Marseille 1er Arrondissement"),
    ]
    assert services.organisation_place(own) == Place(own.id, "organisation", "Centre social Belsunce", 43.2990,
                                                     5.3780, territory="Organisations",
                                                     commune="Marseille 1er Arrondissement")
    assert (services.organisation_place(centre).lat, services.organisation_place(centre).lon) == ARLES_CENTRE
    assert services.organisation_place(nowhere) is None


def test_an_organisation_without_commune_is_drawn_at_its_point(session):
    org = Organisation(name="Siège régional", kind="association", latitude=43.5, longitude=5.0)
    session.add(org)
    session.flush()
    assert services.organisation_place(org) == Place(org.id, "organisation", "Siège régional", 43.5, 5.0,
                                                     territory="Organisations", commune="")
    assert services.organisation_places(session) == [Place(org.id, "organisation", "Siège régional", 43.5, 5.0)]


def test_a_starting_point_is_a_commune_with_coordinates(session):
    assert services.locate("13200") == (*ARLES_CENTRE, "Arles (13)")
    with pytest.raises(DomainError) as unknown:
        services.locate("Trifouilly-les-Oies")
    assert (unknown.value.field, unknown.value.message) == (
        "lieu", "Commune inconnue : « Trifouilly-les-Oies ». Vérifiez l'orthographe ou saisissez un code postal.")
    with pytest.raises(DomainError) as ambiguous:
        services.locate("Saint-Aubin")  # ten communes of that name: eight are named
    assert ambiguous.value.field == "lieu"
    assert ambiguous.value.message == (
        "Plusieurs communes correspondent à « Saint-Aubin » : Saint-Aubin (02), Saint-Aubin (10), Saint-Aubin (21), "
        "Saint-Aubin (36), Saint-Aubin (39), Saint-Aubin (40), Saint-Aubin (47), Saint-Aubin (59). "
        "Précisez avec le code postal.")
    with pytest.raises(DomainError) as unplaced:
        services.locate("Conques-en-Rouergue")
    assert (unplaced.value.field, unplaced.value.message) == (
        "lieu", "La commune « Conques-en-Rouergue » n'a pas de coordonnées connues.")


def test_a_starting_point_may_be_an_organisation_with_a_position(session, organisations):
    own, centre, nowhere = organisations
    assert services.organisation_position(session, own.id) == (43.2990, 5.3780, "Centre social Belsunce")
    assert services.organisation_position(session, centre.id) == (*ARLES_CENTRE, "CCAS d'Arles")
    for org_id in (nowhere.id, 999_999):
        with pytest.raises(DomainError) as refused:
            services.organisation_position(session, org_id)
        assert (refused.value.field, refused.value.message) == (
            "organisation", "Cette organisation n'a pas de position connue.")


def test_nearby_places_are_within_the_radius_nearest_first_each_once():
    here = (43.6766, 4.6278)
    places = [Place(1, "practitioner", "Bruno", 43.7281, 4.7095, detail="Fontvieille"),  # 8.6 km
              Place(2, "practitioner", "Alice", 43.6766, 4.6278, detail="Arles"),  # here
              Place(1, "practitioner", "Bruno", 43.8058, 4.6603, detail="Tarascon"),  # farther: the nearer one stays
              Place(3, "action", "Zoé", 43.7281, 4.7095),  # as far as Bruno: by title
              Place(4, "action", "Avignon", 43.9483, 4.8089)]  # 34 km
    found = services.nearby(places, *here, 15.0)
    assert [(p.kind, p.id, p.detail) for p in found] == [("practitioner", 2, "Arles"), ("practitioner", 1, "Fontvieille"),
                                                         ("action", 3, "")]  # Bruno at Tarascon (14.6 km) once only
    assert found[0].distance_km == 0.0 and found[1].distance_km == pytest.approx(8.6, abs=0.2)
    assert [p.id for p in services.nearby(places, *here, 40.0)] == [2, 1, 3, 4]
    edge = haversine_km(*here, 43.9483, 4.8089)
    assert [p.id for p in services.nearby(places, *here, edge)] == [2, 1, 3, 4]  # exactly at the radius: in
    assert services.nearby(places, 48.85, 2.35, 100.0) == []


@pytest.fixture
def peers(make):
    """Practitioners of two organisations; one unlisted; one involved in a group-work action about health."""
    arles = make.organisation(name="Centre social Arles", commune_insee="13004", latitude=43.6766, longitude=4.6278)
    belsunce = make.organisation(name="Centre social Belsunce", commune_insee="13201", latitude=43.2990,
                                 longitude=5.3780, territory_id=make.territory("marseille").id)
    unplaced = make.organisation(name="Sans position", commune_insee="12218", latitude=None, longitude=None)
    alice = make.practitioner(first_name="Alice", last_name="Arnaud", organisations=[arles, belsunce])
    bruno = make.practitioner(first_name="Bruno", last_name="Blanc", organisations=[belsunce, unplaced])
    hidden = make.practitioner(first_name="Denis", last_name="Discret", organisations=[arles], consent_listed=False)
    make.practitioner(first_name="Sans", last_name="Organisation")
    make.action(title="Jardin", mode="groupe", themes=["Santé"], publics=["Familles"], people=[(alice, "porteur")])
    zoe = make.practitioner(first_name="Zoé", last_name="Zola", organisations=[arles])
    make.action(title="Conseil citoyen", mode="communautaire", themes=["Logement"], publics=["Jeunes"],
                people=[(zoe, "porteur")])
    make.action(title="Brouillon", mode="dsl", publication_status="brouillon", people=[(bruno, "porteur")])
    return alice, bruno, hidden


def test_signed_in_users_find_listed_peers_at_their_organisations(session, peers):
    alice, bruno, hidden = peers
    found = [p for p in services.peer_practitioners(session, STUDENT, ActionFilters()) if p.title != "Zoé Zola"]
    assert sorted((p.title, p.detail, p.territory, p.commune) for p in found) == [
        ("Alice Arnaud", "Centre social Arles", "", "Arles"),
        ("Alice Arnaud", "Centre social Belsunce", "Marseille", "Marseille 1er Arrondissement"),
        ("Bruno Blanc", "Centre social Belsunce", "Marseille", "Marseille 1er Arrondissement"),
    ]
    assert {(p.kind, p.id) for p in found} == {("practitioner", alice.id), ("practitioner", bruno.id)}
    at_arles = next(p for p in found if p.detail == "Centre social Arles")
    assert (at_arles.lat, at_arles.lon) == (43.6766, 4.6278)
    herself = Viewer(role="etudiant", user_id=2, practitioner_id=hidden.id)
    assert "Denis Discret" in {p.title for p in services.peer_practitioners(session, herself, ActionFilters())}
    assert services.peer_practitioners(session, ANONYMOUS, ActionFilters()) == []


@pytest.mark.parametrize(("filters", "expected"), [
    ({"mode": "groupe"}, {"Alice Arnaud"}),
    ({"mode": "dsl"}, set()),  # only a draft has it
    ({"theme": "sante"}, {"Alice Arnaud"}),
    ({"theme": "logement"}, {"Zoé Zola"}),
    ({"public": "familles"}, {"Alice Arnaud"}),
    ({"public": "jeunes"}, {"Zoé Zola"}),
    ({"public": "jeunes", "theme": "sante"}, set()),
    ({"territory": "avignon"}, {"Alice Arnaud", "Bruno Blanc", "Zoé Zola"}),  # the unit is not a filter of peers
])
def test_peers_may_be_those_of_public_actions_with_a_mode_public_or_theme(session, peers, filters, expected):
    assert {p.title for p in services.peer_practitioners(session, STUDENT, ActionFilters(**filters))} == expected
