"""Query-string filters of the observatory's pages (dashboard, barriers, effects, comparison) and their CSV."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from kb.forms.filters import text_arg
from kb.models import choices

MIN_YEAR, MAX_YEAR = 1900, 2100
NOT_SAID = "non_precise"  # the evidence filter's value for effects whose evidence the author did not give


@dataclass(frozen=True)
class ObservatoryFilters:
    """Which published actions a figure counts, and which of their findings it reads."""

    territory: str | None = None
    mode: str | None = None
    public: str | None = None
    theme: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    q: str | None = None
    kind: str | None = None  # barrier kind
    actor: str | None = None  # actor category
    dimension: str | None = None  # effect dimension
    evidence: str | None = None  # effect evidence kind

    def args(self, **changes: Any) -> dict[str, str]:
        """The filters as URL arguments (empty ones left out), with some changed: the links of a table's cells."""
        values = {**asdict(self), **changes}
        return {name: str(value) for name, value in values.items() if value not in (None, "")}

    @property
    def actions_only(self) -> ObservatoryFilters:
        """The same actions, every finding of them (a dashboard counts them all)."""
        return ObservatoryFilters(territory=self.territory, mode=self.mode, public=self.public, theme=self.theme,
                                  year_from=self.year_from, year_to=self.year_to, q=self.q)


_CLOSED = {"mode": (choices.INTERVENTION_MODES, "Mode d'intervention inconnu."),
           "kind": (choices.BARRIER_KINDS, "Type de frein inconnu."),
           "actor": (choices.ACTOR_CATEGORIES, "Catégorie d'acteur inconnue."),
           "dimension": (choices.EFFECT_DIMENSIONS, "Dimension inconnue."),
           "evidence": ({**choices.EVIDENCE_KINDS, NOT_SAID: "Non précisé"}, "Type de preuve inconnu.")}


def _year(args: Mapping[str, Any], name: str, errors: dict[str, str]) -> int | None:
    raw = text_arg(args, name)
    if not raw:
        return None
    if raw.isdecimal() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    errors[name] = f"L'année doit être un nombre entre {MIN_YEAR} et {MAX_YEAR}."
    return None


def parse_observatory_filters(args: Mapping[str, Any]) -> tuple[ObservatoryFilters, dict[str, str]]:
    """Read the filters; unknown values are reported in French and ignored (the page still shows)."""
    errors: dict[str, str] = {}
    closed: dict[str, str | None] = {}
    for name, (vocabulary, message) in _CLOSED.items():
        value = text_arg(args, name)
        if value and value not in vocabulary:
            errors[name] = message
            value = None
        closed[name] = value
    year_from, year_to = _year(args, "year_from", errors), _year(args, "year_to", errors)
    if year_from and year_to and year_to < year_from:
        errors["year_to"] = "L'année de fin précède l'année de début."
        year_to = None
    filters = ObservatoryFilters(territory=text_arg(args, "territory"), public=text_arg(args, "public"),
                                 theme=text_arg(args, "theme"), year_from=year_from, year_to=year_to,
                                 q=text_arg(args, "q", 200), **closed)
    return filters, errors
