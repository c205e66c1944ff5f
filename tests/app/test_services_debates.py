"""The debate day: questions gathered from the year's sessions, themes a trainer groups them under,
participants' votes (three each) and who attends."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from kb.errors import DomainError
from kb.forms.workshops import DebateDayInput, ThemeInput
from kb.models import DebateDay, DebateTheme, Presentation, Workshop, WorkshopSession
from kb.services import debates as services

BEFORE = date(2026, 11, 1)  # before the debate days of these tests: votes are open


@pytest.fixture
def debate(session):
    """The 2026 debate day, on 27 November."""
    return services.save_debate(session, DebateDayInput(title="Journée débat 2026", day=date(2026, 11, 27)))


@pytest.fixture
def raise_questions(session, make):
    """raise_questions(day, half_day, *questions per presentation): a session of the group with its syntheses."""
    person = make.practitioner()
    action = make.action()
    workshop = Workshop(name="Groupe ISIC 2026", year=2026)
    session.add(workshop)
    session.flush()

    def _raise(day: date, half_day: str, *questions: str) -> WorkshopSession:
        meeting = WorkshopSession(workshop_id=workshop.id, day=day, half_day=half_day)
        session.add(meeting)
        session.flush()
        for position, text in enumerate(questions, 1):
            session.add(Presentation(session_id=meeting.id, action_id=action.id, position=position,
                                     presenters=[person], questions=text))
        session.flush()
        return meeting

    return _raise


def texts(session, debate) -> list[str]:
    return [q.text for q in services.gathered_questions(session, debate)]


def test_a_debate_day_is_saved_and_changed(session, debate):
    edited = services.save_debate(session, DebateDayInput(title="Journée débat/rencontre 2026", day=date(2026, 12, 4),
                                                          place="Avignon", programme="Matin : plénière."), debate)
    session.expire_all()
    saved = session.get(DebateDay, debate.id)
    assert edited.id == debate.id and len(session.exec(select(DebateDay)).all()) == 1
    assert (saved.title, saved.day, saved.place, saved.programme) == (
        "Journée débat/rencontre 2026", date(2026, 12, 4), "Avignon", "Matin : plénière.")


def test_debate_days_are_listed_latest_first(session, debate):
    earlier = services.save_debate(session, DebateDayInput(title="Journée 2012", day=date(2012, 11, 16)))
    later = services.save_debate(session, DebateDayInput(title="Journée 2027", day=date(2027, 11, 26)))
    assert [d.id for d in services.list_debates(session)] == [later.id, debate.id, earlier.id]


def test_questions_come_from_the_sessions_of_the_year_up_to_the_debate_day(session, debate, raise_questions):
    raise_questions(date(2025, 12, 31), "pm", "L'an dernier ?")
    raise_questions(date(2026, 1, 1), "am", "Le premier jour ?")
    raise_questions(date(2026, 11, 27), "am", "Le jour même ?")
    raise_questions(date(2026, 11, 28), "am", "Le lendemain ?")
    raise_questions(date(2026, 2, 1), "am", "Un dimanche de février ?")
    assert texts(session, debate) == ["Le premier jour ?", "Un dimanche de février ?", "Le jour même ?"]


def test_questions_are_in_session_then_programme_order_once_each(session, debate, raise_questions):
    raise_questions(date(2026, 3, 26), "pm", "Après-midi, première présentation ?\nCommune ?",
                    "Après-midi, seconde présentation ?")
    raise_questions(date(2026, 3, 26), "am", "Matin ?\n- Commune ?\n\n")
    raise_questions(date(2026, 2, 13), "pm", "Février ?")
    found = services.gathered_questions(session, debate)
    assert [q.text for q in found] == ["Février ?", "Matin ?", "Commune ?", "Après-midi, première présentation ?",
                                       "Après-midi, seconde présentation ?"]
    assert found[2].presentation.session.half_day == "am"  # where the question was first raised
    assert all(q.theme is None for q in found)


def test_questions_follow_the_programme_as_reordered(session, debate, raise_questions):
    meeting = raise_questions(date(2026, 3, 26), "am", "Présentée d'abord ?", "Présentée ensuite ?")
    first, second = meeting.presentations
    first.position, second.position = 2, 1  # the trainer moved the second presentation up
    session.flush()
    assert texts(session, debate) == ["Présentée ensuite ?", "Présentée d'abord ?"]


def test_a_theme_groups_questions_raised_in_the_sessions(session, debate, raise_questions):
    raise_questions(date(2026, 3, 26), "am", "Comment garder sa posture ?\nQui décide ?\nQuels indicateurs ?")
    theme = services.add_theme(session, debate, ThemeInput(title="La posture",
                                                           questions=["Comment garder sa posture ?", "Qui décide ?"]))
    assert (theme.debate_day_id, theme.title, theme.questions) == (
        debate.id, "La posture", "Comment garder sa posture ?\nQui décide ?")
    assert [t.title for t in debate.themes] == ["La posture"]
    grouped = {q.text: q.theme for q in services.gathered_questions(session, debate)}
    assert grouped == {"Comment garder sa posture ?": "La posture", "Qui décide ?": "La posture",
                       "Quels indicateurs ?": None}
    everything = services.add_theme(session, debate, ThemeInput(title="Tout", questions=list(grouped)))
    assert everything.questions.splitlines() == list(grouped)  # every question at once is allowed
    services.delete_theme(session, theme)
    session.expire_all()
    assert {q.text: q.theme for q in services.gathered_questions(session, session.get(DebateDay, debate.id))} == {
        "Comment garder sa posture ?": "Tout", "Qui décide ?": "Tout", "Quels indicateurs ?": "Tout"}


def test_a_theme_only_groups_questions_still_in_the_syntheses(session, debate, raise_questions):
    raise_questions(date(2026, 3, 26), "am", "Qui décide ?")
    with pytest.raises(DomainError) as refused:
        services.add_theme(session, debate, ThemeInput(title="Inventé", questions=["Qui décide ?", "Autre chose ?"]))
    assert (refused.value.field, refused.value.message) == (
        "questions", "Une question choisie n'existe plus dans les synthèses. Rechargez la page.")
    assert session.exec(select(DebateTheme)).all() == []


@pytest.fixture
def themes(session, debate):
    """Four themes of the debate day."""
    made = [DebateTheme(debate_day_id=debate.id, title=title, questions="Q ?") for title in ("A", "B", "C", "D")]
    session.add_all(made)
    session.flush()
    return made


def test_a_participant_votes_and_takes_her_vote_back(session, make, debate, themes):
    voter, other = make.user("etudiant"), make.user("etudiant")
    assert services.toggle_vote(session, themes[0], voter.id, BEFORE) is True
    assert services.toggle_vote(session, themes[1], other.id, BEFORE) is True
    assert services.votes_of(session, debate, voter.id) == {themes[0].id}
    assert services.toggle_vote(session, themes[0], voter.id, BEFORE) is False
    assert services.votes_of(session, debate, voter.id) == set()
    assert services.votes_of(session, debate, other.id) == {themes[1].id}
    assert services.votes_of(session, debate, None) == set()  # anonymous visitors have no votes


def test_three_votes_per_debate_day(session, make, debate, themes):
    voter = make.user("etudiant")
    other_day = services.save_debate(session, DebateDayInput(title="Journée 2027", day=date(2027, 11, 26)))
    elsewhere = DebateTheme(debate_day_id=other_day.id, title="Ailleurs", questions="Q ?")
    session.add(elsewhere)
    session.flush()
    assert services.toggle_vote(session, elsewhere, voter.id, BEFORE) is True  # another day's vote is not counted
    for theme in themes[:3]:
        services.toggle_vote(session, theme, voter.id, BEFORE)
    with pytest.raises(DomainError) as refused:
        services.toggle_vote(session, themes[3], voter.id, BEFORE)
    assert refused.value.message == "Vous avez déjà donné vos 3 voix : retirez-en une pour voter pour ce thème."
    assert services.votes_of(session, debate, voter.id) == {t.id for t in themes[:3]}
    assert services.votes_of(session, other_day, voter.id) == {elsewhere.id}


def test_a_debate_day_without_themes_has_no_votes(session, make, debate):
    assert services.votes_of(session, debate, make.user("etudiant").id) == set()


def test_themes_are_ranked_by_votes_then_title(session, make, debate, themes):
    voters = [make.user("etudiant") for _ in range(3)]
    for voter in voters:
        services.toggle_vote(session, themes[2], voter.id, BEFORE)
    for voter in voters[:2]:
        services.toggle_vote(session, themes[3], voter.id, BEFORE)
    services.toggle_vote(session, themes[1], voters[0].id, BEFORE)
    session.expire_all()
    ranked = services.ranked_themes(session.get(DebateDay, debate.id))
    assert [(t.title, n) for t, n in ranked] == [("C", 3), ("D", 2), ("B", 1), ("A", 0)]


def test_who_attends_the_debate_day_is_recorded(session, make, debate):
    alice, bruno = make.practitioner(), make.practitioner()
    services.set_attendees(session, debate, [alice.id, bruno.id])
    services.set_attendees(session, debate, [bruno.id])
    session.expire_all()
    assert [p.id for p in session.get(DebateDay, debate.id).attendees] == [bruno.id]
    with pytest.raises(DomainError) as refused:
        services.set_attendees(session, debate, [alice.id, 999_999])
    assert (refused.value.field, refused.value.message) == (
        "attendees", "Une personne choisie n'existe plus. Rechargez la page.")


def test_votes_close_when_the_day_has_passed(session, make, debate, themes):
    voter = make.user("professionnel")
    assert services.toggle_vote(session, themes[0], voter.id, debate.day) is True  # the day itself: still open
    with pytest.raises(DomainError, match="La journée a eu lieu : les votes sur ses thèmes sont clos."):
        services.toggle_vote(session, themes[0], voter.id, debate.day + timedelta(days=1))
    assert services.votes_of(session, debate, voter.id) == {themes[0].id}  # the vote given stays
