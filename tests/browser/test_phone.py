"""On a 390 px phone: the menu folds behind a button, filters and facets start folded and come first, tables
read as cards; the same pages at 1280 px show everything unfolded."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in_as

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "fr-FR", "has_touch": True, "is_mobile": True}


def test_the_menu_folds_on_a_phone_and_opens_by_touch_and_keyboard(demo_server, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(demo_server.url + "/")
    toggle = page.locator("#menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("nav[aria-label='Navigation principale']").is_visible()
    box = toggle.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb's target
    toggle.tap()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("nav[aria-label='Navigation principale'] a:has-text('Carte')").is_visible()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Actions"  # focus moved into the menu
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "menu-toggle"  # and back to the button
    page.locator("#menu-toggle").focus()
    page.keyboard.press("Enter")
    page.locator("nav[aria-label='Navigation principale'] a:has-text('Carte')").click()
    page.wait_for_url("**/carte")
    context.close()


def test_filters_and_facets_start_folded_on_a_phone_and_open_on_a_desktop(demo_server, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(demo_server.url + "/actions/")
    assert page.locator("details.fold").get_attribute("open") is None
    assert not page.locator("form[aria-label='Filtrer les actions']").is_visible()
    page.locator("details.fold > summary").tap()
    assert page.locator("form[aria-label='Filtrer les actions'] button:has-text('Filtrer')").is_visible()
    page.goto(demo_server.url + "/recherche?q=%C3%A9valuation")
    facets, first_hit = page.locator(".facets").bounding_box(), page.locator(".hit").first.bounding_box()
    assert facets["y"] < first_hit["y"] and facets["height"] < 120  # « Affiner », folded, above the results
    context.close()
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = desktop.new_page()
    page.goto(demo_server.url + "/actions/")
    assert not page.locator("#menu-toggle").is_visible()
    assert page.locator("form[aria-label='Filtrer les actions']").is_visible()
    desktop.close()


def test_tables_read_as_cards_with_their_column_titles(demo_server, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(demo_server.url + "/agenda")
    cell = page.locator("table.stack tbody tr").first.locator("td").first
    title = page.locator("table.stack thead th").first.inner_text().strip()
    assert cell.get_attribute("data-label") == title
    assert page.evaluate("(td) => getComputedStyle(td).display", cell.element_handle()) == "block"
    assert page.evaluate("(td) => getComputedStyle(td, '::before').content", cell.element_handle()).startswith(
        f'"{title}')
    context.close()


def test_presenters_are_picked_by_touch_and_by_keyboard_from_a_list_that_narrows(demo_server, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sign_in_as(page, demo_server.url, "formatrice", then="/ateliers/")
    page.locator("a:has-text('Groupe ISIC 2012')").first.tap()
    page.locator("a:has-text('24 février 2012')").first.tap()
    page.locator("a:has-text('Préparer la séance')").tap()
    page.wait_for_url("**/preparer")
    page.wait_for_selector("#presenter_ids-filtre")
    picker = page.locator("#presenter_ids")
    boxes = picker.locator("input[type=checkbox]")
    everyone = boxes.count()
    first_name = picker.locator("li label").first.inner_text().strip()
    surname = first_name.split()[-1]
    page.fill("#presenter_ids-filtre", surname[:4].lower())
    visible = picker.locator("li:not([hidden])")
    assert 0 < visible.count() < everyone  # the list narrows as one types, accents and case aside
    chosen = visible.first.locator("label").inner_text().strip()
    visible.first.locator("label").tap()
    assert "1 choisi" in page.locator("#presenter_ids .picker-status").inner_text()
    page.fill("#presenter_ids-filtre", "")
    second = picker.locator("li:not([hidden]) input[type=checkbox]:not(:checked)").first
    second.focus()
    page.keyboard.press("Space")  # the keyboard ticks it, as the thumb did
    assert "2 choisis" in page.locator("#presenter_ids .picker-status").inner_text()
    before = page.locator("ol.programme li").count()
    page.locator("#action_id").select_option(index=1)
    page.locator("button:has-text('Ajouter au programme')").tap()
    page.wait_for_selector("ol.programme")
    page.wait_for_function(f"document.querySelectorAll('ol.programme li').length === {before + 1}")
    assert chosen.split()[-1] in page.locator("ol.programme").inner_text()  # saved with its presenters
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_location_picker_centres_on_the_commune_drags_fills_back_and_warns(demo_server, browser, width):
    context = browser.new_context(**(PHONE if width == 390 else {"viewport": {"width": 1280, "height": 900},
                                                                   "locale": "fr-FR"}))
    page = context.new_page()
    sign_in_as(page, demo_server.url, "professionnelle", then="/actions/nouvelle")
    page.wait_for_selector("#picker[data-picker-ready='true']", timeout=15_000)
    centre = "() => { const c = window.kbMaps.picker.map.getCenter(); return [c.lat, c.lng]; }"
    page.fill("#commune", "Arles")
    page.dispatch_event("#commune", "change")
    page.wait_for_function("() => Math.abs(window.kbMaps.picker.map.getCenter().lng - 4.63) < 0.05", timeout=10_000)
    picker = page.locator("#picker")
    # The locator's press waits until the map has stopped moving (the page may still be scrolling to it) and
    # checks that the point pressed is on the map, so it cannot land beside it.
    press = picker.tap if width == 390 else picker.click  # a thumb on a phone, a mouse on a desk
    press()
    page.wait_for_function("() => document.getElementById('latitude').value !== ''")
    lat, lon = float(page.input_value("#latitude")), float(page.input_value("#longitude"))
    assert abs(lat - page.evaluate(centre)[0]) < 0.01 and abs(lon - 4.63) < 0.05
    assert page.locator("#picker .leaflet-marker-draggable").count() == 1
    page.wait_for_timeout(300)
    assert page.locator("#picker-warning").is_hidden()
    # Dragging the marker moves the point.
    page.locator("#picker").scroll_into_view_if_needed()
    marker = page.locator("#picker .leaflet-marker-draggable").bounding_box()
    page.mouse.move(marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] - 4)
    page.mouse.down()
    page.mouse.move(marker["x"] + marker["width"] / 2 + 60, marker["y"] + marker["height"] - 4, steps=8)
    page.mouse.up()
    page.wait_for_function(f"() => Math.abs(parseFloat(document.getElementById('longitude').value) - {lon}) > 0.001")
    # Typed coordinates near Montpellier, the commune still Arles: a visible warning.
    page.fill("#latitude", "43.611")
    page.fill("#longitude", "3.80")
    page.dispatch_event("#longitude", "change")
    warning = page.locator("#picker-warning")
    warning.wait_for(state="visible", timeout=10_000)
    assert "du centre d'Arles" in warning.inner_text() and "(34)" in warning.inner_text()
    # No commune typed: a point placed on the map fills it back.
    page.fill("#latitude", "43.6766")
    page.fill("#longitude", "4.6278")
    page.dispatch_event("#longitude", "change")
    page.wait_for_function("() => Math.abs(window.kbMaps.picker.map.getCenter().lng - 4.6278) < 0.01", timeout=10_000)
    page.fill("#commune", "")
    page.dispatch_event("#commune", "change")
    box = picker.bounding_box()
    press(position={"x": box["width"] / 2 - 40, "y": box["height"] / 2})  # beside the marker
    page.wait_for_function("() => document.getElementById('commune').value === 'Arles (13)'", timeout=10_000)
    context.close()


def test_the_map_list_follows_the_view_and_clusters_show_their_modes(demo_server, browser):
    for options in (PHONE, {"viewport": {"width": 1280, "height": 900}, "locale": "fr-FR"}):
        context = browser.new_context(**options)
        page = context.new_page()
        page.goto(demo_server.url + "/carte")
        page.wait_for_selector("#carte[data-kb-ready='true']", timeout=15_000)
        status = page.locator("#in-view")
        status.wait_for(state="visible")
        total = int(page.locator("#carte").get_attribute("data-point-count"))
        assert status.inner_text().startswith(f"{total} actions dans la vue")  # every territory's layer counted
        everywhere = page.locator("#place-list li:not([hidden])").count()
        pie = page.locator("#carte .kb-cluster__pie").first
        shares = [int(n) for n in pie.get_attribute("data-kb-shares").split(",")]
        assert sum(shares) == int(pie.inner_text()) and "Travail social" in pie.get_attribute("aria-label")
        assert any(sum(1 for n in [int(x) for x in p.split(",")] if n) > 1
                   for p in page.locator("#carte .kb-cluster__pie").evaluate_all(
                       "(pies) => pies.map(p => p.getAttribute('data-kb-shares'))"))  # a mix is visible
        page.evaluate("window.kbMaps.carte.map.setView([43.6766, 4.6278], 14, {animate: false})")  # Arles
        page.wait_for_function(f"() => document.querySelectorAll('#place-list li:not([hidden])').length < {everywhere}")
        near = page.locator("#place-list li:not([hidden])").count()
        assert 0 < near < everywhere
        assert status.inner_text().startswith(f"{near} action") or "la liste en montre" in status.inner_text()
        context.close()


def test_map_filters_apply_without_a_reload_keep_the_url_and_open_in_a_drawer_on_a_phone(demo_server, browser):
    # Desktop: a filter redraws the markers and the list, the URL follows, Back comes back; no page load.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(demo_server.url + "/carte")
    page.wait_for_selector("#carte[data-kb-ready='true']", timeout=15_000)
    page.evaluate("window.notReloaded = true")
    everything = int(page.get_attribute("#carte", "data-point-count"))
    page.select_option("select[name=territory]", index=1)
    page.wait_for_function(f"() => +document.getElementById('carte').dataset.pointCount < {everything} "
                           "&& document.getElementById('carte').dataset.kbReady === 'true'", timeout=10_000)
    assert page.evaluate("window.notReloaded") is True and "territory=" in page.url
    shown = int(page.get_attribute("#carte", "data-point-count"))
    assert page.locator("#map-total").inner_text().startswith(f"{shown} action")
    assert page.locator("#place-list li").count() == min(shown, 200)
    page.go_back()
    page.wait_for_function(f"() => +document.getElementById('carte').dataset.pointCount === {everything}",
                           timeout=10_000)
    assert page.evaluate("window.notReloaded") is True and "territory=" not in page.url
    page.goto(demo_server.url + "/carte?" + "territory=" + page.evaluate(
        "document.querySelector('select[name=territory]').options[1].value"))  # the URL alone gives the view
    page.wait_for_selector("#carte[data-kb-ready='true']", timeout=15_000)
    assert int(page.get_attribute("#carte", "data-point-count")) == shown
    context.close()
    # Phone: a « Filtres » button opens a modal drawer; focus goes in, stays in, and comes back.
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(demo_server.url + "/carte")
    page.wait_for_selector("#carte[data-kb-ready='true']", timeout=15_000)
    opener = page.locator("#filtres-bouton")
    assert opener.is_visible() and opener.inner_text() == "Filtres"
    opener.tap()
    drawer = page.locator("dialog#filtres-carte")
    assert drawer.is_visible() and page.evaluate("document.activeElement.closest('dialog') !== null")
    for _ in range(40):  # Tab never leaves the drawer
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('dialog#filtres-carte') !== null || "
                             "document.activeElement === document.body")
    page.select_option("dialog select[name=territory]", index=1)
    page.locator("dialog button:has-text('Afficher')").tap()
    assert not drawer.is_visible()
    assert page.evaluate("document.activeElement.id") == "filtres-bouton"
    page.wait_for_function("() => document.getElementById('filtres-bouton').textContent === 'Filtres (1)'")
    opener.tap()
    page.keyboard.press("Escape")
    assert not drawer.is_visible() and page.evaluate("document.activeElement.id") == "filtres-bouton"
    context.close()


def test_workshop_tags_are_ticked_by_keyboard_from_a_list_that_narrows(demo_server, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sign_in_as(page, demo_server.url, "formatrice", then="/actions/")
    href = page.locator(".card h3 a").first.get_attribute("href")
    page.goto(demo_server.url + "/ateliers" + href + "/etiquettes")
    page.wait_for_selector("#tag-filtre")
    boxes = page.locator("#tag input[type=checkbox]")
    ticked_before = [b.get_attribute("value") for b in boxes.all() if b.is_checked()]
    candidate = next(b.get_attribute("value") for b in boxes.all() if not b.is_checked())
    page.fill("#tag-filtre", candidate[:5])
    box = page.locator(f"#tag li:not([hidden]) input[value='{candidate}']")
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.locator("button:has-text('Enregistrer')").tap()
    page.wait_for_url("**" + href)
    page.goto(demo_server.url + "/ateliers" + href + "/etiquettes")
    now = [b.get_attribute("value") for b in page.locator("#tag input[type=checkbox]").all() if b.is_checked()]
    assert sorted(now) == sorted([*ticked_before, candidate])
    context.close()
