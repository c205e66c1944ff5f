"""Every page of a seeded database answers, in French, without a 500."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlmodel import select

from kb.db import new_session
from kb.models import FieldAction, Organisation, Practitioner, Tool
from tests.conftest import login


def _ids(app, model, where=None):
    with app.app_context(), new_session(app) as session:
        stmt = select(model.id)
        if where is not None:
            stmt = stmt.where(where)
        return list(session.exec(stmt))


def test_every_page_of_the_seeded_database(demo_app, demo_client):
    login(demo_client, SimpleNamespace(email="admin@demo.observatoire-isic.fr"), "demo-admin-2012")
    urls = ["/", "/a-propos", "/confidentialite", "/compte/", "/compte/mes-donnees", "/moderation/", "/admin/comptes", "/actions/", "/actions/nouvelle", "/organisations/", "/organisations/nouvelle",
            "/intervenants/", "/intervenants/nouveau", "/territoires/", "/territoires/marseille",
            "/territoires/avignon", "/territoires/arles", "/actions/?page=2", "/api/v1/actions", "/api/v1/organisations",
            "/api/v1/practitioners", "/outils/"]
    published = _ids(demo_app, FieldAction, FieldAction.publication_status == "publiee")
    urls += [f"/actions/{i}" for i in published] + [f"/actions/{i}/modifier" for i in published[:5]]
    urls += [f"/api/v1/actions/{i}" for i in published[:10]]
    urls += [f"/organisations/{i}" for i in _ids(demo_app, Organisation)]
    urls += [f"/outils/{i}" for i in _ids(demo_app, Tool)]
    urls += [f"/intervenants/{i}" for i in _ids(demo_app, Practitioner, Practitioner.consent_listed.is_(True))]
    failures = {url: r.status_code for url in urls if (r := demo_client.get(url)).status_code != 200}
    assert failures == {}


def test_home_shows_key_figures_and_latest_actions(demo_client):
    html = demo_client.get("/").get_data(as_text=True)
    assert "Chiffres clés" in html and "Dernières actions" in html
    assert html.count('class="card"') >= 6
    assert '<html lang="fr">' in html


@pytest.mark.parametrize("url", ["/nulle-part", "/actions/999999", "/organisations/999999", "/intervenants/999999",
                                 "/territoires/paris", "/actions/abc", "/moderation/versions/999999"])
def test_unknown_pages_get_a_french_404(client, editor, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_unknown_api_resource_is_a_json_404(client):
    response = client.get("/api/v1/actions/424242")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_unexpected_errors_show_a_french_500_page(app):
    @app.route("/boum")
    def boom():
        raise RuntimeError("boum")

    response = app.test_client().get("/boum")
    assert response.status_code == 500
    assert "erreur inattendue" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["mode=%3Cscript%3E", "year=abc", "page=0", "page=-3", "territory=%00",
                                   "commune=" + "x" * 5000, "theme=%E2%80%AE", "page=1e9"])
def test_no_query_string_produces_a_500(demo_client, query):
    for base in ("/actions/", "/organisations/", "/intervenants/", "/api/v1/actions", "/api/v1/practitioners",
                 "/territoires/arles"):
        assert demo_client.get(f"{base}?{query}").status_code < 500


def test_bad_filter_is_explained_next_to_the_field(demo_client):
    html = demo_client.get("/actions/?year=deux-mille").get_data(as_text=True)
    assert "L&#39;année doit être un nombre" in html


def test_drafts_are_not_listed(app, make, session, client):
    make.action(title="Brouillon confidentiel", publication_status="brouillon")
    make.action(title="Action publiée visible")
    session.commit()
    html = client.get("/actions/").get_data(as_text=True)
    assert "Action publiée visible" in html
    assert "Brouillon confidentiel" not in html
    assert client.get("/api/v1/actions").get_json()["total"] == 1


def test_navigation_marks_only_the_current_page(client):
    assert 'href="/a-propos" aria-current="page"' not in client.get("/").get_data(as_text=True)
    assert 'href="/a-propos" aria-current="page"' in client.get("/a-propos").get_data(as_text=True)
