"""The practice map (/carte), its popups, "Trouver des pairs" (/pairs) and the commune lookup API."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup

from kb import policy
from kb.db import get_session
from kb.errors import DomainError
from kb.forms.fields import check_coordinates
from kb.forms.filters import parse_action_filters
from kb.forms.geo import RADII, MapView, parse_map_view, parse_peer_search, parse_view_box
from kb.models import Organisation, choices
from kb.security import csp_nonce
from kb.services import actions as action_services
from kb.services import geo as services
from kb.views._forms import current_viewer
from kb.views._mapdata import CACHE, MapData, arrays_of, filter_options
from kb.views._search import action_ids_for
from maps import clusters
from maps.clusters import ViewPoints, distances_km, fit_zoom, view_box
from maps.gazetteer import Gazetteer
from maps.render import MapPoint, render_map_parts

bp = Blueprint("geo", __name__)
SYMBOL_CATEGORY = ("Communes où des actions sont publiées (surface proportionnelle à leur nombre)", "#1d5f8a")
MODE_COLOURS = {"groupe": "#1d4e89", "communautaire": "#7b2d8e", "dsl": "#2e6b30"}
CATEGORIES = {**{k: (v, MODE_COLOURS[k]) for k, v in choices.INTERVENTION_MODES.items()},
              "organisation": ("Organisation", "#8a4b08"), "practitioner": ("Intervenant·e", "#b3261e")}
LIST_LIMIT = 200
PEERS_SHOWN = 200  # nearest people and nearest actions listed and drawn by /pairs


def render_points(places: list[services.Place], *, popups: bool = True, **options) -> Markup:
    """A map of places: colour by mode (or kind), one layer per territory, popups loaded on demand."""
    points = [MapPoint(id=f"{p.kind[0]}{p.id}", lat=p.lat, lon=p.lon, title=p.title,
                       category=p.mode or p.kind, layer=p.territory if p.kind == "action" else "Organisations"
                       if p.kind == "organisation" else "Intervenant·es") for p in places]
    config = current_app.config
    used = {p.mode or p.kind for p in places} | set(choices.INTERVENTION_MODES)
    parts = render_map_parts(
        points, asset_base_url=url_for("static", filename="vendor"), tiles_url=config["TILES_URL"] or None,
        attribution=config["TILES_ATTRIBUTION"], categories={k: v for k, v in CATEGORIES.items() if k in used},
        legend_title="Légende",
        popup_url_template=url_for("geo.popup", key="KEY").replace("KEY", "{id}") if popups else None,
        nonce=csp_nonce(), **options)
    return Markup(parts.html)


def render_symbols(counts) -> Markup:
    """Actions per commune as proportional symbols: a disc whose area follows the count ("< 3": the smallest)."""
    top = max([c.cell.value for c in counts if not c.cell.hidden] + [1])
    points = []
    for c in counts:
        if c.latitude is None or c.longitude is None:
            continue
        size = 10 if c.cell.hidden else 10 + 50 * math.sqrt(c.cell.value / top)
        what = "action" if c.cell.value == 1 and not c.cell.hidden else "actions"
        points.append(MapPoint(id=c.insee, lat=c.latitude, lon=c.longitude, title=f"{c.name} : {c.cell.text} {what}",
                               url=url_for("actions.index", commune=c.insee), category="communes", size=size))
    config = current_app.config
    parts = render_map_parts(
        points, asset_base_url=url_for("static", filename="vendor"), tiles_url=config["TILES_URL"] or None,
        attribution=config["TILES_ATTRIBUTION"], categories={"communes": SYMBOL_CATEGORY},
        legend_title="Légende", nonce=csp_nonce(), cluster=False, height="420px", map_id="communes",
        label=f"Carte des actions par commune ({len(points)} communes)")
    return Markup(parts.html)


def small_map(place: services.Place | None, map_id: str = "situation") -> Markup | None:
    """The small map of an action or organisation page."""
    if place is None:
        return None
    return render_points([place], popups=False, center=(place.lat, place.lon), zoom=13, height="260px",
                         label=f"Situation : {place.title}", map_id=map_id, cluster=False)


def picker_map(lat: float | None, lon: float | None) -> Markup:
    """A map to click on to fill a form's latitude and longitude (see static/js/map-state.js)."""
    place = services.Place(0, "organisation", "Position actuelle", lat, lon) if lat is not None else None
    return render_points([place] if place else [], popups=False, center=(lat, lon) if place else (43.6, 5.0),
                         zoom=14 if place else 8, height="300px", map_id="picker", cluster=False,
                         label="Carte : cliquez pour placer le point")


def _map_data(session, viewer, filters, view) -> tuple[MapData, str | None]:
    """The points of /carte for these filters (kept per process until the content changes), and the search's
    French message when the index could not answer."""
    ids, search_error = action_ids_for(view.q, "La recherche est momentanément indisponible : "
                                                 "la carte montre toutes les actions.")

    def build() -> MapData:
        places = services.action_places(session, filters, viewer, ids)
        shown = places + (services.organisation_places(session, ordered=False) if view.organisations else [])
        used = {p.mode or p.kind for p in shown} | set(choices.INTERVENTION_MODES)
        categories = {k: v for k, v in CATEGORIES.items() if k in used}
        if used - set(categories):
            categories["autre"] = ("Autre", "#6b7280")
        return MapData(places, arrays_of(shown, categories), categories, len(places))

    key = (current_app.config["DATABASE_URL"], viewer.role, viewer.user_id, viewer.practitioner_id, repr(filters),
           view.q, search_error is None, view.organisations)
    return CACHE.get(session, key, build), search_error


def _server_view(data: MapData, view) -> tuple[tuple[float, float], int, ViewPoints]:
    """The first view of a large set: the one asked for, else the one that fits every point."""
    arrays = data.arrays
    if view.center:
        center, zoom = view.center, view.zoom or 12
    elif len(arrays):
        south, north = float(arrays.lat.min()), float(arrays.lat.max())
        west, east = float(arrays.lon.min()), float(arrays.lon.max())
        center, zoom = ((south + north) / 2, (west + east) / 2), fit_zoom(south, west, north, east)
    else:
        center, zoom = (43.6, 5.0), 8
    return center, zoom, clusters.view(arrays, view_box(*center, zoom), zoom, len(data.categories),
                                       singles_up_to=current_app.config["MAP_VIEW_SINGLES"])


def _view_args() -> dict:
    """The page's filters, without its view (centre, zoom, page): what the points of any view depend on."""
    return {k: request.args.getlist(k) for k in request.args if k not in ("lat", "lon", "z", "page", "bbox")}


@bp.route("/carte")
def map_page():
    """Carte des actions visibles, avec les filtres de la liste et la recherche plein texte."""
    session, viewer = get_session(), current_viewer()
    filters, errors = parse_action_filters(request.args)
    view, view_errors = parse_map_view(request.args)
    errors.update(view_errors)
    data, search_error = _map_data(session, viewer, filters, view)
    label = f"Carte de {data.action_count} actions"
    config = current_app.config
    if len(data.arrays) <= config["MAP_SERVER_CLUSTER_FROM"]:
        map_html = render_points([_place_of(data, i) for i in range(len(data.arrays))], center=view.center,
                                 zoom=view.zoom, height="65vh", label=label, map_id="carte")
    else:  # a large set: the first view's clusters now, the next views' from /carte/points
        center, zoom, first = _server_view(data, view)
        points = [MapPoint(id=row[2], lat=row[0], lon=row[1], title=row[5], category=list(data.categories)[row[3]])
                  for row in first.points]
        parts = render_map_parts(
            points, asset_base_url=url_for("static", filename="vendor"), tiles_url=config["TILES_URL"] or None,
            attribution=config["TILES_ATTRIBUTION"], categories=data.categories, legend_title="Légende",
            popup_url_template=url_for("geo.popup", key="KEY").replace("KEY", "{id}"), nonce=csp_nonce(),
            center=center, zoom=zoom, height="65vh", label=label, map_id="carte", cluster=True,
            points_url=url_for("geo.map_points", **_view_args()), clusters=first.clusters, total=len(data.arrays),
            legend_counts=np.bincount(data.arrays.category, minlength=len(data.categories)).tolist())
        map_html = Markup(parts.html)
    return render_template("geo/map.html", map_html=map_html, places=data.places[:LIST_LIMIT], total=data.action_count,
                           filters=filters, view=view, errors=errors, search_error=search_error,
                           options=filter_options(session, viewer))


def _place_of(data: MapData, index: int) -> services.Place:
    """A point of a small set as a place (actions keep theirs; organisations are rebuilt from the arrays)."""
    if index < data.action_count:
        return data.places[index]
    arrays = data.arrays
    return services.Place(int(arrays.ids[index][1:]), "organisation", arrays.titles[index], float(arrays.lat[index]),
                          float(arrays.lon[index]), territory="Organisations")


@bp.route("/carte/points")
def map_points():
    """Les points et regroupements d'une vue de la carte (JSON), pour les cartes de plusieurs milliers de points."""
    session, viewer = get_session(), current_viewer()
    filters, errors = parse_action_filters(request.args)
    view, _ignored = parse_map_view(request.args)  # its text and layers; the view is bbox and z, 0 to 19
    box, zoom, box_errors = parse_view_box(request.args)
    errors.update(box_errors)
    if errors:
        return jsonify(error="Paramètres de la vue invalides.", fields=errors), 400
    data, search_error = _map_data(session, viewer, filters, view)
    shown = clusters.view(data.arrays, box, zoom, len(data.categories),
                          singles_up_to=current_app.config["MAP_VIEW_SINGLES"])
    actions = [int(i) for i in shown.indices if i < data.action_count]
    listed = [{"id": place.id, "title": place.title, "url": url_for("actions.detail", action_id=place.id),
               "lat": place.lat, "lon": place.lon, "mode": choices.INTERVENTION_MODES.get(place.mode, ""),
               "commune": place.commune} for place in (data.places[i] for i in actions[:LIST_LIMIT])]
    return jsonify(points=shown.points, clusters=shown.clusters, total=len(data.arrays), inView=shown.in_view,
                   actions=data.action_count, actionsInView=len(actions), list=listed, searchError=search_error)


@bp.route("/carte/fiche/<key>")
def popup(key: str):
    """Fiche courte d'une action ou d'une organisation, chargée à l'ouverture d'une infobulle."""
    session = get_session()
    kind, number = key[:1], key[1:]
    if not number.isdecimal() or len(number) > 9:
        abort(404)
    if kind == "a":
        action = action_services.get_action(session, int(number))
        if action is None or not policy.is_public(action):
            abort(404)
        return render_template("geo/_popup.html", action=action)
    if kind == "o":
        org = session.get(Organisation, int(number))
        if org is None:
            abort(404)
        return render_template("geo/_popup.html", org=org)
    abort(404)


@bp.route("/pairs")
def peers():
    """Trouver des pairs : intervenant·es et actions autour d'une commune, d'un point ou d'une organisation."""
    session, viewer = get_session(), current_viewer()
    search, errors = parse_peer_search(request.args)
    filters, filter_errors = parse_action_filters(request.args)
    errors.update(filter_errors)
    origin = None
    try:
        if search.org_id:
            origin = services.organisation_position(session, search.org_id)
        elif search.place:
            origin = services.locate(search.place)
        elif search.point:
            origin = (*search.point, "le point choisi sur la carte")
    except DomainError as exc:
        errors[exc.field or "lieu"] = exc.message
    people, actions, map_html, counts = [], [], None, (0, 0)
    if origin and not errors:
        lat, lon, _label = origin
        people = services.nearby(services.peer_practitioners(session, viewer, filters), lat, lon, search.radius)
        data, _error = _map_data(session, viewer, filters, MapView())  # the map's actions, kept per process
        actions = _nearby_actions(data, lat, lon, search.radius)
        # A city at 50 km holds thousands of actions: the nearest ones are listed and drawn, the count says the rest.
        counts = (len(people), len(actions))
        people, actions = people[:PEERS_SHOWN], actions[:PEERS_SHOWN]
        map_html = render_points(actions + people, popups=False, radius=(lat, lon, search.radius),
                                 height="55vh", label="Carte des pairs", map_id="pairs")
    else:
        map_html = render_points([], popups=False, height="50vh", label="Carte : cliquez pour choisir un point",
                                 map_id="pairs", center=(43.6, 5.0), zoom=8)
    return render_template("geo/peers.html", search=search, errors=errors, origin=origin, people=people,
                           actions=actions, counts=counts, map_html=map_html, radii=RADII, filters=filters,
                           options=filter_options(session, viewer),
                           organisations=services.organisations_with_people(session))


def _nearby_actions(data: MapData, lat: float, lon: float, radius_km: float) -> list[services.Place]:
    """The actions of a map's data set within the radius, nearest first, each with its distance."""
    count = data.action_count
    distances = distances_km(lat, lon, data.arrays.lat[:count], data.arrays.lon[:count])
    inside = np.flatnonzero(distances <= radius_km)
    ordered = sorted(inside.tolist(), key=lambda i: (distances[i], data.places[i].title))
    return [replace(data.places[i], distance_km=float(distances[i])) for i in ordered]


@bp.route("/api/communes/proche")
def nearest_commune():
    """La commune dont le centre est le plus proche d'un point (le sélecteur de position des formulaires)."""
    try:
        lat, lon = float(request.args.get("lat", "")), float(request.args.get("lon", ""))
        check_coordinates(lat, lon)
    except ValueError as exc:
        message = str(exc) if "hors" in str(exc) else "Indiquez une latitude et une longitude (nombres décimaux)."
        return jsonify({"error": {"code": 400, "message": message, "fields": {}}}), 400
    found = Gazetteer.default().nearest(lat, lon)
    if found is None:
        return jsonify({"error": {"code": 404, "message": "Aucune commune connue près de ce point.", "fields": {}}}), 404
    commune, distance = found
    return jsonify({"insee": commune.insee, "nom": commune.name, "departement": commune.departement,
                    "parent_insee": commune.parent_insee,
                    "libelle": f"{commune.name} ({commune.departement})", "latitude": commune.lat,
                    "longitude": commune.lon, "distance_km": round(distance, 2)})


@bp.route("/api/communes")
def communes():
    """Communes dont le nom ou le code commence par q (autocomplétion des formulaires)."""
    text = (request.args.get("q") or "").strip()[:80]
    if len(text) < 2:
        return jsonify({"error": {"code": 400, "message": "Saisissez au moins deux caractères."}}), 400
    found = Gazetteer.default().search(text, limit=10)
    return jsonify([{"insee": c.insee, "nom": c.name, "departement": c.departement,
                     "codes_postaux": list(c.postal_codes), "libelle": f"{c.name} ({c.departement})",
                     "latitude": c.lat, "longitude": c.lon} for c in found])
