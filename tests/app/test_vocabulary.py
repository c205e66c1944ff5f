"""Managed vocabularies: terms picked by name or synonym, proposals, edits, merges (links, redirects, search)."""

from __future__ import annotations

from sqlmodel import select

from kb.models import Tag, TagAlias
from tests.app.test_moderation import FORM, _action_id
from tests.conftest import login, post_form


def _term(session, kind: str, slug: str) -> Tag | None:
    session.expire_all()
    return session.exec(select(Tag).where(Tag.kind == kind, Tag.slug == slug)).first()


def test_autocomplete_offers_validated_terms_by_label_and_synonym(session, make, client):
    make.action(publics=["Jeunes de 16 à 25 ans", "Familles"], themes=["Insertion professionnelle"])
    _term(session, "theme", "insertion-professionnelle").synonyms = "Insertion pro\nEmploi"
    make.action(publics=["Public proposé"])
    _term(session, "public", "public-propose").status = "proposee"
    session.commit()
    found = client.get("/api/vocabulaire/publics?q=jeun").get_json()
    assert found["termes"] == [{"slug": "jeunes-de-16-a-25-ans", "label": "Jeunes de 16 à 25 ans", "synonyme": None,
                                "definition": None}]
    by_synonym = client.get("/api/vocabulaire/themes?q=emploi").get_json()["termes"]
    assert [(t["label"], t["synonyme"]) for t in by_synonym] == [("Insertion professionnelle", "Emploi")]
    assert [t["label"] for t in client.get("/api/vocabulaire/publics?q=").get_json()["termes"]] == [
        "Familles", "Jeunes de 16 à 25 ans"]  # a proposal is not offered
    assert client.get("/api/vocabulaire/publics?q=propos").get_json()["termes"] == []
    unknown = client.get("/api/vocabulaire/metiers?q=a")
    assert unknown.status_code == 404 and "Liste inconnue" in unknown.get_json()["error"]["message"]


def test_a_name_typed_in_the_form_picks_the_term_of_that_synonym_and_an_unknown_one_is_proposed(app, client, session,
                                                                                                make):
    make.action(themes=["Insertion professionnelle"])
    _term(session, "theme", "insertion-professionnelle").synonyms = "Insertion pro"
    trainer, pro = make.user("formateur"), make.user("professionnel")
    session.commit()
    login(client, pro)
    response = post_form(client, "/actions/nouvelle", {**FORM, "themes": "insertion PRO, Jardinage solidaire"})
    action_id = _action_id(response)
    assert _term(session, "theme", "insertion-pro") is None  # no duplicate of the term
    proposed = _term(session, "theme", "jardinage-solidaire")
    assert proposed.status == "proposee" and proposed.proposed_by_id == pro.id
    page = client.get(f"/actions/{action_id}").get_data(as_text=True)
    assert "Insertion professionnelle</a>" in page and "Jardinage solidaire</a> (terme proposé)" in page
    assert "jardinage-solidaire" not in client.get("/actions/").get_data(as_text=True)  # not a filter yet
    moderator = app.test_client()
    login(moderator, trainer)
    assert "Jardinage solidaire" in moderator.get("/moderation/").get_data(as_text=True)
    assert post_form(moderator, "/vocabulaire/themes/jardinage-solidaire/valider", {}).status_code == 302
    assert _term(session, "theme", "jardinage-solidaire").status == "validee"
    offered = client.get("/api/vocabulaire/themes?q=jardin").get_json()["termes"]
    assert [t["label"] for t in offered] == ["Jardinage solidaire"]  # now offered to every author


def test_trainers_edit_a_term_and_a_new_name_keeps_the_old_links(session, make, client, editor):
    action = make.action(publics=["Jeunes"])
    session.commit()
    response = post_form(client, "/vocabulaire/publics/jeunes/modifier", {
        "name": "Jeunes de 16 à 25 ans", "definition": "Jeunes suivis par la mission locale.",
        "synonyms": "16-25 ans\nJeunes adultes"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/vocabulaire/publics/jeunes-de-16-a-25-ans")
    term = _term(session, "public", "jeunes-de-16-a-25-ans")
    assert term.synonym_list == ["16-25 ans", "Jeunes adultes"] and term.definition.startswith("Jeunes suivis")
    old = client.get("/vocabulaire/publics/jeunes")
    assert old.status_code == 301 and old.headers["Location"].endswith("/vocabulaire/publics/jeunes-de-16-a-25-ans")
    listed = client.get("/api/actions?public=jeunes").get_json()
    assert [a["id"] for a in listed["resultats"]] == [action.id]


def test_a_term_form_refuses_a_name_or_synonym_already_taken_and_keeps_what_was_typed(session, make, client, editor):
    make.action(publics=["Familles", "Parents"])
    session.commit()
    taken = post_form(client, "/vocabulaire/publics/nouveau", {"name": "familles", "synonyms": "Foyers"})
    assert taken.status_code == 422
    html = taken.get_data(as_text=True)
    assert "« familles » est déjà le nom, un synonyme ou un ancien nom de « Familles »." in html
    assert 'value="familles"' in html and "Foyers</textarea>" in html
    clash = post_form(client, "/vocabulaire/publics/familles/modifier", {"name": "Familles", "synonyms": "Parents"})
    assert clash.status_code == 422
    assert "« Parents » désigne déjà « Parents » : fusionnez plutôt les deux termes." in clash.get_data(as_text=True)
    empty = post_form(client, "/vocabulaire/publics/nouveau", {"name": ""})
    assert empty.status_code == 422 and "Ce champ est obligatoire." in empty.get_data(as_text=True)


def test_merging_moves_every_link_redirects_the_old_url_and_search_follows(session, make, client, editor):
    both = make.action(title="Chantier éducatif", publics=["Jeunes", "Jeunes de 16 à 25 ans"])
    only_old = make.action(title="Boxe éducative", publics=["Jeunes"])
    only_new = make.action(title="Mission locale mobile", publics=["Jeunes de 16 à 25 ans"])
    session.commit()
    before = client.get("/api/search?publics=jeunes&kind=action").get_json()
    assert before["total"] == 2
    response = post_form(client, "/vocabulaire/publics/jeunes/fusionner", {"target": "jeunes-de-16-a-25-ans"})
    assert response.status_code == 302
    assert _term(session, "public", "jeunes") is None
    target = _term(session, "public", "jeunes-de-16-a-25-ans")
    assert "Jeunes" in target.synonym_list
    for action in (both, only_old, only_new):
        session.refresh(action)
        assert [t.slug for t in action.tags_of("public")] == ["jeunes-de-16-a-25-ans"], action.title
    assert session.exec(select(TagAlias.tag_id).where(TagAlias.slug == "jeunes")).one() == target.id
    old = client.get("/vocabulaire/publics/jeunes")
    assert old.status_code == 301 and old.headers["Location"].endswith("/vocabulaire/publics/jeunes-de-16-a-25-ans")
    assert {a["id"] for a in client.get("/api/actions?public=jeunes").get_json()["resultats"]} == {
        both.id, only_old.id, only_new.id}
    found = client.get("/api/search?publics=jeunes-de-16-a-25-ans&kind=action").get_json()
    assert found["total"] == 3
    assert [(f["value"], f["count"]) for f in found["facets"]["publics"]] == [("jeunes-de-16-a-25-ans", 3)]
    facet = client.get("/recherche?publics=jeunes")
    assert facet.status_code == 301 and "publics=jeunes-de-16-a-25-ans" in facet.headers["Location"]
    by_old_name = client.get("/api/search?q=jeunes&kind=action").get_json()
    assert {r["id"] for r in by_old_name["results"]} >= {f"action:{a.id}" for a in (both, only_old, only_new)}


def test_a_merge_needs_another_term_of_the_same_list(session, make, client, editor):
    make.action(publics=["Familles"], themes=["Logement"])
    session.commit()
    page = client.get("/vocabulaire/publics/familles/fusionner").get_data(as_text=True)
    assert "logement" not in page  # only publics are offered
    refused = post_form(client, "/vocabulaire/publics/familles/fusionner", {"target": "logement"})
    assert refused.status_code == 422 and "Choisissez un terme de la liste." in refused.get_data(as_text=True)
    assert _term(session, "public", "familles") is not None


def test_search_finds_actions_by_a_synonym_of_their_term(session, make, client, editor):
    action = make.action(title="Permanence administrative", themes=["Accès aux droits"])
    session.commit()
    assert post_form(client, "/vocabulaire/themes/acces-aux-droits/modifier", {
        "name": "Accès aux droits", "synonyms": "Non-recours"}).status_code == 302
    found = client.get("/api/search?q=non-recours&kind=action").get_json()
    assert [r["id"] for r in found["results"]] == [f"action:{action.id}"]


def test_deleting_a_proposal_removes_it_from_its_actions(session, make, client, editor):
    action = make.action(publics=["Familles", "Gens pressés"])
    _term(session, "public", "gens-presses").status = "proposee"
    session.commit()
    assert post_form(client, "/vocabulaire/publics/gens-presses/supprimer", {}).status_code == 302
    session.refresh(action)
    assert [t.name for t in action.tags] == ["Familles"]
