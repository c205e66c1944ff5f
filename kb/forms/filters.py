"""Query-string filters shared by list pages and the JSON API."""

from __future__ import annotations

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
    page: int = 1


@dataclass(frozen=True)
class PeopleFilters:
    """Filters of the organisation and practitioner lists."""

    territory: str | None = None
    kind: str | None = None
    q: str | None = None
    page: int = 1


def _text(args: Mapping[str, Any], name: str, limit: int = 100) -> str | None:
    value = (args.get(name) or "").strip()
    return value[:limit] or None


def _page(args: Mapping[str, Any], errors: dict[str, str]) -> int:
    raw = (args.get("page") or "1").strip()
    if not raw.isdecimal() or not 1 <= int(raw) <= MAX_PAGE:
        errors["page"] = "Le numéro de page doit être un entier positif."
        return 1
    return int(raw)


def parse_action_filters(args: Mapping[str, Any]) -> tuple[ActionFilters, dict[str, str]]:
    """Read action filters; unknown values are reported in French and ignored."""
    errors: dict[str, str] = {}
    mode = _text(args, "mode")
    if mode and mode not in choices.INTERVENTION_MODES:
        errors["mode"] = "Mode d'intervention inconnu."
        mode = None
    status = _text(args, "status")
    if status and status not in choices.ACTION_STATUSES:
        errors["status"] = "Statut inconnu."
        status = None
    year_raw = _text(args, "year")
    year = None
    if year_raw:
        if year_raw.isdecimal() and 1900 <= int(year_raw) <= 2100:
            year = int(year_raw)
        else:
            errors["year"] = "L'année doit être un nombre entre 1900 et 2100."
    filters = ActionFilters(
        territory=_text(args, "territory"), commune=_text(args, "commune"), mode=mode,
        public=_text(args, "public"), theme=_text(args, "theme"), status=status, year=year,
        page=_page(args, errors),
    )
    return filters, errors


def parse_people_filters(args: Mapping[str, Any], kinds: dict[str, str]) -> tuple[PeopleFilters, dict[str, str]]:
    """Read directory filters (territory, kind or function, name)."""
    errors: dict[str, str] = {}
    kind = _text(args, "kind")
    if kind and kind not in kinds:
        errors["kind"] = "Valeur inconnue."
        kind = None
    filters = PeopleFilters(territory=_text(args, "territory"), kind=kind, q=_text(args, "q"),
                            page=_page(args, errors))
    return filters, errors
