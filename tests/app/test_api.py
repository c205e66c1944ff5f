"""The JSON API (/api/v1): same filters as the pages, pagination with totals and Link headers, one error shape,
English keys, public fields only; the former routes redirect; the OpenAPI document and its page."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import select

from kb.db import new_session
from kb.models import FieldAction, Territory
from tests.conftest import login


def _count(app, *where):
    with app.app_context(), new_session(app) as session:
        return session.exec(select(func.count()).select_from(FieldAction).where(
            FieldAction.publication_status.in_(("publiee", "archivee")), *where)).one()


def _links(response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["Link"])}


def test_actions_are_paginated_counted_and_linked(demo_app, demo_client):
    response = demo_client.get("/api/v1/actions?mode=groupe")
    first = response.get_json()
    assert first["total"] == _count(demo_app, FieldAction.mode == "groupe")
    assert len(first["items"]) == 20 and first["pages"] == -(-first["total"] // 20) > 1
    links = _links(response)
    assert set(links) == {"first", "next", "last"}
    assert links["next"] == "http://localhost/api/v1/actions?mode=groupe&page=2"
    second = demo_client.get(links["next"]).get_json()
    assert {a["id"] for a in first["items"]}.isdisjoint(a["id"] for a in second["items"])
    last = demo_client.get(links["last"])
    assert set(_links(last)) == {"first", "prev", "last"}
    small = demo_client.get("/api/v1/actions?per_page=5").get_json()
    assert len(small["items"]) == 5 and small["per_page"] == 5


def test_filters_match_the_database(demo_app, demo_client):
    with demo_app.app_context(), new_session(demo_app) as session:
        arles = session.exec(select(Territory).where(Territory.slug == "arles")).one()
    expected = _count(demo_app, FieldAction.territory_id == arles.id, FieldAction.mode == "dsl")
    data = demo_client.get("/api/v1/actions?territory=arles&mode=dsl").get_json()
    assert data["total"] == expected > 0
    assert all(a["territory"] == "arles" and a["mode"] == "dsl" for a in data["items"])


def test_pages_and_api_share_filters(demo_client):
    api = demo_client.get("/api/v1/actions?territory=avignon&status=terminee").get_json()
    html = demo_client.get("/actions/?territory=avignon&status=terminee").get_data(as_text=True)
    assert f"{api['total']} action" in html


def test_the_text_filters_actions_as_on_the_map(demo_client):
    data = demo_client.get("/api/v1/actions?q=jardin").get_json()
    everything = demo_client.get("/api/v1/actions").get_json()["total"]
    assert 1 <= data["total"] < everything


def test_errors_have_one_shape(client):
    response = client.get("/api/v1/actions?mode=nope&page=zero&per_page=1000")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == 400 and error["message"] == "Paramètres invalides."
    assert set(error["fields"]) == {"per_page"}  # the page size is read first
    response = client.get("/api/v1/actions?mode=nope&page=zero")
    assert set(response.get_json()["error"]["fields"]) == {"mode", "page"}
    missing = client.get("/api/v1/actions/999999")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == 404


def test_sensitive_actions_are_placed_at_the_commune_centre(client, session, make):
    action = make.action(location_precision="commune", latitude=43.70001, longitude=4.61234, address="3 impasse X")
    session.commit()
    data = client.get(f"/api/v1/actions/{action.id}").get_json()
    assert (data["latitude"], data["longitude"]) == (action.commune.latitude, action.commune.longitude)
    assert data["address"] is None


def test_action_detail_has_the_findings(client, session, make):
    action = make.action(themes=["Accès aux droits"])
    session.commit()
    data = client.get(f"/api/v1/actions/{action.id}").get_json()
    assert data["themes"] == ["Accès aux droits"]
    assert data["barriers"][0]["actor_category"] == "chef_service"
    assert data["effects"][0]["dimension"] == "groupe"


def test_drafts_are_not_in_the_api(client, session, make):
    draft = make.action(publication_status="en_attente")
    session.commit()
    assert client.get(f"/api/v1/actions/{draft.id}").status_code == 404


def test_the_directory_needs_an_account_and_names_only_listed_people(client, session, make):
    listed, unlisted = make.practitioner(last_name="Listée"), make.practitioner(last_name="Discret",
                                                                               consent_listed=False)
    student = make.user("etudiant")
    session.commit()
    refused = client.get("/api/v1/practitioners")
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == 401
    login(client, student)
    names = [p["last_name"] for p in client.get("/api/v1/practitioners").get_json()["items"]]
    assert "Listée" in names and "Discret" not in names
    assert client.get(f"/api/v1/practitioners/{unlisted.id}").status_code == 404
    assert client.get(f"/api/v1/practitioners/{listed.id}").get_json()["phone"] is None  # a student sees no phone


def test_former_routes_redirect_to_v1_with_their_query(client):
    for old, new in (("/api/actions?mode=dsl", "/api/v1/actions?mode=dsl"), ("/api/actions/7", "/api/v1/actions/7"),
                     ("/api/organisations?q=centre", "/api/v1/organisations?q=centre"),
                     ("/api/practitioners", "/api/v1/practitioners")):
        response = client.get(old)
        assert response.status_code == 308 and response.headers["Location"] == new


def test_the_openapi_document_describes_every_route_and_its_page_reads_it(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {"/api/v1/actions", "/api/v1/actions/{action_id}", "/api/v1/organisations",
                                      "/api/v1/organisations/{org_id}", "/api/v1/practitioners",
                                      "/api/v1/practitioners/{person_id}", "/api/v1/search"}
    modes = next(p for p in document["paths"]["/api/v1/actions"]["get"]["parameters"] if p["name"] == "mode")
    assert modes["schema"]["enum"] == ["groupe", "communautaire", "dsl"]
    assert document["components"]["schemas"]["ActionSummary"]["additionalProperties"] is False
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "GET /api/v1/actions/{action_id}" in page and "ActionDetail" in page
