"""Before a new action is saved: does a similar one (close title, nearby commune) already exist?"""

from __future__ import annotations

import difflib

from sqlmodel import Session, select

from kb.errors import DomainError
from kb.forms.actions import ActionInput
from kb.models import FieldAction
from kb.policy import public_actions_clause
from kb.services.places import resolve_commune
from maps.geo import haversine_km
from maps.names import fold_words

NEARBY_KM = 15.0
_SHORT = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "pour", "un", "une", "sur"}


def title_words(title: str) -> set[str]:
    """Accent-free significant words of a title."""
    return {w for w in fold_words(title) if w not in _SHORT and len(w) > 1}


def close_titles(a: str, b: str) -> bool:
    """Titles that share most significant words, or read almost the same."""
    wa, wb = title_words(a), title_words(b)
    if wa and wb and len(wa & wb) / len(wa | wb) >= 0.5:
        return True
    return difflib.SequenceMatcher(None, " ".join(sorted(wa)), " ".join(sorted(wb))).ratio() >= 0.8


def similar_actions(session: Session, data: ActionInput, exclude_id: int | None = None) -> list[FieldAction]:
    """Existing actions (any status) with a close title in the same or a nearby commune."""
    try:
        commune = resolve_commune(session, data.commune) if data.commune else None
    except DomainError:
        commune = None
    lat = data.latitude if data.latitude is not None else commune.latitude if commune else None
    lon = data.longitude if data.longitude is not None else commune.longitude if commune else None
    found = []
    # Columns only: titles are compared in Python, whole actions are loaded for the few that match.
    # Published actions only: the warning must not reveal the titles of others' drafts or hidden actions.
    rows = session.exec(select(FieldAction.id, FieldAction.title, FieldAction.commune_insee, FieldAction.latitude,
                               FieldAction.longitude).where(public_actions_clause()))
    for action_id, title, insee, a_lat, a_lon in rows:
        if action_id == exclude_id or not close_titles(data.title, title):
            continue
        same_commune = commune is not None and insee == commune.insee
        near = lat is not None and a_lat is not None and haversine_km(lat, lon, a_lat, a_lon) <= NEARBY_KM
        if same_commune or near or (commune is None and lat is None):
            found.append(action_id)
    return [session.get(FieldAction, i) for i in found[:5]]
