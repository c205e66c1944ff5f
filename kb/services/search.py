"""Searching the knowledge base: results with French labels, similar actions, matching action ids."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import joinedload
from sqlmodel import Session, select

from kb.forms.search import SearchForm
from kb.indexing.documents import KIND_LABELS, split_doc_id
from kb.models import Commune, FieldAction, Tag, Territory, choices
from kb.policy import Viewer, search_visibilities, visible_actions_clause
from kb.services.tags import find_term
from search_index import SearchIndex, SearchQuery, SearchResults

PER_PAGE = 20
FACET_TITLES = {"kind": "Type", "territory": "Territoire", "commune": "Commune", "mode": "Mode d'intervention",
                "publics": "Public", "themes": "Thème", "status": "Statut", "year": "Année",
                "barrier_kinds": "Type de frein", "actors": "Frein vu par", "dimensions": "Dimension des effets",
                "has_tool": "Outil co-construit"}


@dataclass
class Facet:
    """One facet of the results: its name, title and (value, label, count) rows."""

    name: str
    title: str
    values: list[tuple[str, str, int]]


def run_search(index: SearchIndex, form: SearchForm, viewer: Viewer, per_page: int = PER_PAGE) -> SearchResults:
    """One page of results with facet counts over every match, limited to what the viewer may see."""
    return index.search(SearchQuery(text=form.text, filters=form.filters, sort=form.sort, page=form.page,
                                    per_page=per_page, visibilities=search_visibilities(viewer)))


def canonical_filters(session: Session, form: SearchForm) -> dict[str, list[str]]:
    """The facet filters with the URL names of merged or renamed terms replaced by their term's."""
    found = {}
    for name, kind in (("publics", "public"), ("themes", "theme")):
        if form.filters.get(name):
            found[name] = list(dict.fromkeys(
                (term.slug if (term := find_term(session, kind, slug)[0]) else slug) for slug in form.filters[name]))
    return {**form.filters, **found}


def facet_labels(session: Session) -> dict[str, dict[str, str]]:
    """French labels of the facet values the index stores as keys (slugs, INSEE codes)."""
    tags: dict[str, dict[str, str]] = {"public": {}, "theme": {}}
    for tag in session.exec(select(Tag).where(Tag.kind.in_(("public", "theme")))):
        tags[tag.kind][tag.slug] = tag.name
    return {
        "kind": KIND_LABELS,
        "territory": {t.slug: t.name for t in session.exec(select(Territory))},
        "commune": dict(session.exec(select(Commune.insee, Commune.name)).all()),
        "mode": choices.INTERVENTION_MODES,
        "publics": tags["public"],
        "themes": tags["theme"],
        "status": choices.ACTION_STATUSES,
        "barrier_kinds": choices.BARRIER_KINDS,
        "actors": choices.ACTOR_CATEGORIES,
        "dimensions": choices.EFFECT_DIMENSIONS,
        "has_tool": {"oui": "Avec un outil", "non": "Sans outil"},
    }


def facets(results: SearchResults, labels: dict[str, dict[str, str]]) -> list[Facet]:
    """The results' facets with labels, years newest first, empty facets left out."""
    shown = []
    for name, counts in results.facets.items():
        if not counts or name not in FACET_TITLES:
            continue
        rows = [(value, labels.get(name, {}).get(value, value), count) for value, count in counts]
        if name == "year":
            rows.sort(key=lambda row: row[0], reverse=True)
        shown.append(Facet(name=name, title=FACET_TITLES[name], values=rows))
    return shown


def similar_actions(session: Session, index: SearchIndex, action_id: int, viewer: Viewer,
                    limit: int = 5) -> list[FieldAction]:
    """Visible actions whose write-ups are closest to this one's, closest first."""
    hits = index.more_like_this(f"action:{action_id}", limit=limit, visibilities=search_visibilities(viewer),
                                kinds=["action"])
    ids = [key[1] for key in map(split_doc_id, (h.doc_id for h in hits)) if key]
    found = {a.id: a for a in session.exec(select(FieldAction).where(
        FieldAction.id.in_(ids), visible_actions_clause(viewer)).options(joinedload(FieldAction.commune)))}
    return [found[i] for i in ids if i in found]


def matching_action_ids(index: SearchIndex, text: str, viewer: Viewer) -> list[int] | None:
    """Ids of the visible actions a text matches (for the map of search results); None for no text."""
    if not text or not text.strip():
        return None
    doc_ids, approximate = index.matching_ids(SearchQuery(text=text, filters={"kind": ["action"]},
                                                          visibilities=search_visibilities(viewer)))
    if approximate:
        return []  # the map shows exact matches only; the search page labels approximate ones
    return [key[1] for key in map(split_doc_id, doc_ids) if key and key[0] == "action"]

