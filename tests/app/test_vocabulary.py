"""Managed vocabularies: terms picked by name or synonym, proposals, edits, merges (links, redirects, search)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from kb.models import ActionRevision, Tag, TagAlias
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
    assert "Insertion professionnelle</a>" in page and "Jardinage solidaire (terme proposé)" in page
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
    listed = client.get("/api/v1/actions?public=jeunes").get_json()
    assert [a["id"] for a in listed["items"]] == [action.id]


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
    assert {a["id"] for a in client.get("/api/v1/actions?public=jeunes").get_json()["items"]} == {
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


def test_renaming_a_term_back_and_again_keeps_one_alias_per_name(session, make, client, editor):
    make.action(themes=["Alpha terme"])
    session.commit()
    for old, new in (("alpha-terme", "Beta terme"), ("beta-terme", "Alpha terme"), ("alpha-terme", "Gamma terme")):
        assert post_form(client, f"/vocabulaire/themes/{old}/modifier", {"name": new}).status_code == 302, new
    aliases = dict(session.exec(select(TagAlias.slug, TagAlias.tag_id).where(TagAlias.kind == "theme")).all())
    term = _term(session, "theme", "gamma-terme")
    assert aliases == {"alpha-terme": term.id, "beta-terme": term.id}
    assert client.get("/vocabulaire/themes/alpha-terme").status_code == 301
    make.action(themes=["Logement"])
    session.commit()
    assert post_form(client, "/vocabulaire/themes/gamma-terme/fusionner", {"target": "logement"}).status_code == 302
    assert client.get("/vocabulaire/themes/alpha-terme").headers["Location"].endswith("/vocabulaire/themes/logement")


@pytest.mark.parametrize("name, message", [
    ("\u200b\u200b\u200b", "Le nom doit contenir au moins une lettre ou un chiffre."),
    ("Jeunes, familles", "Un nom de terme ne contient ni virgule ni point-virgule"),
])
def test_a_term_name_must_be_a_name(client, editor, name, message):
    response = post_form(client, "/vocabulaire/publics/nouveau", {"name": name})
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_control_characters_are_refused_in_synonyms_and_definitions(client, editor):
    bad = post_form(client, "/vocabulaire/publics/nouveau", {"name": "Aidants", "synonyms": "Sy\x07n"})
    assert bad.status_code == 422 and "caractère de contrôle" in bad.get_data(as_text=True)
    bad = post_form(client, "/vocabulaire/publics/nouveau", {"name": "Aidants", "definition": "\x1b[31mrouge"})
    assert bad.status_code == 422 and "caractère de contrôle" in bad.get_data(as_text=True)


def test_names_of_every_script_get_their_own_term_and_page(session, client, editor):
    for name in ("日本語", "Nouveau", "ﬃ" * 100):
        assert post_form(client, "/vocabulaire/themes/nouveau", {"name": name}).status_code == 302, name
    slugs = sorted(t.slug for t in session.exec(select(Tag).where(Tag.kind == "theme")))
    assert slugs == ["ffi" * 33 + "f", "nouveau-terme", "日本語"]
    page = client.get("/vocabulaire/themes/nouveau-terme").get_data(as_text=True)
    assert "<h1>Nouveau</h1>" in page


def test_a_proposal_is_the_trainers_business_until_validated(app, session, make, client):
    pro, trainer = make.user("professionnel"), make.user("formateur")
    action = make.action(publics=["Famille Xyzzy du 3e étage"], author_id=pro.id)
    term = _term(session, "public", "famille-xyzzy-du-3e-etage")
    term.status = "proposee"
    session.commit()
    assert client.get("/vocabulaire/publics/famille-xyzzy-du-3e-etage").status_code == 404
    page = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Famille Xyzzy du 3e étage (terme proposé)" in page and "/vocabulaire/publics/famille-xyzzy" not in page
    login(client, trainer)
    assert client.get("/vocabulaire/publics/famille-xyzzy-du-3e-etage").status_code == 200
    make.action(publics=["Familles"])
    session.commit()
    refused = post_form(client, "/vocabulaire/publics/familles/fusionner", {"target": "famille-xyzzy-du-3e-etage"})
    assert refused.status_code == 422  # not into a proposal: its actions would leave the facets


def test_terms_brought_by_an_approved_edit_stay_proposals_of_its_author(app, session, make, client):
    from kb.forms.actions import action_form_values

    pro, trainer = make.user("professionnel"), make.user("formateur")
    action = make.action(title="Atelier couture", author_id=pro.id, themes=["Logement"])
    session.commit()
    login(client, pro)
    values = dict(action_form_values(action).lists())
    values["themes"] = "Logement, Thème tout neuf"
    assert post_form(client, f"/actions/{action.id}/modifier", values).status_code == 302
    moderator = app.test_client()
    login(moderator, trainer)
    revision = session.exec(select(ActionRevision).where(ActionRevision.action_id == action.id)).one()
    assert post_form(moderator, f"/moderation/versions/{revision.id}", {"decision": "accepter"}).status_code == 302
    term = _term(session, "theme", "theme-tout-neuf")
    assert term.status == "proposee" and term.proposed_by_id == pro.id
