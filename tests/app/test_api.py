"""The read-only JSON API: same filters as the pages, pagination, JSON errors, public fields only."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from kb.db import new_session
from kb.models import FieldAction, Territory


def _count(app, *where):
    with app.app_context(), new_session(app) as session:
        return session.exec(select(func.count()).select_from(FieldAction).where(
            FieldAction.publication_status.in_(("publiee", "archivee")), *where)).one()


def test_actions_are_paginated_and_counted(demo_app, demo_client):
    first = demo_client.get("/api/actions").get_json()
    assert first["total"] == _count(demo_app)
    assert len(first["resultats"]) == 20 and first["pages"] == -(-first["total"] // 20)
    second = demo_client.get("/api/actions?page=2").get_json()
    assert {a["id"] for a in first["resultats"]}.isdisjoint(a["id"] for a in second["resultats"])


def test_filters_match_the_database(demo_app, demo_client):
    with demo_app.app_context(), new_session(demo_app) as session:
        arles = session.exec(select(Territory).where(Territory.slug == "arles")).one()
    expected = _count(demo_app, FieldAction.territory_id == arles.id, FieldAction.mode == "dsl")
    data = demo_client.get("/api/actions?territory=arles&mode=dsl").get_json()
    assert data["total"] == expected > 0
    assert all(a["territoire"] == "arles" and a["mode"] == "dsl" for a in data["resultats"])


def test_pages_and_api_share_filters(demo_client):
    api = demo_client.get("/api/actions?territory=avignon&status=terminee").get_json()
    html = demo_client.get("/actions/?territory=avignon&status=terminee").get_data(as_text=True)
    assert f"{api['total']} action" in html


def test_bad_filters_are_a_json_400(client):
    response = client.get("/api/actions?mode=nope&page=zero")
    assert response.status_code == 400
    body = response.get_json()
    assert set(body["error"]["champs"]) == {"mode", "page"}


def test_sensitive_actions_are_placed_at_the_commune_centre(client, session, make):
    action = make.action(location_precision="commune", latitude=43.70001, longitude=4.61234, address="3 impasse X")
    session.commit()
    data = client.get(f"/api/actions/{action.id}").get_json()
    assert (data["latitude"], data["longitude"]) == (action.commune.latitude, action.commune.longitude)
    assert data["adresse"] is None


def test_action_detail_has_the_findings(client, session, make):
    action = make.action(themes=["Accès aux droits"])
    session.commit()
    data = client.get(f"/api/actions/{action.id}").get_json()
    assert data["themes"] == ["Accès aux droits"]
    assert data["freins"][0]["point_de_vue"] == "chef_service"
    assert data["effets"][0]["dimension"] == "groupe"


def test_drafts_are_not_in_the_api(client, session, make):
    draft = make.action(publication_status="en_attente")
    session.commit()
    assert client.get(f"/api/actions/{draft.id}").status_code == 404
