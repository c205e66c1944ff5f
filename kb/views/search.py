"""Full-text search: the results page (/recherche) and the same results as JSON (/api/search)."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for

from kb import indexing
from kb.db import get_session
from kb.forms.search import SORTS, parse_search_args
from kb.indexing.documents import KIND_LABELS, split_doc_id
from kb.services import search as services
from kb.services import tools as tool_services
from kb.views._forms import current_viewer
from search_index import Hit

bp = Blueprint("search", __name__)
log = logging.getLogger(__name__)
_ENDPOINTS = {"action": ("actions.detail", "action_id"), "practitioner": ("practitioners.detail", "person_id"),
              "organisation": ("organisations.detail", "org_id"), "tool": ("tools.detail", "tool_id"),
              "session": ("workshops.session_page", "session_id"), "cahier": ("cahiers.detail", "cahier_id")}


def hit_url(hit: Hit) -> str:
    """The page of a result, from its index key."""
    key = split_doc_id(hit.doc_id)
    if key is None:
        return url_for("search.search_page")
    endpoint, arg = _ENDPOINTS[key[0]]
    return url_for(endpoint, **{arg: key[1]})


def run_for(form):
    """Run the search after applying waiting index changes; None when the index cannot answer."""
    app = current_app._get_current_object()
    indexing.sync(app)
    try:
        return services.run_search(indexing.get_index(app), form, current_viewer())
    except Exception:  # SearchIndexError, OSError, or a failure inside whoosh: a 503 page, never a 500
        log.exception("search index unavailable")
        return None


@bp.route("/recherche")
def search_page():
    """Recherche plein texte dans les récits, les personnes, les organisations et les outils."""
    form, errors = parse_search_args(request.args)
    canonical = services.canonical_filters(get_session(), form)
    if canonical != form.filters:  # a merged or renamed term: the link leads to the term it became
        args = {**request.args.to_dict(flat=False), **canonical}
        return redirect(url_for(".search_page", **args), 301)
    results = run_for(form)
    labels = services.facet_labels(get_session()) if results else {}
    status = 200 if results is not None else 503
    return render_template("search/results.html", form=form, errors=errors, results=results, sorts=SORTS,
                           facets=services.facets(results, labels) if results else [], labels=labels,
                           kinds=KIND_LABELS, hit_url=hit_url,
                           tool_files=tool_services.latest_files(get_session(), results.hits) if results else {}), status


@bp.route("/api/search")
def search_api():
    """Les mêmes résultats et facettes que la page de recherche, en JSON."""
    form, errors = parse_search_args(request.args)
    if errors:
        return jsonify({"error": {"code": 400, "message": "Paramètres invalides.", "champs": errors}}), 400
    results = run_for(form)
    if results is None:
        return jsonify({"error": {"code": 503, "message": "La recherche est momentanément indisponible."}}), 503
    labels = services.facet_labels(get_session())
    return jsonify({
        "query": form.text, "total": results.total, "page": results.page, "per_page": results.per_page,
        "pages": results.pages, "approximate": results.approximate, "unmatched_terms": results.unmatched_terms,
        "suggestion": results.suggestion,
        "results": [{
            "id": hit.doc_id, "kind": hit.kind, "title": hit.title, "url": hit_url(hit),
            "highlight": hit.highlight, "date": hit.date.isoformat() if hit.date else None,
            "territory": hit.territory, "commune": labels["commune"].get(hit.commune, hit.commune),
            "mode": hit.mode, "year": hit.year,
        } for hit in results.hits],
        "facets": {f.name: [{"value": v, "label": label, "count": n} for v, label, n in f.values]
                   for f in services.facets(results, labels)},
    })
