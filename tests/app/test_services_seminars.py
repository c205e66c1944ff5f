"""The seminar's calendar: two alternative sessions of three days, listed in the agenda and its feed."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from kb.db import new_session
from kb.forms.workshops import SeminarInput
from kb.models import Seminar, SeminarDay
from kb.services import seminars as services

FIRST = {"option1_day1": date(2026, 4, 10), "option1_day2": date(2026, 5, 15), "option1_day3": date(2026, 6, 12)}
SECOND = {"option2_day1": date(2026, 10, 2), "option2_day2": date(2026, 10, 9), "option2_day3": date(2026, 10, 16)}


def seminar_input(**fields) -> SeminarInput:
    values = {"title": "Séminaire ISIC 2026", "year": 2026, **FIRST}
    values.update(fields)
    return SeminarInput(**values)


def test_a_seminar_is_saved_with_the_dates_of_its_sessions(session):
    seminar = services.save_seminar(session, seminar_input(price_eur=300, place="Unité de Marseille",
                                                           description="Trois jours.", **SECOND))
    session.expire_all()
    saved = session.get(Seminar, seminar.id)
    assert (saved.title, saved.year, saved.price_eur, saved.place, saved.description) == (
        "Séminaire ISIC 2026", 2026, 300, "Unité de Marseille", "Trois jours.")
    assert saved.option_days(1) == list(FIRST.values()) and saved.option_days(2) == list(SECOND.values())


def test_a_seminar_may_offer_one_session_only(session):
    seminar = services.save_seminar(session, seminar_input())
    assert seminar.option_days(1) == list(FIRST.values()) and seminar.option_days(2) == []


def test_editing_a_seminar_keeps_the_dates_kept_and_replaces_the_others(session):
    seminar = services.save_seminar(session, seminar_input(**SECOND))
    kept = {(d.option, d.day): d.id for d in seminar.days}
    edited = services.save_seminar(session, seminar_input(title="Séminaire ISIC 2026 (reporté)", year=2026,
                                                          option1_day3=date(2026, 6, 19)), seminar)
    session.expire_all()
    assert edited.id == seminar.id and len(session.exec(select(Seminar)).all()) == 1
    days = {(d.option, d.day): d.id for d in session.exec(select(SeminarDay))}
    assert sorted(days) == [(1, date(2026, 4, 10)), (1, date(2026, 5, 15)), (1, date(2026, 6, 19))]
    assert days[(1, date(2026, 4, 10))] == kept[(1, date(2026, 4, 10))]
    assert days[(1, date(2026, 5, 15))] == kept[(1, date(2026, 5, 15))]
    assert session.get(Seminar, seminar.id).title == "Séminaire ISIC 2026 (reporté)"


def test_seminars_are_listed_latest_year_first_on_both_databases(any_app):
    with any_app.app_context(), new_session(any_app) as session:
        first = services.save_seminar(session, seminar_input(title="Séminaire 2026"))
        older = services.save_seminar(session, seminar_input(title="Séminaire 2025", year=2025,
                                                             **{k: v.replace(year=2025) for k, v in FIRST.items()}))
        second = services.save_seminar(session, seminar_input(title="Séminaire 2026 bis"))
        assert [s.id for s in services.list_seminars(session)] == [second.id, first.id, older.id]


def test_the_agenda_lists_seminar_days_from_today_and_the_feed_all_of_them_on_both_databases(any_app):
    today = date.today()
    days = {"option1_day1": today - timedelta(days=1), "option1_day2": today, "option1_day3": today + timedelta(days=30)}
    with any_app.app_context(), new_session(any_app) as session:
        services.save_seminar(session, seminar_input(year=today.year, **days, option2_day1=today + timedelta(days=2),
                                                     option2_day2=today + timedelta(days=3),
                                                     option2_day3=today + timedelta(days=4)))
        assert [d.day for d in services.upcoming_days(session, today)] == [
            today + timedelta(days=n) for n in (0, 2, 3, 4, 30)]
        assert [d.day for d in services.all_days(session)] == [today + timedelta(days=n) for n in (-1, 0, 2, 3, 4, 30)]
