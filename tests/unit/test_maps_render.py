"""Map rendering: local assets only, escaping, compact client-side points, legend, layers and options."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from maps.render import ASSET_PATHS, CLUSTER_FROM, MapPoint, render_map, render_map_parts, script_json

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
CATEGORIES = {
    "collectif": ("Intervention collective", "#1d4ed8"),
    "individuel": ("Accompagnement individuel", "#b91c1c"),
}
XSS = "</script><script>alert(1)</script>"


def points(count: int, **fields) -> list[MapPoint]:
    return [MapPoint(id=i, lat=43.29 + (i % 100) * 0.002, lon=5.37 + (i // 100) * 0.002,
                     title=fields.get("title", f"Atelier collectif n° {i} à Marseille"),
                     url=fields.get("url", f"/actions/{i}"), category=("collectif", "individuel")[i % 2],
                     layer=fields.get("layer", ("Marseille", "Arles", "Avignon")[i % 3]))
            for i in range(count)]


def render(pts, **options):
    options = {"asset_base_url": "/static/vendor", "tiles_url": TILES, "attribution": "© OpenStreetMap",
               "categories": CATEGORIES, "map_id": "carte", **options}
    return render_map(pts, **options)


def client_config(page: str, map_id: str = "carte") -> dict:
    block = re.search(rf'<script type="application/json" id="{map_id}-data">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


@pytest.mark.parametrize("count", [1, CLUSTER_FROM + 5])
def test_no_cdn_only_local_assets_and_the_tiles(count):
    page = render(points(count))
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {TILES}
    assert not re.search(r"cdn|jquery|bootstrap|font-?awesome|awesome-markers", page, re.I)
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert url.startswith("/static/vendor/") or url.startswith("/actions/"), url


def test_clustered_maps_link_every_local_asset():
    parts = render_map_parts(points(CLUSTER_FROM), asset_base_url="/static/vendor/", tiles_url=None,
                             attribution="", categories=CATEGORIES)
    for path in ASSET_PATHS.values():
        assert f'"/static/vendor/{path}"' in parts.head
    small = render(points(1), cluster=None)
    assert "markercluster" not in small  # one point needs no clustering assets


def test_without_tiles_the_map_has_a_max_zoom_and_no_url():
    page = render(points(50), tiles_url=None, attribution="")
    assert "L.tileLayer" not in page and "http" not in page
    assert '"maxZoom": 19' in page  # Leaflet.markercluster throws "Map has no maxZoom specified" without it
    assert client_config(page)["cluster"] is True


def test_user_text_cannot_break_out_of_the_script():
    page = render(points(3, title=XSS, layer=XSS))
    assert "<script>alert(1)" not in page
    assert page.count("<script") == page.count("</script>")
    config = client_config(page)
    assert [row[5] for row in config["points"]] == [XSS] * 3  # intact once parsed
    assert config["layers"] == ["&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; (3)"]  # HTML for Leaflet


def test_user_text_is_not_run_as_a_template():
    page = render(points(1, title="{{ 7*7 }} {% if true %}oui{% endif %}"))
    assert client_config(page)["points"][0][5] == "{{ 7*7 }} {% if true %}oui{% endif %}"
    with pytest.raises(ValueError, match="attribution"):
        render(points(1), attribution="{{ config }}")


@pytest.mark.parametrize("label", ["Situation : {{ 7*7 }}", "{% if true %}oui{% endif %}", "Note {# x", '"><b>x</b>'])
def test_the_map_label_is_user_text_shown_literally(label):
    # The label carries an action's or organisation's title: never template syntax, always escaped.
    page = render(points(1), label=label)
    assert f'aria-label="{html.escape(label)}"' in page
    assert "49" not in page.split('aria-label="', 1)[1].split('"', 1)[0]
    assert page.count('id="carte"') == 1  # one canvas, still the element Leaflet draws in


def test_script_json_escapes_what_could_close_a_script():
    text = script_json({"t": "</script>&<!--\u2028"})
    assert not set("<>&") & set(text) and "\u2028" not in text
    assert json.loads(text) == {"t": "</script>&<!--\u2028"}


def test_points_travel_as_one_compact_array():
    pts = points(137)
    config = client_config(render(pts))
    assert len(config["points"]) == 137
    assert config["points"][4] == [pts[4].lat, pts[4].lon, 4, 0, 1, pts[4].title, "/actions/4"]
    assert config["layers"] == ["Marseille (46)", "Arles (46)", "Avignon (45)"]
    assert 'data-point-count="137"' in render(pts)


def test_popups_are_fetched_on_demand_when_a_url_template_is_given():
    pts = [MapPoint(7, 43.3, 5.4, "Atelier", "/actions/7", "collectif", popup_html="<p>Détail</p>")]
    remote = client_config(render(pts, popup_url_template="/api/actions/{id}/popup"))
    assert remote["popupUrl"] == "/api/actions/{id}/popup"
    assert remote["points"][0] == [43.3, 5.4, 7, 0, 0, "Atelier"] and remote["popups"] is None
    inline = client_config(render(pts))
    assert inline["popupUrl"] is None and inline["popups"] == {"0": "<p>Détail</p>"}
    with pytest.raises(ValueError, match="popup_url_template"):
        render(pts, popup_url_template="/api/actions/popup")


def test_legend_has_the_french_labels_escaped_with_counts():
    page = render(points(5) + [MapPoint("x", 43.3, 5.4, "Sans catégorie", category="inconnue")],
                  categories={**CATEGORIES, "mixte": ("Collectif & <individuel>", "rgb(0, 128, 0)")})
    legend = re.search(r'<div class="kb-map-legend".*?</ul></div>', page).group(0)
    assert "Intervention collective <span class=\"kb-map-legend__count\">(3)</span>" in legend
    assert "Accompagnement individuel" in legend and "Collectif &amp; &lt;individuel&gt;" in legend
    assert "Autre" in legend  # the point of an unknown category
    assert "#carte-wrap .kb-marker--mixte,#carte-wrap .kb-swatch--mixte{background:rgb(0, 128, 0)}" in page


@pytest.mark.parametrize("options", [
    {"categories": {"a": ("A", "red;} body {display:none")}},
    {"map_id": "carte\" onload=\"alert(1)"},
    {"height": "480px; position:fixed"},
    {"asset_base_url": "/static/\"vendor"},
    {"center": (float("nan"), 5.0)},
    {"radius": (43.3, 5.4, 0)},
    {"tiles_url": TILES, "attribution": " "},
])
def test_invalid_options_are_refused(options):
    with pytest.raises(ValueError):
        render(points(2), **options)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "//evil.example/x",
                                 "/actions/1\" onclick=\"x"])
def test_unsafe_point_urls_are_refused(url):
    with pytest.raises(ValueError, match="Adresse refusée"):
        render([MapPoint(1, 43.3, 5.4, "Atelier", url)])


@pytest.mark.parametrize("url", ["/actions/1", "actions/1", "../actions/1", "https://isic.example/actions/1"])
def test_safe_point_urls_are_kept(url):
    assert client_config(render([MapPoint(1, 43.3, 5.4, "Atelier", url)]))["points"][0][6] == url


def test_invalid_coordinates_are_refused():
    with pytest.raises(ValueError, match="Coordonnées invalides"):
        render([MapPoint(1, float("nan"), 5.4, "Atelier")])


def test_view_centre_zoom_radius_and_fit():
    centred = render(points(3), center=(43.3, 5.4), zoom=11)
    assert "center: [43.3, 5.4]" in centred and '"zoom": 11' in centred
    assert client_config(centred)["fit"] is None
    fitted = client_config(render(points(3)))["fit"]
    assert fitted == [[43.29, 5.37], [43.294, 5.37]]
    around = client_config(render(points(3), radius=(43.3, 5.4, 10.0)))
    assert around["radius"] == [43.3, 5.4, 10.0] and around["fit"][0][0] == pytest.approx(43.3 - 10 / 111.2)


def test_parts_make_the_fragment_and_rendering_is_deterministic():
    options = {"asset_base_url": "/static/vendor", "tiles_url": TILES, "attribution": "OSM",
               "categories": CATEGORIES, "map_id": "carte-actions"}
    parts = render_map_parts(points(40), **options)
    assert parts.html == parts.head + parts.body + parts.script == render_map(points(40), **options)
    assert parts.map_id == "carte-actions" and 'id="carte-actions"' in parts.body
    assert "<style>html, body" not in parts.html and "<meta" not in parts.head  # no whole-page CSS
    assert render_map_parts(points(1), **{**options, "map_id": None}).map_id.startswith("kb-map-")


def test_ten_thousand_points_stay_under_two_megabytes():
    page = render(points(10_000), popup_url_template="/api/actions/{id}/popup")
    assert len(client_config(page)["points"]) == 10_000
    assert len(page.encode("utf-8")) < 2_000_000
    with_urls = render(points(10_000))
    assert len(with_urls.encode("utf-8")) < 2_000_000


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_client_library_is_valid_javascript():
    library = Path(__file__).resolve().parents[2] / "maps" / "assets" / "kb-map.js"
    subprocess.run(["node", "--check", str(library)], check=True, capture_output=True)


def test_a_csp_nonce_goes_on_every_inline_script_and_style():
    page = render(points(3), nonce="r4nd0m-n0nce")
    inline = re.findall(r"<(script|style)(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", page)
    assert inline and all('nonce="r4nd0m-n0nce"' in attributes for _, attributes in inline)
    with pytest.raises(ValueError, match="Nonce"):
        render(points(1), nonce='x" onload="alert(1)')


def test_a_map_frame_is_rendered_once_and_carries_each_request_s_nonce():
    from maps import render

    render._frame.cache_clear()
    point = MapPoint(id="a1", lat=43.6766, lon=4.6278, title="Atelier cuisine")
    options = dict(asset_base_url="/static/vendor", tiles_url=None, attribution="", categories={},
                   center=(43.6766, 4.6278), zoom=13, map_id="situation", cluster=False)
    first = render_map_parts([point], nonce="premierNonce123", **options)
    second = render_map_parts([replace(point, title="Autre titre")], nonce="secondNonce4567", **options)
    assert render._frame.cache_info().hits == 1
    assert 'nonce="premierNonce123"' in first.html and "secondNonce4567" not in first.html
    assert 'nonce="secondNonce4567"' in second.html and "premierNonce123" not in second.html
    assert render._NONCE_SLOT not in first.html + second.html
    assert "Autre titre" in second.html and "Autre titre" not in first.html
    unsigned = render_map_parts([point], **options)
    assert "nonce=" not in unsigned.html
