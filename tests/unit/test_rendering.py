"""Markdown write-ups are rendered and sanitised; dates are French and in Paris time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kb.rendering import french_date, markdown_to_html


@pytest.mark.parametrize(
    "source, forbidden",
    [
        ("Bonjour <script>alert('x')</script>", "<script"),
        ('<img src=x onerror="alert(1)">', "onerror"),
        ("[lien](javascript:alert(1))", "javascript:"),
        ('<a href="#" onclick="steal()">clic</a>', "onclick"),
        ("<iframe src='https://example.org'></iframe>", "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
    ],
)
def test_markdown_neutralises_active_content(source, forbidden):
    assert forbidden not in markdown_to_html(source).lower()


def test_markdown_keeps_the_write_up_structure():
    html = markdown_to_html("## Contexte\n\nLes *habitant·es* du **quartier**.\n\n- diagnostic\n- évaluation")
    assert "<h2>Contexte</h2>" in html
    assert "<em>habitant·es</em>" in html and "<strong>quartier</strong>" in html
    assert "<li>évaluation</li>" in html


def test_links_get_nofollow():
    assert 'rel="nofollow noopener"' in markdown_to_html("[IMF](https://www.example.org)")


def test_french_dates_use_paris_time():
    assert french_date(date(2012, 2, 24)) == "24 février 2012"
    # 23:30 UTC on 31 December is already New Year in Paris.
    assert french_date(datetime(2012, 12, 31, 23, 30, tzinfo=UTC)) == "1er janvier 2013 à 00:30"
    assert french_date(datetime(2012, 7, 1, 10, 0)) == "1er juillet 2012 à 12:00"
    assert french_date(None) == ""


def test_markdown_renders_each_text_on_its_own():
    # One converter is reused per thread: footnotes, abbreviations and references must not leak between texts.
    first = str(markdown_to_html("Le *CCAS*[^1] porte l'action.\n\n[^1]: Centre communal d'action sociale.\n\n"
                                 "*[PMI]: Protection maternelle et infantile\n\n[lien]: https://exemple.fr"))
    second = str(markdown_to_html("La PMI et le [lien] restent du texte.[^1]"))
    assert "Centre communal" in first
    assert "Centre communal" not in second and "<abbr" not in second and "<a " not in second
