"""What the observatory learns (/observatoire): the dashboard, barriers, levers and effects across actions,
the comparison of points of view, and every figure as CSV."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from kb import charts
from kb.db import get_session
from kb.forms.filters import MAX_PAGE
from kb.forms.observatory import ObservatoryFilters, parse_observatory_filters
from kb.services import figures
from kb.services import findings as services
from kb.views._csv import csv_response
from kb.views._forms import current_viewer
from kb.views._mapdata import filter_options
from kb.views._search import action_ids_for

bp = Blueprint("observatory", __name__, url_prefix="/observatoire")


def _read() -> tuple[ObservatoryFilters, list[int] | None, dict[str, str], str | None]:
    """The filters, the ids the text matches, the errors and the search message."""
    filters, errors = parse_observatory_filters(request.args)
    ids, unavailable = action_ids_for(filters.q)
    return filters, ids, errors, unavailable


def _page_number() -> int:
    raw = request.args.get("page", "1").strip()
    return int(raw) if raw.isdecimal() and 1 <= int(raw) <= MAX_PAGE else 1


def _common(filters: ObservatoryFilters, errors: dict, unavailable: str | None) -> dict:
    return {"filters": filters, "errors": errors, "unavailable": unavailable,
            "options": filter_options(get_session(), current_viewer())}


@bp.route("/")
def dashboard():
    """Tableau de bord : ce que montrent les actions publiées, en chiffres, graphiques et tableaux."""
    filters, ids, errors, unavailable = _read()
    found = figures.dashboard(get_session(), filters.actions_only, ids)
    found["communes_table"] = figures.communes_table(found["communes"])
    return render_template("observatory/dashboard.html", figures=found, charts=charts,
                           communes_map=_communes_map(found["communes"]), **_common(filters, errors, unavailable))


@bp.route("/freins")
def barriers():
    """Les freins de toutes les actions, par type puis par catégorie d'acteur, cités avec leur action."""
    filters, ids, errors, unavailable = _read()
    session = get_session()
    page = (services.barriers_page(session, filters, ids, _page_number()) if filters.kind and filters.actor
            else None)
    groups = None if page else services.barrier_groups(session, filters, ids)
    return render_template("observatory/barriers.html", groups=groups, page=page,
                           **_common(filters, errors, unavailable))


@bp.route("/leviers")
def levers():
    """Les leviers de toutes les actions, cités avec leur action."""
    filters, ids, errors, unavailable = _read()
    page = services.levers_page(get_session(), filters, ids, _page_number())
    return render_template("observatory/levers.html", page=page, **_common(filters, errors, unavailable))


@bp.route("/effets")
def effects():
    """Les effets relevés, par dimension, avec leurs indicateurs et leurs preuves."""
    filters, ids, errors, unavailable = _read()
    session = get_session()
    page = services.effects_page(session, filters, ids, _page_number()) if filters.dimension else None
    groups = None if page else services.effect_groups(session, filters, ids)
    table = figures.effects_by_dimension_and_evidence(session, filters.actions_only, ids)
    return render_template("observatory/effects.html", groups=groups, page=page, table=table, charts=charts,
                           **_common(filters, errors, unavailable))


@bp.route("/comparaison")
def comparison():
    """Qui voit quels freins : types de freins × catégories d'acteurs, chaque case menant aux citations."""
    filters, ids, errors, unavailable = _read()
    table = figures.barriers_by_kind_and_actor(get_session(), filters.actions_only, ids)
    return render_template("observatory/comparison.html", table=table, charts=charts,
                           **_common(filters, errors, unavailable))


@bp.route("/donnees/<name>.csv")
def table_csv(name: str):
    """Les chiffres d'un tableau de l'observatoire, au format CSV (les mêmes que sur la page)."""
    if name not in figures.FIGURES:
        abort(404)
    filters, ids, _, _ = _read()
    table = figures.FIGURES[name].compute(get_session(), filters.actions_only, ids)
    return csv_response(f"observatoire-{name}.csv", table.header(), table.lines())


def _communes_map(counts: list[figures.CommuneCount]):
    """Proportional symbols: a disc per commune whose area follows its number of actions."""
    from kb.views.geo import render_symbols

    return render_symbols(counts)
