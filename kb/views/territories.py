"""Territories: the three units and what happens on each."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from kb.db import get_session
from kb.forms.filters import ActionFilters, PeopleFilters
from kb.services import actions as action_services
from kb.services import catalog
from kb.services import people as people_services
from kb.views._forms import current_viewer

bp = Blueprint("territories", __name__, url_prefix="/territoires")


@bp.route("/")
def index():
    """Les unités de formation et leurs territoires."""
    return render_template("territories/list.html", territories=catalog.territories(get_session()))


@bp.route("/<slug>")
def detail(slug: str):
    """Une unité : ses actions, ses organisations, ses intervenant·es."""
    session, viewer = get_session(), current_viewer()
    territory = catalog.territory_by_slug(session, slug)
    if territory is None:
        abort(404)
    page_arg = request.args.get("page", "1")
    page = int(page_arg) if page_arg.isdecimal() and 0 < int(page_arg) < 10_000 else 1
    return render_template(
        "territories/detail.html", territory=territory,
        actions=action_services.list_actions(session, ActionFilters(territory=slug, page=page), viewer),
        organisations=people_services.list_organisations(session, PeopleFilters(territory=slug), per_page=100),
        practitioners=people_services.list_practitioners(session, PeopleFilters(territory=slug), viewer, per_page=100),
    )
