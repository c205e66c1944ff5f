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


def feed(name: str, sessions: list[WorkshopSession], debates: list[DebateDay], hours: dict[str, str],
         url_of, stamp: datetime, seminar_days: list[SeminarDay] = ()) -> bytes:
    """An .ics file of the given sessions and debate days; ``url_of(obj)`` gives each page's address."""
    cal = _calendar(name)
    for meeting in sessions:
        start, end = session_times(meeting, hours)
        event = Event()
        event.add("uid", f"seance-{meeting.id}@observatoire-isic")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", f"Atelier de mutualisation : {meeting.workshop.name}")
        event.add("description", f"{choices.HALF_DAYS[meeting.half_day]} — "
                                 + ", ".join(p.action.title for p in meeting.presentations if is_public(p.action)))
        if meeting.place:
            event.add("location", meeting.place)
        event.add("url", url_of(meeting))
        cal.add_component(event)
    for debate in debates:
        event = Event()
        event.add("uid", f"journee-{debate.id}@observatoire-isic")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(debate.day, DEBATE_HOURS[0], PARIS))
        event.add("dtend", datetime.combine(debate.day, DEBATE_HOURS[1], PARIS))
        event.add("summary", debate.title)
        if debate.place:
            event.add("location", debate.place)
        event.add("url", url_of(debate))
        cal.add_component(event)
    for day in seminar_days:
        event = Event()
        event.add("uid", f"seminaire-{day.id}@observatoire-isic")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(day.day, DEBATE_HOURS[0], PARIS))
        event.add("dtend", datetime.combine(day.day, DEBATE_HOURS[1], PARIS))
        event.add("summary", f"{day.seminar.title} — session {day.option}")
        if day.seminar.place:
            event.add("location", day.seminar.place)
        event.add("url", url_of(day.seminar))
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def today() -> date:
    """Today in Paris (the agenda's "upcoming" starts there)."""
    return datetime.now(PARIS).date()
