"""Les cahiers de l'observatoire: composing, consent, the identifying-details check, publishing frozen, the PDF
(read back with a PDF text extractor), the listing, search, the home page and the Atom feed."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from kb.errors import DomainError
from kb.forms.cahiers import CahierInput, SectionInput, parse_section_form
from kb.models import ActionRevision, Cahier, FieldAction, Presentation, Workshop, WorkshopSession
from kb.policy import Viewer
from kb.services import cahiers as services
from tests.conftest import post_form

TEAM = Viewer(role="formateur", user_id=None)
AGREED = datetime(2012, 5, 1, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


def new_cahier(session, number: int = 1, **fields) -> Cahier:
    data = CahierInput(number=number, title=fields.pop("title", "Agir avec les habitant·es"),
                       issue_date=fields.pop("issue_date", date(2012, 12, 14)), **fields)
    return services.save_cahier(session, data, TEAM)


def add(session, cahier, kind: str, **fields):
    return services.add_section(session, cahier, SectionInput(kind=kind, **fields))


@pytest.fixture
def world(session, make):
    """Actions with and without their authors' agreement, a listed and an unlisted practitioner, a session."""
    listed = make.practitioner(first_name="Inès", last_name="Nommée")
    unlisted = make.practitioner(first_name="Paul", last_name="Discret", consent_listed=False)
    agreed = make.action(title="Jardin partagé des Tamaris", people=[(listed, "porteur"), (unlisted, "porteur")],
                         cahiers_consent_at=AGREED)
    refused = make.action(title="Atelier cuisine sans accord")
    draft = make.action(title="Projet encore en brouillon", publication_status="brouillon", cahiers_consent_at=AGREED)
    workshop = Workshop(name="Groupe ISIC 2012 — Marseille", year=2012)
    session.add(workshop)
    session.flush()
    meeting = WorkshopSession(workshop_id=workshop.id, day=date(2012, 2, 24), half_day="am", place="IMF Marseille")
    session.add(meeting)
    session.flush()
    session.add_all([Presentation(session_id=meeting.id, action_id=agreed.id, position=1, presenters=[listed, unlisted],
                                  learnt="Le temps long compte.", questions="Qui décide ?"),
                     Presentation(session_id=meeting.id, action_id=refused.id, position=2,
                                  learnt="Texte d'une action sans accord.")])
    tool = make.tool(title="Grille des effets")
    unpublished_tool = make.tool(title="Outil proposé", publication_status="en_attente")
    session.commit()
    return {"agreed": agreed, "refused": refused, "draft": draft, "meeting": meeting, "tool": tool,
            "unpublished_tool": unpublished_tool, "listed": listed, "unlisted": unlisted}


# The identifier, the citation


def test_the_identifier_has_the_issn_check_character():
    assert services.identifier(2012, 1) == "2012-001X"
    assert services.identifier(317, 847) == "0317-8471"  # the ISSN standard's own example
    assert services.identifier(2026, 2) == "2026-0024"


# Composing and consent


def test_only_actions_whose_authors_agreed_appear_and_only_listed_people_are_named(session, world):
    cahier = new_cahier(session)
    for action in ("agreed", "refused"):
        add(session, cahier, "action", ref_id=world[action].id)
    add(session, cahier, "seance", ref_id=world["meeting"].id)
    data = services.compose(session, cahier)

    assert [s["title"] for s in data["sections"]] == ["Jardin partagé des Tamaris",
                                                      "Séance du 24/02/2012 — Groupe ISIC 2012 — Marseille"]
    action = data["sections"][0]["action"]
    assert action["people"] == ["Inès Nommée"]  # Paul did not agree to be listed
    synthesis = data["sections"][1]["session"]["presentations"]
    assert [(p["action"], p["presenters"]) for p in synthesis] == [("Jardin partagé des Tamaris", ["Inès Nommée"])]
    assert data["contributors"] == ["Inès Nommée"]
    assert data["left_out"] == [
        "Section 2 : l'action « Atelier cuisine sans accord » n'a pas l'accord de ses auteur·rices pour les cahiers ; "
        "elle n'apparaît pas.",
        "Section 3 : une présentation est omise (l'action n'est pas publiée ou ses auteur·rices n'ont pas donné leur "
        "accord pour les cahiers)."]
    assert "Discret" not in repr(data) and "sans accord." not in repr(data)


def test_an_action_unpublished_after_it_was_chosen_is_left_out(session, world):
    cahier = new_cahier(session)
    add(session, cahier, "action", ref_id=world["agreed"].id)
    world["agreed"].publication_status = "brouillon"
    session.flush()
    data = services.compose(session, cahier)
    assert data["sections"] == []
    assert data["left_out"] == ["Section 1 : l'action « Jardin partagé des Tamaris » n'est plus publiée ; "
                                "elle n'apparaît pas."]


def test_only_published_actions_and_tools_can_be_chosen(session, world):
    cahier = new_cahier(session)
    with pytest.raises(DomainError, match="Seule une action publiée"):
        add(session, cahier, "action", ref_id=world["draft"].id)
    with pytest.raises(DomainError, match="Seul un outil publié"):
        add(session, cahier, "outil", ref_id=world["unpublished_tool"].id)
    with pytest.raises(DomainError, match="n'existe plus"):
        add(session, cahier, "action", ref_id=999_999)
    with pytest.raises(DomainError, match="tableau de chiffres n'existe pas"):
        add(session, cahier, "chiffres", figure="inconnu")
    choices_ = services.section_choices(session)
    assert (world["refused"].id, "Atelier cuisine sans accord (sans accord pour les cahiers)") in choices_["actions"]
    assert world["draft"].id not in [i for i, _ in choices_["actions"]]
    assert [title for _, title in choices_["tools"]] == ["Grille des effets"]


def test_sections_move_and_go_and_a_number_is_taken_once(session, world):
    cahier = new_cahier(session)
    first = add(session, cahier, "action", ref_id=world["agreed"].id)
    second = add(session, cahier, "outil", ref_id=world["tool"].id)
    third = add(session, cahier, "chiffres", figure="actions-par-territoire")
    services.move_section(session, cahier, third.id, -1)
    assert [s.id for s in cahier.sections] == [first.id, third.id, second.id]
    services.move_section(session, cahier, first.id, -1)  # already first: nothing moves
    services.remove_section(session, cahier, third.id)
    assert [s.id for s in cahier.sections] == [first.id, second.id]
    with pytest.raises(DomainError, match="numéro 1 est déjà pris") as refused:
        new_cahier(session, 1, title="Un autre cahier")
    assert refused.value.field == "number"


def test_a_figures_section_keeps_its_filters_and_counts_the_actions_they_keep(session, make, world):
    for year in (2010, 2011, 2012):
        make.action(title=f"Action ancienne {year}", start_date=date(year, 3, 1))
    make.action(title="Action récente", start_date=date(2020, 3, 1))
    form = {"kind": "chiffres", "figure": "actions-par-annee", "year_to": "2012", "mode": ""}
    parsed = parse_section_form(form)
    assert parsed.ok and parsed.data.filters == {"year_to": "2012"}
    cahier = new_cahier(session)
    services.add_section(session, cahier, parsed.data)
    figure = services.compose(session, cahier)["sections"][0]["figure"]
    assert figure["filters"] == "Jusqu'à : 2012"
    years = [r["label"] for r in figure["table"]["rows"] if r["key"] != "total"]
    assert "2020" not in years and {"2010", "2011", "2012"} <= set(years)


def test_a_figures_section_form_reports_bad_filters_in_french():
    assert parse_section_form({"kind": "chiffres", "figure": "", "year_from": "abc"}).errors == {
        "year_from": "L'année doit être un nombre entre 1900 et 2100.",
        "figure": "Choisissez le tableau de chiffres à reprendre."}
    assert parse_section_form({"kind": "action"}).errors == {
        "action_id": "Choisissez dans la liste ce que la section présente."}


# The identifying-details check and publishing


def test_the_check_runs_over_the_whole_cahier_and_publishing_waits_for_a_confirmation(session, world):
    cahier = new_cahier(session, editorial="Merci à Mme Durand pour son accueil.")
    add(session, cahier, "action", ref_id=world["agreed"].id, comment="Karim, 17 ans, a pris la parole.")
    found = services.check(services.compose(session, cahier))
    assert found == ["Éditorial : « Mme Durand » (une civilité suivie d'un nom)",
                     "Section 1 « Jardin partagé des Tamaris » : « Karim, 17 ans » (un prénom suivi d'un âge)"]
    with pytest.raises(DomainError, match="cochez la case") as refused:
        services.publish(session, cahier, TEAM, confirmed=False)
    assert refused.value.field == "confirm" and cahier.status == "brouillon"
    services.publish(session, cahier, TEAM, confirmed=True)
    assert cahier.published and cahier.identifier == "2012-001X"


def test_an_empty_cahier_is_not_published(session):
    cahier = new_cahier(session)
    with pytest.raises(DomainError, match="Ce cahier est vide"):
        services.publish(session, cahier, TEAM, confirmed=True)


def test_a_published_cahier_is_frozen(session, make, world):
    cahier = new_cahier(session, editorial="Premier numéro.")
    add(session, cahier, "action", ref_id=world["agreed"].id)
    add(session, cahier, "chiffres", figure="actions-par-territoire")
    services.publish(session, cahier, TEAM, confirmed=False)
    frozen = services.content(session, cahier)
    total = frozen["sections"][1]["figure"]["table"]["rows"][-1]["cells"][-1][0]

    world["agreed"].title, world["agreed"].summary = "Titre changé après coup", "Résumé changé après coup."
    world["listed"].consent_listed = False
    for n in range(4):
        make.action(title=f"Action publiée plus tard {n}")
    session.flush()

    again = services.content(session, cahier)
    assert again == frozen
    assert again["sections"][0]["action"]["title"] == "Jardin partagé des Tamaris"
    assert again["sections"][0]["action"]["people"] == ["Inès Nommée"]
    assert again["sections"][1]["figure"]["table"]["rows"][-1]["cells"][-1][0] == total
    assert services.compose(session, cahier)["sections"][1]["figure"]["table"]["rows"][-1]["cells"][-1][0] == total + 4
    for change in (lambda: add(session, cahier, "outil", ref_id=world["tool"].id),
                   lambda: services.save_cahier(session, CahierInput(number=1, title="Autre titre",
                                                                     issue_date=date(2012, 12, 14)), TEAM, cahier),
                   lambda: services.delete_draft(session, cahier),
                   lambda: services.publish(session, cahier, TEAM, confirmed=True)):
        with pytest.raises(DomainError, match="Ce cahier est publié"):
            change()


def test_consent_is_recorded_in_the_action_history_and_withdrawn(session, world):
    action = world["refused"]
    assert services.set_consent(session, action, True, TEAM) is True
    assert services.set_consent(session, action, True, TEAM) is False  # already given: nothing new
    assert action.cahiers_consent_at is not None
    assert services.set_consent(session, action, False, TEAM) is True
    assert action.cahiers_consent_at is None
    history = session.exec(select(ActionRevision).where(ActionRevision.action_id == action.id,
                                                        ActionRevision.kind == "accord_cahiers")
                           .order_by(ActionRevision.id)).all()
    assert [(r.changes[0]["before"], r.changes[0]["after"]) for r in history] == [("non", "oui"), ("oui", "non")]


# Pages


def test_an_editor_composes_previews_and_publishes_a_cahier(client, session, world, editor):
    page = post_form(client, "/cahiers/nouveau", {"number": "1", "title": "", "issue_date": "31/02/2012",
                                                   "editorial": "Mon éditorial", "licence": "cc-by"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "Cette date n&#39;existe pas." in html and "Mon éditorial" in html
    page = post_form(client, "/cahiers/nouveau", {"number": "1", "title": "Agir ensemble", "issue_date": "14/12/2012",
                                                   "editorial": "Un *premier* numéro.", "licence": "cc-by"})
    assert page.status_code == 302
    cahier = session.exec(select(Cahier)).one()
    compose = f"/cahiers/{cahier.id}/composer"
    assert page.headers["Location"].endswith(compose)

    refused = post_form(client, compose, {"kind": "action", "action_id": "", "heading": "Mon titre"})
    assert refused.status_code == 422 and 'value="Mon titre"' in refused.get_data(as_text=True)
    for form in ({"kind": "action", "action_id": str(world["agreed"].id)},
                 {"kind": "seance", "session_id": str(world["meeting"].id), "heading": "La séance de février"},
                 {"kind": "outil", "tool_id": str(world["tool"].id)},
                 {"kind": "chiffres", "figure": "freins-par-acteur", "territory": ""}):
        assert post_form(client, compose, form).status_code == 302
    session.expire_all()
    sections = session.get(Cahier, cahier.id).sections
    assert [s.kind for s in sections] == ["action", "seance", "outil", "chiffres"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(compose).get_data(as_text=True)).group(1)
    moved = client.post(f"/cahiers/{cahier.id}/sections/{sections[2].id}",
                        data={"csrf_token": token, "operation": "monter"})
    assert moved.status_code == 302
    client.post(f"/cahiers/{cahier.id}/sections/{sections[0].id}",
                data={"csrf_token": token, "operation": "texte", "heading": "Le jardin", "comment": "À lire."})

    preview = client.get(f"/cahiers/{cahier.id}").get_data(as_text=True)
    assert "Aperçu du brouillon" in preview
    titles = re.findall(r'<h2 id="section-\d+-title">([^<]+)</h2>', preview)
    assert titles == ["Le jardin", "Grille des effets", "La séance de février",
                      "Freins cités, par type et par catégorie d&#39;acteur"]
    assert "<em>premier</em>" in preview and "<svg" in preview

    review = client.get(f"/cahiers/{cahier.id}/publier").get_data(as_text=True)
    assert "une présentation est omise" in review and "Aucun passage signalé" in review
    published = post_form(client, f"/cahiers/{cahier.id}/publier", {})
    assert published.status_code == 302
    page = client.get(f"/cahiers/{cahier.id}").get_data(as_text=True)
    assert "Aperçu du brouillon" not in page and "2012-001X" in page
    assert ("Pour citer ce cahier :</strong> <span class=\"citation\">Observatoire des pratiques de l&#39;ISIC, "
            "« Agir ensemble », Les cahiers de l&#39;observatoire des pratiques de l&#39;ISIC, n° 1, décembre 2012, "
            f"2012-001X. En ligne : http://localhost/cahiers/{cahier.id}</span>") in page
    closed = client.get(compose)
    assert closed.status_code == 302 and closed.headers["Location"].endswith(f"/cahiers/{cahier.id}")


def test_publishing_lists_identifying_passages_and_needs_the_box_ticked(client, session, world, editor):
    cahier = new_cahier(session, editorial="Nous remercions Mme Lopez.")
    session.commit()
    url = f"/cahiers/{cahier.id}/publier"
    review = client.get(url).get_data(as_text=True)
    assert "« Mme Lopez » (une civilité suivie d&#39;un nom)" in review
    shown = re.search(r'name="reviewed" value="([0-9a-f]+)"', review).group(1)
    refused = post_form(client, url, {"reviewed": shown})
    assert refused.status_code == 422 and 'id="confirm-error"' in refused.get_data(as_text=True)
    assert session.get(Cahier, cahier.id).status == "brouillon"
    assert post_form(client, url, {"confirm": "1", "reviewed": shown}).status_code == 302
    session.expire_all()
    assert session.get(Cahier, cahier.id).published


def test_a_draft_is_seen_by_editors_only_and_deleted_by_them(client, session, world, sign_in):
    cahier = new_cahier(session, 4, title="Brouillon secret")
    session.commit()
    assert client.get(f"/cahiers/{cahier.id}").status_code == 404
    assert "Brouillon secret" not in client.get("/cahiers/").get_data(as_text=True)
    sign_in("formateur")
    assert "Brouillon secret" in client.get("/cahiers/").get_data(as_text=True)
    assert post_form(client, f"/cahiers/{cahier.id}/supprimer", {}).status_code == 302
    assert session.exec(select(Cahier.id).where(Cahier.id == cahier.id)).first() is None


def test_the_author_records_her_agreement_from_the_action_page(client, session, make, sign_in):
    author = make.user("professionnel")
    action = make.action(title="Réseau jeunesse", author_id=author.id)
    session.commit()
    from tests.conftest import login

    login(client, author)
    page = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Sans l'accord de ses auteur·rices, l'action ne figure dans aucun cahier." in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    done = client.post(f"/actions/{action.id}/accord-cahiers", data={"csrf_token": token, "agreed": "1"})
    assert done.status_code == 302
    session.expire_all()
    assert session.get(FieldAction, action.id).cahiers_consent_at is not None
    history = client.get(f"/actions/{action.id}/historique").get_data(as_text=True)
    assert "Accord pour les cahiers" in history


# Listing, search, home page, Atom feed


@pytest.fixture
def published_cahier(session, world):
    cahier = new_cahier(session, 3, title="Le temps long de l'ISIC",
                        editorial="Le mot ethnopsychiatrie figure dans cet éditorial.")
    add(session, cahier, "action", ref_id=world["agreed"].id)
    services.publish(session, cahier, TEAM, confirmed=False, now=datetime(2012, 12, 14, 10, tzinfo=UTC))
    draft = new_cahier(session, 4, title="Numéro en préparation", editorial="ethnopsychiatrie encore")
    session.commit()
    return cahier, draft


def test_published_cahiers_are_listed_announced_and_in_the_feed(client, published_cahier):
    cahier, draft = published_cahier
    listing = client.get("/cahiers/").get_data(as_text=True)
    assert "Le temps long de l&#39;ISIC" in listing and "Numéro en préparation" not in listing
    home = client.get("/").get_data(as_text=True)
    assert f'href="/cahiers/{cahier.id}">Cahier n° 3 — Le temps long de l&#39;ISIC</a>' in home
    assert "Numéro en préparation" not in home
    feed = client.get("/cahiers/flux.atom")
    assert feed.mimetype == "application/atom+xml"
    root = ET.fromstring(feed.data)
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["n° 3 — Le temps long de l'ISIC"]
    assert entries[0].find(f"{ATOM}published").text == "2012-12-14T10:00:00+00:00"
    assert entries[0].find(f"{ATOM}id").text == f"http://localhost/cahiers/{cahier.id}"


def test_a_published_cahier_is_found_by_its_words_and_a_draft_is_not(client, published_cahier, sign_in):
    cahier, draft = published_cahier
    found = client.get("/api/search", query_string={"q": "ethnopsychiatrie"}).get_json()
    assert [h["id"] for h in found["results"]] == [f"cahier:{cahier.id}"]
    page = client.get("/recherche", query_string={"q": "ethnopsychiatrie", "kind": "cahier"}).get_data(as_text=True)
    assert f'href="/cahiers/{cahier.id}"' in page


# The PDF


def pdf_pages(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages]


def test_the_pdf_has_a_cover_a_paginated_contents_a_running_header_and_credits(client, session, world):
    cahier = new_cahier(session, editorial="Un éditorial.", credits="Coordination : l'équipe.",
                        title="Agir <script>alert(1)</script> ensemble")
    add(session, cahier, "action", ref_id=world["agreed"].id)
    add(session, cahier, "chiffres", figure="freins-par-acteur")
    add(session, cahier, "outil", ref_id=world["tool"].id, heading="Un outil {{ 7*7 }}")
    services.publish(session, cahier, TEAM, confirmed=False)
    session.commit()
    pages = pdf_pages(client, f"/cahiers/{cahier.id}/cahier.pdf")

    cover, contents = pages[0], pages[1]
    assert "n° 1" in cover and "Agir <script>alert(1)</script>\nensemble" in cover and "2012-001X" in cover
    assert "Les cahiers de l'observatoire · n° 1" not in cover  # no running header on the cover
    entries = dict(re.findall(r"^(.+?)[ .]*\s(\d+)$", contents, re.MULTILINE))
    expected = ["Éditorial", "Jardin partagé des Tamaris", "Freins cités, par type et par catégorie d'acteur",
                "Un outil {{ 7*7 }}", "Crédits et licence"]
    assert [title for title in expected if title not in entries] == []
    for title in expected:  # each entry's page number is the page that opens with that title
        page = pages[int(entries[title]) - 1]
        assert title in page.split("\n")[0:3] or page.startswith(title), (title, entries[title], page[:200])
    for number, text in enumerate(pages[2:], start=3):
        assert "Les cahiers de l'observatoire · n° 1" in text and f"{number} / {len(pages)}" in text
    assert "Coordination : l'équipe." in pages[-1] and "Creative Commons" in pages[-1]
    assert "Pour citer ce cahier" in pages[-1]
    assert "Inès Nommée" in "".join(pages) and "Discret" not in "".join(pages)


def test_the_pdf_draws_charts_as_vectors(client, session, world):
    cahier = new_cahier(session)
    add(session, cahier, "chiffres", figure="actions-par-territoire")
    services.publish(session, cahier, TEAM, confirmed=False)
    session.commit()
    response = client.get(f"/cahiers/{cahier.id}/cahier.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    subtypes = set()
    for page in reader.pages:
        for xobject in (page.get("/Resources", {}).get("/XObject") or {}).values():
            subtypes.add(xobject.get_object().get("/Subtype"))
    assert "/Image" not in subtypes  # the chart is paths and text, not a picture
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Actions par territoire" in text


def test_a_published_pdf_is_printed_once_and_a_draft_pdf_follows_the_draft(app, client, session, world, editor):
    cahier = new_cahier(session, editorial="Version une.")
    session.commit()
    assert "Version une." in "".join(pdf_pages(client, f"/cahiers/{cahier.id}/cahier.pdf"))
    cahier.editorial = "Version deux."
    session.commit()
    assert "Version deux." in "".join(pdf_pages(client, f"/cahiers/{cahier.id}/cahier.pdf"))
    services.publish(session, cahier, TEAM, confirmed=False)
    session.commit()
    first = client.get(f"/cahiers/{cahier.id}/cahier.pdf").data
    assert client.get(f"/cahiers/{cahier.id}/cahier.pdf").data == first
    assert len(list((Path(app.config["FILES_DIR"]) / "cahiers").glob(f"cahier-{cahier.id}-*.pdf"))) == 1


def test_anonymising_a_practitioner_takes_her_name_out_of_published_cahiers(app, client, session, world):
    from kb.services.privacy import anonymise_practitioner

    cahier = new_cahier(session)
    add(session, cahier, "action", ref_id=world["agreed"].id)
    add(session, cahier, "seance", ref_id=world["meeting"].id)
    services.publish(session, cahier, TEAM, confirmed=False)
    session.commit()
    assert "Inès Nommée" in "".join(pdf_pages(client, f"/cahiers/{cahier.id}/cahier.pdf"))
    anonymise_practitioner(session, world["listed"])
    session.commit()
    data = session.get(Cahier, cahier.id).snapshot
    assert data["contributors"] == [] and data["sections"][0]["action"]["people"] == []
    assert data["sections"][1]["session"]["presentations"][0]["presenters"] == []
    assert "Inès Nommée" not in client.get(f"/cahiers/{cahier.id}").get_data(as_text=True)
    assert "Inès Nommée" not in "".join(pdf_pages(client, f"/cahiers/{cahier.id}/cahier.pdf"))
    assert len(list((Path(app.config["FILES_DIR"]) / "cahiers").glob(f"cahier-{cahier.id}-*.pdf"))) == 1


# What the review found


def test_the_check_reads_every_printed_text_the_title_and_tools_included(session, make, world):
    tool = make.tool(title="Outil de Mme Durand", partners="Karim, 17 ans")
    cahier = new_cahier(session, title="Agir avec M. Martin")
    add(session, cahier, "outil", ref_id=tool.id)
    assert services.check(services.compose(session, cahier)) == [
        "Titre : « M. Martin » (une civilité suivie d'un nom)",
        "Section 1 « Outil de Mme Durand » : « Mme Durand » (une civilité suivie d'un nom)",
        "Section 1 « Outil de Mme Durand » : « Karim, 17 ans » (un prénom suivi d'un âge)"]


def test_a_confirmation_covers_the_passages_shown_not_those_that_appeared_since(session, world):
    cahier = new_cahier(session, editorial="Merci à Mme Durand.")
    shown = services.reviewed_stamp(services.check(services.compose(session, cahier)))
    cahier.editorial = "Merci à Mme Durand et à M. Blanc."  # edited while the review page was open
    session.flush()
    with pytest.raises(DomainError, match="a changé depuis votre relecture"):
        services.publish(session, cahier, TEAM, confirmed=True, reviewed=shown)
    assert not cahier.published
    now = services.reviewed_stamp(services.check(services.compose(session, cahier)))
    services.publish(session, cahier, TEAM, confirmed=True, reviewed=now)
    assert cahier.published


def test_the_published_data_keeps_its_address_and_citation_but_not_what_was_left_out(session, world):
    cahier = new_cahier(session)
    add(session, cahier, "action", ref_id=world["agreed"].id)
    add(session, cahier, "action", ref_id=world["refused"].id)
    imprint = services.Imprint(base_url="https://observatoire.example.fr/", institute="IMF", address="Marseille")
    data = services.publish(session, cahier, TEAM, confirmed=False, imprint=imprint)
    assert "left_out" not in data and "sans accord" not in repr(data)
    assert data["url"] == f"https://observatoire.example.fr/cahiers/{cahier.id}"
    assert data["citation"] == ("IMF, « Agir avec les habitant·es », Les cahiers de l'observatoire des pratiques de "
                                f"l'ISIC, n° 1, décembre 2012, 2012-001X. En ligne : {data['url']}")
    assert (data["identifier"], data["institute"]) == ("2012-001X", "IMF")


def test_the_citation_is_the_one_frozen_whatever_host_a_reader_uses(app, client, session, world, editor):
    app.config["PUBLIC_URL"] = "https://observatoire.example.fr"
    cahier = new_cahier(session, editorial="Un éditorial.")
    session.commit()
    assert post_form(client, f"/cahiers/{cahier.id}/publier", {}).status_code == 302
    expected = f"En ligne : https://observatoire.example.fr/cahiers/{cahier.id}"
    for host in ("evil.example", "localhost"):
        text = "".join(PdfReader(io.BytesIO(client.get(f"/cahiers/{cahier.id}/cahier.pdf",
                                                       headers={"Host": host}).data)).pages[-1].extract_text())
        assert expected in text.replace("\n", " ")
        assert expected in client.get(f"/cahiers/{cahier.id}", headers={"Host": host}).get_data(as_text=True)


def test_the_feed_stays_well_formed_xml_whatever_the_titles(client, session, world):
    cahier = new_cahier(session, title="Agir \uffff ensemble")
    add(session, cahier, "action", ref_id=world["agreed"].id, heading="Titre \ufffe de section")
    services.publish(session, cahier, TEAM, confirmed=False)
    session.commit()
    root = ET.fromstring(client.get("/cahiers/flux.atom").data)
    assert root.find(f"{ATOM}entry/{ATOM}title").text == "n° 1 — Agir  ensemble"


def test_figures_filters_name_existing_records_and_odd_stored_ones_are_reported(session, world):
    cahier = new_cahier(session)
    with pytest.raises(DomainError, match="Filtre « Territoire » inconnu") as refused:
        add(session, cahier, "chiffres", figure="actions-par-territoire", filters={"territory": "paris"})
    assert refused.value.field == "territory"
    section = add(session, cahier, "chiffres", figure="actions-par-territoire", filters={"mode": "dsl"})
    assert services.compose(session, cahier)["sections"][0]["figure"]["filters"] == \
        "Mode d'intervention : Développement social local"
    section.filters = {"year_from": "2012.0"}  # stored by an older version, or by hand
    session.flush()
    data = services.compose(session, cahier)
    assert data["sections"] == [] and data["left_out"] == [
        "Section 1 : les chiffres ne peuvent pas être calculés (L'année doit être un nombre entre 1900 et 2100.) ; "
        "retirez la section et ajoutez-la à nouveau."]


def test_two_editors_taking_the_same_number_at_once_are_told_not_failed(any_app):
    import threading

    from kb.db import new_session

    with any_app.app_context(), new_session(any_app) as first:
        new_cahier(first, 5, title="Premier arrivé")  # flushed, not committed yet
        outcome = {}

        def second_editor():
            with any_app.app_context(), new_session(any_app) as second:
                try:
                    new_cahier(second, 5, title="Second arrivé")
                    second.commit()
                    outcome["saved"] = True
                except DomainError as exc:
                    outcome["refused"] = (exc.field, exc.message)

        other = threading.Thread(target=second_editor)
        other.start()
        other.join(timeout=1)  # it waits on the first one's row (PostgreSQL) or write lock (SQLite)
        first.commit()
        other.join(timeout=60)
    assert outcome["refused"][0] == "number" and "5" in outcome["refused"][1]


def test_a_trainer_takes_a_dashboard_table_into_a_draft(client, session, world, editor):
    cahier = new_cahier(session, 7, title="Numéro sept")
    session.commit()
    dashboard = client.get("/observatoire/", query_string={"mode": "groupe"}).get_data(as_text=True)
    link = re.search(r'href="(/cahiers/reprendre\?[^"]*figure=actions-par-territoire[^"]*)"', dashboard).group(1)
    choose = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    target = re.search(rf'href="(/cahiers/{cahier.id}/composer\?[^"]*)"', choose).group(1).replace("&amp;", "&")
    form = client.get(target).get_data(as_text=True)
    assert '<option value="chiffres" selected>' in form
    assert '<option value="actions-par-territoire" selected>' in form and '<option value="groupe" selected>' in form
