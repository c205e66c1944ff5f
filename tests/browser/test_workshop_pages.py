"""Preparing a workshop session in Chromium: the tagged actions on the map, then on the programme."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
READY = "[data-kb-ready='true']"


def test_a_trainer_picks_a_tagged_action_from_the_map_and_the_list(demo_server, page):
    page.goto(f"{demo_server.url}/compte/connexion?next=/ateliers/")
    page.fill("#email", "formatrice@demo.observatoire-isic.fr")
    page.fill("#password", "demo-formatrice-2012")
    page.click("button:has-text('Se connecter')")
    page.wait_for_url("**/ateliers/")
    page.click("a:has-text('Groupe ISIC 2012')")
    page.click("a:has-text('24 février 2012')")
    page.click("a:has-text('Préparer la séance')")
    page.wait_for_selector(f"#candidats{READY}", timeout=15_000)
    listed = page.locator("ul.candidates li").count()
    assert listed > 10
    page.wait_for_function("() => document.querySelectorAll('#candidats .kb-marker, #candidats .marker-cluster')"
                           ".length > 0", timeout=10_000)
    page.select_option("#etiquette", label="Groupe ISIC 2012")
    page.click("button:has-text('Filtrer')")
    page.wait_for_selector(f"#candidats{READY}", timeout=15_000)
    filtered = page.locator("ul.candidates li").count()
    assert 0 < filtered < listed
    before = page.locator("ol.programme li").count()
    option = page.locator("#action_id option").nth(2)
    title = option.inner_text()
    page.select_option("#action_id", value=option.get_attribute("value"))
    page.locator("#presenter_ids input[type=checkbox]").nth(0).check()
    page.locator("#presenter_ids input[type=checkbox]").nth(1).check()
    page.click("button:has-text('Ajouter au programme')")
    page.wait_for_selector("ol.programme")
    assert page.locator("ol.programme li").count() == before + 1
    assert title in page.locator("ol.programme").inner_text()
    assert page.hosts == {"127.0.0.1"}

