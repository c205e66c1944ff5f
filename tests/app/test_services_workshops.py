"""Workshop operations as trainers rely on them: groups, half-day sessions, programmes, attendance, tags,
and what the agenda and the iCalendar feeds take from them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import func, select

from kb.errors import DomainError
from kb.forms.workshops import EnrolmentRow, PresentationInput, SessionInput, SynthesisInput, WorkshopInput
from kb.models import (
    ActionTag,
    Attendance,
    Enrolment,
    FieldAction,
    Practitioner,
    Presentation,
    Workshop,
    WorkshopSession,
)
from kb.models.base import utcnow
from kb.policy import Viewer
from kb.services import workshops as services
from kb.services.tags import get_or_create_tags

TRAINER = Viewer(role="formateur", user_id=1)

LATER = date(2030, 1, 1)  # any day after the sessions of these tests


def rows_of(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def new_group(session, name: str = "Groupe ISIC Arles 2026", year: int = 2026, people=()) -> Workshop:
    workshop = Workshop(name=name, year=year, enrolments=[Enrolment(practitioner_id=p.id) for p in people])
    session.add(workshop)
    session.flush()
    return workshop


def slot(day: date, half_day: str = "am", place: str = "", status: str = "prevue") -> SessionInput:
    return SessionInput(day=day, half_day=half_day, place=place, status=status)


def meeting_of(session, workshop: Workshop, day: date, half_day: str = "am", status: str = "prevue"
               ) -> WorkshopSession:
    return services.save_session(session, workshop, slot(day, half_day, status=status))


@pytest.fixture
def people(make):
    """Two practitioners who may be enrolled: Alice (experienced) and Bruno (beginning)."""
    return (make.practitioner(first_name="Alice", last_name="Arnaud"),
            make.practitioner(first_name="Bruno", last_name="Blanc", isic_experience="debutant"))


# Groups


def test_groups_are_listed_latest_year_first_then_by_name(session):
    for name, year in (("Avignon", 2026), ("Marseille", 2025), ("Zone Arles", 2026)):
        new_group(session, name, year)
    assert [(w.name, w.year) for w in services.list_workshops(session)] == [
        ("Avignon", 2026), ("Zone Arles", 2026), ("Marseille", 2025)]


def test_only_approved_trainers_and_admins_may_run_a_group(session, make):
    make.user("formateur", name="Zoé Trainer")
    make.user("admin", name="Anne Admin")
    make.user("formateur", name="Bob Pending", approved=False)
    make.user("professionnel", name="Paul Pro")
    make.user("etudiant", name="Eva Student")
    assert [a.display_name for a in services.trainers(session)] == ["Anne Admin", "Zoé Trainer"]


def test_enrollable_practitioners_are_by_name_without_anonymised_people(session, make):
    make.practitioner(first_name="Alice", last_name="Blanc")
    make.practitioner(first_name="Bruno", last_name="Arnaud")
    make.practitioner(first_name="Alex", last_name="Arnaud")
    make.practitioner(first_name="Intervenant·e", last_name="anonymisé·e", anonymised_at=utcnow())
    assert [p.full_name for p in services.practitioners(session)] == ["Alex Arnaud", "Bruno Arnaud", "Alice Blanc"]


def test_a_trainer_creates_a_group_with_its_trainers_and_enrolled_people(session, make, people):
    alice, bruno = people
    trainer = make.user("formateur")
    arles = make.territory("arles")
    data = WorkshopInput(name="Groupe ISIC Arles 2026", year=2026, territory_id=arles.id,
                         description="Six demi-journées.", trainer_ids=[trainer.id],
                         enrolments=[EnrolmentRow(practitioner_id=alice.id, experience="experimente"),
                                     EnrolmentRow(practitioner_id=bruno.id)])
    workshop = services.save_workshop(session, data, TRAINER)
    session.expire_all()
    saved = session.get(Workshop, workshop.id)
    assert (saved.name, saved.year, saved.territory_id, saved.description) == (
        "Groupe ISIC Arles 2026", 2026, arles.id, "Six demi-journées.")
    assert [t.id for t in saved.trainers] == [trainer.id]
    assert {(e.practitioner_id, e.experience) for e in saved.enrolments} == {
        (alice.id, "experimente"), (bruno.id, "debutant")}


def test_a_group_needs_no_unit_nor_trainer(session):
    workshop = services.save_workshop(session, WorkshopInput(name="Groupe libre", year=2027), TRAINER)
    assert workshop.id is not None and workshop.territory_id is None and workshop.trainers == []


def test_editing_a_group_keeps_its_enrolments_and_their_attendance(session, make, people):
    alice, bruno = people
    carla = make.practitioner(first_name="Carla", last_name="Costa")
    workshop = services.save_workshop(session, WorkshopInput(
        name="Groupe 2026", year=2026, enrolments=[EnrolmentRow(practitioner_id=alice.id),
                                                   EnrolmentRow(practitioner_id=bruno.id)]), TRAINER)
    meeting = meeting_of(session, workshop, date(2026, 2, 13))
    services.record_attendance(session, meeting, [alice.id], LATER)
    edited = services.save_workshop(session, WorkshopInput(
        name="Groupe ISIC 2026", year=2026, enrolments=[EnrolmentRow(practitioner_id=alice.id, experience="experimente"),
                                                        EnrolmentRow(practitioner_id=carla.id)]), TRAINER, workshop)
    session.expire_all()
    assert edited.id == workshop.id and rows_of(session, Workshop) == 1
    saved = session.get(Workshop, workshop.id)
    assert saved.name == "Groupe ISIC 2026"
    assert {(e.practitioner_id, e.experience) for e in saved.enrolments} == {
        (alice.id, "experimente"), (carla.id, "debutant")}
    assert services.attendance_counts(saved)["people"] == {alice.id: 1, carla.id: 0}


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"territory_id": 999_999}, "territory_id", "Cette unité n'existe pas."),
    ({"trainer_ids": [999_999]}, "trainer_ids", "Choisissez des formateur·rices dans la liste."),
    ({"enrolments": [EnrolmentRow(practitioner_id=999_999)]}, "enrolments",
     "Une personne inscrite n'existe plus. Rechargez la page."),
])
def test_a_group_refers_to_existing_records(session, change, field, message):
    with pytest.raises(DomainError) as refused:
        services.save_workshop(session, WorkshopInput(name="Groupe 2026", year=2026, **change), TRAINER)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert rows_of(session, Workshop) == 0


@pytest.mark.parametrize("role", ["professionnel", "etudiant"])
def test_only_trainers_and_admins_may_be_named_trainers(session, make, role):
    account = make.user(role)
    with pytest.raises(DomainError) as refused:
        services.save_workshop(session, WorkshopInput(name="Groupe 2026", year=2026, trainer_ids=[account.id]),
                               TRAINER)
    assert (refused.value.field, refused.value.message) == (
        "trainer_ids", "Choisissez des formateur·rices dans la liste.")


def test_deleting_a_group_deletes_its_sessions_programmes_and_attendance(session, make, people):
    alice, bruno = people
    action = make.action()
    workshop = new_group(session, people=people)
    other = new_group(session, "Autre groupe", people=[bruno])
    meeting = meeting_of(session, workshop, date(2026, 2, 13))
    services.add_presentation(session, meeting, PresentationInput(action_id=action.id, presenter_ids=[alice.id]))
    services.record_attendance(session, meeting, [alice.id], LATER)
    kept = meeting_of(session, other, date(2026, 2, 13))
    services.delete_workshop(session, workshop)
    session.expire_all()
    assert [w.id for w in session.exec(select(Workshop))] == [other.id]
    assert [m.id for m in session.exec(select(WorkshopSession))] == [kept.id]
    assert rows_of(session, Presentation) == 0 and rows_of(session, Attendance) == 0
    assert [e.practitioner_id for e in session.exec(select(Enrolment))] == [bruno.id]
    assert session.get(FieldAction, action.id) is not None and rows_of(session, Practitioner) == 2


# Sessions on half-days


def test_a_session_is_saved_on_its_half_day(session):
    workshop = new_group(session)
    meeting = services.save_session(session, workshop, slot(date(2026, 2, 13), "pm", "Antenne d'Arles"))
    session.expire_all()
    saved = session.get(WorkshopSession, meeting.id)
    assert (saved.workshop_id, saved.day, saved.half_day, saved.place, saved.status) == (
        workshop.id, date(2026, 2, 13), "pm", "Antenne d'Arles", "prevue")


@pytest.mark.parametrize(("half_day", "label"), [("am", "matin"), ("pm", "après-midi")])
def test_a_group_cannot_meet_twice_on_the_same_half_day(session, half_day, label):
    workshop = new_group(session)
    meeting_of(session, workshop, date(2026, 2, 13), half_day)
    with pytest.raises(DomainError) as clash:
        meeting_of(session, workshop, date(2026, 2, 13), half_day)
    assert clash.value.field == "half_day"
    assert clash.value.message == f"Le groupe a déjà une séance le 13/02/2026 {label}."
    assert rows_of(session, WorkshopSession) == 1


def test_the_same_group_may_meet_on_another_day_or_the_other_half_day(session):
    workshop = new_group(session)
    meeting_of(session, workshop, date(2026, 2, 13), "am")
    meeting_of(session, workshop, date(2026, 2, 13), "pm")
    meeting_of(session, workshop, date(2026, 2, 14), "am")
    assert rows_of(session, WorkshopSession) == 3


def test_two_groups_may_meet_on_the_same_half_day(session):
    arles, avignon = new_group(session, "Arles"), new_group(session, "Avignon")
    meeting_of(session, arles, date(2026, 2, 13), "am")
    meeting = meeting_of(session, avignon, date(2026, 2, 13), "am")
    assert meeting.workshop_id == avignon.id and rows_of(session, WorkshopSession) == 2


def test_editing_a_session_may_keep_its_slot(session):
    workshop = new_group(session)
    meeting = meeting_of(session, workshop, date(2026, 2, 13), "am")
    edited = services.save_session(session, workshop, slot(date(2026, 2, 13), "am", "Salle polyvalente", "tenue"),
                                   meeting)
    session.expire_all()
    saved = session.get(WorkshopSession, meeting.id)
    assert edited.id == meeting.id and rows_of(session, WorkshopSession) == 1
    assert (saved.place, saved.status) == ("Salle polyvalente", "tenue")


def test_a_session_moved_keeps_its_id_but_not_onto_another_session_of_the_group(session):
    workshop = new_group(session)
    first = meeting_of(session, workshop, date(2026, 2, 13), "am")
    meeting_of(session, workshop, date(2026, 3, 26), "pm")
    moved = services.save_session(session, workshop, slot(date(2026, 2, 20), "pm"), first)
    assert (moved.id, moved.day, moved.half_day) == (first.id, date(2026, 2, 20), "pm")
    with pytest.raises(DomainError) as clash:
        services.save_session(session, workshop, slot(date(2026, 3, 26), "pm"), first)
    assert clash.value.message == "Le groupe a déjà une séance le 26/03/2026 après-midi."


def test_deleting_a_session_deletes_its_programme_and_attendance_only(session, make, people):
    alice, bruno = people
    action = make.action()
    workshop = new_group(session, people=people)
    gone, kept = meeting_of(session, workshop, date(2026, 2, 13)), meeting_of(session, workshop, date(2026, 3, 26))
    for meeting in (gone, kept):
        services.add_presentation(session, meeting, PresentationInput(action_id=action.id, presenter_ids=[alice.id]))
        services.record_attendance(session, meeting, [alice.id, bruno.id], LATER)
    services.delete_session(session, gone)
    session.expire_all()
    assert [m.id for m in session.exec(select(WorkshopSession))] == [kept.id]
    assert [p.session_id for p in session.exec(select(Presentation))] == [kept.id]
    assert {a.session_id for a in session.exec(select(Attendance))} == {kept.id}
    assert rows_of(session, Enrolment) == 2


# Programmes


@pytest.fixture
def meeting(session, people):
    """A session of a group where Alice and Bruno are enrolled."""
    return meeting_of(session, new_group(session, people=people), date(2026, 3, 26), "pm")


def add(session, meeting, action, *presenters) -> Presentation:
    return services.add_presentation(session, meeting, PresentationInput(
        action_id=action.id, presenter_ids=[p.id for p in presenters]))


def test_presentations_are_numbered_in_the_order_they_are_added(session, make, meeting, people):
    alice, bruno = people
    first = add(session, meeting, make.action(title="Jardin partagé"), alice, bruno)
    second = add(session, meeting, make.action(title="Repair café"), bruno)
    assert (first.position, second.position) == (1, 2)
    assert sorted(p.full_name for p in first.presenters) == ["Alice Arnaud", "Bruno Blanc"]
    assert [p.action.title for p in meeting.presentations] == ["Jardin partagé", "Repair café"]
    services.remove_presentation(session, first)
    third = add(session, meeting, make.action(title="Cuisine"), alice)
    assert third.position == 3
    assert [p.action.title for p in session.get(WorkshopSession, meeting.id).presentations] == [
        "Repair café", "Cuisine"]


@pytest.mark.parametrize("unpublished", [
    {"publication_status": "brouillon"},
    {"publication_status": "en_attente"},
    {"hidden_at": utcnow()},
])
def test_only_published_actions_can_be_presented(session, make, meeting, people, unpublished):
    action = make.action(**unpublished)
    with pytest.raises(DomainError) as refused:
        add(session, meeting, action, people[0])
    assert (refused.value.field, refused.value.message) == ("action_id", "Seule une action publiée peut être présentée.")
    assert rows_of(session, Presentation) == 0


def test_an_archived_action_can_be_presented(session, make, meeting, people):
    assert add(session, meeting, make.action(publication_status="archivee"), people[0]).position == 1


def test_a_deleted_action_cannot_be_presented(session, meeting, people):
    with pytest.raises(DomainError) as refused:
        services.add_presentation(session, meeting, PresentationInput(action_id=999_999, presenter_ids=[people[0].id]))
    assert refused.value.message == "Seule une action publiée peut être présentée."


def test_an_action_is_on_a_programme_once_with_known_presenters(session, make, meeting, people):
    action = make.action()
    with pytest.raises(DomainError) as nobody:
        add(session, meeting, action)
    assert (nobody.value.field, nobody.value.message) == (
        "presenter_ids", "Indiquez qui présente l'action (une personne ou une équipe).")
    with pytest.raises(DomainError) as unknown:
        services.add_presentation(session, meeting, PresentationInput(action_id=action.id, presenter_ids=[999_999]))
    assert (unknown.value.field, unknown.value.message) == (
        "presenter_ids", "Un·e intervenant·e choisi·e n'existe plus.")
    add(session, meeting, action, people[0])
    with pytest.raises(DomainError) as twice:
        add(session, meeting, action, people[1])
    assert (twice.value.field, twice.value.message) == ("action_id", "Cette action est déjà au programme de la séance.")
    assert rows_of(session, Presentation) == 1


def test_the_same_action_may_be_presented_at_two_sessions(session, make, meeting, people):
    action = make.action()
    add(session, meeting, action, people[0])
    later = meeting_of(session, meeting.workshop, date(2026, 5, 21))
    assert add(session, later, action, people[1]).position == 1


def test_presentations_move_up_and_down_within_the_programme(session, make, meeting, people):
    a, b, c = (add(session, meeting, make.action(title=t), people[0]) for t in ("A", "B", "C"))

    def order():
        session.expire_all()
        return [(p.action.title, p.position) for p in session.get(WorkshopSession, meeting.id).presentations]

    services.move_presentation(session, c, -1)
    assert order() == [("A", 1), ("C", 2), ("B", 3)]
    services.move_presentation(session, session.get(Presentation, a.id), +1)
    assert order() == [("C", 1), ("A", 2), ("B", 3)]
    services.move_presentation(session, session.get(Presentation, c.id), -1)  # already first
    assert order() == [("C", 1), ("A", 2), ("B", 3)]
    services.move_presentation(session, session.get(Presentation, b.id), +1)  # already last
    assert order() == [("C", 1), ("A", 2), ("B", 3)]


def test_a_synthesis_records_what_was_learnt_and_the_questions(session, make, meeting, people):
    presentation = add(session, meeting, make.action(), people[0])
    services.save_synthesis(session, presentation, SynthesisInput(learnt="Le temps long compte.",
                                                                  questions="Qui évalue ?\nComment durer ?"))
    session.expire_all()
    saved = session.get(Presentation, presentation.id)
    assert (saved.learnt, saved.question_list) == ("Le temps long compte.", ["Qui évalue ?", "Comment durer ?"])


def test_an_action_lists_where_it_was_presented_latest_first(session, make, people):
    alice = people[0]
    action, other = make.action(), make.action()
    workshop = new_group(session, people=people)
    for day, half in ((date(2026, 3, 1), "am"), (date(2026, 1, 10), "pm"), (date(2026, 3, 1), "pm")):
        add(session, meeting_of(session, workshop, day, half), action, alice)
    add(session, meeting_of(session, workshop, date(2026, 4, 2)), other, alice)
    assert [(p.session.day, p.session.half_day) for p in services.presentations_of(session, action)] == [
        (date(2026, 3, 1), "pm"), (date(2026, 3, 1), "am"), (date(2026, 1, 10), "pm")]


# Attendance


def test_attendance_marks_the_present_and_the_absent(session, meeting, people):
    alice, bruno = people
    assert services.record_attendance(session, meeting, [alice.id], LATER) == 1
    session.expire_all()
    assert {(a.practitioner_id, a.present) for a in session.exec(select(Attendance))} == {
        (alice.id, True), (bruno.id, False)}


def test_recording_attendance_twice_does_not_duplicate_rows(session, meeting, people):
    alice, bruno = people
    services.record_attendance(session, meeting, [alice.id, bruno.id], LATER)
    session.commit()  # each submission of the attendance form is a request of its own
    session.expire_all()
    assert services.record_attendance(session, meeting, [bruno.id], LATER) == 1
    session.expire_all()
    assert sorted((a.practitioner_id, a.present) for a in session.exec(select(Attendance))) == sorted(
        [(alice.id, False), (bruno.id, True)])


def test_only_enrolled_people_can_be_marked_present(session, make, meeting, people):
    stranger = make.practitioner()
    with pytest.raises(DomainError) as refused:
        services.record_attendance(session, meeting, [people[0].id, stranger.id], LATER)
    assert (refused.value.field, refused.value.message) == (
        "present", "Seules les personnes inscrites au groupe peuvent être pointées.")
    assert rows_of(session, Attendance) == 0


@pytest.mark.parametrize(("days_from_today", "status", "after"), [
    (-7, "prevue", "tenue"),
    (0, "prevue", "tenue"),
    (-7, "annulee", "annulee"),  # (attendance cannot be ticked in advance: test_attendance_waits_for_the_session_day)
])
def test_recording_attendance_marks_a_planned_session_held_once_its_day_has_come(session, people, days_from_today,
                                                                                  status, after):
    workshop = new_group(session, people=people)
    meeting = meeting_of(session, workshop, date.today() + timedelta(days=days_from_today), status=status)
    services.record_attendance(session, meeting, [people[0].id], date.today())
    session.expire_all()
    assert session.get(WorkshopSession, meeting.id).status == after


def test_attendance_is_counted_per_session_and_per_person(session, make, people):
    alice, bruno = people
    carla = make.practitioner(first_name="Carla", last_name="Costa")
    workshop = new_group(session, people=[alice, bruno, carla])
    first, second = meeting_of(session, workshop, date(2026, 2, 13)), meeting_of(session, workshop, date(2026, 3, 26))
    services.record_attendance(session, first, [alice.id, bruno.id], LATER)
    services.record_attendance(session, second, [alice.id], LATER)
    session.expire_all()
    counts = services.attendance_counts(session.get(Workshop, workshop.id))
    assert counts == {"sessions": {first.id: 2, second.id: 1}, "people": {alice.id: 2, bruno.id: 1, carla.id: 0}}


# Trainers' tags and the candidates of a session


def test_workshop_tags_in_use_are_listed_by_name(session, make):
    make.action(themes=["Santé"])
    services.set_workshop_tags(session, make.action(), ["Évaluation", "Posture"])
    get_or_create_tags(session, "atelier", ["Jamais utilisée"])
    assert [t.name for t in services.workshop_tags(session)] == ["Posture", "Évaluation"]  # by name, as stored


def test_workshop_tags_replace_the_trainers_tags_and_keep_the_authors_themes(session, make):
    action = make.action(themes=["Santé"], publics=["Familles"])
    services.set_workshop_tags(session, action, ["Ancienne"])
    services.set_workshop_tags(session, action, ["Posture", "Groupe 2026"])
    session.expire_all()
    saved = session.get(FieldAction, action.id)
    assert [t.name for t in saved.tags_of("atelier")] == ["Groupe 2026", "Posture"]
    assert [t.name for t in saved.tags_of("theme")] == ["Santé"]
    assert [t.name for t in saved.tags_of("public")] == ["Familles"]


def test_candidates_are_published_actions_tagged_for_workshops(session, make):
    jardin, repair = make.action(title="Jardin partagé"), make.action(title="Atelier repair café")
    draft, untagged = make.action(title="Brouillon tagué", publication_status="brouillon"), make.action(title="Autre")
    themed = make.action(title="Thème seulement", themes=["Posture"])
    services.set_workshop_tags(session, jardin, ["Posture"])
    services.set_workshop_tags(session, repair, ["Évaluation"])
    services.set_workshop_tags(session, draft, ["Posture"])
    titles = lambda found: [a.title for a in found]  # noqa: E731
    assert titles(services.candidates(session, None, None)) == ["Atelier repair café", "Jardin partagé"]
    assert titles(services.candidates(session, "posture", None)) == ["Jardin partagé"]
    assert titles(services.candidates(session, None, [repair.id, untagged.id, themed.id])) == ["Atelier repair café"]
    assert titles(services.candidates(session, "posture", [repair.id])) == []
    assert services.candidates(session, None, []) == []  # a search that matched nothing


def test_candidates_stop_at_two_hundred(session):
    tag = get_or_create_tags(session, "atelier", ["Groupe 2026"])[0]
    actions = [FieldAction(title=f"Action {n:03d}", summary="Résumé.", mode="groupe", publication_status="publiee")
               for n in range(201)]
    session.add_all(actions)
    session.flush()
    session.add_all([ActionTag(action_id=a.id, tag_id=tag.id) for a in actions])
    session.flush()
    found = services.candidates(session, None, None)
    assert len(found) == 200 and found[-1].title == "Action 199"


# The agenda and the iCalendar feeds


def test_upcoming_sessions_start_today_and_leave_out_cancelled_ones(session):
    today = date.today()
    arles, avignon = new_group(session, "Arles"), new_group(session, "Avignon")
    meeting_of(session, arles, today - timedelta(days=1))
    today_pm, today_am = meeting_of(session, arles, today, "pm"), meeting_of(session, arles, today, "am")
    meeting_of(session, arles, today + timedelta(days=1), status="annulee")
    next_week = meeting_of(session, avignon, today + timedelta(days=7))
    assert [m.id for m in services.upcoming_sessions(session, today)] == [today_am.id, today_pm.id, next_week.id]
    assert [m.id for m in services.upcoming_sessions(session, today, avignon)] == [next_week.id]


def test_calendar_sessions_keep_the_past_and_leave_out_cancelled_ones(session):
    arles, avignon = new_group(session, "Arles"), new_group(session, "Avignon")
    late = meeting_of(session, arles, date(2012, 2, 24), "pm")
    early = meeting_of(session, arles, date(2012, 2, 24), "am")
    meeting_of(session, arles, date(2012, 3, 22), status="annulee")
    other = meeting_of(session, avignon, date(2012, 1, 5))
    assert [m.id for m in services.sessions_for_calendar(session)] == [other.id, early.id, late.id]
    assert [m.id for m in services.sessions_for_calendar(session, arles)] == [early.id, late.id]


def test_a_cancelled_session_leaves_the_agenda_and_the_feeds(client, session):
    workshop = new_group(session, "Groupe ISIC Arles 2026")
    soon = date.today() + timedelta(days=10)
    held = meeting_of(session, workshop, soon, "am")
    meeting_of(session, workshop, soon + timedelta(days=7), "pm", status="annulee")
    session.commit()

    def shown():
        agenda = client.get("/agenda").get_data(as_text=True)
        feeds = [Calendar.from_ical(client.get(url).get_data()) for url in ("/agenda.ics", f"/ateliers/{workshop.id}.ics")]
        return agenda.count("Groupe ISIC Arles 2026"), [len(feed.walk("VEVENT")) for feed in feeds]

    assert shown() == (1, [1, 1])
    held.status = "annulee"
    session.commit()
    assert shown() == (0, [0, 0])


def test_attendance_waits_for_the_session_day(session, meeting, people):
    alice = people[0]
    with pytest.raises(DomainError, match="La séance n'a pas encore eu lieu : les présences se pointent à partir du"):
        services.record_attendance(session, meeting, [alice.id], meeting.day - timedelta(days=1))
    assert meeting.attendance == [] and meeting.status == "prevue"
    assert services.record_attendance(session, meeting, [alice.id], meeting.day) == 1  # the day itself
    assert meeting.status == "tenue"
