"""Input models for field actions: the main fields and their repeated rows (people, effects...)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import field_validator, model_validator
from sqlmodel import Field, SQLModel
from werkzeug.datastructures import MultiDict

from kb.forms.base import (
    FormResult,
    RecordId,
    blank_to_none,
    clean_text,
    parse_decimal,
    split_list,
    validate,
    validate_rows,
)
from kb.forms.fields import check_choice, check_coordinates, check_one_line, coordinate, parse_date
from kb.models import choices
from kb.models.findings import french_number


class PersonRow(SQLModel):
    """A practitioner's part in the action."""

    practitioner_id: RecordId
    role: str = "porteur"

    @field_validator("role")
    @classmethod
    def _role(cls, v: str) -> str:
        return check_choice(v, choices.ACTION_ROLES)


class EffectRow(SQLModel):
    """An observed effect, and how it is known."""

    dimension: str
    description: str = Field(min_length=3, max_length=5000)
    indicator: str = Field(default="", max_length=2000)
    evidence_kind: str = ""
    observer: str = Field(default="", max_length=200)
    observed_on: date | None = None
    value_before: float | None = Field(default=None, ge=-1e12, le=1e12)
    value_after: float | None = Field(default=None, ge=-1e12, le=1e12)

    _date = field_validator("observed_on", mode="before")(classmethod(lambda cls, v: parse_date(v)))
    _values = field_validator("value_before", "value_after", mode="before")(
        classmethod(lambda cls, v: parse_decimal(v)))
    _one_line = field_validator("observer")(classmethod(lambda cls, v: check_one_line(v)))

    @field_validator("dimension")
    @classmethod
    def _dimension(cls, v: str) -> str:
        return check_choice(v, choices.EFFECT_DIMENSIONS)

    @field_validator("evidence_kind")
    @classmethod
    def _evidence(cls, v: str) -> str:
        return check_choice(v, choices.EVIDENCE_KINDS, required=False) or ""


class BarrierRow(SQLModel):
    """A barrier (frein) seen by one category of actor."""

    kind: str
    actor_category: str
    description: str = Field(min_length=3, max_length=5000)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        return check_choice(v, choices.BARRIER_KINDS)

    @field_validator("actor_category")
    @classmethod
    def _actor(cls, v: str) -> str:
        return check_choice(v, choices.ACTOR_CATEGORIES)


class LeverRow(SQLModel):
    """A lever (levier)."""

    description: str = Field(min_length=3, max_length=5000)


class ActionInput(SQLModel):
    """Everything a user submits to create or change a field action."""

    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=10, max_length=3000)
    writeup: str = Field(default="", max_length=200_000)
    mode: str
    territory_id: RecordId | None = None
    commune: str | None = Field(default=None, max_length=120)
    address: str = Field(default="", max_length=300)
    latitude: float | None = None
    longitude: float | None = None
    location_precision: str = "exacte"
    start_date: date | None = None
    end_date: date | None = None
    status: str = "en_cours"
    publication_status: str = "publiee"
    publics: list[str] = []
    themes: list[str] = []
    partner_ids: list[RecordId] = []
    tool_ids: list[RecordId] = []
    people: list[PersonRow] = []
    effects: list[EffectRow] = []
    barriers: list[BarrierRow] = []
    levers: list[LeverRow] = []

    _blank = field_validator("territory_id", "commune", mode="before")(classmethod(lambda cls, v: blank_to_none(v)))
    _coord = field_validator("latitude", "longitude", mode="before")(classmethod(lambda cls, v: coordinate(v)))
    _dates = field_validator("start_date", "end_date", mode="before")(classmethod(lambda cls, v: parse_date(v)))
    _one_line = field_validator("title", "address", "commune")(classmethod(lambda cls, v: check_one_line(v)))

    @field_validator("title", "summary", "writeup", "address", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return clean_text(v)

    @field_validator("mode")
    @classmethod
    def _mode(cls, v: str) -> str:
        return check_choice(v, choices.INTERVENTION_MODES)

    @field_validator("status")
    @classmethod
    def _status(cls, v: str) -> str:
        return check_choice(v, choices.ACTION_STATUSES)

    @field_validator("publication_status")
    @classmethod
    def _publication(cls, v: str) -> str:
        return check_choice(v, choices.PUBLICATION_STATUSES)

    @field_validator("location_precision")
    @classmethod
    def _precision(cls, v: str) -> str:
        return check_choice(v, choices.LOCATION_PRECISIONS)

    @field_validator("publics", "themes")
    @classmethod
    def _tag_names(cls, v: list[str]) -> list[str]:
        if any(len(name) > 100 for name in v):
            raise ValueError("Chaque mot-clé doit faire au plus 100 caractères.")
        return v

    @model_validator(mode="after")
    def _consistency(self) -> ActionInput:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("La date de fin précède la date de début.")
        check_coordinates(self.latitude, self.longitude)
        return self


def _cross_field_errors(raw: Mapping[str, Any]) -> dict[str, str]:
    """Rules between fields, checked even when other fields fail so every error shows at once."""
    errors: dict[str, str] = {}
    try:
        start, end = parse_date(raw.get("start_date")), parse_date(raw.get("end_date"))
        if isinstance(start, str):
            start = date.fromisoformat(start)
        if isinstance(end, str):
            end = date.fromisoformat(end)
    except ValueError:
        start = end = None
    if start and end and end < start:
        errors["end_date"] = "La date de fin précède la date de début."
    try:
        lat, lon = (None if coordinate(raw.get(k)) is None else float(coordinate(raw.get(k)))
                    for k in ("latitude", "longitude"))
        check_coordinates(lat, lon)
    except ValueError as exc:
        if "latitude" in str(exc) or "Coordonnées" in str(exc):
            errors["latitude"] = str(exc)
    return errors


EFFECT_FIELDS = ("dimension", "description", "indicator", "evidence_kind", "observer", "observed_on", "value_before",
                 "value_after")


def _ids(form: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    values = getlist(name) if getlist else form.get(name, [])
    return [v for v in values if str(v).strip()]


def parse_action_form(form: Mapping[str, Any]) -> FormResult[ActionInput]:
    """Validate an action form (a werkzeug MultiDict or a plain dict)."""
    raw = {key: form.get(key) for key in ActionInput.model_fields if key in form}
    raw["publics"] = split_list(form.get("publics"))
    raw["themes"] = split_list(form.get("themes"))
    raw["partner_ids"] = _ids(form, "partner_ids")
    raw["tool_ids"] = _ids(form, "tool_ids")
    errors: dict[str, str] = {}
    sub_rows = {
        "people": (PersonRow, ("practitioner_id", "role")),
        "effects": (EffectRow, EFFECT_FIELDS),
        "barriers": (BarrierRow, ("kind", "actor_category", "description")),
        "levers": (LeverRow, ("description",)),
    }
    for prefix, (model, fields) in sub_rows.items():
        valid, row_errors = validate_rows(model, form, prefix, fields)
        raw[prefix] = [row.model_dump() for row in valid]
        errors.update(row_errors)
    result = validate(ActionInput, raw)
    errors.update(_cross_field_errors(raw))
    for key, message in result.errors.items():
        if key != "__all__" or not errors:
            errors.setdefault(key, message)
    if errors:
        return FormResult(errors=errors)
    return result


def action_form_values(action) -> MultiDict:
    """The form's initial values for an existing action (same names as the submitted form)."""
    values = MultiDict()
    for name in ("title", "summary", "writeup", "mode", "address", "location_precision", "status",
                 "publication_status"):
        values[name] = getattr(action, name) or ""
    values["territory_id"] = str(action.territory_id or "")
    values["commune"] = action.commune_insee or ""
    values["latitude"] = "" if action.latitude is None else str(action.latitude)
    values["longitude"] = "" if action.longitude is None else str(action.longitude)
    values["start_date"] = action.start_date.isoformat() if action.start_date else ""
    values["end_date"] = action.end_date.isoformat() if action.end_date else ""
    values["publics"] = ", ".join(t.name for t in action.tags_of("public"))
    values["themes"] = ", ".join(t.name for t in action.tags_of("theme"))
    values.setlist("partner_ids", [str(o.id) for o in action.partners])
    values.setlist("tool_ids", [str(t.id) for t in action.tools])
    for i, link in enumerate(action.practitioner_links):
        values[f"people-{i}-practitioner_id"], values[f"people-{i}-role"] = str(link.practitioner_id), link.role
    for i, e in enumerate(action.effects):
        values[f"effects-{i}-dimension"], values[f"effects-{i}-description"] = e.dimension, e.description
        values[f"effects-{i}-indicator"] = e.indicator
        values[f"effects-{i}-evidence_kind"], values[f"effects-{i}-observer"] = e.evidence_kind, e.observer
        values[f"effects-{i}-observed_on"] = e.observed_on.isoformat() if e.observed_on else ""
        values[f"effects-{i}-value_before"] = ("" if e.value_before is None else french_number(e.value_before))
        values[f"effects-{i}-value_after"] = ("" if e.value_after is None else french_number(e.value_after))
    for i, b in enumerate(action.barriers):
        values[f"barriers-{i}-kind"], values[f"barriers-{i}-actor_category"] = b.kind, b.actor_category
        values[f"barriers-{i}-description"] = b.description
    for i, lever in enumerate(action.levers):
        values[f"levers-{i}-description"] = lever.description
    return values


def form_values_of(body: Mapping[str, Any]) -> MultiDict:
    """An action sent as JSON (the API's ActionIn, already type-checked) as the form would submit it: the same
    parser then applies the same rules, and a proposed edit is kept as the same pairs."""
    values = MultiDict()
    for name in ("title", "summary", "writeup", "mode", "address", "location_precision", "status",
                 "publication_status", "commune"):
        values[name] = body.get(name) or ""
    for name in ("territory_id", "latitude", "longitude", "start_date", "end_date"):
        value = body.get(name)
        values[name] = "" if value is None else str(value)
    values["publics"] = ", ".join(body.get("publics") or [])
    values["themes"] = ", ".join(body.get("themes") or [])
    values.setlist("partner_ids", [str(i) for i in body.get("partner_ids") or []])
    values.setlist("tool_ids", [str(i) for i in body.get("tool_ids") or []])
    for i, person in enumerate(body.get("people") or []):
        values[f"people-{i}-practitioner_id"], values[f"people-{i}-role"] = str(person["practitioner_id"]), person["role"]
    for i, effect in enumerate(body.get("effects") or []):
        for field in EFFECT_FIELDS:
            value = effect.get(field)
            values[f"effects-{i}-{field}"] = "" if value is None else str(value)
    for i, barrier in enumerate(body.get("barriers") or []):
        for field in ("kind", "actor_category", "description"):
            values[f"barriers-{i}-{field}"] = barrier[field]
    for i, lever in enumerate(body.get("levers") or []):
        values[f"levers-{i}-description"] = lever
    return values


def form_pairs(form: Mapping[str, Any]) -> list[list[str]]:
    """A submitted form as [name, value] pairs (kept with a pending version), without its CSRF token."""
    items = form.items(multi=True) if isinstance(form, MultiDict) else form.items()
    return [[k, v] for k, v in items if k not in ("csrf_token", "confirm_warnings")]


def parse_action_pairs(pairs: list[list[str]]) -> FormResult[ActionInput]:
    """Validate a form kept as pairs (a pending version), as when it was submitted."""
    return parse_action_form(MultiDict([(k, v) for k, v in pairs]))
