"""Generated documents: HTML templates under `templates/documents/` printed to PDF by WeasyPrint.

This module alone knows WeasyPrint. A document never fetches anything from the network: the URL
fetcher only reads the app's own static files, and the print stylesheet (`static/css/print.css`)
names fonts that Debian's fonts-dejavu-core provides. User text reaches the PDF only through the
autoescaped templates.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app, render_template

from kb.resources import STATIC

log = logging.getLogger(__name__)


def _local_only(url: str, timeout: int = 10, ssl_context=None):
    from weasyprint.urls import default_url_fetcher

    path = Path(url.removeprefix("file://")).resolve() if url.startswith("file://") else None
    if path is None or STATIC not in path.parents:
        raise ValueError(f"A document may only use the app's static files, not {url!r}")
    return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)


def html_to_pdf(html: str, stylesheets: tuple[str, ...] = ()) -> bytes:
    """Print an HTML document with the print stylesheet, then ``stylesheets`` (names under static/css/)."""
    from weasyprint import CSS, HTML  # imported on first use: it takes half a second

    return HTML(string=html, base_url=str(STATIC), url_fetcher=_local_only).write_pdf(
        stylesheets=[CSS(filename=str(STATIC / "css" / name), url_fetcher=_local_only)
                     for name in ("print.css", *stylesheets)])


def render_pdf(template: str, stylesheets: tuple[str, ...] = (), **context) -> bytes:
    """Render `templates/documents/<template>` with the institute's settings, then print it."""
    config = current_app.config
    institute = {"name": config["INSTITUTE_NAME"], "address": config["INSTITUTE_ADDRESS"],
                 "siret": config["INSTITUTE_SIRET"], "activity": config["INSTITUTE_ACTIVITY_NUMBER"],
                 "vat": config["VAT_MENTION"], "funding": config["FUNDING_NOTE"]}
    html = render_template(f"documents/{template}", institute=institute, **context)
    return html_to_pdf(html, stylesheets)
