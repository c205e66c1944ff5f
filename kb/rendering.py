"""Template helpers: sanitised Markdown, French dates in Europe/Paris time, vocabulary labels."""

from __future__ import annotations

import functools
import threading
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import markdown as markdown_lib
import nh3
from flask import Flask, request, url_for
from markupsafe import Markup

from kb import typography
from kb.models import choices
from kb.models.findings import effect_evidence

PARIS = ZoneInfo("Europe/Paris")
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
                "h2", "h3", "h4", "h5", "h6", "a", "hr", "table", "thead", "tbody", "tr", "th", "td"}


_converters = threading.local()


def _converter() -> markdown_lib.Markdown:
    # Building a Markdown object loads its extensions through entry points (about 6 ms, most of a write-up's
    # rendering); one per thread is reused, reset between texts (an instance is not thread-safe).
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown_lib.Markdown(extensions=["extra", "sane_lists"])
    return converter


def markdown_to_html(text: str) -> Markup:
    """Render Markdown and keep only safe tags (no script, style, event handlers or raw iframes)."""
    return Markup(_sanitised_html(text or ""))


@functools.lru_cache(maxsize=512)
def _sanitised_html(text: str) -> str:
    # A write-up is rendered on every view of its page (3-8 ms); the same text gives the same HTML.
    html = _converter().reset().convert(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return cleaned


def french_date(value: date | datetime | None) -> str:
    """'24 février 2012', '1er mars 2012'; datetimes are shown in Paris time (stored naive values are UTC)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        local = aware.astimezone(PARIS)
        return f"{_day(local.day)} {MONTHS[local.month - 1]} {local.year} à {local:%H:%M}"
    return f"{_day(value.day)} {MONTHS[value.month - 1]} {value.year}"


def _day(day: int) -> str:
    return "1er" if day == 1 else str(day)  # « 1er décembre », « 2 décembre »


def page_url(page: int) -> str:
    """The current URL with another page number, keeping every filter."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def attr_pair(obj: object, value_attr: str, text_attr: str) -> tuple:
    """(value, text) for a select option from an object's attributes."""
    return getattr(obj, value_attr), getattr(obj, text_attr)


def row_count(values, prefix: str, blanks: int = 2) -> int:
    """How many `prefix-<n>-...` rows a form shows: the filled ones plus a few blank ones."""
    highest = -1
    for key in values:
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == prefix and parts[1].isdecimal() and len(parts[1]) < 4:
            highest = max(highest, int(parts[1]))
    return highest + 1 + blanks


def kilometres(value: float | None) -> str:
    """A distance the French way: "3,2 km", "850 m" under one kilometre."""
    if value is None:
        return ""
    if value < 1:
        return f"{round(value * 1000, -1):.0f}\u00a0m"
    return f"{value:.1f}\u00a0km".replace(".", ",")


def init_app(app: Flask) -> None:
    """Register the filters and globals used by templates."""
    app.add_template_filter(markdown_to_html, "markdown")
    app.jinja_env.add_extension(typography.FrenchTypography)
    app.add_template_filter(typography.typo, "typo")
    app.add_template_filter(typography.de, "de")
    app.add_template_filter(typography.euros, "eur")
    app.add_template_filter(french_date, "date_fr")
    app.add_template_filter(kilometres, "km")
    app.add_template_filter(effect_evidence, "evidence")
    app.add_template_global(choices, "choices")
    app.add_template_global(choices.label, "label")
    app.add_template_global(page_url, "page_url")
    app.add_template_global(row_count, "row_count")
    app.add_template_filter(attr_pair, "attr_pair")
    app.add_template_filter(lambda value: (value, value), "pair_self")
