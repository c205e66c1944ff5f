"""Tags: find or create by kind and name."""

from __future__ import annotations

import re
import unicodedata

from sqlmodel import Session, select

from kb.models import ActionTag, Tag


def slugify(text: str) -> str:
    """'Accès aux droits' -> 'acces-aux-droits'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def get_or_create_tags(session: Session, kind: str, names: list[str]) -> list[Tag]:
    """Tags of `kind` with these names, created when missing (matched by slug)."""
    tags: list[Tag] = []
    for name in names:
        slug = slugify(name)
        tag = session.exec(select(Tag).where(Tag.kind == kind, Tag.slug == slug)).first()
        if tag is None:
            tag = Tag(kind=kind, name=name, slug=slug)
            session.add(tag)
            session.flush()
        if tag not in tags:
            tags.append(tag)
    return tags


def tags_in_use(session: Session, kind: str, action_ids_query=None) -> list[Tag]:
    """Tags of one kind carried by at least one action (of the given id subquery), by name."""
    stmt = select(Tag).where(Tag.kind == kind, Tag.id.in_(select(ActionTag.tag_id)))
    if action_ids_query is not None:
        stmt = stmt.where(Tag.id.in_(select(ActionTag.tag_id).where(ActionTag.action_id.in_(action_ids_query))))
    return list(session.exec(stmt.order_by(Tag.name)))
