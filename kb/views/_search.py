"""Search plumbing for pages that narrow their lists by a full-text query: one place says "unavailable"."""

from __future__ import annotations

from flask import current_app

from kb import indexing
from kb.services.search import matching_action_ids
from kb.views._forms import current_viewer
from search_index import SearchIndexError

UNAVAILABLE = "La recherche est momentanément indisponible : le texte saisi n'a pas été pris en compte."


def action_ids_for(text: str | None, unavailable: str = UNAVAILABLE) -> tuple[list[int] | None, str | None]:
    """Ids of the visible actions a text matches (None without text), and a French message when the index
    cannot answer (then None: the page shows every action rather than none)."""
    if not text or not text.strip():
        return None, None
    app = current_app._get_current_object()
    indexing.sync(app)
    try:
        return matching_action_ids(indexing.get_index(app), text, current_viewer()), None
    except (SearchIndexError, OSError):
        return None, unavailable
