"""Folium maps to embed in a page: clustered markers built client-side, local assets only, no iframe.

One folium Marker per point costs 7.5 s and 8.4 MB at 10,000 points, so folium here only writes the
map, its tile layer and the asset links; the points travel as one JSON data block of compact rows
[lat, lon, id, categoryIndex, layerIndex, title, url?] that `assets/kb-map.js` turns into Leaflet
markers (an `L.divIcon` of class "kb-marker kb-marker--<category>"), clustered per layer, with a
layer control, a legend, and popups fetched on demand from `popup_url_template` (or built from the
title when there is no template). Every asset URL is built from `asset_base_url` (`ASSET_PATHS`):
folium's CDN defaults (jQuery, Bootstrap, Font Awesome, awesome-markers) are never referenced.

Counting in a browser: `#<map_id> .kb-marker` are single markers, `#<map_id> .marker-cluster` the
clusters; `data-point-count` on `#<map_id>` is the number of points and `data-kb-ready="true"`
appears once every marker is in (the `kb:ready` event on window says the same).
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
from folium.elements import JSCSSMixin
from folium.template import Template

from maps.geo import bounds

ASSET_PATHS = {
    "leaflet_js": "leaflet/dist/leaflet.js",
    "leaflet_css": "leaflet/dist/leaflet.css",
    "markercluster_js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "markercluster_css": "leaflet.markercluster/dist/MarkerCluster.css",
    "markercluster_default_css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
}
CLUSTER_FROM = 30  # with cluster=None, fewer points than this are drawn one by one
FRANCE_CENTER = (46.6, 2.4)
_ASSETS = Path(__file__).resolve().parent / "assets"
_LIBRARY_JS = (_ASSETS / "kb-map.js").read_text(encoding="utf-8")
_BASE_CSS = (_ASSETS / "kb-map.css").read_text(encoding="utf-8")
_FALLBACK_CATEGORY = ("Autre", "#6b7280")
_TEXTS = {"loading": "Chargement…", "error": "Impossible de charger la fiche."}
_MAP_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")
_CSS_LENGTH = re.compile(r"\d+(\.\d+)?(px|em|rem|vh|%)")
_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|(rgb|hsl)a?\([0-9.,%\s]+\)")
_NONCE = re.compile(r"[A-Za-z0-9+/=_-]{8,128}")
_TEMPLATE_SYNTAX = re.compile(r"\{[{%#]")
# Stands for the nonce attribute in cached frames: random, so no text a user types can equal it.
_NONCE_SLOT = f" data-kb-nonce-{secrets.token_hex(8)}"
_URL_UNSAFE = re.compile(r"[\s\"'<>`\\]")
# Absolute http(s), root-relative, ./ or ../, or a relative path with no scheme: never javascript:.
_SAFE_URL = re.compile(r"(?!//)(https?://|/|\.{1,2}/|[^:/?#]+([/?#]|$))", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One marker: `title` is plain text (escaped here); `popup_html` is HTML the caller already escaped."""

    id: str | int
    lat: float
    lon: float
    title: str
    url: str | None = None
    category: str = ""
    layer: str = ""
    popup_html: str | None = None
    size: float | None = None  # a proportional symbol's diameter in pixels (a count on a map); None: a marker


@dataclass(frozen=True, slots=True)
class RenderedMap:
    """The parts of a map: `head` (asset links, styles), `body` (map, legend, data), `script` (set-up)."""

    head: str
    body: str
    script: str
    map_id: str

    @property
    def html(self) -> str:
        """One fragment to drop anywhere in a page's body (assets first, then the map, then its script)."""
        return self.head + self.body + self.script


def asset_urls(asset_base_url: str) -> dict[str, str]:
    """The URL of every local asset a map loads, keyed as in `ASSET_PATHS`."""
    if _URL_UNSAFE.search(asset_base_url):
        raise ValueError(f"asset_base_url invalide : « {asset_base_url} »")
    base = asset_base_url.rstrip("/")
    return {name: f"{base}/{path}" for name, path in ASSET_PATHS.items()}


def script_json(value: object) -> str:
    """JSON safe inside a <script> element: <, >, & and the JS line separators written as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class _EmbeddedMap(folium.Map):
    """folium.Map without the whole-page CSS (html, body, #map) folium writes for a standalone file.

    Its <div> is written by `render_map_parts`, not by a macro: the label is user text (an action's
    title), and branca compiles each macro's output again as a Jinja template (see _PointLayer).
    """

    _template = Template("""
        {% macro header(this, kwargs) %}<style{{ this.nonce_attr }}>#{{ this.dom_id }} { height: {{ this.css_height }}; }</style>{% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map({{ this.dom_id|tojson }}, {
                center: {{ this.location|tojson }}, crs: L.CRS.{{ this.crs }}, ...{{ this.options|tojavascript }}
            });
        {% endmacro %}""")

    def __init__(self, dom_id: str, height: str, urls: dict[str, str], nonce_attr: str, **kwargs):
        super().__init__(tiles=None, **kwargs)
        self.nonce_attr = nonce_attr
        self._id = dom_id.replace("-", "_")
        self.dom_id, self.css_height = dom_id, height
        self.default_js = [("leaflet", urls["leaflet_js"])]
        self.default_css = [("leaflet_css", urls["leaflet_css"])]


class _PointLayer(JSCSSMixin, folium.MacroElement):
    """The Leaflet.markercluster assets and the call that lets kb-map.js build the markers."""

    # Only trusted, validated text may pass through a folium macro: branca compiles each macro's
    # output again as a Jinja template, so "{{ 7*7 }}" in a title would come out as "49". The
    # points, the library and the legend are therefore added to the page outside folium.
    _template = Template("""
        {% macro script(this, kwargs) %}
            window.kbMap.init({{ this._parent.get_name() }}, {{ this.data_id|tojson }});
        {% endmacro %}""")

    def __init__(self, data_id: str, urls: dict[str, str], cluster: bool):
        super().__init__()
        self._name = "PointLayer"
        self.data_id = data_id
        self.default_js = [("markercluster", urls["markercluster_js"])] if cluster else []
        self.default_css = [("markercluster_css", urls["markercluster_css"]),
                            ("markercluster_default_css", urls["markercluster_default_css"])] if cluster else []


def render_map(points: Sequence[MapPoint], **options: Any) -> str:
    """Render a map as one HTML fragment (see `render_map_parts` for the options)."""
    return render_map_parts(points, **options).html


def render_map_parts(
    points: Sequence[MapPoint], *, asset_base_url: str, tiles_url: str | None, attribution: str,
    categories: dict[str, tuple[str, str]], center: tuple[float, float] | None = None, zoom: int | None = None,
    popup_url_template: str | None = None, radius: tuple[float, float, float] | None = None,
    height: str = "480px", map_id: str | None = None, cluster: bool | None = None, max_zoom: int = 19,
    label: str = "Carte", legend_title: str = "Légende", nonce: str | None = None,
    points_url: str | None = None, clusters: list | None = None, total: int | None = None,
    legend_counts: list[int] | None = None,
) -> RenderedMap:
    """Render points as a clustered Leaflet map; `categories` maps a key to its French label and colour.

    With `points_url`, the map shows a view of a larger set (`maps.clusters`): `points` and `clusters` are the
    first view's, `total` the size of the set, `legend_counts` its count per category; as the reader moves,
    kb-map.js asks `points_url` (plus `&bbox=south,west,north,east&z=zoom`) for the next view's.
    """
    # tiles_url None: no background (markers only); attribution is plain text. center/zoom fix the first
    # view, else it fits the radius circle (lat, lon, km) or the points. popup_url_template contains
    # "{id}" and answers an escaped HTML fragment; without it popups show the title, linked to url.
    # cluster None clusters from CLUSTER_FROM points on. nonce goes on the inline <script>/<style>.
    asset_urls(asset_base_url)  # refuses an unsafe base before anything is built
    map_id = map_id or f"kb-map-{uuid.uuid4().hex[:8]}"
    _check_options(map_id, height, popup_url_template, tiles_url, attribution, center, radius)
    if nonce is not None and not _NONCE.fullmatch(nonce):
        raise ValueError("Nonce CSP invalide.")
    nonce_attr = f' nonce="{nonce}"' if nonce else ""
    for point in points:
        _check_position(point.lat, point.lon, f"point « {point.id} »")
        if point.url and popup_url_template is None:
            _check_url(point)
    use_cluster = len(points) >= CLUSTER_FROM if cluster is None else cluster
    keys, slugs, used = _categories(categories, points)
    config, category_counts = _client_config(points, keys, len(used), popup_url_template)
    # Colour and label too: a cluster's icon is a pie of the categories it holds (kb-map.js).
    config.update(mapId=map_id, cluster=use_cluster,
                  categories=[{"slug": slug, "label": label, "colour": colour}
                              for slug, (label, colour) in zip(slugs, used, strict=True)],
                  fit=None if center else _fit(points, radius), fitMaxZoom=13,
                  radius=list(radius) if radius else None)
    if points_url is not None:
        if _URL_UNSAFE.search(points_url):
            raise ValueError(f"points_url invalide : « {points_url} »")
        config.update(pointsUrl=points_url, clusters=clusters or [], total=total)
        category_counts = legend_counts or category_counts

    start = center or (radius[:2] if radius else None) or FRANCE_CENTER
    header, frame, script = _frame(map_id, height, asset_base_url, tuple(start),
                                   zoom if zoom is not None else (12 if center else 5), max_zoom, tiles_url,
                                   attribution, use_cluster)
    header, frame, script = (part.replace(_NONCE_SLOT, nonce_attr) for part in (header, frame, script))

    css = _BASE_CSS + _category_css(map_id, slugs, [colour for _, colour in used])
    return RenderedMap(
        head=f"{header}<style{nonce_attr}>{css}</style><script{nonce_attr}>{_LIBRARY_JS}</script>\n",
        body=(f'<div class="kb-map" id="{map_id}-wrap">{_canvas(map_id, label, total if total is not None else len(points))}{frame}'
              f'<script type="application/json" id="{map_id}-data">{script_json(config)}</script>'
              f"{_legend(map_id, legend_title, slugs, used, category_counts)}</div>\n"),
        script=f"<script{nonce_attr}>\n(function () {{\n{script}\n}})();\n</script>",
        map_id=map_id,
    )


@functools.lru_cache(maxsize=1024)
def _frame(map_id: str, height: str, asset_base_url: str, start: tuple[float, float], zoom: int, max_zoom: int,
           tiles_url: str | None, attribution: str, cluster: bool) -> tuple[str, str, str]:
    """folium's part of a map (asset links, the map object, the tile layer), rendered once per process.

    It depends on neither the points nor the nonce (rendered as ``_NONCE_SLOT``, replaced by the caller):
    the small map of an action page costs about 8 ms through folium and a dictionary lookup here.
    """
    urls = asset_urls(asset_base_url)
    world = _EmbeddedMap(map_id, height, urls, _NONCE_SLOT, location=list(start), zoom_start=zoom)
    world.options["max_zoom"] = max_zoom  # Leaflet.markercluster throws without a map maxZoom (no tiles)
    if tiles_url is not None:
        tiles = folium.TileLayer(tiles_url, attr=html.escape(attribution), max_zoom=max_zoom, name="tiles")
        tiles._id = f"{world._id}_tiles"  # stable variable names: the same input renders the same bytes
        tiles.add_to(world)
    _PointLayer(f"{map_id}-data", urls, cluster).add_to(world)
    figure = world.get_root()
    figure.header._children.pop("meta_http", None)  # a <meta> charset belongs to the page, not a fragment
    figure.render()  # fills figure.header / html / script, which are rendered one by one below
    return figure.header.render(), figure.html.render(), figure.script.render()


def _client_config(points: Sequence[MapPoint], keys: dict[str, int], category_total: int,
                   popup_url_template: str | None) -> tuple[dict, list[int]]:
    """The rows and layers kb-map.js reads, and the number of points of each category."""
    fallback = category_total - 1  # only reached when _categories added "Autre" last
    category_counts = [0] * category_total
    layers = list(dict.fromkeys(point.layer for point in points)) or [""]
    layer_index = {name: index for index, name in enumerate(layers)}
    layer_counts = [0] * len(layers)
    rows, popups = [], {}
    for index, point in enumerate(points):
        category, layer = keys.get(point.category, fallback), layer_index[point.layer]
        category_counts[category] += 1
        layer_counts[layer] += 1
        # Six decimals are 11 cm: more would only make the page heavier.
        row = [round(point.lat, 6), round(point.lon, 6), point.id, category, layer, point.title]
        if popup_url_template is None:
            if point.url:
                row.append(point.url)
            if point.popup_html:
                popups[str(index)] = point.popup_html
        rows.append(row)
    sized = any(point.size for point in points)
    config = {
        "points": rows, "popups": popups or None, "popupUrl": popup_url_template, "texts": _TEXTS,
        "sizes": [round(min(max(point.size or 0, 8), 120), 1) for point in points] if sized else None,
        # Leaflet's layer control writes labels as HTML: escape them here.
        "layers": [f"{html.escape(name or 'Autres points')} ({count})"
                   for name, count in zip(layers, layer_counts, strict=True)],
    }
    return config, category_counts


def _canvas(map_id: str, label: str, point_count: int) -> str:
    """The element Leaflet draws in; `label` is plain text, escaped here."""
    return (f'<div class="kb-map__canvas folium-map" id="{map_id}" role="region" '
            f'aria-label="{html.escape(label)}" data-point-count="{point_count}"></div>')


def _fit(points: Sequence[MapPoint], radius: tuple[float, float, float] | None) -> list[list[float]] | None:
    """The bounds to show first: the radius circle if any, else every point."""
    if radius is not None:
        lat, lon, km = radius
        dlat = km / 111.2
        dlon = dlat / max(0.2, math.cos(math.radians(lat)))
        return [[lat - dlat, lon - dlon], [lat + dlat, lon + dlon]]
    corners = bounds((point.lat, point.lon) for point in points)
    return [list(corner) for corner in corners] if corners else None


def _check_options(map_id: str, height: str, popup_url_template: str | None, tiles_url: str | None,
                   attribution: str, center: tuple[float, float] | None,
                   radius: tuple[float, float, float] | None) -> None:
    if not _MAP_ID.fullmatch(map_id):
        raise ValueError(f"Identifiant de carte invalide : « {map_id} »")
    if not _CSS_LENGTH.fullmatch(height):
        raise ValueError(f"Hauteur de carte invalide : « {height} »")
    if popup_url_template is not None and ("{id}" not in popup_url_template or _URL_UNSAFE.search(popup_url_template)):
        raise ValueError(f"popup_url_template invalide (« {{id}} » attendu, sans espace ni guillemet) : "
                         f"« {popup_url_template} »")
    if tiles_url is not None and not attribution.strip():
        raise ValueError("Un fond de carte demande une attribution.")
    # The tile settings go through folium's TileLayer macros (see _PointLayer); the label, user text, does not.
    for what, text in (("tiles_url", tiles_url), ("attribution", attribution)):
        if text and _TEMPLATE_SYNTAX.search(text):
            raise ValueError(f"{what} ne peut pas contenir « {{{{ », « {{% » ni « {{# » : « {text} »")
    if center is not None:
        _check_position(center[0], center[1], "centre")
    if radius is not None:
        _check_position(radius[0], radius[1], "centre du rayon")
        if not radius[2] > 0:
            raise ValueError(f"Rayon invalide : {radius[2]!r} km")


def _check_position(lat: float, lon: float, what: str) -> None:
    # NaN fails both comparisons, so it is refused with the infinities and the out-of-range values.
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"Coordonnées invalides ({what}) : {lat!r}, {lon!r}")


def _check_url(point: MapPoint) -> None:
    url = point.url
    if url.startswith("/") and not url.startswith("//") and not _URL_UNSAFE.search(url):
        return  # the usual case, a path on this site, without the slower regex below
    if _URL_UNSAFE.search(url) or not _SAFE_URL.match(url):
        raise ValueError(f"Adresse refusée pour le point « {point.id} » : « {url} »")


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", key.lower()).strip("-") or "sans-categorie"


def _categories(categories: dict[str, tuple[str, str]],
                points: Sequence[MapPoint]) -> tuple[dict[str, int], list[str], list[tuple[str, str]]]:
    """Index, CSS-safe slug and (label, colour) of each category, plus "Autre" if a point needs it."""
    used = [tuple(value) for value in categories.values()]
    keys = {key: index for index, key in enumerate(categories)}
    slugs: list[str] = []
    for key in categories:
        slug = _slug(key)
        slugs.append(slug if slug not in slugs else f"{slug}-{len(slugs)}")
    if any(point.category not in keys for point in points):
        used.append(_FALLBACK_CATEGORY)
        slugs.append("autre" if "autre" not in slugs else f"autre-{len(slugs)}")
    for label, colour in used:
        if not _COLOUR.fullmatch(colour):
            raise ValueError(f"Couleur invalide pour « {label} » : « {colour} »")
    return keys, slugs, used


def _category_css(map_id: str, slugs: list[str], colours: list[str]) -> str:
    return "".join(f"#{map_id}-wrap .kb-marker--{slug},#{map_id}-wrap .kb-swatch--{slug}{{background:{colour}}}\n"
                   for slug, colour in zip(slugs, colours, strict=True))


def _legend(map_id: str, title: str, slugs: list[str], used: list[tuple[str, str]], counts: list[int]) -> str:
    items = "".join(
        f'<li class="kb-map-legend__item" data-category="{slug}"><span class="kb-swatch kb-swatch--{slug}" '
        f'aria-hidden="true"></span>{html.escape(label)} <span class="kb-map-legend__count">({count})</span></li>'
        for slug, (label, _), count in zip(slugs, used, counts, strict=True)
    )
    return (f'<div class="kb-map-legend" id="{map_id}-legend"><p class="kb-map-legend__title">{html.escape(title)}</p>'
            f'<ul class="kb-map-legend__items">{items}</ul></div>')
