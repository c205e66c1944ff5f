"""Tags and managed vocabularies: terms picked by label or synonym, proposals, edits, merges and aliases.

Publics and themes are lists that trainers keep (label, definition, synonyms). A name typed in a form is
matched to a term by its label or one of its synonyms, accents and case aside; a name the list does not
know becomes a proposal that waits for a trainer (validated at once when a trainer types it). Merging a
term into another moves its actions, keeps its label as a synonym and its URL name as an alias, so old
links, filters and searches lead to the term it became.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, or_
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.models import ActionTag, FieldAction, Tag, TagAlias
from kb.policy import Viewer, is_moderator, public_actions_clause

VOCABULARY_KINDS = {"public": "Publics", "theme": "Thèmes"}
SUGGESTIONS = 10


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
RESERVED = {"nouveau"}  # URL words of the vocabulary pages: a term may not take them as its name


def slugify(text: str) -> str:
    """'Accès aux droits' -> 'acces-aux-droits'; letters of other scripts are kept ('日本語'); "" when the
    text has no letter or digit at all. At most 100 characters (the column's size)."""
    text = text.translate(_LIGATURES)
    unaccented = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    slug = re.sub(r"[\W_]+", "-", unaccented.lower()).strip("-")[:100].strip("-")
    return f"{slug}-terme" if slug in RESERVED else slug


def _names_index(session: Session, kind: str) -> dict[str, Tag]:
    """Every way to name a term of ``kind`` (its slug, its synonyms' slugs, aliases) -> the term."""
    found: dict[str, Tag] = {}
    tags = list(session.exec(select(Tag).where(Tag.kind == kind)))
    for tag in tags:
        for synonym in tag.synonym_list:
            found.setdefault(slugify(synonym), tag)
    by_id = {t.id: t for t in tags}
    for alias in session.exec(select(TagAlias).where(TagAlias.kind == kind)):
        if alias.tag_id in by_id:
            found[alias.slug] = by_id[alias.tag_id]
    found.update({t.slug: t for t in tags})  # a label wins over another term's synonym
    return found


def get_or_create_tags(session: Session, kind: str, names: list[str], actor: Viewer | None = None) -> list[Tag]:
    """Terms of ``kind`` for these names, matched by label, synonym or former name; an unknown name is
    proposed (validated when ``actor`` is a trainer or an admin, or when no actor is given: demo, tests)."""
    if not names:
        return []
    with session.no_autoflush:  # the caller may be building an action that is not in the session yet
        known = _names_index(session, kind)
    tags: list[Tag] = []
    for name in names:
        slug = slugify(name)
        if not slug:
            continue  # no letter nor digit: nothing to name
        tag = known.get(slug)
        if tag is None:
            proposed = actor is not None and not is_moderator(actor)
            tag = Tag(kind=kind, name=name, slug=slug, status="proposee" if proposed else "validee",
                      proposed_by_id=actor.user_id if proposed else None)
            session.add(tag)
            session.flush()
            known[slug] = tag
        if tag not in tags:
            tags.append(tag)
    return tags


def tags_in_use(session: Session, kind: str, visible=None) -> list[Tag]:
    """Validated terms of one kind carried by at least one action (matching ``visible``, a condition on
    FieldAction, when given), by name."""
    used = select(ActionTag.tag_id)
    if visible is not None:
        used = used.join(FieldAction, FieldAction.id == ActionTag.action_id).where(visible)
    stmt = select(Tag).where(Tag.kind == kind, Tag.status == "validee", Tag.id.in_(used.distinct()))
    return list(session.exec(stmt.order_by(Tag.name)))


def tag_condition(kind: str, slug: str):
    """SQL condition on FieldAction: it carries the term named ``slug`` (or the term an alias leads to)."""
    named = or_(Tag.slug == slug, Tag.id.in_(select(TagAlias.tag_id).where(TagAlias.kind == kind,
                                                                           TagAlias.slug == slug)))
    return FieldAction.id.in_(select(ActionTag.action_id).join(Tag, Tag.id == ActionTag.tag_id)
                              .where(Tag.kind == kind, named))


def find_term(session: Session, kind: str, slug: str) -> tuple[Tag | None, bool]:
    """The term named ``slug``, and whether it was reached through an alias (its URL then redirects)."""
    tag = session.exec(select(Tag).where(Tag.kind == kind, Tag.slug == slug)).first()
    if tag is not None:
        return tag, False
    alias = session.exec(select(TagAlias).where(TagAlias.kind == kind, TagAlias.slug == slug)).first()
    return (session.get(Tag, alias.tag_id), True) if alias else (None, False)


def terms(session: Session, kind: str) -> list[tuple[Tag, int]]:
    """Every term of a vocabulary, by name, with the number of published actions carrying it."""
    counts = dict(session.exec(
        select(ActionTag.tag_id, func.count(ActionTag.action_id)).join(FieldAction, FieldAction.id == ActionTag.action_id)
        .where(public_actions_clause()).group_by(ActionTag.tag_id)).all())
    tags = session.exec(select(Tag).where(Tag.kind == kind).order_by(Tag.name)).all()
    return [(t, counts.get(t.id, 0)) for t in tags]


def action_count(session: Session, term: Tag) -> int:
    """How many published actions carry a term."""
    return session.exec(select(func.count(ActionTag.action_id)).join(FieldAction, FieldAction.id == ActionTag.action_id)
                        .where(ActionTag.tag_id == term.id, public_actions_clause())).one()


def suggestions(session: Session, kind: str, text: str, limit: int = SUGGESTIONS) -> list[dict]:
    """Validated terms whose label or a synonym contains the words typed, labels starting with them first."""
    wanted = slugify(text) if text.strip() else ""
    found = []
    for tag in session.exec(select(Tag).where(Tag.kind == kind, Tag.status == "validee").order_by(Tag.name)):
        if not wanted or wanted in tag.slug:
            found.append((0 if tag.slug.startswith(wanted) else 1, tag, None))
            continue
        synonym = next((s for s in tag.synonym_list if wanted in slugify(s)), None)
        if synonym is not None:
            found.append((2, tag, synonym))
    found.sort(key=lambda item: item[0])
    return [{"slug": tag.slug, "label": tag.name, "synonyme": synonym, "definition": tag.definition or None}
            for _, tag, synonym in found[:limit]]


def _check_names(session: Session, kind: str, name: str, synonyms: list[str], term: Tag | None) -> None:
    if not slugify(name):
        raise DomainError("Le nom doit contenir au moins une lettre ou un chiffre.", field="name")
    if any(not slugify(synonym) for synonym in synonyms):
        raise DomainError("Chaque synonyme doit contenir au moins une lettre ou un chiffre.", field="synonyms")
    known = _names_index(session, kind)
    owner = known.get(slugify(name))
    if owner is not None and owner is not term:
        raise DomainError(f"« {name} » est déjà le nom, un synonyme ou un ancien nom de « {owner.name} ».",
                          field="name")
    seen: set[str] = {slugify(name)}
    for synonym in synonyms:
        key = slugify(synonym)
        owner = known.get(key)
        if owner is not None and owner is not term:
            raise DomainError(f"« {synonym} » désigne déjà « {owner.name} » : fusionnez plutôt les deux termes.",
                              field="synonyms")
        if key in seen:
            raise DomainError(f"« {synonym} » est en double (ou reprend le nom du terme).", field="synonyms")
        seen.add(key)


def save_term(session: Session, kind: str, name: str, definition: str, synonyms: list[str], actor: Viewer,
              term: Tag | None = None) -> Tag:
    """Create a term, or change one (a new name keeps the old one as an alias: its links still work)."""
    _check_names(session, kind, name, synonyms, term)
    if term is None:
        term = Tag(kind=kind, name=name, slug=slugify(name))
    elif slugify(name) != term.slug:
        _add_alias(session, kind, term.slug, term.id)
        term.slug = slugify(name)
        # Taking back a former name: it is the term's own again, no longer an alias.
        for alias in session.exec(select(TagAlias).where(TagAlias.kind == kind, TagAlias.slug == term.slug)):
            session.delete(alias)
    term.name, term.definition, term.synonyms, term.status = name, definition, "\n".join(synonyms), "validee"
    session.add(term)
    session.flush()
    return term


def _add_alias(session: Session, kind: str, slug: str, tag_id: int) -> None:
    """Let ``slug`` lead to the term ``tag_id`` (an alias already there is pointed at it, never doubled)."""
    alias = session.exec(select(TagAlias).where(TagAlias.kind == kind, TagAlias.slug == slug)).first()
    session.add(alias or TagAlias(kind=kind, slug=slug, tag_id=tag_id))
    if alias is not None:
        alias.tag_id = tag_id


def validate_term(session: Session, term: Tag, actor: Viewer) -> None:
    """Accept a proposed term as it is."""
    term.status = "validee"
    session.add(term)
    session.flush()


def merge_terms(session: Session, source: Tag, target: Tag, actor: Viewer) -> int:
    """Fold ``source`` into ``target``: its actions, its name (a synonym now) and its URL names (aliases).

    Returns the number of actions that now carry ``target`` because they carried ``source``."""
    if source.kind != target.kind or source.id == target.id:
        raise DomainError("Choisissez un autre terme de la même liste.", field="target")
    if not target.validated:
        raise DomainError("Choisissez un terme validé : celui-ci attend lui-même une décision.", field="target")
    actions = session.exec(select(FieldAction).where(
        FieldAction.id.in_(select(ActionTag.action_id).where(ActionTag.tag_id == source.id)))).all()
    for action in actions:
        action.tags = [t for t in action.tags if t.id != source.id] + ([] if target in action.tags else [target])
        session.add(action)
    kept = {slugify(target.name)} | {slugify(s) for s in target.synonym_list}
    added = [s for s in (source.name, *source.synonym_list) if slugify(s) not in kept]
    target.synonyms = "\n".join([*target.synonym_list, *dict.fromkeys(added)])
    for alias in session.exec(select(TagAlias).where(TagAlias.tag_id == source.id)):
        alias.tag_id = target.id
        session.add(alias)
    session.flush()
    slug = source.slug
    session.delete(source)
    session.flush()
    _add_alias(session, target.kind, slug, target.id)
    session.add(target)
    session.flush()
    return len(actions)


def delete_term(session: Session, term: Tag, actor: Viewer) -> None:
    """Delete a term: the actions that carried it lose it (a proposal refused, a term no longer used)."""
    for action in session.exec(select(FieldAction).where(
            FieldAction.id.in_(select(ActionTag.action_id).where(ActionTag.tag_id == term.id)))).all():
        action.tags = [t for t in action.tags if t.id != term.id]
        session.add(action)
    session.flush()
    session.delete(term)
    session.flush()
