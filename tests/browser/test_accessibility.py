"""Accessibility (RGAA) of the main pages, checked by axe-core in Chromium at 1280 px and at 390 px, and no page
wider than a 360 px phone.

axe-core comes from the npm registry at set-up (`package.json`'s devDependencies, `npm ci`); it is injected by
these tests through the DevTools protocol (which the Content-Security-Policy does not apply to) and never served
to users. Any violation of any impact fails, with the rule, its impact and the elements named.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from kb.db import new_session
from kb.models import FieldAction, Seminar, WorkshopSession
from tests.browser.conftest import _serve, sign_in_as

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
READY = "[data-kb-ready='true']"


def _ids(app) -> dict[str, int]:
    with new_session(app) as session:
        action = session.exec(select(FieldAction.id).where(FieldAction.publication_status == "publiee")
                              .order_by(FieldAction.id)).first()
        meeting = session.exec(select(WorkshopSession.id).order_by(WorkshopSession.id)).first()
        seminar = session.exec(select(Seminar.id).order_by(Seminar.id)).first()
    return {"action": action, "session": meeting, "seminar": seminar}


# (name, path with {ids}, who is signed in, a selector to wait for: maps are drawn by script)
PAGES = [
    ("accueil", "/", None, None),
    ("actions", "/actions/", None, None),
    ("fiche action", "/actions/{action}", None, None),
    ("formulaire action", "/actions/nouvelle", "professionnelle", None),
    ("recherche", "/recherche?q=%C3%A9valuation", None, None),
    ("carte", "/carte", None, f"#carte{READY}"),
    ("pairs", "/pairs?lieu=Arles&rayon=20", "professionnelle", None),
    ("organisations", "/organisations/", None, None),
    ("outils", "/outils/", None, None),
    ("séance d'atelier", "/ateliers/seances/{session}", "formatrice", None),
    ("préparation de séance", "/ateliers/seances/{session}/preparer", "formatrice", f"#candidats{READY}"),
    ("agenda", "/agenda", None, None),
    ("séminaire", "/seminaire/{seminar}", None, None),
    ("connexion", "/compte/connexion", None, None),
    ("inscription", "/compte/inscription", None, None),
    ("mon compte", "/compte/", "professionnelle", None),
    ("mes données", "/compte/mes-donnees", "professionnelle", None),
    ("jetons", "/compte/jetons", "professionnelle", None),
    ("modération", "/moderation/", "admin", None),
]
WIDTHS = {"bureau": (1280, 900), "téléphone": (390, 844)}


@pytest.fixture(scope="module")
def site(tmp_path_factory, demo_db):
    """The demo served once for every page of this module (the pages only read)."""
    generator = _serve(tmp_path_factory.mktemp("a11y"), demo_db)
    server = next(generator)
    server.ids = _ids(server.app)
    yield server
    next(generator, None)


def _violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | ')}`)""")
    return found


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
@pytest.mark.parametrize(("name", "path", "who", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_axe_core_finds_nothing(site, browser, name, path, who, ready, width):
    assert AXE.is_file(), "axe-core is missing: `make test` installs it from the npm registry (npm ci)"
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="fr-FR", has_touch=width != "bureau")
    page = context.new_page()
    try:
        if who:
            sign_in_as(page, site.url, who)
        response = page.goto(site.url + path.format(**site.ids))
        assert response.status == 200, f"{name}: {response.status}"
        if ready:
            page.wait_for_selector(ready, timeout=15_000)
        assert _violations(page) == [], name
    finally:
        context.close()


@pytest.mark.parametrize(("name", "path", "who", "ready"), PAGES, ids=[p[0] for p in PAGES])
def test_no_page_is_wider_than_a_phone(site, browser, name, path, who, ready):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="fr-FR", has_touch=True)
    page = context.new_page()
    try:
        if who:
            sign_in_as(page, site.url, who)
        page.goto(site.url + path.format(**site.ids))
        if ready:
            page.wait_for_selector(ready, timeout=15_000)
        wide = page.evaluate("""() => {
            const limit = document.documentElement.clientWidth;
            const over = [...document.querySelectorAll('body *')].filter(e => {
                const r = e.getBoundingClientRect();
                return r.width > 0 && r.right > limit + 1 && getComputedStyle(e).position !== 'fixed'
                    && !e.closest('.leaflet-container, [data-scroll-x]');
            }).slice(0, 5).map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')} `
                                  + `(${Math.round(e.getBoundingClientRect().right)} px)`);
            return {scroll: document.documentElement.scrollWidth, limit, over};
        }""")
        assert wide["scroll"] <= wide["limit"] and wide["over"] == [], f"{name}: {wide}"
    finally:
        context.close()
