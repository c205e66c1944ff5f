"""Input models for workshops, sessions, presentations, syntheses, attendance, trainer tags and debate days."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from kb.forms.base import (
    MAX_ID,
    FormResult,
    RecordId,
    Stripped,
    blank_to_none,
    split_list,
    validate,
    validate_rows,
)
from kb.forms.fields import check_choice, check_one_line, parse_date
from kb.models import choices


def _ids(form: Mapping[str, Any], name: str) -> list[str]:
    values = form.getlist(name) if hasattr(form, "getlist") else form.get(name) or []
    return [v for v in ([values] if isinstance(values, str) else values) if str(v).strip()]


class EnrolmentRow(SQLModel):
    """One enrolled practitioner."""

    practitioner_id: RecordId
    experience: str = "debutant"

    @field_validator("experience")
    @classmethod
    def _experience(cls, v: str) -> str:
        return check_choice(v, choices.ISIC_EXPERIENCE)


class WorkshopInput(Stripped):
    """A workshop group as typed in its form."""

    name: str = Field(min_length=3, max_length=200)
    year: int = Field(ge=2000, le=2100)
    territory_id: RecordId | None = None
    description: str = Field(default="", max_length=10_000)
    capacity: int | None = Field(default=None, ge=1, le=500)
    trainer_ids: list[RecordId] = []
    enrolments: list[EnrolmentRow] = []

    _blank = field_validator("territory_id", "capacity", mode="before")(
        classmethod(lambda cls, v: blank_to_none(v)))
    _one_line = field_validator("name")(classmethod(lambda cls, v: check_one_line(v)))


def parse_workshop_form(form: Mapping[str, Any]) -> FormResult[WorkshopInput]:
    """Validate the workshop form, enrolment rows included."""
    rows, errors = validate_rows(EnrolmentRow, form, "enrolments", ("practitioner_id", "experience"))
    raw = {k: form.get(k, "") for k in ("name", "year", "territory_id", "description", "capacity")}
    raw.update(trainer_ids=_ids(form, "trainer_ids"), enrolments=[r.model_dump() for r in rows])
    result = validate(WorkshopInput, raw)
    result.errors.update(errors)
    if result.errors:
        return FormResult(errors=result.errors)
    ids = [r.practitioner_id for r in result.data.enrolments]
    if len(ids) != len(set(ids)):
        return FormResult(errors={"enrolments": "Une même personne est inscrite deux fois."})
    return result


def workshop_form_values(workshop) -> dict:
    """The form's initial values for an existing workshop."""
    from werkzeug.datastructures import MultiDict

    values = MultiDict({"name": workshop.name, "year": str(workshop.year),
                        "territory_id": str(workshop.territory_id or ""), "description": workshop.description,
                        "capacity": "" if workshop.capacity is None else str(workshop.capacity)})
    values.setlist("trainer_ids", [str(t.id) for t in workshop.trainers])
    for i, e in enumerate(workshop.enrolments):
        values[f"enrolments-{i}-practitioner_id"], values[f"enrolments-{i}-experience"] = str(e.practitioner_id), e.experience
    return values


class SessionInput(Stripped):
    """A half-day session: date, morning or afternoon, place, status."""

    day: date
    half_day: str
    place: str = Field(default="", max_length=300)
    status: str = "prevue"

    _date = field_validator("day", mode="before")(classmethod(lambda cls, v: parse_date(v)))
    _one_line = field_validator("place")(classmethod(lambda cls, v: check_one_line(v)))

    @field_validator("half_day")
    @classmethod
    def _half(cls, v: str) -> str:
        return check_choice(v, choices.HALF_DAYS)

    @field_validator("status")
    @classmethod
    def _status(cls, v: str) -> str:
        return check_choice(v, choices.SESSION_STATUSES)


def parse_session_form(form: Mapping[str, Any]) -> FormResult[SessionInput]:
    """Validate the session form."""
    return validate(SessionInput, {k: form.get(k) for k in ("day", "half_day", "place", "status") if form.get(k)})


class PresentationInput(SQLModel):
    """An action added to a session's programme, with its presenters."""

    action_id: RecordId
    presenter_ids: list[RecordId] = []


def parse_presentation_form(form: Mapping[str, Any]) -> FormResult[PresentationInput]:
    """Validate the "add to the programme" form."""
    result = validate(PresentationInput, {"action_id": form.get("action_id", ""),
                                          "presenter_ids": _ids(form, "presenter_ids")})
    if "action_id" in result.errors:
        result.errors["action_id"] = "Choisissez une action à présenter."
    return result


class SynthesisInput(Stripped):
    """What the group drew from a presentation: what was learnt, questions raised (one per line)."""

    learnt: str = Field(default="", max_length=20_000)
    questions: str = Field(default="", max_length=10_000)


def parse_synthesis_form(form: Mapping[str, Any]) -> FormResult[SynthesisInput]:
    """Validate the synthesis form."""
    return validate(SynthesisInput, {"learnt": form.get("learnt", ""), "questions": form.get("questions", "")})


def parse_ids(form: Mapping[str, Any], name: str) -> FormResult[list[int]]:
    """The ids ticked in a list of checkboxes called ``name``."""
    try:
        ids = sorted({int(v) for v in _ids(form, name)})
        if any(not 1 <= i <= MAX_ID for i in ids):
            raise ValueError
        return FormResult(data=ids)
    except ValueError:
        return FormResult(errors={name: "Valeur non reconnue."})


def parse_attendance_form(form: Mapping[str, Any]) -> FormResult[list[int]]:
    """The enrolled practitioners ticked as present."""
    return parse_ids(form, "present")


def parse_tags_form(form: Mapping[str, Any]) -> FormResult[list[str]]:
    """Workshop tags: the known ones ticked (``tag``, checkboxes) and new ones typed, comma-separated (``tags``)."""
    ticked = form.getlist("tag") if hasattr(form, "getlist") else []
    names, seen = [], set()
    for name in [*(" ".join(str(t).split()) for t in ticked), *split_list(form.get("tags", ""))]:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    too_long = [n for n in names if len(n) > 100]
    if too_long:
        return FormResult(errors={"tags": "Une étiquette compte au plus 100 caractères."})
    return FormResult(data=names)


class DebateDayInput(Stripped):
    """A debate day as typed in its form."""

    title: str = Field(min_length=3, max_length=200)
    day: date
    place: str = Field(default="", max_length=300)
    programme: str = Field(default="", max_length=20_000)
    capacity: int | None = Field(default=None, ge=1, le=5000)

    _date = field_validator("day", mode="before")(classmethod(lambda cls, v: parse_date(v)))
    _capacity = field_validator("capacity", mode="before")(classmethod(lambda cls, v: blank_to_none(v)))
    _one_line = field_validator("title", "place")(classmethod(lambda cls, v: check_one_line(v)))


def parse_debate_form(form: Mapping[str, Any]) -> FormResult[DebateDayInput]:
    """Validate the debate day form."""
    return validate(DebateDayInput, {k: form.get(k, "") for k in ("title", "day", "place", "programme", "capacity")})


class ThemeInput(Stripped):
    """A theme and the questions a trainer grouped under it."""

    title: str = Field(min_length=3, max_length=200)
    questions: list[str] = Field(min_length=1)

    _one_line = field_validator("title")(classmethod(lambda cls, v: check_one_line(v)))


def parse_theme_form(form: Mapping[str, Any]) -> FormResult[ThemeInput]:
    """Validate the theme form; at least one question must be chosen."""
    result = validate(ThemeInput, {"title": form.get("title", ""), "questions": _ids(form, "questions")})
    if "questions" in result.errors:
        result.errors["questions"] = "Cochez au moins une question à regrouper sous ce thème."
    return result


SEMINAR_DAY_FIELDS = tuple(f"option{o}_day{n}" for o in (1, 2) for n in (1, 2, 3))


class SeminarInput(Stripped):
    """The seminar: two alternative sessions of three dates each, and its price."""

    title: str = Field(min_length=3, max_length=200)
    year: int = Field(ge=2000, le=2100)
    price_eur: int = Field(default=250, ge=0, le=10_000)
    place: str = Field(default="", max_length=300)
    description: str = Field(default="", max_length=10_000)
    option1_day1: date
    option1_day2: date
    option1_day3: date
    option2_day1: date | None = None
    option2_day2: date | None = None
    option2_day3: date | None = None
    capacity: int | None = Field(default=None, ge=1, le=500)
    opens_on: date | None = None
    closes_on: date | None = None
    hours: str = Field(default="9 h 30 – 12 h 30 et 13 h 30 – 16 h 30", min_length=3, max_length=200)
    to_bring: str = Field(default="", max_length=2_000)

    _dates = field_validator(*SEMINAR_DAY_FIELDS, "opens_on", "closes_on", mode="before")(
        classmethod(lambda cls, v: parse_date(v)))
    _blank = field_validator("capacity", mode="before")(classmethod(lambda cls, v: blank_to_none(v)))
    _one_line = field_validator("title", "place", "hours")(classmethod(lambda cls, v: check_one_line(v)))

    def options(self) -> dict[int, list[date]]:
        """The dates of each session that has them."""
        found = {o: [getattr(self, f"option{o}_day{n}") for n in (1, 2, 3)] for o in (1, 2)}
        return {o: days for o, days in found.items() if all(days)}


def parse_seminar_form(form: Mapping[str, Any]) -> FormResult[SeminarInput]:
    """Validate the seminar form: the first session needs its three dates, the second all or none."""
    raw = {k: form.get(k) for k in ("title", "year", "price_eur", "place", "description", *SEMINAR_DAY_FIELDS,
                                    "capacity", "opens_on", "closes_on", "hours", "to_bring") if form.get(k)}
    result = validate(SeminarInput, raw)
    if result.ok and result.data.opens_on and result.data.closes_on and result.data.closes_on < result.data.opens_on:
        return FormResult(errors={"closes_on": "La clôture des inscriptions doit suivre leur ouverture."})
    if result.ok:
        second = [getattr(result.data, f"option2_day{n}") for n in (1, 2, 3)]
        if any(second) and not all(second):
            return FormResult(errors={"option2_day1": "Donnez les trois dates de la seconde session, ou aucune."})
        for option, days in result.data.options().items():
            if len(set(days)) != 3 or any(d.year != result.data.year for d in days):
                return FormResult(errors={f"option{option}_day1": f"Les trois dates de la session {option} doivent "
                                                                  "être différentes et dans l'année du séminaire."})
    return result
