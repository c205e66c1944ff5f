"""Query-string filters shared by list pages and the JSON API."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kb.models import choices

MAX_PAGE = 10_000


@dataclass(frozen=True)
class ActionFilters:
    """Filters of the action list (pages, API, later map and search)."""

    territory: str | None = None
    commune: str | None = None
    mode: str | None = None
    public: str | None = None
    theme: str | None = None
    status: str | None = None
    year: int | None = None
    barrier_kind: str | None = None
    actor: str | None = None  # the actor category of one of its barriers
    dimension: str | None = None  # the dimension of one of its effects
    has_tool: str | None = None  # "oui" or "non"
    page: int = 1


HAS_TOOL = {"oui": "Avec un outil co-construit", "non": "Sans outil"}


@dataclass(frozen=True)
class PeopleFilters:
    """Filters of the organisation and practitioner lists."""

    territory: str | None = None
    kind: str | None = None
    q: str | None = None
    page: int = 1


def text_arg(args: Mapping[str, Any], name: str, limit: int = 100) -> str | None:
    """A query-string value without surrounding blanks, cut at ``limit``; None when empty."""
    value = (args.get(name) or "").strip()
    return value[:limit] or None


def _page(args: Mapping[str, Any], errors: dict[str, str]) -> int:
    raw = (args.get("page") or "1").strip()
    if not raw.isdecimal() or not 1 <= int(raw) <= MAX_PAGE:
        errors["page"] = "Le numéro de page doit être un entier positif."
        return 1
    return int(raw)


_INSEE = re.compile(r"[0-9][0-9AB][0-9]{3}")
# The query parameters the action list reads: (name, vocabulary or None for free text, description). The pages,
# the exports and the API read them through parse_action_filters; the API's OpenAPI document is generated from it.
ACTION_PARAMETERS = (
    ("territory", None, "Territoire (slug : arles, avignon, marseille…)"),
    ("commune", None, "Commune (code INSEE)"),
    ("mode", choices.INTERVENTION_MODES, "Mode d'intervention"),
    ("public", None, "Public (slug du terme)"),
    ("theme", None, "Thème (slug du terme)"),
    ("status", choices.ACTION_STATUSES, "Statut de l'action"),
    ("year", None, "Année de début (1900 à 2100)"),
    ("barrier_kind", choices.BARRIER_KINDS, "Type d'un de ses freins"),
    ("actor", choices.ACTOR_CATEGORIES, "Catégorie d'acteur qui rapporte un de ses freins"),
    ("dimension", choices.EFFECT_DIMENSIONS, "Dimension d'un de ses effets"),
    ("has_tool", HAS_TOOL, "Avec ou sans outil co-construit publié"),
)
_UNKNOWN = {"mode": "Mode d'intervention inconnu.", "status": "Statut inconnu.",
            "barrier_kind": "Type de frein inconnu.", "actor": "Catégorie d'acteur inconnue.",
            "dimension": "Dimension d'effet inconnue.", "has_tool": "Choisissez « oui » ou « non » pour les outils."}


def _commune(value: str | None) -> str | None:
    """An INSEE code as given, or the code of a commune typed by name or postal code (the filter's text field when
    actions cover too many communes for a list); anything else as typed (it matches no action, as the API says)."""
    if not value or _INSEE.fullmatch(value):
        return value
    from maps.gazetteer import Gazetteer, PlaceError

    try:
        return Gazetteer.default().lookup(value).insee
    except PlaceError:
        return value


def parse_action_filters(args: Mapping[str, Any]) -> tuple[ActionFilters, dict[str, str]]:
    """Read action filters; unknown values are reported in French and ignored."""
    errors: dict[str, str] = {}
    closed: dict[str, str | None] = {}
    for name, vocabulary, _description in ACTION_PARAMETERS:
        if vocabulary is None:
            continue
        value = text_arg(args, name)
        if value and value not in vocabulary:
            errors[name] = _UNKNOWN[name]
            value = None
        closed[name] = value
    year_raw = text_arg(args, "year")
    year = None
    if year_raw:
        if year_raw.isdecimal() and 1900 <= int(year_raw) <= 2100:
            year = int(year_raw)
        else:
            errors["year"] = "L'année doit être un nombre entre 1900 et 2100."
    filters = ActionFilters(
        territory=text_arg(args, "territory"), commune=_commune(text_arg(args, "commune")),
        public=text_arg(args, "public"), theme=text_arg(args, "theme"), year=year,
        page=_page(args, errors), **closed,
    )
    return filters, errors


def parse_people_filters(args: Mapping[str, Any], kinds: dict[str, str]) -> tuple[PeopleFilters, dict[str, str]]:
    """Read directory filters (territory, kind or function, name)."""
    errors: dict[str, str] = {}
    kind = text_arg(args, "kind")
    if kind and kind not in kinds:
        errors["kind"] = "Valeur inconnue."
        kind = None
    filters = PeopleFilters(territory=text_arg(args, "territory"), kind=kind, q=text_arg(args, "q"),
                            page=_page(args, errors))
    return filters, errors
