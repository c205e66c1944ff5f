"""Ordinary input that used to answer 500: template markers in titles, the seminar saved unchanged, one-line
fields given line breaks, oversized bodies, and the error page itself when the request's session is broken."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from kb import indexing
from kb.db import get_session
from kb.models import Organisation, Seminar, SeminarDay, Workshop, WorkshopSession
from tests.conftest import post_form

MARKERS = "{{ 7*7 }} {% if true %}oui{% endif %} {# note"
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


def _literally(page: str) -> bool:
    return MARKERS in html.unescape(page)


def test_an_organisation_named_with_template_markers_is_shown_literally(client, session, sign_in):
    sign_in("professionnel")  # any approved professional may add an organisation, without moderation
    response = post_form(client, "/organisations/nouvelle", {
        "name": f"Centre {MARKERS}", "kind": "centre_social", "commune": "13004",
        "latitude": "43.6766", "longitude": "4.6278"})
    assert response.status_code == 302
    org = session.exec(select(Organisation)).one()
    page = client.get(f"/organisations/{org.id}")
    assert page.status_code == 200 and _literally(page.get_data(as_text=True))
    assert f'aria-label="Situation : Centre {html.escape(MARKERS)}"' in page.get_data(as_text=True)  # the map
    assert _literally(client.get(f"/carte/fiche/o{org.id}").get_data(as_text=True))
    assert _literally(client.get("/carte?orgs=1").get_data(as_text=True))
    api = client.get("/api/v1/organisations").get_json()
    assert [o["name"] for o in api["items"]] == [f"Centre {MARKERS}"]


def test_an_action_titled_with_template_markers_is_shown_literally_everywhere(app, client, session, make):
    action = make.action(title=f"Atelier {MARKERS}", themes=["Cuisine"])
    session.commit()
    indexing.drain(app)
    for url in ("/", "/actions/", f"/actions/{action.id}", "/carte", f"/carte/fiche/a{action.id}",
                "/territoires/arles", "/recherche?q=atelier", "/pairs?lieu=Arles"):
        page = client.get(url)
        assert page.status_code == 200 and _literally(page.get_data(as_text=True)), url
    assert client.get(f"/api/v1/actions/{action.id}").get_json()["title"] == f"Atelier {MARKERS}"
    found = client.get("/api/search?q=atelier").get_json()["results"]
    assert [r["title"] for r in found] == [f"Atelier {MARKERS}"]


@pytest.fixture
def seminar(session) -> Seminar:
    """A seminar with its two sessions of three dates."""
    days = [date(2026, 4, 10), date(2026, 5, 15), date(2026, 6, 12), date(2026, 10, 2), date(2026, 10, 9),
            date(2026, 10, 16)]
    found = Seminar(title="Séminaire ISIC 2026", year=2026, place="Unité de Marseille",
                    days=[SeminarDay(option=1 + i // 3, day=d) for i, d in enumerate(days)])
    session.add(found)
    session.commit()
    return found


def _seminar_form(seminar: Seminar, **changes) -> dict:
    form = {"title": seminar.title, "year": str(seminar.year), "price_eur": str(seminar.price_eur),
            "place": seminar.place, "description": seminar.description}
    for option in (1, 2):
        for n, day in enumerate(seminar.option_days(option), 1):
            form[f"option{option}_day{n}"] = day.isoformat()
    return {**form, **changes}


def test_the_seminar_saved_unchanged_or_with_dates_moved_between_sessions(client, session, editor, seminar):
    url = f"/seminaire/{seminar.id}/modifier"
    assert post_form(client, url, _seminar_form(seminar)).status_code == 302
    swapped = {"option1_day1": "2026-10-02", "option1_day2": "2026-10-09", "option1_day3": "2026-10-16",
               "option2_day1": "2026-04-10", "option2_day2": "2026-05-15", "option2_day3": "2026-06-12"}
    assert post_form(client, url, _seminar_form(seminar, **swapped)).status_code == 302
    dropped = {"option1_day3": "2026-06-19", "option2_day1": "", "option2_day2": "", "option2_day3": ""}
    assert post_form(client, url, _seminar_form(seminar, **dropped)).status_code == 302
    session.expire_all()
    assert [(d.option, d.day) for d in session.get(Seminar, seminar.id).days] == [
        (1, date(2026, 4, 10)), (1, date(2026, 5, 15)), (1, date(2026, 6, 19))]


@pytest.fixture
def meeting(session, make) -> WorkshopSession:
    """A workshop session in Arles."""
    workshop = Workshop(name="Groupe ISIC Arles", year=2026, territory_id=make.territory("arles").id)
    session.add(workshop)
    session.flush()
    found = WorkshopSession(workshop_id=workshop.id, day=date(2026, 2, 13), half_day="am")
    session.add(found)
    session.commit()
    return found


ONE_LINE_FIELDS = [
    ("/actions/nouvelle", "title", {"summary": "Un atelier collectif hebdomadaire pour des familles.",
                                    "mode": "groupe", "publication_status": "publiee"}),
    ("/actions/nouvelle", "address", {"title": "Atelier cuisine", "mode": "groupe", "publication_status": "publiee",
                                      "summary": "Un atelier collectif hebdomadaire pour des familles."}),
    ("/organisations/nouvelle", "name", {"kind": "centre_social"}),
    ("/ateliers/nouveau", "name", {"year": "2026"}),
    ("/ateliers/{workshop}/seances/nouvelle", "place", {"day": "2026-03-13", "half_day": "pm"}),
    ("/journees/nouvelle", "title", {"day": "2026-11-27", "place": "Arles"}),
    ("/journees/nouvelle", "place", {"title": "Journée débat", "day": "2026-11-27"}),
    ("/seminaire/nouveau", "title", {"year": "2026", "place": "Marseille", "option1_day1": "2026-04-10",
                                     "option1_day2": "2026-05-15", "option1_day3": "2026-06-12"}),
    ("/seminaire/nouveau", "place", {"title": "Séminaire", "year": "2026", "option1_day1": "2026-04-10",
                                     "option1_day2": "2026-05-15", "option1_day3": "2026-06-12"}),
]


@pytest.mark.parametrize("url, name, others", ONE_LINE_FIELDS, ids=[f"{u.split('/')[1]}-{n}" for u, n, _ in
                                                                     ONE_LINE_FIELDS])
@pytest.mark.parametrize("line_break", ["\n", "\r\n", "\u2028"])
def test_titles_and_places_hold_on_one_line(client, editor, meeting, url, name, others, line_break):
    url = url.format(workshop=meeting.workshop_id)
    typed = f"Première ligne{line_break}seconde ligne"
    response = post_form(client, url, {**others, name: typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'<p class="field-error" id="{name}-error">([^<]+)</p>', page)
    assert error and "une ligne" in error.group(1)
    for value in others.values():  # every value typed comes back
        assert html.escape(value) in page
    assert "Première ligne" in page and "seconde ligne" in page


def test_a_body_over_the_size_limit_is_a_french_413(app, client):
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    for url in ("/compte/connexion", "/actions/nouvelle", "/api/v1/actions"):
        response = client.post(url, data={"csrf_token": "x", "title": too_big})
        assert response.status_code in (405, 413), url
    response = client.post("/compte/connexion", data={"email": too_big})
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)
    assert all(name in response.headers for name in SECURITY_HEADERS)


@pytest.fixture
def broken_flush(app):
    """A route whose flush fails on a unique constraint (as the seminar form did) and is not caught."""

    @app.route("/essai/doublon")
    def duplicate():
        session = get_session()
        seminar = Seminar(title="Séminaire", year=2026, days=[SeminarDay(option=1, day=date(2026, 4, 10)),
                                                               SeminarDay(option=1, day=date(2026, 4, 10))])
        session.add(seminar)
        session.flush()

    return "/essai/doublon"


def test_a_failed_flush_gives_the_french_500_page_even_to_a_signed_in_user(broken_flush, client, editor):
    response = client.get(broken_flush)
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "erreur inattendue" in page and '<html lang="fr">' in page and "Mon compte" in page  # the full page
    assert all(name in response.headers for name in SECURITY_HEADERS)


def test_when_the_french_page_itself_fails_a_minimal_french_page_answers(broken_flush, client, editor, monkeypatch):
    def no_templates(*_args, **_kwargs):
        raise IntegrityError("INSERT", {}, Exception("toujours en échec"))

    monkeypatch.setattr("kb.errors.render_template", no_templates)
    response = client.get(broken_flush)
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert '<html lang="fr">' in page and "Erreur 500" in page and "erreur inattendue" in page
    assert all(name in response.headers for name in SECURITY_HEADERS)
    assert client.get("/compte/").status_code == 200  # the next request is served normally


@pytest.mark.parametrize("day", ["2012-02-30", "30/02/2012", "abc", "-1", "9" * 30, "0000-00-00"])
def test_a_date_that_does_not_exist_is_explained_next_to_its_field(client, editor, day):
    response = post_form(client, "/journees/nouvelle", {"title": "Journée débat", "day": day})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and re.search(r'id="day-error">(Saisissez une date|Cette date|L&#39;année)', page)


@pytest.mark.parametrize("latitude, longitude", [("91", "91"), ("nan", "4.6"), ("inf", "-inf"), ("43.6", "181"),
                                                 ("1e309", "4.6")])
def test_coordinates_out_of_range_are_explained_and_the_map_still_shows(client, editor, latitude, longitude):
    response = post_form(client, "/organisations/nouvelle", {"name": "Centre social", "kind": "centre_social",
                                                             "latitude": latitude, "longitude": longitude})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="latitude-error"' in page
    assert 'id="picker"' in page  # the picker map, centred on the region rather than on the bad point
