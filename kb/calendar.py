"""iCalendar feeds of the agenda (workshop sessions, debate days), in Europe/Paris time."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from kb.models import DebateDay, SeminarDay, WorkshopSession, choices
from kb.policy import is_public

PARIS = ZoneInfo("Europe/Paris")
DEBATE_HOURS = (time(9, 0), time(17, 0))


def half_day_hours(config_value: str) -> tuple[time, time]:
    """ "09:00-12:30" -> (09:00, 12:30); a malformed setting falls back to a morning."""
    try:
        start, end = (time.fromisoformat(part.strip()) for part in config_value.split("-"))
        return start, end
    except ValueError:
        return time(9, 0), time(12, 30)


def session_times(meeting: WorkshopSession, hours: dict[str, str]) -> tuple[datetime, datetime]:
    """Start and end of a half-day session, aware of Paris time (summer and winter)."""
    start, end = half_day_hours(hours[meeting.half_day])
    return datetime.combine(meeting.day, start, PARIS), datetime.combine(meeting.day, end, PARIS)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Observatoire des pratiques de l'ISIC//agenda//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    return cal


def _event(uid: str, stamp: datetime, start: datetime, end: datetime, summary: str, location: str, url: str,
           description: str = "") -> Event:
    event = Event()
    for name, value in (("uid", f"{uid}@observatoire-isic"), ("dtstamp", stamp), ("dtstart", start), ("dtend", end),
                        ("summary", summary), ("description", description), ("location", location), ("url", url)):
        if value:
            event.add(name, value)
    return event


def _all_day(day: date) -> tuple[datetime, datetime]:
    return datetime.combine(day, DEBATE_HOURS[0], PARIS), datetime.combine(day, DEBATE_HOURS[1], PARIS)


def feed(name: str, sessions: list[WorkshopSession], debates: list[DebateDay], hours: dict[str, str],
         url_of, stamp: datetime, seminar_days: list[SeminarDay] = ()) -> bytes:
    """An .ics file of sessions, debate days and seminar days; ``url_of(obj)`` gives each page's address."""
    cal = _calendar(name)
    for meeting in sessions:
        programme = ", ".join(p.action.title for p in meeting.presentations if is_public(p.action))
        cal.add_component(_event(
            f"seance-{meeting.id}", stamp, *session_times(meeting, hours),
            f"Atelier de mutualisation : {meeting.workshop.name}", meeting.place, url_of(meeting),
            f"{choices.HALF_DAYS[meeting.half_day]} — {programme}"))
    for debate in debates:
        cal.add_component(_event(f"journee-{debate.id}", stamp, *_all_day(debate.day), debate.title, debate.place,
                                 url_of(debate)))
    for day in seminar_days:
        cal.add_component(_event(f"seminaire-{day.id}", stamp, *_all_day(day.day),
                                 f"{day.seminar.title} — session {day.option}", day.seminar.place,
                                 url_of(day.seminar)))
    cal.add_missing_timezones()
    return cal.to_ical()


def registration_ics(registration, hours: tuple[str, str], url: str, stamp: datetime) -> bytes:
    """The three days of a registration's session, each from the morning's start to the afternoon's end."""
    seminar = registration.seminar
    cal = _calendar(seminar.title)
    start, end = half_day_hours(hours[0])[0], half_day_hours(hours[1])[1]
    for n, day in enumerate(seminar.option_days(registration.option), 1):
        cal.add_component(_event(f"inscription-{registration.id}-{n}", stamp, datetime.combine(day, start, PARIS),
                                 datetime.combine(day, end, PARIS), f"{seminar.title} — jour {n}", seminar.place, url,
                                 f"Inscription {registration.reference}"))
    cal.add_missing_timezones()
    return cal.to_ical()


def today() -> date:
    """Today in Paris (the agenda's "upcoming" starts there)."""
    return datetime.now(PARIS).date()
