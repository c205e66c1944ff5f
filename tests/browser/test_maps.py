"""Maps in a real Chromium: markers, clusters, popups, peers, radius, and no request beyond 127.0.0.1."""

from __future__ import annotations

from datetime import date

from sqlmodel import func, select

from kb.db import new_session
from kb.models import FieldAction
from tests.factories import PASSWORD

READY = "[data-kb-ready='true']"


def _sign_in(page, server, email: str, then: str) -> None:
    page.goto(f"{server.url}/compte/connexion?next={then}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Se connecter')")
    page.wait_for_url(f"**{then}")


def _places(make):
    make.user("etudiant", email="etudiant@exemple.fr")  # the directory, and so peers, needs an account
    arles = make.organisation(name="Centre social Arles", commune_insee="13004", latitude=43.6766, longitude=4.6278)
    raphele = make.organisation(name="Maison de Raphèle", commune_insee="13004", latitude=43.6007, longitude=4.7380)
    marseille = make.organisation(name="Centre social Belsunce", commune_insee="13201",
                                  latitude=43.2990, longitude=5.3780)
    alice = make.practitioner(first_name="Alice", last_name="Proche", organisations=[arles])
    make.practitioner(first_name="Bruno", last_name="Moyen", organisations=[raphele])
    make.practitioner(first_name="Chloé", last_name="Loin", organisations=[marseille])
    make.action(title="Jardin des Alyscamps", latitude=43.6740, longitude=4.6350, people=[(alice, "porteur")])
    make.action(title="Atelier mosaïque de Raphèle", latitude=43.6010, longitude=4.7370, mode="dsl")
    make.action(title="Café des parents de Belsunce", commune_insee="13201", latitude=43.2995, longitude=5.3770,
                mode="communautaire", start_date=date(2013, 3, 1))


def test_map_draws_one_marker_per_action_and_opens_a_popup_linking_to_it(serve, page):
    server = serve(_places)
    page.goto(f"{server.url}/carte")
    page.wait_for_selector(f"#carte{READY}", timeout=15_000)
    assert page.locator("#carte .kb-marker").count() == 3
    page.locator("#carte .kb-marker").first.click()
    link = page.locator(".leaflet-popup-content a[href^='/actions/']").first
    link.wait_for(timeout=10_000)  # the fiche, fetched once the marker is clicked
    href = link.get_attribute("href")
    assert page.locator(".leaflet-popup-content").inner_text().startswith(
        ("Jardin des Alyscamps", "Atelier mosaïque", "Café des parents"))
    # The map pans to show the whole fiche: the link is pressed once the map stands still, as a reader would.
    page.wait_for_function("() => !document.querySelector('#carte .leaflet-pan-anim')", timeout=10_000)
    with page.expect_navigation(url=f"**{href}"):
        link.click()
    assert page.locator("h1").inner_text() in ("Jardin des Alyscamps", "Atelier mosaïque de Raphèle",
                                               "Café des parents de Belsunce")
    assert page.hosts == {"127.0.0.1"}


def test_demo_map_clusters_account_for_every_action(demo_server, page):
    with new_session(demo_server.app) as session:
        visible = session.exec(select(func.count()).select_from(FieldAction).where(
            FieldAction.publication_status.in_(("publiee", "archivee")))).one()
    page.goto(f"{demo_server.url}/carte")
    page.wait_for_selector(f"#carte{READY}", timeout=15_000)
    singles = page.locator("#carte .kb-marker").count()
    clustered = sum(int(text) for text in page.locator("#carte .marker-cluster").all_inner_texts())
    assert page.locator("#carte .marker-cluster").count() > 0
    assert singles + clustered == visible
    assert page.locator("#liste-carte li").count() == visible
    assert page.hosts == {"127.0.0.1"}, "tiles, scripts and styles must all come from the app"


def test_zooming_keeps_the_view_in_the_url(serve, page):
    server = serve(_places)
    page.goto(f"{server.url}/carte")
    page.wait_for_selector(f"#carte{READY}", timeout=15_000)
    page.locator("#carte .leaflet-control-zoom-in").click()
    page.wait_for_function("() => new URL(location.href).searchParams.has('z')", timeout=10_000)
    shared = page.url
    page.goto(shared)
    page.wait_for_selector(f"#carte{READY}", timeout=15_000)
    assert "lat=" in shared and "lon=" in shared


def test_peers_nearest_first_and_radius_filter(serve, page):
    server = serve(_places)
    _sign_in(page, server, "etudiant@exemple.fr", "/pairs")
    page.fill("#lieu", "Arles")
    page.select_option("#rayon", "20")
    page.click("#peers-form button[type=submit]")
    page.wait_for_selector("#peer-people")
    names = [line.split(" — ")[0] for line in page.locator("#peer-people li").all_inner_texts()]
    assert names == ["Alice Proche", "Bruno Moyen"]
    page.wait_for_selector(f"#pairs{READY}", timeout=15_000)
    assert page.locator("#pairs path.kb-map-radius").count() == 1, "the radius circle is drawn"

    page.select_option("#rayon", "5")
    page.click("#peers-form button[type=submit]")
    page.wait_for_selector("#peer-people")
    assert page.locator("#peer-people li").all_inner_texts()[0].startswith("Alice Proche")
    assert "Bruno Moyen" not in page.locator("#peer-people").inner_text()
    assert page.hosts == {"127.0.0.1"}


def test_a_click_on_the_peers_map_searches_around_that_point(serve, page):
    server = serve(_places)
    _sign_in(page, server, "etudiant@exemple.fr", "/pairs")
    page.goto(f"{server.url}/pairs?lat=43.2990&lon=5.3780&rayon=5")
    page.wait_for_selector(f"#pairs{READY}", timeout=15_000)
    assert "Chloé Loin" in page.locator("#peer-people").inner_text()
    box = page.locator("#pairs").bounding_box()
    with page.expect_navigation():  # beside the centre, where a marker sits
        page.locator("#pairs").click(position={"x": box["width"] * 0.55, "y": box["height"] * 0.5})
    assert "lat=" in page.url and "lon=" in page.url
    assert "Chloé Loin" in page.locator("#peer-people").inner_text()


def test_clicking_the_form_map_fills_the_coordinates(serve, page):
    server = serve(lambda make: make.user("formateur", email="formatrice@exemple.fr"))
    _sign_in(page, server, "formatrice@exemple.fr", "/actions/nouvelle")  # contributors only
    page.wait_for_selector(f"#picker{READY}", timeout=15_000)
    page.locator("#picker").click()  # once the map stands still, on the map itself
    page.wait_for_function("() => document.getElementById('latitude').value !== ''", timeout=5_000)
    lat, lon = float(page.input_value("#latitude")), float(page.input_value("#longitude"))
    assert 43.0 < lat < 44.2 and 4.3 < lon < 5.7  # the form map opens on Provence
    assert page.hosts == {"127.0.0.1"}


def test_observatory_map_draws_one_proportional_symbol_per_commune(demo_server, page):
    """Actions per commune: one disc each, larger where there are more, the same communes as the table."""
    page.goto(f"{demo_server.url}/observatoire/")
    page.wait_for_selector(f"#communes{READY}", timeout=15_000)
    rows = page.locator("table:has(caption:has-text('Actions par commune')) tbody tr").count()
    symbols = page.locator("#communes .kb-symbol")
    assert symbols.count() == rows > 10
    sizes = sorted(symbols.nth(i).bounding_box()["width"] for i in range(symbols.count()))
    assert sizes[0] == 10 and sizes[-1] > 50  # "< 3" communes get the smallest disc, the busiest the largest
    assert page.locator("#communes .marker-cluster").count() == 0
    assert page.hosts == {"127.0.0.1"}


def _shown(page) -> int:
    """Points the map accounts for: single markers, plus the counts of the browser's and the server's clusters."""
    return page.locator("#carte .kb-marker").count() + sum(
        int(text) for text in page.locator("#carte .marker-cluster").all_inner_texts())


def test_a_large_map_loads_the_clusters_of_the_view_from_the_server(demo_server, page):
    # The demo's actions and organisations count as a large set, and a view of more than 15 points as crowded.
    demo_server.app.config.update(MAP_SERVER_CLUSTER_FROM=20, MAP_VIEW_SINGLES=15)
    with new_session(demo_server.app) as session:
        visible = session.exec(select(func.count()).select_from(FieldAction).where(
            FieldAction.publication_status.in_(("publiee", "archivee")))).one()
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/carte/points" in request.url else None)
    page.goto(f"{demo_server.url}/carte?orgs=1")
    page.wait_for_selector("#in-view:not([hidden])", timeout=15_000)  # the view on screen came from the server
    page.wait_for_selector(f"#carte{READY}", timeout=15_000)
    total = int(page.locator("#carte").get_attribute("data-point-count"))
    assert total > visible  # actions and organisations
    assert page.locator("#carte .kb-cluster--server").count() > 0
    assert _shown(page) == total  # the first view holds every point, as clusters
    assert "dans la vue actuelle de la carte" in page.locator("#in-view").inner_text()
    assert page.locator("#place-list li").count() > 0

    before = len(asked)
    zoom = int(page.evaluate("() => window.kbMaps.carte.map.getZoom()"))
    with page.expect_response(lambda answer: "/carte/points" in answer.url, timeout=10_000):
        page.locator("#carte .kb-cluster--server").first.click()  # zooms into the cluster's bounds: a new view
    page.wait_for_function(f"() => window.kbMaps.carte.map.getZoom() > {zoom}", timeout=10_000)
    page.wait_for_selector(f"#carte{READY}", timeout=15_000)
    page.wait_for_selector("#carte .kb-marker", timeout=15_000)
    assert len(asked) > before and all("bbox=" in url and "&z=" in url and "orgs=1" in url for url in asked)
    assert _shown(page) < total  # only the view's points now
    marker = page.locator("#carte .kb-marker").first
    assert marker.get_attribute("data-kb-id")[0] in "ao"
    marker.click()
    page.wait_for_selector(".leaflet-popup-content a", timeout=10_000)
    assert page.hosts == {"127.0.0.1"}
