"""Input model of a co-built tool: what it is, how and with whom it was co-built, its licence and its uses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import field_validator
from sqlmodel import Field

from kb.forms.base import FormResult, RecordId, Stripped, validate
from kb.forms.fields import check_choice, check_one_line
from kb.models import choices


class ToolInput(Stripped):
    """A tool as typed in its form."""

    title: str = Field(min_length=3, max_length=200)
    kind: str
    description: str = Field(min_length=10, max_length=20_000)
    co_building: str = Field(default="", max_length=20_000)
    partners: str = Field(default="", max_length=500)
    licence: str = "cc-by-sa"
    action_ids: list[RecordId] = Field(default_factory=list)
    session_ids: list[RecordId] = Field(default_factory=list)
    version_note: str = Field(default="", max_length=500)

    _kind = field_validator("kind")(classmethod(lambda cls, v: check_choice(v, choices.TOOL_KINDS)))
    _licence = field_validator("licence")(classmethod(lambda cls, v: check_choice(v, choices.TOOL_LICENCES)))
    _one_line = field_validator("title", "partners", "version_note")(classmethod(lambda cls, v: check_one_line(v)))


def _ids(form: Mapping[str, Any], name: str) -> list[str]:
    values = form.getlist(name) if hasattr(form, "getlist") else form.get(name) or []
    return [v for v in ([values] if isinstance(values, str) else values) if str(v).strip()][:200]


def parse_tool_form(form: Mapping[str, Any]) -> FormResult[ToolInput]:
    """Validate the tool form (the file, if any, is checked apart: see kb.uploads)."""
    raw = {k: form.get(k) for k in ("title", "kind", "description", "co_building", "partners", "licence",
                                    "version_note") if form.get(k) is not None}
    raw["action_ids"] = _ids(form, "action_ids")
    raw["session_ids"] = _ids(form, "session_ids")
    return validate(ToolInput, raw)
