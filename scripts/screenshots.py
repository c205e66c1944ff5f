"""Screenshots of the main pages at 1280 px and at 390 px, for people to look at (not committed).

Run: ``make screenshots`` (``.venv/bin/python scripts/screenshots.py [--out screenshots]``). A throw-away demo
instance is generated in a temporary directory and served on 127.0.0.1; Debian's Chromium takes each page, whole
(full-page), signed in where the page needs it. Prints each file written, and a count on stderr.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.serving import make_server  # noqa: E402

from kb import create_app, indexing  # noqa: E402
from kb.db import new_session, upgrade  # noqa: E402

PAGES = [
    ("accueil", "/", None), ("actions", "/actions/", None), ("fiche-action", "/actions/1", None),
    ("formulaire-action", "/actions/nouvelle", "professionnelle"), ("recherche", "/recherche?q=%C3%A9valuation", None),
    ("carte", "/carte", None), ("pairs", "/pairs?lieu=Arles&rayon=20", "professionnelle"),
    ("organisations", "/organisations/", None), ("outils", "/outils/", None),
    ("seance", "/ateliers/seances/1", "formatrice"), ("preparation", "/ateliers/seances/1/preparer", "formatrice"),
    ("agenda", "/agenda", None), ("seminaire", "/seminaire/", None), ("compte", "/compte/", "professionnelle"),
    ("moderation", "/moderation/", "admin"),
]
ACCOUNTS = {"admin": ("admin@demo.observatoire-isic.fr", "demo-admin-2012"),
            "formatrice": ("formatrice@demo.observatoire-isic.fr", "demo-formatrice-2012"),
            "professionnelle": ("professionnelle@demo.observatoire-isic.fr", "demo-pro-2012")}
WIDTHS = {"1280": (1280, 900), "390": (390, 844)}


def demo_instance(tmp: str):
    from kb.demo import generate
    from kb.storage import get_storage

    app = create_app({"INSTANCE_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3", "INDEX_DIR": f"{tmp}/index",
                      "SECRET_KEY": "screenshots", "DEMO_MODE": True, "TILES_URL": "http://127.0.0.1:9/{z}/{x}/{y}.png"})
    with app.app_context():
        upgrade(app)
        with new_session(app) as session:
            generate(session, storage=get_storage(app))
            session.commit()
        indexing.drain(app)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request would bury the list
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        print("Instance de démonstration…", file=sys.stderr)
        app = demo_instance(tmp)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        written = 0
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            for width, (w, h) in WIDTHS.items():
                for name, path, who in PAGES:
                    context = browser.new_context(viewport={"width": w, "height": h}, locale="fr-FR",
                                                  has_touch=width == "390")
                    page = context.new_page()
                    if who:
                        page.goto(base + "/compte/connexion")
                        page.fill("#email", ACCOUNTS[who][0])
                        page.fill("#password", ACCOUNTS[who][1])
                        page.click("button:has-text('Se connecter')")
                        page.wait_for_load_state()
                    page.goto(base + path)
                    page.wait_for_timeout(800)  # maps draw their markers
                    target = out / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                    written += 1
                    context.close()
            browser.close()
        server.shutdown()
        print(f"{written} captures dans {out}/", file=sys.stderr)


if __name__ == "__main__":
    main()
