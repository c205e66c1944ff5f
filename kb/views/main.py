"""Home and about pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from kb.db import get_session
from kb.services import actions as action_services
from kb.services import cahiers as cahier_services
from kb.services import catalog
from kb.views._forms import current_viewer

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """Page d'accueil : l'observatoire, ses chiffres clés et les dernières actions."""
    session, viewer = get_session(), current_viewer()
    return render_template("main/home.html", figures=catalog.key_figures(session, viewer),
                           latest=action_services.latest_actions(session, viewer),
                           territories=catalog.territories(session), cahiers=cahier_services.published(session, 2))


@bp.route("/a-propos")
def about():
    """L'observatoire : objectifs, axes et modalités (document fondateur de 2012)."""
    return render_template("main/about.html", territories=catalog.territories(get_session()))


@bp.route("/confidentialite")
def privacy():
    """Données personnelles : ce que l'observatoire conserve, pourquoi, et vos droits."""
    return render_template("main/privacy.html")
