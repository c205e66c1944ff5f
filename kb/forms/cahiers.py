"""Input models of a cahier: its heading (number, title, date, editorial, credits, licence) and its sections."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import field_validator
from sqlmodel import Field

from kb.forms.base import FormResult, RecordId, Stripped, validate
from kb.forms.fields import check_choice, check_one_line, parse_date
from kb.forms.observatory import parse_observatory_filters
from kb.models import choices

SECTION_KINDS = {"action": "Une action (récit, effets, freins)", "seance": "La synthèse d'une séance d'atelier",
                 "outil": "Un outil co-construit", "chiffres": "Des chiffres de l'observatoire"}
# The observatory filters a figures section keeps (the full-text one needs the search index at composing time).
FIGURE_FILTERS = ("territory", "mode", "public", "theme", "year_from", "year_to")
MAX_NUMBER = 999  # the ISSN-style identifier has three digits for the number


class CahierInput(Stripped):
    """A cahier's heading as typed in its form."""

    number: int = Field(ge=1, le=MAX_NUMBER)
    title: str = Field(min_length=3, max_length=200)
    issue_date: date
    editorial: str = Field(default="", max_length=40_000)
    credits: str = Field(default="", max_length=5_000)
    licence: str = "cc-by-nc-sa"

    _date = field_validator("issue_date", mode="before")(classmethod(lambda cls, v: parse_date(v)))
    _licence = field_validator("licence")(classmethod(lambda cls, v: check_choice(v, choices.TOOL_LICENCES)))
    _one_line = field_validator("title")(classmethod(lambda cls, v: check_one_line(v)))


class SectionInput(Stripped):
    """A section to add: what it shows, a title of the editor's and an introduction (markdown)."""

    kind: str
    ref_id: RecordId | None = None
    figure: str = ""
    filters: dict[str, str] = Field(default_factory=dict)
    heading: str = Field(default="", max_length=200)
    comment: str = Field(default="", max_length=20_000)

    _kind = field_validator("kind")(classmethod(lambda cls, v: check_choice(v, SECTION_KINDS)))
    _one_line = field_validator("heading")(classmethod(lambda cls, v: check_one_line(v)))


class SectionTextInput(Stripped):
    """A section's title and introduction, changed after it was added."""

    heading: str = Field(default="", max_length=200)
    comment: str = Field(default="", max_length=20_000)

    _one_line = field_validator("heading")(classmethod(lambda cls, v: check_one_line(v)))


def parse_cahier_form(form: Mapping[str, Any]) -> FormResult[CahierInput]:
    """Validate a cahier's heading."""
    raw = {k: form.get(k) for k in ("number", "title", "issue_date", "editorial", "credits", "licence")
           if form.get(k) not in (None, "")}
    return validate(CahierInput, raw)


def parse_section_form(form: Mapping[str, Any]) -> FormResult[SectionInput]:
    """Validate a section to add; the record it names and the figure's table are checked by the service."""
    kind = (form.get("kind") or "").strip()
    raw: dict[str, Any] = {k: form.get(k) for k in ("kind", "heading", "comment") if form.get(k) is not None}
    reference = {"action": "action_id", "seance": "session_id", "outil": "tool_id"}.get(kind)
    if reference:
        if not (form.get(reference) or "").strip():
            return FormResult(errors={reference: "Choisissez dans la liste ce que la section présente."})
        raw["ref_id"] = form.get(reference)
    result = validate(SectionInput, raw)
    if reference and "ref_id" in result.errors:
        result.errors[reference] = result.errors.pop("ref_id")
    if kind == "chiffres":
        filters, errors = parse_observatory_filters({k: form.get(k) or "" for k in FIGURE_FILTERS})
        figure = (form.get("figure") or "").strip()
        if not figure:
            errors["figure"] = "Choisissez le tableau de chiffres à reprendre."
        if errors:
            return FormResult(errors={**result.errors, **errors})
        if result.ok:
            kept = {k: v for k, v in filters.args().items() if k in FIGURE_FILTERS}
            result.data = result.data.model_copy(update={"figure": figure, "filters": kept})
    return result


def parse_section_text_form(form: Mapping[str, Any]) -> FormResult[SectionTextInput]:
    """Validate a section's new title and introduction."""
    return validate(SectionTextInput, {k: form.get(k) for k in ("heading", "comment") if form.get(k) is not None})
