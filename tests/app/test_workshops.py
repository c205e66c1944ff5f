"""Workshops: sessions on half-days, preparing a session from tagged actions, attendance, syntheses,
back-links from actions, printable pages, the agenda and its iCalendar feeds, the debate day."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import select

from kb.models import DebateDay, DebateTheme, Enrolment, Presentation, Workshop, WorkshopSession
from tests.conftest import csrf_token, login, post_form

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def group(session, make):
    """A 2026 group in Arles with two enrolled practitioners and one published action tagged for workshops."""
    alice = make.practitioner(first_name="Alice", last_name="Arnaud", isic_experience="experimente")
    bruno = make.practitioner(first_name="Bruno", last_name="Blanc", isic_experience="debutant")
    action = make.action(title="Jardin partagé de Barriol", people=[(alice, "porteur")])
    workshop = Workshop(name="Groupe ISIC Arles 2026", year=2026, territory_id=make.territory("arles").id,
                        enrolments=[Enrolment(practitioner_id=alice.id, experience="experimente"),
                                    Enrolment(practitioner_id=bruno.id)])
    session.add(workshop)
    session.commit()
    return workshop, action, alice, bruno


def _session_id(response) -> int:
    return int(re.search(r"/ateliers/seances/(\d+)", response.headers["Location"]).group(1))


def test_a_group_cannot_meet_twice_on_the_same_half_day(client, session, editor, group):
    workshop, *_ = group
    url = f"/ateliers/{workshop.id}/seances/nouvelle"
    first = post_form(client, url, {"day": "2026-02-13", "half_day": "am", "place": "Antenne d'Arles"})
    assert first.status_code == 302
    clash = post_form(client, url, {"day": "13/02/2026", "half_day": "am", "place": "Ailleurs"})
    html = clash.get_data(as_text=True)
    assert clash.status_code == 422 and "Le groupe a déjà une séance le 13/02/2026 matin" in html
    assert 'value="Ailleurs"' in html  # the typed values stay
    assert post_form(client, url, {"day": "2026-02-13", "half_day": "pm"}).status_code == 302  # afternoon is free
    missing = post_form(client, url, {"day": "", "half_day": "soir"})
    assert missing.status_code == 422 and "Choisissez une valeur de la liste" in missing.get_data(as_text=True)
    days = session.exec(select(WorkshopSession.half_day).where(WorkshopSession.workshop_id == workshop.id)).all()
    assert sorted(days) == ["am", "pm"]


def test_a_trainer_prepares_a_session_from_tagged_actions(app, client, session, make, editor, group):
    workshop, action, alice, bruno = group
    other = make.action(title="Repair café des Alyscamps")
    session.commit()
    assert post_form(client, f"/ateliers/actions/{action.id}/etiquettes",
                     {"tags": "Groupe ISIC 2026, Posture professionnelle"}).status_code == 302
    post_form(client, f"/ateliers/actions/{other.id}/etiquettes", {"tags": "Évaluation"})
    session.refresh(action)
    assert [t.name for t in action.tags_of("atelier")] == ["Groupe ISIC 2026", "Posture professionnelle"]
    assert action.tags_of("theme") == []  # trainers' tags stay apart from the author's themes
    meeting_id = _session_id(post_form(client, f"/ateliers/{workshop.id}/seances/nouvelle",
                                       {"day": "2026-03-26", "half_day": "pm"}))
    page = client.get(f"/ateliers/seances/{meeting_id}/preparer?etiquette=groupe-isic-2026").get_data(as_text=True)
    assert "Jardin partagé de Barriol" in page and "Repair café" not in page
    page = client.get(f"/ateliers/seances/{meeting_id}/preparer?q=repair").get_data(as_text=True)
    assert "Repair café des Alyscamps" in page and 'id="candidats"' in page  # searchable, with the map
    no_one = post_form(client, f"/ateliers/seances/{meeting_id}/preparer", {"action_id": str(action.id)})
    assert no_one.status_code == 422 and "Indiquez qui présente" in no_one.get_data(as_text=True)
    url = f"/ateliers/seances/{meeting_id}/preparer"
    post_form(client, url, {"action_id": str(action.id), "presenter_ids": [str(alice.id), str(bruno.id)]})
    post_form(client, url, {"action_id": str(other.id), "presenter_ids": str(bruno.id)})
    twice = post_form(client, url, {"action_id": str(other.id), "presenter_ids": str(bruno.id)})
    assert "déjà au programme" in twice.get_data(as_text=True)
    meeting = session.get(WorkshopSession, meeting_id)
    assert [p.action.title for p in meeting.presentations] == ["Jardin partagé de Barriol", "Repair café des Alyscamps"]
    second = meeting.presentations[1]
    post_form(client, f"/ateliers/seances/{meeting_id}/presentations/{second.id}/monter", {})
    session.expire_all()
    titles = [p.action.title for p in session.get(WorkshopSession, meeting_id).presentations]
    assert titles == ["Repair café des Alyscamps", "Jardin partagé de Barriol"]
    programme = client.get(f"/ateliers/seances/{meeting_id}/programme").get_data(as_text=True)
    assert programme.index("Repair café") < programme.index("Jardin partagé") and "Alice Arnaud, Bruno Blanc" in programme
    post_form(client, f"/ateliers/seances/{meeting_id}/presentations/{second.id}/retirer", {})
    session.expire_all()
    assert [p.action_id for p in session.get(WorkshopSession, meeting_id).presentations] == [action.id]


def test_attendance_is_recorded_and_counted(client, session, editor, group):
    workshop, action, alice, bruno = group
    ids = []
    for day in ("2026-02-13", "2026-03-26"):
        ids.append(_session_id(post_form(client, f"/ateliers/{workshop.id}/seances/nouvelle",
                                         {"day": day, "half_day": "am"})))
    post_form(client, f"/ateliers/seances/{ids[0]}/presences", {"present": [str(alice.id), str(bruno.id)]})
    response = post_form(client, f"/ateliers/seances/{ids[1]}/presences", {"present": str(alice.id)},
                         follow_redirects=True)
    assert "Présences enregistrées : 1 présent·e." in response.get_data(as_text=True)
    stranger = post_form(client, f"/ateliers/seances/{ids[1]}/presences", {"present": "999999"})
    assert stranger.status_code == 422 and "Seules les personnes inscrites" in stranger.get_data(as_text=True)
    page = client.get(f"/ateliers/{workshop.id}").get_data(as_text=True)
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td>[^<]+</td><td>(\d+ / \d+)</td></tr>", page))
    assert rows == {"Alice Arnaud": "2 / 2", "Bruno Blanc": "1 / 2"}
    assert "1 présent·e sur 2 inscrit·es" in client.get(f"/ateliers/seances/{ids[1]}").get_data(as_text=True)
    sheet = client.get(f"/ateliers/seances/{ids[0]}/emargement").get_data(as_text=True)
    assert "ARNAUD Alice" in sheet and "BLANC Bruno" in sheet and "Signature" in sheet


def test_the_action_page_links_back_to_its_presentations_and_their_syntheses(app, client, session, editor, group):
    workshop, action, alice, _ = group
    meeting_id = _session_id(post_form(client, f"/ateliers/{workshop.id}/seances/nouvelle",
                                       {"day": "2026-05-21", "half_day": "am"}))
    post_form(client, f"/ateliers/seances/{meeting_id}/preparer", {"action_id": str(action.id),
                                                                   "presenter_ids": str(alice.id)})
    presentation = session.exec(select(Presentation)).one()
    post_form(client, f"/ateliers/seances/{meeting_id}/presentations/{presentation.id}/synthese",
              {"learnt": "Le temps long est une condition.", "questions": "Comment passer le relais ?\n- Qui évalue ?"})
    page = app.test_client().get(f"/actions/{action.id}").get_data(as_text=True)
    assert f'href="/ateliers/seances/{meeting_id}"' in page and "Groupe ISIC Arles 2026" in page
    assert "Le temps long est une condition." in page and "<li>Qui évalue ?</li>" in page
    found = app.test_client().get("/recherche?q=relais").get_data(as_text=True)
    assert f'href="/ateliers/seances/{meeting_id}"' in found  # the search covers sessions and syntheses


def test_agenda_and_icalendar_feeds_in_paris_time(app, client, session, group):
    workshop, *_ = group
    soon = date.today() + timedelta(days=10)
    summer, winter = date(soon.year + 1, 7, 2), date(soon.year + 1, 1, 8)
    for day, half in ((soon, "am"), (summer, "pm"), (winter, "am"), (date(2012, 2, 24), "am")):
        session.add(WorkshopSession(workshop_id=workshop.id, day=day, half_day=half, place="Antenne d'Arles"))
    session.add(DebateDay(title="Journée débat/rencontre", day=soon + timedelta(days=3), place="Avignon"))
    session.commit()
    agenda = client.get("/agenda").get_data(as_text=True)
    assert "Groupe ISIC Arles 2026" in agenda and "Journée débat/rencontre" in agenda
    assert "24 février 2012" not in agenda  # only what is coming
    feed = client.get("/agenda.ics")
    assert feed.mimetype == "text/calendar"
    cal = Calendar.from_ical(feed.get_data())
    events = {e.decoded("dtstart"): e for e in cal.walk("VEVENT")}
    start = datetime(summer.year, 7, 2, 13, 30, tzinfo=PARIS)
    assert start in events and events[start].decoded("dtend") == datetime(summer.year, 7, 2, 17, 0, tzinfo=PARIS)
    assert start.utcoffset() == timedelta(hours=2)  # summer time
    morning = datetime(winter.year, 1, 8, 9, 0, tzinfo=PARIS)
    assert morning in events and morning.utcoffset() == timedelta(hours=1)
    assert str(events[start]["summary"]) == "Atelier de mutualisation : Groupe ISIC Arles 2026"
    assert str(events[start]["location"]) == "Antenne d'Arles"
    assert any(str(e["summary"]) == "Journée débat/rencontre" for e in cal.walk("VEVENT"))
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    group_feed = Calendar.from_ical(client.get(f"/ateliers/{workshop.id}.ics").get_data())
    assert len(group_feed.walk("VEVENT")) == 4


def test_configured_hours_are_used(app, client, session, group):
    workshop, *_ = group
    app.config["MORNING_HOURS"] = "08:45-12:15"
    session.add(WorkshopSession(workshop_id=workshop.id, day=date(2030, 3, 1), half_day="am"))
    session.commit()
    event = Calendar.from_ical(client.get("/agenda.ics").get_data()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2030, 3, 1, 8, 45, tzinfo=PARIS)
    assert "08:45-12:15" in client.get("/agenda").get_data(as_text=True)


def test_debate_themes_come_from_the_sessions_questions_and_are_voted(app, client, session, make, editor, group):
    workshop, action, alice, _ = group
    meeting = WorkshopSession(workshop_id=workshop.id, day=date(2030, 10, 9), half_day="am")
    session.add(meeting)
    session.flush()
    session.add(Presentation(session_id=meeting.id, action_id=action.id, presenters=[alice],
                             questions="Comment garder sa posture ?\nQui décide dans le groupe ?\nQuels indicateurs ?"))
    later = WorkshopSession(workshop_id=workshop.id, day=date(2030, 12, 11), half_day="pm")
    session.add(later)
    session.flush()
    session.add(Presentation(session_id=later.id, action_id=action.id, presenters=[alice],
                             questions="Question après la journée ?"))
    debate = DebateDay(title="Journée débat 2030", day=date(2030, 11, 27))
    session.add(debate)
    session.commit()
    page = client.get(f"/journees/{debate.id}/themes").get_data(as_text=True)
    assert "Comment garder sa posture ?" in page and "Quels indicateurs ?" in page
    assert "Question après la journée ?" not in page  # raised after the debate day
    empty = post_form(client, f"/journees/{debate.id}/themes", {"title": "La posture"})
    assert empty.status_code == 422 and "Cochez au moins une question" in empty.get_data(as_text=True)
    post_form(client, f"/journees/{debate.id}/themes", {"title": "La posture professionnelle",
                                                        "questions": ["Comment garder sa posture ?",
                                                                      "Qui décide dans le groupe ?"]})
    post_form(client, f"/journees/{debate.id}/themes", {"title": "Évaluer", "questions": "Quels indicateurs ?"})
    forged = post_form(client, f"/journees/{debate.id}/themes", {"title": "Inventé", "questions": "Autre chose ?"})
    assert "n'existe plus dans les synthèses" in forged.get_data(as_text=True).replace("&#39;", "'")
    themes = {t.title: t for t in session.exec(select(DebateTheme))}
    assert themes["La posture professionnelle"].questions.splitlines() == ["Comment garder sa posture ?",
                                                                            "Qui décide dans le groupe ?"]
    voters = [make.user("etudiant") for _ in range(2)]
    session.commit()
    for voter in voters:
        participant = app.test_client()
        login(participant, voter)
        post_form(participant, f"/journees/themes/{themes['Évaluer'].id}/vote", {})
    post_form(participant, f"/journees/themes/{themes['La posture professionnelle'].id}/vote", {})
    page = app.test_client().get(f"/journees/{debate.id}").get_data(as_text=True)
    assert page.index("Évaluer") < page.index("La posture professionnelle")  # most wanted first
    assert "2 voix" in page and "1 voix" in page
    post_form(participant, f"/journees/themes/{themes['Évaluer'].id}/vote", {})  # a second click takes it back
    assert "1 voix" in app.test_client().get(f"/journees/{debate.id}").get_data(as_text=True)


def test_three_votes_per_participant(app, session, make, group):
    debate = DebateDay(title="Journée", day=date(2030, 11, 27))
    session.add(debate)
    session.flush()
    themes = [DebateTheme(debate_day_id=debate.id, title=f"Thème {i}", questions="Q ?") for i in range(4)]
    session.add_all(themes)
    voter = make.user("etudiant")
    session.commit()
    client = app.test_client()
    login(client, voter)
    for theme in themes[:3]:
        post_form(client, f"/journees/themes/{theme.id}/vote", {})
    html = post_form(client, f"/journees/themes/{themes[3].id}/vote", {}, follow_redirects=True).get_data(as_text=True)
    assert "Vous avez déjà donné vos 3 voix" in html
    assert sum(len(t.votes) for t in session.exec(select(DebateTheme)).all()) == 3


def test_votes_close_once_the_debate_day_has_passed(app, session, make):
    debate = DebateDay(title="Journée passée", day=date(2012, 11, 30))
    session.add(debate)
    session.flush()
    theme = DebateTheme(debate_day_id=debate.id, title="La posture", questions="Q ?")
    session.add(theme)
    voter = make.user("etudiant")
    session.commit()
    client = app.test_client()
    login(client, voter)
    page = client.get(f"/journees/{debate.id}").get_data(as_text=True)
    assert "La journée a eu lieu : les votes sont clos." in page and "Voter pour ce thème" not in page
    html = post_form(client, f"/journees/themes/{theme.id}/vote", {}, follow_redirects=True).get_data(as_text=True)
    assert "La journée a eu lieu : les votes sur ses thèmes sont clos." in html
    assert session.exec(select(DebateTheme)).one().votes == []


def test_attendance_cannot_be_ticked_before_the_session(client, session, editor, group):
    workshop, _, alice, _ = group
    meeting = WorkshopSession(workshop_id=workshop.id, day=date(2030, 3, 1), half_day="am")
    session.add(meeting)
    session.commit()
    refused = post_form(client, f"/ateliers/seances/{meeting.id}/presences", {"present": str(alice.id)})
    assert refused.status_code == 422
    assert "La séance n&#39;a pas encore eu lieu : les présences se pointent à partir du 01/03/2030." in (
        refused.get_data(as_text=True))
    session.expire_all()
    assert session.get(WorkshopSession, meeting.id).attendance == []


def test_demo_has_the_2012_calendar_and_a_current_year_group(demo_client):
    page = demo_client.get("/ateliers/").get_data(as_text=True)
    assert "Groupe ISIC 2012 — Marseille" in page and f"Groupe ISIC {date.today().year}" in page
    link = re.search(r'href="(/ateliers/\d+)">Groupe ISIC 2012', page).group(1)
    detail = demo_client.get(link).get_data(as_text=True)
    for day in ("24 février 2012", "22 mars 2012", "10 mai 2012", "18 juin 2012", "18 septembre 2012",
                "19 octobre 2012"):
        assert day in detail
    assert "24 février 2012</a>, matin" in detail.replace("</a>\n", "</a>") or "24 février 2012, matin" in detail
    debates = demo_client.get("/journees/").get_data(as_text=True)
    assert "Journée débat/rencontre 2012" in debates and "novembre 2012" in debates


def test_seminar_sessions_are_planned_and_shown_in_the_agenda_and_feed(client, session, editor):
    year = date.today().year + 1
    form = {"title": f"Séminaire ISIC {year}", "year": str(year), "price_eur": "250", "place": "Unité de Marseille",
            "option1_day1": f"{year}-04-10", "option1_day2": f"{year}-05-15", "option1_day3": f"{year}-06-12",
            "option2_day1": f"{year}-10-02"}
    partial = post_form(client, "/seminaire/nouveau", form)
    assert partial.status_code == 422 and "trois dates de la seconde session" in partial.get_data(as_text=True)
    assert f'value="{year}-10-02"' in partial.get_data(as_text=True)
    wrong_year = post_form(client, "/seminaire/nouveau", {**form, "option2_day1": "", "option1_day3": "2001-06-12"})
    assert "dans l&#39;année du séminaire" in wrong_year.get_data(as_text=True)
    form.update(option2_day2=f"{year}-10-09", option2_day3=f"{year}-10-16")
    response = post_form(client, "/seminaire/nouveau", form)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "250 € par stagiaire" in page and "Session 1" in page and "Session 2" in page and "<strong>ou</strong>" in page
    agenda = client.get("/agenda").get_data(as_text=True)
    assert f"10 avril {year}" in agenda and "session 2" in agenda
    events = Calendar.from_ical(client.get("/agenda.ics").get_data()).walk("VEVENT")
    starts = {e.decoded("dtstart") for e in events if "Séminaire" in str(e["summary"])}
    assert datetime(year, 10, 16, 9, 0, tzinfo=PARIS) in starts and len(starts) == 6


def test_demo_has_the_seed_seminar_calendar(demo_client):
    page = demo_client.get("/seminaire/").get_data(as_text=True)
    link = re.search(r'href="(/seminaire/\d+)">Séminaire ISIC 2012', page).group(1)
    seminar = demo_client.get(link).get_data(as_text=True)
    for day in ("6 avril 2012", "11 mai 2012", "7 juin 2012", "5 octobre 2012", "12 octobre 2012", "19 octobre 2012"):
        assert day in seminar


def test_an_action_unpublished_after_its_presentation_is_not_shown_to_the_public(app, client, session, group):
    workshop, action, alice, _ = group
    meeting = WorkshopSession(workshop_id=workshop.id, day=date(2026, 2, 13), half_day="am")
    session.add(meeting)
    session.flush()
    session.add(Presentation(session_id=meeting.id, action_id=action.id, presenters=[alice]))
    action.publication_status = "brouillon"
    session.commit()
    for url in (f"/ateliers/seances/{meeting.id}", f"/ateliers/seances/{meeting.id}/programme",
                f"/ateliers/{workshop.id}"):
        assert "Jardin partagé de Barriol" not in client.get(url).get_data(as_text=True), url


def test_a_professional_asks_to_join_a_group_and_a_trainer_answers(app, session, make):
    from kb.mail import sent_mails
    from kb.models import Enrolment, JoinRequest, Workshop

    trainer = make.user("formateur", email="formatrice@exemple.fr")
    nadia = make.practitioner(first_name="Nadia", last_name="Demande", isic_experience="experimente")
    pro = make.user("professionnel", practitioner=nadia, email="nadia@exemple.fr")
    student = make.user("etudiant")
    workshop = Workshop(name="Groupe ISIC Arles", year=2030, capacity=1, trainers=[trainer])
    session.add(workshop)
    session.commit()
    asker = app.test_client()
    login(asker, pro)
    page = asker.get(f"/ateliers/{workshop.id}").get_data(as_text=True)
    assert "Demander à rejoindre le groupe" in page and "Places</dt><dd>1, dont 1 libre" in page
    response = post_form(asker, f"/ateliers/{workshop.id}/rejoindre", {"message": "J'anime un groupe à Barriol."},
                         follow_redirects=True)
    assert "Votre demande est transmise" in response.get_data(as_text=True)
    assert sent_mails(app)[-1]["To"] == trainer.email and "Nadia Demande" in sent_mails(app)[-1].get_content()
    again = post_form(asker, f"/ateliers/{workshop.id}/rejoindre", {}, follow_redirects=True)
    assert "Votre demande est déjà transmise" in again.get_data(as_text=True)
    other = app.test_client()
    login(other, student)
    refused = other.post(f"/ateliers/{workshop.id}/rejoindre", data={"csrf_token": csrf_token(other, "/ateliers/")})
    assert refused.status_code == 403  # a student does not join a practitioners' group

    moderator = app.test_client()
    login(moderator, trainer)
    request_id = session.exec(select(JoinRequest.id)).one()
    listed = moderator.get(f"/ateliers/{workshop.id}").get_data(as_text=True)
    assert "J&#39;anime un groupe à Barriol." in listed and "Accepter" in listed
    post_form(moderator, f"/ateliers/demandes/{request_id}", {"decision": "accepter"})
    session.expire_all()
    assert [(e.practitioner_id, e.experience) for e in session.exec(select(Enrolment))] == [(nadia.id, "experimente")]
    assert sent_mails(app)[-1]["To"] == pro.email and "acceptée" in sent_mails(app)[-1].get_content()
    assert "Vous faites partie de ce groupe." in asker.get(f"/ateliers/{workshop.id}").get_data(as_text=True)
    twice = post_form(moderator, f"/ateliers/demandes/{request_id}", {"decision": "refuser"}, follow_redirects=True)
    assert "Cette demande a déjà reçu une réponse." in twice.get_data(as_text=True)


def test_a_full_group_takes_requests_but_accepts_none_until_a_place_is_free(app, session, make):
    from kb.models import Enrolment, JoinRequest, Workshop

    trainer = make.user("formateur")
    member, newcomer = make.practitioner(), make.practitioner(first_name="Zoé")
    pro = make.user("professionnel", practitioner=newcomer)
    workshop = Workshop(name="Groupe complet", year=2030, capacity=1, trainers=[trainer],
                        enrolments=[Enrolment(practitioner_id=member.id)])
    session.add(workshop)
    session.commit()
    asker = app.test_client()
    login(asker, pro)
    assert "Le groupe est complet" in asker.get(f"/ateliers/{workshop.id}").get_data(as_text=True)
    post_form(asker, f"/ateliers/{workshop.id}/rejoindre", {})
    moderator = app.test_client()
    login(moderator, trainer)
    request_id = session.exec(select(JoinRequest.id)).one()
    full = post_form(moderator, f"/ateliers/demandes/{request_id}", {"decision": "accepter"}, follow_redirects=True)
    assert "Le groupe est complet (1 places)" in full.get_data(as_text=True)
    session.expire_all()
    assert session.get(JoinRequest, request_id).status == "demandee" and len(session.exec(select(Enrolment)).all()) == 1
    too_small = post_form(moderator, f"/ateliers/{workshop.id}/modifier", {
        "name": "Groupe complet", "year": "2030", "capacity": "1", "trainer_ids": str(trainer.id),
        "enrolments-0-practitioner_id": str(member.id), "enrolments-0-experience": "debutant",
        "enrolments-1-practitioner_id": str(newcomer.id), "enrolments-1-experience": "debutant"})
    assert too_small.status_code == 422 and "prévoyez au moins autant de places" in too_small.get_data(as_text=True)
    declined = post_form(moderator, f"/ateliers/demandes/{request_id}", {"decision": "refuser"})
    assert declined.status_code == 302
    session.expire_all()
    assert session.get(JoinRequest, request_id).status == "refusee"


def test_an_account_without_a_profile_is_told_how_to_join(app, session, make):
    from kb.models import Workshop

    pro = make.user("professionnel")
    workshop = Workshop(name="Groupe", year=2030)
    session.add(workshop)
    session.commit()
    client = app.test_client()
    login(client, pro)
    html = post_form(client, f"/ateliers/{workshop.id}/rejoindre", {}, follow_redirects=True).get_data(as_text=True)
    assert "Votre compte n&#39;est relié à aucune fiche d&#39;intervenant·e" in html


def test_people_register_themselves_for_a_debate_day_within_its_places_and_may_cancel(app, session, make):
    from kb.models import DebateDay

    first, second = make.practitioner(first_name="Inès"), make.practitioner(first_name="Paul")
    accounts = [make.user("professionnel", practitioner=first), make.user("etudiant", practitioner=second)]
    debate = DebateDay(title="Journée rencontre 2030", day=date(2030, 11, 22), capacity=1)
    past = DebateDay(title="Journée 2012", day=date(2012, 11, 16))
    session.add_all([debate, past])
    session.commit()
    clients = []
    for account in accounts:
        clients.append(app.test_client())
        login(clients[-1], account)
    page = clients[0].get(f"/journees/{debate.id}").get_data(as_text=True)
    assert "1 places, dont 1 libre." in page and "M'inscrire à la journée" in page
    done = post_form(clients[0], f"/journees/{debate.id}/inscription", {}, follow_redirects=True)
    assert "Vous êtes inscrit·e à la journée." in done.get_data(as_text=True)
    assert "La journée est complète." in clients[1].get(f"/journees/{debate.id}").get_data(as_text=True)
    full = post_form(clients[1], f"/journees/{debate.id}/inscription", {}, follow_redirects=True)
    assert "La journée est complète (1 places)." in full.get_data(as_text=True)
    cancelled = post_form(clients[0], f"/journees/{debate.id}/inscription", {"annuler": "1"}, follow_redirects=True)
    assert "Votre inscription est annulée." in cancelled.get_data(as_text=True)
    assert post_form(clients[1], f"/journees/{debate.id}/inscription", {}).status_code == 302
    session.expire_all()
    assert [p.id for p in session.get(DebateDay, debate.id).attendees] == [second.id]
    closed = post_form(clients[0], f"/journees/{past.id}/inscription", {}, follow_redirects=True)
    assert "La journée a eu lieu : les inscriptions sont closes." in closed.get_data(as_text=True)
    assert session.get(DebateDay, past.id).attendees == []
    anonymous = app.test_client().get(f"/journees/{debate.id}").get_data(as_text=True)
    assert "pour vous inscrire" in anonymous


def test_a_debate_day_keeps_at_least_as_many_places_as_people_registered(client, session, make, editor):
    from kb.models import DebateDay

    people = [make.practitioner() for _ in range(2)]
    debate = DebateDay(title="Journée", day=date(2030, 11, 22), attendees=people)
    session.add(debate)
    session.commit()
    refused = post_form(client, f"/journees/{debate.id}/modifier",
                        {"title": "Journée", "day": "2030-11-22", "capacity": "1"})
    assert refused.status_code == 422 and "2 personnes sont déjà inscrites" in refused.get_data(as_text=True)
    assert post_form(client, f"/journees/{debate.id}/modifier",
                     {"title": "Journée", "day": "2030-11-22", "capacity": "2"}).status_code == 302


def test_workshop_tags_are_ticked_from_the_known_ones_or_typed_and_untick_to_remove(client, session, make, editor):
    first, second = make.action(title="Jardin des Tamaris"), make.action(title="Café des parents")
    session.commit()
    post_form(client, f"/ateliers/actions/{first.id}/etiquettes", {"tags": "Groupe ISIC 2026, Évaluation"})
    page = client.get(f"/ateliers/actions/{second.id}/etiquettes").get_data(as_text=True)
    assert re.search(r'<input type="checkbox" id="tag-\d+" name="tag" value="Évaluation">', page)
    post_form(client, f"/ateliers/actions/{second.id}/etiquettes", {"tag": ["Évaluation", "évaluation"],
                                                                   "tags": "Posture professionnelle"})
    session.expire_all()
    assert sorted(t.name for t in session.get(type(second), second.id).tags_of("atelier")) == [
        "Posture professionnelle", "Évaluation"]
    page = client.get(f"/ateliers/actions/{second.id}/etiquettes").get_data(as_text=True)
    assert re.search(r'name="tag" value="Évaluation" checked>', page)  # ticked, and listed first
    post_form(client, f"/ateliers/actions/{second.id}/etiquettes", {"tag": "Posture professionnelle"})
    session.expire_all()
    assert [t.name for t in session.get(type(second), second.id).tags_of("atelier")] == ["Posture professionnelle"]
