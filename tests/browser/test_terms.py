"""The term autocomplete of the action form in a real Chromium: an ARIA combobox over /api/vocabulaire."""

from __future__ import annotations

from tests.browser.test_maps import _sign_in


def test_an_author_picks_publics_from_the_shared_list_with_the_keyboard(serve, page):
    def fill(make):
        make.user("formateur", email="formatrice@exemple.fr")
        make.action(publics=["Jeunes de 16 à 25 ans", "Familles"], themes=["Insertion professionnelle"])

    server = serve(fill)
    _sign_in(page, server, "formatrice@exemple.fr", "/actions/nouvelle")
    field = page.locator("#publics")
    assert field.get_attribute("role") == "combobox" and field.get_attribute("aria-expanded") == "false"
    field.fill("Familles, jeu")
    page.wait_for_selector("#publics-suggestions [role=option]", timeout=10_000)
    assert field.get_attribute("aria-expanded") == "true"
    assert page.locator("#publics-suggestions [role=option]").all_inner_texts() == ["Jeunes de 16 à 25 ans"]
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == page.locator(
        "#publics-suggestions [role=option]").first.get_attribute("id")
    field.press("Enter")
    assert field.input_value() == "Familles, Jeunes de 16 à 25 ans, "
    assert page.locator("#publics-suggestions").is_hidden() and field.get_attribute("aria-expanded") == "false"
    assert page.hosts == {"127.0.0.1"}
