"""The search page and API: French matching, approximate results, highlights, facets, safety."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from markupsafe import escape
from sqlalchemy import func
from sqlalchemy.orm import selectinload
from sqlmodel import select

from kb import policy
from kb.models import ActionTag, Cahier, FieldAction, Practitioner, Tag, Territory, Tool
from kb.models.choices import PUBLICATION_STATUSES


def _titles(client, query: str, **args) -> list[str]:
    response = client.get("/api/search", query_string={"q": query, **args})
    assert response.status_code == 200, response.get_json()
    return [hit["title"] for hit in response.get_json()["results"]]


@pytest.fixture
def corpus(make, session):
    """A few actions whose write-ups hold the French forms the tests look for."""
    texts = {
        "Évaluation partagée au Trébon": "Nous avons conduit une évaluation participative avec les habitantes.",
        "Jardin de Griffeuille": "Les freins institutionnels ont retardé l'ouverture du jardin.",
        "Conseil citoyen de Barriol": "Une démarche de développement social local portée par le CCAS.",
        "Chantier d'insertion du Pont-de-Crau": "La mise en œuvre du chantier a mobilisé les familles.",
        "Permanence d'accès aux droits": "Faciliter l’accès aux droits des allocataires du RSA.",
        "Groupe de parole des aidants": "Animé par une éducateur·rice spécialisé·e et une CESF.",
    }
    for title, writeup in texts.items():
        action = make.action(title=title, summary="Action collective à Arles.", writeup=writeup)
        action.effects, action.barriers, action.levers = [], [], []
    session.commit()
    return texts


@pytest.mark.parametrize(("query", "expected"), [
    ("evaluations", "Évaluation partagée au Trébon"),
    ("évalu*", "Évaluation partagée au Trébon"),
    ("frein institutionnel", "Jardin de Griffeuille"),
    ('"developpement social local"', "Conseil citoyen de Barriol"),
    ('"développement social local"', "Conseil citoyen de Barriol"),
    ("oeuvre", "Chantier d'insertion du Pont-de-Crau"),
    ("l'acces", "Permanence d'accès aux droits"),
    ("acces", "Permanence d'accès aux droits"),
    ("éducatrice", "Groupe de parole des aidants"),
    ("educateur", "Groupe de parole des aidants"),
    ("RSA", "Permanence d'accès aux droits"),
])
def test_french_forms_of_a_word_find_the_write_up(client, corpus, query, expected):
    titles = _titles(client, query, kind="action")
    assert expected in titles
    assert len(titles) < len(corpus), f"{query!r} should not match every action"


def test_barriers_recorded_on_an_action_are_searchable_by_kind(client, make, session):
    from kb.models import Barrier

    action = make.action(title="Café des parents", writeup="Un café chaque jeudi matin.")
    action.barriers = [Barrier(kind="financier", actor_category="direction", description="La subvention a baissé.")]
    session.commit()
    assert _titles(client, "freins financiers") == ["Café des parents"]


def test_results_page_highlights_the_matched_words(client, corpus):
    page = client.get("/recherche", query_string={"q": "freins institutionnels"}).get_data(as_text=True)
    assert "Jardin de Griffeuille" in page
    assert "<mark>freins</mark> <mark>institutionnels</mark>" in page
    assert "1 résultat pour « freins institutionnels »" in page


def test_missing_word_gives_labelled_approximate_results(client, corpus):
    page = client.get("/recherche", query_string={"q": "freins institutionnels zorglub"}).get_data(as_text=True)
    assert "Aucun document ne contient tous les mots" in page
    assert "zorglub" in page and "approchant" in page
    assert "Jardin de Griffeuille" in page
    data = client.get("/api/search", query_string={"q": "freins institutionnels zorglub"}).get_json()
    assert data["approximate"] is True and data["unmatched_terms"] == ["zorglub"]


def test_query_that_nothing_answers_says_so(client, corpus):
    page = client.get("/recherche", query_string={"q": "zorglub"}).get_data(as_text=True)
    assert "Aucun résultat pour « zorglub »" in page
    assert 'class="hit"' not in page


def test_misspelling_offers_a_correction(client, corpus):
    page = client.get("/recherche", query_string={"q": "evaluatoin"}).get_data(as_text=True)
    assert "Vouliez-vous dire" in page and "/recherche?q=evaluation" in page


def test_empty_query_browses_every_visible_document(demo_client, demo_app):
    from kb.db import new_session
    from kb.indexing.documents import count_documents

    data = demo_client.get("/api/search").get_json()
    with new_session(demo_app) as session:
        drafts = session.exec(select(func.count()).select_from(FieldAction).where(
            FieldAction.publication_status.not_in(("publiee", "archivee")))).one()
        total = count_documents(session)
        not_listed = session.exec(select(func.count()).select_from(Practitioner).where(
            Practitioner.consent_listed.is_(False))).one()
        proposed_tools = session.exec(select(func.count()).select_from(Tool).where(
            Tool.publication_status != "publiee")).one()
        draft_cahiers = session.exec(select(func.count()).select_from(Cahier).where(Cahier.status != "publie")).one()
    assert not_listed > 0 and drafts > 0 and proposed_tools > 0 and draft_cahiers > 0  # the demo holds each
    # Anonymous visitors see neither drafts (of actions or cahiers), nor tools waiting for the team, nor the
    # directory (listed practitioners: signed-in users only).
    listed = total - drafts - not_listed - proposed_tools - draft_cahiers - data["total"]
    assert "cahier" in {row["value"] for row in data["facets"]["kind"]}
    assert data["facets"]["kind"] and "practitioner" not in {row["value"] for row in data["facets"]["kind"]}
    with new_session(demo_app) as session:
        assert listed == session.exec(select(func.count()).select_from(Practitioner).where(
            Practitioner.consent_listed.is_(True))).one()
    assert demo_client.get("/recherche").status_code == 200


@pytest.mark.parametrize("query", ["", "jeunes"])
def test_facet_counts_match_the_database(demo_client, demo_app, query):
    from kb.db import new_session

    data = demo_client.get("/api/search", query_string={"kind": "action", "q": query}).get_json()
    ids = [int(hit["id"].split(":")[1]) for hit in data["results"]]
    for page in range(2, data["pages"] + 1):
        more = demo_client.get("/api/search", query_string={"kind": "action", "q": query, "page": page}).get_json()
        ids += [int(hit["id"].split(":")[1]) for hit in more["results"]]
    assert len(ids) == data["total"] > 20
    with new_session(demo_app) as session:
        actions = session.exec(select(FieldAction).where(FieldAction.id.in_(ids)).options(
            selectinload(FieldAction.barriers), selectinload(FieldAction.effects), selectinload(FieldAction.tools))).all()
        slugs = dict(session.exec(select(Territory.id, Territory.slug)).all())
        tags = session.exec(select(ActionTag.action_id, Tag.kind, Tag.slug).join(Tag, Tag.id == ActionTag.tag_id)
                            .where(ActionTag.action_id.in_(ids))).all()
    expected = {
        "mode": Counter(a.mode for a in actions), "status": Counter(a.status for a in actions),
        "territory": Counter(slugs[a.territory_id] for a in actions if a.territory_id),
        "commune": Counter(a.commune_insee for a in actions if a.commune_insee),
        "year": Counter(str(a.year) for a in actions if a.year),
        "publics": Counter(slug for _, kind, slug in tags if kind == "public"),
        "themes": Counter(slug for _, kind, slug in tags if kind == "theme"),
        "barrier_kinds": Counter(k for a in actions for k in {b.kind for b in a.barriers}),
        "actors": Counter(c for a in actions for c in {b.actor_category for b in a.barriers}),
        "dimensions": Counter(d for a in actions for d in {e.dimension for e in a.effects}),
        "has_tool": Counter("oui" if a.tools else "non" for a in actions),
    }
    for name, counts in expected.items():
        assert {row["value"]: row["count"] for row in data["facets"][name]} == dict(counts), name
    assert all(policy.is_public(a) for a in actions)


def test_the_page_and_the_api_give_the_same_results_and_facets(demo_client):
    data = demo_client.get("/api/search", query_string={"q": "familles isolement"}).get_json()
    page = demo_client.get("/recherche", query_string={"q": "familles isolement"}).get_data(as_text=True)
    positions = [page.find(str(escape(hit["title"]))) for hit in data["results"]]
    assert len(positions) == 20 and -1 not in positions and positions == sorted(positions)
    assert f'<p class="count">{data["total"]} résultats pour « familles isolement »' in page
    links = dict(re.findall(r'<a href="(/recherche\?[^"]*)"[^>]*>\s*[^<]*</a> <span class="facet-count">\((\d+)\)',
                            page))
    for row in data["facets"]["territory"]:  # each count is a link that adds the filter and keeps the query
        href = next(h for h in links if f"territory={row['value']}" in h)
        assert "q=familles" in href and links[href] == str(row["count"])


@pytest.mark.parametrize("status", PUBLICATION_STATUSES)
@pytest.mark.parametrize("hidden", [False, True])
def test_search_and_pages_share_one_visibility_rule(status, hidden):
    action = FieldAction(title="t", publication_status=status,
                         hidden_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) if hidden else None)
    assert (policy.action_visibility(action) == "public") == policy.is_public(action)
    assert policy.is_public(action) == (status in ("publiee", "archivee") and not hidden)


@pytest.mark.parametrize("path", ["/", "/actions/", "/carte", "/agenda", "/pairs", "/compte/connexion"])
def test_every_page_offers_the_search_box(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'<form class="site-search" role="search" aria-label="[^"]+" action="/recherche" method="get">', page)
    assert '<label for="site-q"' in page and 'id="site-q" type="search" name="q"' in page


def test_facet_filters_combine_with_the_query(demo_client):
    everything = demo_client.get("/api/search", query_string={"q": "freins"}).get_json()
    groupe = next(row for row in everything["facets"]["mode"] if row["value"] == "groupe")
    narrowed = demo_client.get("/api/search", query_string={"q": "freins", "mode": "groupe"}).get_json()
    assert narrowed["total"] == groupe["count"]
    assert {hit["mode"] for hit in narrowed["results"]} == {"groupe"}
    page = demo_client.get("/recherche", query_string={"q": "freins", "mode": "groupe"}).get_data(as_text=True)
    assert "Filtres actifs" in page and "Retirer le filtre Travail social de groupe" in page


def test_sort_by_date_puts_newest_first(demo_client):
    data = demo_client.get("/api/search", query_string={"q": "quartier", "kind": "action", "sort": "date"}).get_json()
    dates = [hit["date"] for hit in data["results"] if hit["date"]]
    assert len(dates) > 5 and dates == sorted(dates, reverse=True)


def test_pagination_keeps_the_query(demo_client):
    first = demo_client.get("/api/search", query_string={"q": "familles"}).get_json()
    assert first["pages"] > 1
    second = demo_client.get("/api/search", query_string={"q": "familles", "page": 2}).get_json()
    assert {h["id"] for h in first["results"]}.isdisjoint({h["id"] for h in second["results"]})
    page = demo_client.get("/recherche", query_string={"q": "familles"}).get_data(as_text=True)
    assert "page=2" in page and "q=familles" in page


@pytest.mark.parametrize("query", ['"unbalanced', "AND", "OR OR", "-", "*", "évalu**", "(", "a" * 2000, "x\x00y\x1f",
                                   "NOT (", "title:foo", "é" * 3000])
def test_odd_input_gives_a_page_never_an_error(client, corpus, query):
    response = client.get("/recherche", query_string={"q": query})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<div role="status">' in page and "Traceback" not in page
    api = client.get("/api/search", query_string={"q": query})
    # Past 2,000 characters the page searches the start and says so; the API refuses with a JSON error.
    assert api.status_code == (400 if len(query) > 2000 else 200)
    assert ("error" in api.get_json()) == (len(query) > 2000)


@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF%FE", "%00", "%22%22%22"])
def test_undecodable_bytes_in_the_query_string_give_a_page(client, corpus, raw):
    assert client.get(f"/recherche?q={raw}").status_code == 200
    assert client.get(f"/api/search?q={raw}").status_code == 200


def test_bad_parameters_are_reported(client, corpus):
    response = client.get("/api/search", query_string={"page": "abc"})
    assert response.status_code == 400
    assert "page" in response.get_json()["error"]["champs"]
    page = client.get("/recherche", query_string={"page": "-3", "sort": "hasard"}).get_data(as_text=True)
    assert "Ordre de tri inconnu" in page and "numéro de page" in page


def test_user_text_in_results_is_escaped(client, make, session):
    make.action(title="<script>alert(1)</script> Atelier", writeup="Un <img src=x onerror=alert(2)> atelier mosaïque.")
    session.commit()
    page = client.get("/recherche", query_string={"q": "mosaïque"}).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<img src=x" not in page


def test_drafts_and_unlisted_people_are_never_found(client, make, session):
    make.action(title="Brouillon confidentiel", writeup="Projet xylophone en préparation.",
                publication_status="brouillon")
    make.action(title="En attente", writeup="Projet xylophone soumis.", publication_status="en_attente")
    make.practitioner(first_name="Zénobie", last_name="Quarante", consent_listed=False)
    make.action(title="Publiée", writeup="Projet xylophone ouvert à tous.")  # the index does answer
    session.commit()
    assert _titles(client, "xylophone") == ["Publiée"]
    assert _titles(client, "Zénobie") == []
    assert "Brouillon confidentiel" not in client.get("/recherche?q=xylophone").get_data(as_text=True)


@pytest.mark.parametrize("role", ["etudiant", "professionnel", "formateur", "admin"])
def test_drafts_are_never_found_whoever_searches(client, make, session, sign_in, role):
    make.action(title="Brouillon confidentiel", writeup="Projet marimba en préparation.",
                publication_status="brouillon")
    make.action(title="En attente de relecture", writeup="Projet marimba soumis.", publication_status="en_attente")
    make.action(title="Publiée", writeup="Projet marimba ouvert à tous.")
    session.commit()
    sign_in(role)
    assert _titles(client, "marimba") == ["Publiée"]  # moderators review drafts in the moderation queue


def test_similar_actions_are_shown_on_an_action_page(demo_client, demo_app):
    from kb.db import new_session

    with new_session(demo_app) as session:
        action = session.exec(select(FieldAction).where(FieldAction.publication_status == "publiee")).first()
    page = demo_client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Actions similaires" in page
    section = page.split("Actions similaires", 1)[1].split("</section>", 1)[0]
    assert section.count("<li>") >= 3
    assert f'href="/actions/{action.id}"' not in section


def test_matching_action_ids_feed_the_map_of_search_results(app, corpus, make, session):
    from kb import indexing
    from kb.policy import ANONYMOUS
    from kb.services.search import matching_action_ids

    make.action(title="Jardin brouillon", writeup="Des freins institutionnels encore.", publication_status="brouillon")
    session.commit()
    indexing.sync(app)
    index = indexing.get_index(app)
    ids = matching_action_ids(index, "freins institutionnels", ANONYMOUS)
    assert [session.get(FieldAction, i).title for i in ids] == ["Jardin de Griffeuille"]
    assert matching_action_ids(index, "  ", ANONYMOUS) is None
    assert matching_action_ids(index, "zorglub", ANONYMOUS) == []


def test_findings_facets_filter_like_the_action_list(demo_client):
    """Barrier kind, actor category, effect dimension, has a tool: the same actions in search, list and API."""
    for search_args, list_args in [({"barrier_kinds": "financier"}, {"barrier_kind": "financier"}),
                                   ({"actors": "direction"}, {"actor": "direction"}),
                                   ({"dimensions": "territoire"}, {"dimension": "territoire"}),
                                   ({"has_tool": "oui"}, {"has_tool": "oui"}),
                                   ({"has_tool": "non"}, {"has_tool": "non"})]:
        found = demo_client.get("/api/search", query_string={"kind": "action", **search_args}).get_json()
        listed = demo_client.get("/api/v1/actions", query_string=list_args).get_json()
        assert found["total"] == listed["total"] > 0, search_args
        page = demo_client.get("/actions/", query_string=list_args).get_data(as_text=True)
        assert f'{listed["total"]} action' in page
        on_map = demo_client.get("/carte", query_string=list_args).get_data(as_text=True)
        assert f'{listed["total"]} action{"s" if listed["total"] != 1 else ""} sur la carte' in on_map
    everything = demo_client.get("/api/v1/actions").get_json()["total"]
    with_tool = demo_client.get("/api/v1/actions", query_string={"has_tool": "oui"}).get_json()["total"]
    without = demo_client.get("/api/v1/actions", query_string={"has_tool": "non"}).get_json()["total"]
    assert with_tool + without == everything and with_tool > 0 and without > 0


def test_a_bad_findings_filter_is_a_french_400_on_the_api_and_a_message_on_the_list(demo_client):
    answer = demo_client.get("/api/v1/actions", query_string={"barrier_kind": "inconnu"})
    assert answer.status_code == 400 and "Type de frein inconnu." in answer.get_data(as_text=True)
    page = demo_client.get("/actions/", query_string={"has_tool": "peut-etre"}).get_data(as_text=True)
    assert "Choisissez « oui » ou « non » pour les outils." in page


def test_search_finds_actions_by_the_words_of_their_tags_above_passing_mentions(session, make, client):
    tagged = [make.action(title=f"Chantier éducatif {n}", publics=["Jeunes"], themes=["Insertion professionnelle"])
              for n in range(3)]
    passing = make.action(title="Fête de quartier", summary="Une fête de quartier préparée pendant trois mois avec "
                          "les habitant·es, les associations et le centre social ; des jeunes y ont parlé "
                          "d'insertion avec les éducateurs de prévention.")
    other = make.action(title="Atelier cuisine", publics=["Familles"])
    session.commit()
    found = client.get("/api/search", query_string={"q": "insertion des jeunes", "kind": "action"}).get_json()
    ids = [hit["id"] for hit in found["results"]]
    assert set(ids[:3]) == {f"action:{a.id}" for a in tagged}
    assert f"action:{passing.id}" in ids[3:] and f"action:{other.id}" not in ids
    by_kind = client.get("/api/search", query_string={"q": "frein institutionnel", "kind": "action"}).get_json()
    assert {hit["id"] for hit in by_kind["results"]} >= {f"action:{a.id}" for a in tagged}


def test_a_public_named_in_full_finds_every_action_carrying_it_first(demo_app, demo_client):
    from kb.db import new_session

    with new_session(demo_app) as session:
        carrying = set(session.exec(
            select(ActionTag.action_id).join(Tag, Tag.id == ActionTag.tag_id).join(
                FieldAction, FieldAction.id == ActionTag.action_id)
            .where(Tag.slug == "jeunes-de-16-a-25-ans", FieldAction.publication_status.in_(("publiee", "archivee")),
                   FieldAction.hidden_at.is_(None))).all())
    found = demo_client.get("/api/search", query_string={"q": "Jeunes de 16 à 25 ans", "kind": "action"}).get_json()
    ranked = [int(hit["id"].split(":")[1]) for hit in found["results"]]
    assert len(carrying) >= 8 and set(ranked[:len(carrying)]) == carrying


def test_a_search_opens_the_dashboard_of_its_actions(demo_client):
    page = demo_client.get("/recherche", query_string={"q": "évaluation", "territory": "arles"}).get_data(as_text=True)
    link = re.search(r'href="(/observatoire/\?[^"]+)">Ce que l', page).group(1).replace("&amp;", "&")
    assert "territory=arles" in link and "q=%C3%A9valuation" in link
    dashboard = demo_client.get(link).get_data(as_text=True)
    searched = demo_client.get("/api/search", query_string={"q": "évaluation", "territory": "arles",
                                                            "kind": "action"}).get_json()["total"]
    assert f"({searched} avec ces critères)" in dashboard
