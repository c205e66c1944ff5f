"""The search page's query string: text, facet filters (several values each), sort and page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from search_index import FACET_FIELDS

SORTS = {"relevance": "Pertinence", "date": "Date (récentes d'abord)", "title": "Titre (A → Z)"}
MAX_TEXT = 2000
MAX_VALUES = 20
MAX_PAGE = 500


@dataclass(frozen=True)
class SearchForm:
    """What the visitor asked for; facet filters are OR within a field and AND across fields."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    def toggled(self, name: str, value: str) -> dict[str, list[str] | str]:
        """Query-string arguments with one facet value added or removed (back to page 1)."""
        args: dict[str, list[str] | str] = {k: list(v) for k, v in self.filters.items()}
        current = args.setdefault(name, [])
        if value in current:
            current.remove(value)
        else:
            current.append(value)
        if self.text:
            args["q"] = self.text
        if self.sort != "relevance":
            args["sort"] = self.sort
        return {k: v for k, v in args.items() if v}

    def with_text(self, text: str) -> dict[str, list[str] | str]:
        """Query-string arguments of the same search with another text (a suggestion)."""
        args: dict[str, list[str] | str] = {k: list(v) for k, v in self.filters.items() if v}
        args["q"] = text
        if self.sort != "relevance":
            args["sort"] = self.sort
        return args

    def observatory_args(self) -> dict[str, str]:
        """The observatory's filters for the same actions: the text, and each facet chosen once (the
        observatory takes one value per filter; a facet with several values is left to the text)."""
        names = {"territory": "territory", "mode": "mode", "publics": "public", "themes": "theme"}
        args = {names[k]: v[0] for k, v in self.filters.items() if k in names and len(v) == 1}
        if len(self.filters.get("year", ())) == 1:
            args["year_from"] = args["year_to"] = self.filters["year"][0]
        return {**args, **({"q": self.text} if self.text else {})}

    def is_active(self, name: str, value: str) -> bool:
        """Whether a facet value is among the filters."""
        return value in self.filters.get(name, ())


def _values(args: Mapping[str, Any], name: str) -> list[str]:
    raw = args.getlist(name) if hasattr(args, "getlist") else [args.get(name)]
    kept = [str(v).strip()[:100] for v in raw if v and str(v).strip()]
    return list(dict.fromkeys(kept))[:MAX_VALUES]


def parse_search_args(args: Mapping[str, Any]) -> tuple[SearchForm, dict[str, str]]:
    """Read the query string; odd values are reported in French and replaced by the defaults."""
    errors: dict[str, str] = {}
    text = " ".join((args.get("q") or "").split())
    if len(text) > MAX_TEXT:
        errors["q"] = f"La recherche a été raccourcie à {MAX_TEXT} caractères."
        text = text[:MAX_TEXT]
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        errors["sort"] = "Ordre de tri inconnu : résultats triés par pertinence."
        sort = "relevance"
    raw_page = (args.get("page") or "1").strip()
    page = 1
    if raw_page.isdecimal() and 1 <= int(raw_page) <= MAX_PAGE:
        page = int(raw_page)
    else:
        errors["page"] = f"Le numéro de page doit être un entier entre 1 et {MAX_PAGE}."
    filters = {name: values for name in FACET_FIELDS if (values := _values(args, name))}
    return SearchForm(text=text, filters=filters, sort=sort, page=page), errors
