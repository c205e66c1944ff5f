"""Exports of the lists: CSV for spreadsheets, GeoJSON for maps, JSON; the page's filters and text; what each
role may see; streamed in batches."""

from __future__ import annotations

import csv
import gc
import io
import json

import pytest

from kb.services import exports
from tests.conftest import login


@pytest.fixture
def world(session, make):
    listed = make.practitioner(first_name="Inès", last_name="Listée", phone="04 65 71 12 34")
    quiet = make.practitioner(first_name="Paul", last_name="Discret", consent_listed=False)
    hidden_phone = make.practitioner(first_name="Zoé", last_name="Sansappel", consent_contact=False)
    org = make.organisation(name="=HYPERLINK(\"http://evil\")", postal_code="13200")
    garden = make.action(title="Jardin partagé des Tamaris", themes=["Jardinage"], people=[(listed, "porteur")])
    garden.partners = [org]
    sensitive = make.action(title="Groupe de parole sensible", location_precision="commune",
                            latitude=43.70, longitude=4.70)
    draft = make.action(title="Projet en brouillon", publication_status="brouillon")
    session.commit()
    return {"garden": garden, "sensitive": sensitive, "draft": draft, "org": org, "listed": listed,
            "quiet": quiet, "hidden_phone": hidden_phone}


def csv_rows(response) -> list[dict]:
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_the_action_csv_holds_what_the_list_shows_and_neutralises_formulas(client, world, session, make):
    make.action(title="=SOMME(A1:A9)")
    session.commit()
    rows = csv_rows(client.get("/actions/export.csv"))
    titles = {r["Titre"] for r in rows}
    assert {"Jardin partagé des Tamaris", "Groupe de parole sensible", "'=SOMME(A1:A9)"} <= titles
    assert "Projet en brouillon" not in titles  # a draft is not in the list: not in its export
    garden = next(r for r in rows if r["Titre"] == "Jardin partagé des Tamaris")
    assert garden["Thèmes"] == "Jardinage" and garden["Adresse de la fiche"].endswith(f"/actions/{world['garden'].id}")


def test_exports_apply_the_filters_and_the_text_of_the_page(client, world, session, make):
    make.action(title="Atelier cuisine à Avignon", mode="dsl")
    session.commit()
    rows = csv_rows(client.get("/actions/export.csv", query_string={"mode": "dsl"}))
    assert [r["Titre"] for r in rows] == ["Atelier cuisine à Avignon"]
    data = json.loads(client.get("/actions/export.json", query_string={"q": "tamaris"}).data)
    assert [item["title"] for item in data["items"]] == ["Jardin partagé des Tamaris"] and data["total"] == 1
    refused = client.get("/actions/export.csv", query_string={"year": "deux mille"})
    assert refused.status_code == 400 and "année" in refused.get_data(as_text=True)
    assert client.get("/actions/export.xlsx").status_code == 404


def test_the_geojson_places_actions_where_public_maps_do(client, world):
    response = client.get("/actions/export.geojson")
    assert response.mimetype == "application/geo+json"
    collection = json.loads(response.data)
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["title"]: f for f in collection["features"]}
    garden = world["garden"]
    assert features["Jardin partagé des Tamaris"]["geometry"] == {
        "type": "Point", "coordinates": [garden.longitude, garden.latitude]}  # RFC 7946: longitude first
    sensitive = features["Groupe de parole sensible"]
    commune = world["sensitive"].commune
    assert sensitive["geometry"]["coordinates"] == [commune.longitude, commune.latitude]  # its commune's centre
    assert "latitude" not in sensitive["properties"]


def test_organisations_export_as_geojson_and_csv(client, world):
    features = json.loads(client.get("/organisations/export.geojson").data)["features"]
    assert [f["properties"]["name"] for f in features] == ['=HYPERLINK("http://evil")']
    rows = csv_rows(client.get("/organisations/export.csv"))
    assert rows[0]["Nom"] == "'=HYPERLINK(\"http://evil\")" and rows[0]["Code postal"] == "13200"


def test_the_directory_export_lists_consenting_people_and_phones_only_for_contributors(client, world, session,
                                                                                       make):
    assert client.get("/intervenants/export.csv").status_code == 302  # the directory needs an account
    student, pro = make.user("etudiant"), make.user("professionnel")
    session.commit()
    login(client, student)
    people = {r["Nom"]: r for r in csv_rows(client.get("/intervenants/export.csv"))}
    assert set(people) >= {"Listée", "Sansappel"} and "Discret" not in people
    assert people["Listée"]["Téléphone"] == ""  # a student sees no phone
    pro_client = client.application.test_client()
    login(pro_client, pro)
    items = {i["last_name"]: i for i in json.loads(pro_client.get("/intervenants/export.json").data)["items"]}
    assert items["Listée"]["phone"] == "04 65 71 12 34"
    assert items["Sansappel"]["phone"] is None  # she did not agree to be contacted
    assert all("email" not in item for item in items.values())


def test_exports_are_streamed_and_read_in_batches(app, client, world, session, make, monkeypatch):
    for n in range(7):
        make.action(title=f"Action en série {n}")
    session.commit()
    monkeypatch.setattr(exports, "BATCH", 3)
    response = client.get("/actions/export.json")
    assert response.is_streamed
    assert json.loads(response.data)["total"] == 9


def test_list_pages_offer_their_exports_with_their_filters(client, world):
    page = client.get("/actions/", query_string={"mode": "groupe", "page": "1"}).get_data(as_text=True)
    assert 'href="/actions/export.csv?mode=groupe"' in page and 'href="/actions/export.geojson?mode=groupe"' in page
    search = client.get("/recherche", query_string={"q": "tamaris"}).get_data(as_text=True)
    assert 'href="/actions/export.csv?q=tamaris"' in search
    carte = client.get("/carte", query_string={"q": "tamaris"}).get_data(as_text=True)
    assert 'href="/actions/export.geojson?q=tamaris"' in carte


def test_a_download_cut_short_closes_its_reading(app, client, world, session, make, monkeypatch):
    """A client gone after the first bytes: the batches' cursor (server-side on PostgreSQL) is closed with the
    response, not left to the garbage collector (psycopg warns then, an error here), and the next export works."""
    for n in range(7):
        make.action(title=f"Action en série {n}")
    session.commit()
    monkeypatch.setattr(exports, "BATCH", 3)
    response = client.get("/actions/export.csv", buffered=False)
    first = next(iter(response.response))
    assert first.startswith("\ufeff".encode())
    response.close()
    del response
    gc.collect()
    assert len(csv_rows(client.get("/actions/export.csv"))) == 9
