"""The bulletin d'inscription on a 390 px wide phone, in a real Chromium: three trainees, a live total, a
known organisation suggested as one types, an error that keeps every row, then the confirmation."""

from __future__ import annotations

import re

from playwright.sync_api import expect

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "fr-FR"}
TRAINEES = [("Durand", "Léa", "Animatrice"), ("Martin", "Paul", "Éducateur spécialisé"), ("Petit", "Inès", "CESF")]


def test_an_employer_registers_three_trainees_from_a_phone(browser, demo_server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(re.sub(r"^https?://([^/:]+).*$", r"\1", request.url)))

    page.goto(demo_server.url + "/seminaire/")
    page.get_by_role("link", name=re.compile(r"Séminaire ISIC 20(?!12)")).first.tap()
    page.wait_for_url(re.compile(r"/seminaire/\d+$"))
    page.get_by_role("link", name=re.compile("Inscrire des stagiaires")).tap()
    page.wait_for_url(re.compile(r"/bulletin$"))
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A known organisation is suggested while typing; choosing it fills the employer's details.
    page.fill("#organisation_name", "Centre")
    page.wait_for_selector("#organisations-list option", state="attached", timeout=10_000)
    known = page.eval_on_selector("#organisations-list option", "o => o.value")
    page.fill("#organisation_name", known)
    page.dispatch_event("#organisation_name", "input")
    expect(page.locator("#address")).not_to_have_value("", timeout=5_000)
    assert page.input_value("#postal_code") != ""

    for n, (last, first, function) in enumerate(TRAINEES):
        page.fill(f"#stagiaire-{n}-last_name", last)
        page.fill(f"#stagiaire-{n}-first_name", first)
        page.fill(f"#stagiaire-{n}-function", function)
    assert page.text_content("#total") == "750" and page.text_content("#total-count") == "3"
    page.get_by_role("button", name="Ajouter un·e stagiaire").tap()
    assert page.locator(".trainee-row").count() == 4 and page.input_value("#stagiaire-3-last_name") == ""
    assert page.evaluate("document.activeElement.id") == "stagiaire-3-last_name"
    assert page.text_content("#total") == "750"

    page.fill("#email", "direction@exemple.fr")
    page.fill("#siret", "73282932000075")  # wrong Luhn key
    page.fill("#signer_name", "Claire Fabre")
    page.get_by_role("button", name="Envoyer le bulletin").tap()
    page.wait_for_selector("#siret-error")
    page.wait_for_load_state()
    assert "clé de contrôle" in page.text_content("#siret-error")
    assert [page.input_value(f"#stagiaire-{n}-last_name") for n in range(3)] == ["Durand", "Martin", "Petit"]
    assert page.input_value("#organisation_name") == known and page.text_content("#total") == "750"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.fill("#siret", "73282932000074")
    page.get_by_role("button", name="Envoyer le bulletin").tap()
    page.wait_for_url(re.compile(r"/inscription/"))
    body = page.text_content("main")
    assert re.search(r"Inscription INS-20\d\d-\d{4}", body) and "votre bulletin est enregistré" in body
    assert all(name in body for _last, name, _f in TRAINEES)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert hosts == {"127.0.0.1"} and errors == []
    context.close()
