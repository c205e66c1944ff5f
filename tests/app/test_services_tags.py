"""Tags (themes, publics, trainers' workshop tags): one per kind and slug, offered when in use."""

from __future__ import annotations

import pytest
from sqlmodel import select

from kb.models import FieldAction, Tag
from kb.services.tags import get_or_create_tags, slugify, tags_in_use


@pytest.mark.parametrize(("name", "slug"), [
    ("Accès aux droits", "acces-aux-droits"),
    ("  Santé !  ", "sante"),
    ("Éducation populaire", "education-populaire"),
    ("Jeunes 16-25 ans", "jeunes-16-25-ans"),
    ("«Œuvre» & co", "oeuvre-co"),
    ("!!!", ""),  # no letter nor digit: not a name (the form says so)
    ("ÀÉÎ", "aei"),
    ("日本語", "日本語"),  # other scripts keep their letters
    ("Nouveau", "nouveau-terme"),  # /vocabulaire/<liste>/nouveau is the page that creates a term
    ("ﬃ" * 60, "ffi" * 33 + "f"),  # at most 100 characters, the column's size
])
def test_a_tag_name_gives_a_readable_url_slug(name, slug):
    assert slugify(name) == slug


def test_tags_are_found_by_kind_and_slug_and_created_once(session):
    first = get_or_create_tags(session, "theme", ["Accès aux droits", "Santé"])
    again = get_or_create_tags(session, "theme", ["acces aux droits", "SANTÉ", "Santé"])
    assert [t.id for t in again] == [t.id for t in first]
    assert [(t.kind, t.name, t.slug) for t in first] == [("theme", "Accès aux droits", "acces-aux-droits"),
                                                        ("theme", "Santé", "sante")]
    public = get_or_create_tags(session, "public", ["Santé"])
    assert public[0].id not in {t.id for t in first} and public[0].kind == "public"
    assert len(session.exec(select(Tag)).all()) == 3


def test_no_names_no_tags(session):
    assert get_or_create_tags(session, "theme", []) == []


def test_tags_in_use_are_those_some_action_carries(session, make):
    published = make.action(themes=["Santé", "Logement"], publics=["Familles"])
    draft = make.action(themes=["Insertion"], publication_status="brouillon")
    get_or_create_tags(session, "theme", ["Jamais utilisé"])
    assert [t.name for t in tags_in_use(session, "theme")] == ["Insertion", "Logement", "Santé"]
    assert [t.name for t in tags_in_use(session, "public")] == ["Familles"]
    only_published = FieldAction.id == published.id
    assert [t.name for t in tags_in_use(session, "theme", only_published)] == ["Logement", "Santé"]
    only_draft = FieldAction.id == draft.id
    assert [t.name for t in tags_in_use(session, "theme", only_draft)] == ["Insertion"]
