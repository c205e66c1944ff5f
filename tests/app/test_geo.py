"""The practice map, its popups, "Trouver des pairs" and the commune lookup, through the test client."""

from __future__ import annotations

import json
import re

import pytest

from kb.models import Commune
from tests.app.test_actions import FORM
from tests.conftest import post_form


def _map_rows(page: str, map_id: str) -> list[list]:
    data = re.search(rf'<script type="application/json" id="{map_id}-data">(.*?)</script>', page, re.S)
    assert data, f"no data block for map {map_id}"
    return json.loads(data.group(1))["points"]


def test_map_shows_every_visible_action_with_a_list_alternative(client, make, session):
    make.action(title="Jardin des Alyscamps")
    make.action(title="Atelier mosaïque", mode="dsl")
    make.action(title="Projet non publié", publication_status="brouillon")
    session.commit()
    page = client.get("/carte").get_data(as_text=True)
    rows = _map_rows(page, "carte")
    assert sorted(row[5] for row in rows) == ["Atelier mosaïque", "Jardin des Alyscamps"]
    assert "2 actions sur la carte" in page
    assert 'id="liste-carte"' in page and "Jardin des Alyscamps</a>" in page
    assert "Projet non publié" not in page
    assert "cdn" not in page.lower() and "unpkg" not in page and "jsdelivr" not in page
    assert "/static/vendor/leaflet/dist/leaflet.js" in page


def test_map_filters_and_free_text_narrow_the_points(client, make, session):
    make.action(title="Jardin des Alyscamps", writeup="Un jardin partagé au pied des immeubles.")
    make.action(title="Atelier mosaïque", mode="dsl", writeup="Une fresque en mosaïque.")
    session.commit()
    assert [r[5] for r in _map_rows(client.get("/carte?mode=dsl").get_data(as_text=True), "carte")] == \
        ["Atelier mosaïque"]
    page = client.get("/carte", query_string={"q": "jardins partagés"}).get_data(as_text=True)
    assert [r[5] for r in _map_rows(page, "carte")] == ["Jardin des Alyscamps"]
    assert "pour « jardins partagés »" in page


def test_map_view_is_kept_in_the_url_and_bad_values_are_reported(client, make, session):
    make.action()
    session.commit()
    page = client.get("/carte", query_string={"lat": "43.68", "lon": "4.63", "z": "12"}).get_data(as_text=True)
    assert '"center":[43.68,4.63]' in page.replace(" ", "") or "[43.68, 4.63]" in page
    bad = client.get("/carte", query_string={"lat": "abc", "lon": "4", "z": "99"})
    assert bad.status_code == 200
    text = bad.get_data(as_text=True)
    assert "niveau de zoom" in text and "hors de France" in text


def test_sensitive_action_is_drawn_at_the_commune_centre(client, make, session):
    action = make.action(title="Groupe de parole confidentiel", location_precision="commune",
                         latitude=43.6801, longitude=4.6402)
    session.commit()
    centre = session.get(Commune, action.commune_insee)
    row = _map_rows(client.get("/carte").get_data(as_text=True), "carte")[0]
    assert (row[0], row[1]) == (round(centre.latitude, 6), round(centre.longitude, 6))
    detail = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "centre de la commune" in detail
    assert str(43.6801) not in detail


def test_popup_is_loaded_on_demand_and_escapes_user_text(client, make, session):
    action = make.action(title="<script>alert('x')</script> Jardin", summary="<b>gras</b> & co")
    draft = make.action(title="Brouillon", publication_status="brouillon")
    session.commit()
    page = client.get("/carte").get_data(as_text=True)
    assert "<script>alert('x')" not in page
    assert '"popupUrl":"/carte/fiche/{id}"' in page
    popup = client.get(f"/carte/fiche/a{action.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in popup and "<script>" not in popup
    assert f'href="/actions/{action.id}"' in popup
    assert client.get(f"/carte/fiche/a{draft.id}").status_code == 404
    assert client.get("/carte/fiche/zz").status_code == 404
    assert client.get("/carte/fiche/a999999").status_code == 404


def test_organisations_layer_is_optional(client, make, session):
    make.organisation(name="Centre social Griffeuille", latitude=43.67, longitude=4.64)
    make.action()
    session.commit()
    without = _map_rows(client.get("/carte").get_data(as_text=True), "carte")
    with_orgs = _map_rows(client.get("/carte?orgs=1").get_data(as_text=True), "carte")
    assert "Centre social Griffeuille" not in [r[5] for r in without]
    assert "Centre social Griffeuille" in [r[5] for r in with_orgs]


@pytest.fixture
def peers(make, session, sign_in):
    """Practitioners in organisations at known places around Arles and Marseille; a student looks for them."""
    sign_in("etudiant")
    arles = make.organisation(name="Centre social Arles", commune_insee="13004", latitude=43.6766, longitude=4.6278)
    raphele = make.organisation(name="Maison de Raphèle", commune_insee="13004", latitude=43.6007, longitude=4.7380)
    marseille = make.organisation(name="Centre social Belsunce", commune_insee="13201",
                                  latitude=43.2990, longitude=5.3780)
    near = make.practitioner(first_name="Alice", last_name="Proche", organisations=[arles])
    mid = make.practitioner(first_name="Bruno", last_name="Moyen", organisations=[raphele])
    far = make.practitioner(first_name="Chloé", last_name="Loin", organisations=[marseille])
    hidden = make.practitioner(first_name="Denis", last_name="Discret", organisations=[arles], consent_listed=False)
    make.action(title="Action à Arles", people=[(near, "porteur")])
    session.commit()
    return near, mid, far, hidden


def test_peers_are_listed_nearest_first_with_their_distance(client, peers):
    page = client.get("/pairs", query_string={"lieu": "Arles", "rayon": "20"}).get_data(as_text=True)
    people = page.split('id="peer-people"', 1)[1].split("</ol>", 1)[0]
    assert people.index("Alice Proche") < people.index("Bruno Moyen")
    assert "Chloé Loin" not in people, "Marseille is 70 km away"
    assert "Denis Discret" not in page, "not listed in the directory"
    assert re.search(r"Bruno Moyen.*?(\d+,\d) km", people, re.S).group(1) in ("11,9", "12,0", "12,1", "12,2")
    assert "Centre social Arles" in people  # placed at the organisation, named with it


def test_radius_filter_and_postal_code(client, peers):
    five = client.get("/pairs", query_string={"lieu": "13200", "rayon": "5"}).get_data(as_text=True)
    assert "Alice Proche" in five and "Bruno Moyen" not in five
    fifty = client.get("/pairs", query_string={"lieu": "13200", "rayon": "50"}).get_data(as_text=True)
    assert "Bruno Moyen" in fifty and "Chloé Loin" not in fifty


def test_peers_from_a_point_or_an_organisation(client, peers):
    near, *_ = peers
    by_point = client.get("/pairs", query_string={"lat": "43.2990", "lon": "5.3780", "rayon": "5"})
    assert "Chloé Loin" in by_point.get_data(as_text=True)
    org_id = near.organisations[0].id
    by_org = client.get("/pairs", query_string={"organisation": org_id, "rayon": "5"}).get_data(as_text=True)
    assert "Alice Proche" in by_org and "Chloé Loin" not in by_org


def test_peers_filtered_by_mode_keep_people_of_matching_actions(client, peers):
    page = client.get("/pairs", query_string={"lieu": "Arles", "rayon": "50", "mode": "groupe"}).get_data(as_text=True)
    assert "Alice Proche" in page and "Bruno Moyen" not in page
    none = client.get("/pairs", query_string={"lieu": "Arles", "rayon": "50", "mode": "dsl"}).get_data(as_text=True)
    assert "Alice Proche" not in none


@pytest.mark.parametrize(("args", "message"), [
    ({"lieu": "Trifouilly-les-Oies"}, "Commune inconnue"),
    ({"lieu": "Saint-Martin"}, "Plusieurs communes correspondent"),
    ({"lat": "60", "lon": "5"}, "hors de France"),
    ({"lieu": "Arles", "rayon": "7"}, "rayon de 5, 10, 20 ou 50 km"),
    ({"organisation": "abc"}, "Organisation inconnue"),
])
def test_peer_search_errors_are_explained_and_keep_the_input(client, peers, args, message):
    response = client.get("/pairs", query_string=args)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    if "lieu" in args:
        assert f'value="{args["lieu"]}"' in page


def test_commune_lookup_api(client):
    found = client.get("/api/communes", query_string={"q": "ST REMY DE PROV"}).get_json()
    assert found[0]["nom"] == "Saint-Rémy-de-Provence" and found[0]["departement"] == "13"
    by_code = client.get("/api/communes", query_string={"q": "13200"}).get_json()
    assert "Arles" in [c["nom"] for c in by_code]
    short = client.get("/api/communes", query_string={"q": "a"})
    assert short.status_code == 400 and "deux caractères" in short.get_json()["error"]["message"]


def test_coordinates_outside_france_are_refused_in_the_forms(client, editor):
    response = post_form(client, "/actions/nouvelle", {**FORM, "latitude": "51.5072", "longitude": "-0.1276"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "hors de France" in page and 'value="51.5072"' in page
    ok = post_form(client, "/organisations/nouvelle", {"name": "Association Les Ateliers", "kind": "association",
                                                       "commune": "Arles", "latitude": "40.4168", "longitude": "-3.7038"})
    assert ok.status_code == 422 and "hors de France" in ok.get_data(as_text=True)


def test_forms_offer_a_map_to_place_the_point_and_commune_suggestions(client, editor):
    page = client.get("/actions/nouvelle").get_data(as_text=True)
    assert 'id="picker"' in page and 'list="communes-list"' in page and "/api/communes" in page


def test_anonymous_visitors_find_actions_but_not_people_among_peers(app, make, session):
    org = make.organisation(name="Centre social Arles", commune_insee="13004", latitude=43.6766, longitude=4.6278)
    make.practitioner(first_name="Alice", last_name="Proche", organisations=[org])
    make.action(title="Jardin des Alyscamps", latitude=43.6740, longitude=4.6350)
    session.commit()
    html = app.test_client().get("/pairs?lieu=Arles&rayon=20").get_data(as_text=True)
    assert "Jardin des Alyscamps" in html and "Alice Proche" not in html and "Connectez-vous" in html


def test_the_nearest_commune_of_a_point_fills_the_form_back(client):
    arles = client.get("/api/communes/proche", query_string={"lat": "43.6766", "lon": "4.6278"}).get_json()
    assert (arles["insee"], arles["libelle"]) == ("13004", "Arles (13)") and arles["distance_km"] < 1
    montpellier = client.get("/api/communes/proche", query_string={"lat": "43.611", "lon": "3.80"}).get_json()
    assert montpellier["departement"] == "34"  # the click aimed at Arles that landed near Montpellier
    quartier = client.get("/api/communes/proche", query_string={"lat": "43.36", "lon": "5.36"}).get_json()
    assert quartier["parent_insee"] == "13055"  # an arrondissement, inside Marseille
    for bad in ({"lat": "abc", "lon": "4"}, {"lat": "40.7", "lon": "-74.0"}, {}):
        refused = client.get("/api/communes/proche", query_string=bad)
        assert refused.status_code == 400 and refused.get_json()["error"]["message"]


def test_a_large_map_sends_the_clusters_of_a_view_and_its_points_on_request(app, client, make, session):
    app.config.update(MAP_SERVER_CLUSTER_FROM=5, MAP_VIEW_SINGLES=3)
    for n in range(6):
        make.action(title=f"Atelier d'Arles n° {n}", latitude=43.67 + n * 0.001, longitude=4.62 + n * 0.001,
                    mode="groupe" if n % 2 else "dsl")
    make.action(title="<b>Café</b> de Belsunce", commune_insee="13201", latitude=43.2995, longitude=5.3770)
    session.commit()
    page = client.get("/carte").get_data(as_text=True)
    config = json.loads(re.search(r'id="carte-data">(.*?)</script>', page).group(1))
    assert config["total"] == 7 and config["pointsUrl"] == "/carte/points"
    assert sum(c[2] for c in config["clusters"]) + len(config["points"]) == 7
    assert 'data-point-count="7"' in page and "<b>Café</b>" not in page

    wide = client.get("/carte/points", query_string={"bbox": "43,4,44,6", "z": "8"}).get_json()
    assert wide["total"] == wide["inView"] == wide["actions"] == wide["actionsInView"] == 7
    [arles] = [c for c in wide["clusters"] if c[2] == 6]
    assert sorted(arles[3]) == [0, 3, 3]  # three of each mode, by category index
    assert [p["title"] for p in wide["list"]][0] == "<b>Café</b> de Belsunce"  # JSON data, written as text by the page
    near = client.get("/carte/points", query_string={"bbox": "43.66,4.61,43.68,4.63", "z": "17"}).get_json()
    assert near["clusters"] == [] and len(near["points"]) == near["inView"] == 6
    assert {row[2] for row in near["points"]} == {f"a{i}" for i in range(1, 7)} and near["actionsInView"] == 6
    filtered = client.get("/carte/points", query_string={"bbox": "43,4,44,6", "z": "8", "mode": "dsl"}).get_json()
    assert filtered["total"] == 3
    world = client.get("/carte/points", query_string={"bbox": "-90,-180,90,180", "z": "0"})
    assert world.status_code == 200 and world.get_json()["inView"] == 7  # the whole world, zoomed out
    across = client.get("/carte/points", query_string={"bbox": "-30,160,0,-140", "z": "3"}).get_json()
    assert across["inView"] == 0  # a view across the antimeridian (the Pacific) holds none of them


@pytest.mark.parametrize("query", [{}, {"bbox": "43,4,44"}, {"bbox": "44,4,43,6", "z": "8"},
                                   {"bbox": "nan,4,44,6", "z": "8"}, {"bbox": "43,4,44,6", "z": "25"},
                                   {"bbox": "43,4,44,6", "z": "-1"}, {"bbox": "43,4,44,6", "z": "8", "mode": "inconnu"}])
def test_a_bad_view_is_refused_with_a_json_error(client, query):
    answer = client.get("/carte/points", query_string=query)
    assert answer.status_code == 400 and answer.get_json()["error"] == "Paramètres de la vue invalides."


def test_many_communes_make_the_commune_filter_a_text_field_that_reads_names(app, client, make, session, monkeypatch):
    from kb.services import actions as action_services

    make.action(title="Jardin des Alyscamps", commune_insee="13004", latitude=43.674, longitude=4.635)
    make.action(title="Café de Belsunce", commune_insee="13201", latitude=43.2995, longitude=5.377)
    session.commit()
    assert '<select id="f-commune"' in client.get("/carte").get_data(as_text=True)
    monkeypatch.setattr(action_services, "COMMUNE_CHOICES", 1)
    app.config["TESTING"] = True
    session.commit()  # a new revision: the kept choices are built again
    from kb.views import _mapdata

    _mapdata.OPTIONS._sets.clear()
    page = client.get("/actions/").get_data(as_text=True)
    assert '<input id="f-commune" name="commune"' in page and 'list="communes-list"' in page
    listed = client.get("/actions/", query_string={"commune": "Arles"}).get_data(as_text=True)
    assert "Jardin des Alyscamps" in listed and "Café de Belsunce" not in listed
    ambiguous = client.get("/actions/", query_string={"commune": "Saint-Rémy"}).get_data(as_text=True)
    assert "Jardin des Alyscamps" not in ambiguous and 'value="Saint-Rémy"' in ambiguous  # kept, matching nothing


def test_peers_list_the_nearest_and_count_the_rest(app, client, make, session, monkeypatch):
    from kb.views import geo

    for n, (lat, lon) in enumerate([(43.677, 4.63), (43.68, 4.64), (43.70, 4.70)]):
        make.action(title=f"Action proche {n}", commune_insee="13004", latitude=lat, longitude=lon)
    session.commit()
    monkeypatch.setattr(geo, "PEERS_SHOWN", 2)
    page = client.get("/pairs", query_string={"lieu": "13200", "rayon": "20"}).get_data(as_text=True)
    assert "0 intervenant·es et 3 actions ; les 2 plus proches sont listé·es" in page
    assert "Action proche 0" in page and "Action proche 1" in page and "Action proche 2" not in page
