"""Model -> search document mapping: what of each record the search reads, and who may find it."""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import fields

from sqlalchemy import func
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from kb import policy
from kb.indexing import versions
from kb.models import (
    Barrier,
    Cahier,
    FieldAction,
    Organisation,
    Practitioner,
    Presentation,
    Tool,
    Workshop,
    WorkshopSession,
    choices,
)
from kb.models.action import ActionPractitioner
from kb.services.cahiers import texts as cahier_texts
from search_index import SearchDoc

# Bump when a document's content or visibility rule changes: `serve` then rebuilds the index.
# 2: practitioners are found by signed-in users only ("annuaire"); reported actions hide ("masquee").
# 3: workshop sessions and their syntheses.
# 4: organisations and tools re-indexed when an action they list changes, sessions when a trainer's account is
#    deleted or renamed (older indexes may hold stale titles and names).
# 5: documents carry their version; every list in a document is in a fixed order (stamps agree across databases).
# 6: actions carry their labels (tags and their synonyms, kinds of findings) as words, and the facets of their
#    findings and tools; proposed terms are words, not facets, until a trainer validates them.
# 7: tools carry the words of their latest file, their file names, and their publication state as visibility.
# 8: published cahiers, from their frozen content (drafts are found by nobody).
# 9: the stamp is a column only (schema change: an index written before is outdated and rebuilt).
MAPPING_VERSION = 9

KINDS = ("action", "practitioner", "organisation", "tool", "session", "cahier")
KIND_LABELS = {"action": "Actions", "practitioner": "Intervenant·es", "organisation": "Organisations",
               "tool": "Outils", "session": "Séances d'atelier", "cahier": "Cahiers de l'observatoire"}
BATCH = 200


def doc_id(kind: str, object_id: int) -> str:
    """The index key of a record: "action:12"."""
    return f"{kind}:{object_id}"


def split_doc_id(value: str) -> tuple[str, int] | None:
    """(kind, id) of an index key, or None when it is not one of ours."""
    kind, _, number = value.partition(":")
    return (kind, int(number)) if kind in KINDS and number.isdecimal() else None


_MARKUP = [
    (re.compile(r"<[^>]*>"), " "),  # raw HTML tags (the page sanitises them; the index drops them)
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images keep their text
    (re.compile(r"^[ \t]{0,3}(#{1,6}|>+|[-*+]|\d+[.)])[ \t]+", re.MULTILINE), ""),  # headings, quotes, lists
    (re.compile(r"^[ \t]*([-*_][ \t]*){3,}$", re.MULTILINE), ""),  # horizontal rules
    (re.compile(r"(\*{1,3}|_{2,3}|`+|~~)"), ""),  # emphasis and code marks
]


def plain_text(markdown_text: str) -> str:
    """The words of a Markdown text, without markup (the index highlights plain text).

    Regular expressions, not a Markdown renderer: rendering cost 6 ms per write-up, a minute
    of a 10k-action rebuild; the index only needs the words in order.
    """
    text = markdown_text or ""
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return html.unescape(text)


_DOC_FIELDS = [f for f in fields(SearchDoc) if f.name not in ("stamp", "version")]


def _stamped(doc: SearchDoc) -> SearchDoc:
    # The stamp is a digest of everything indexed: `index check` compares it to find stale documents.
    # A shallow dict serialises as `asdict` did (lists of strings), without its deep copy (a fifth of the cost).
    payload = json.dumps({f.name: getattr(doc, f.name) for f in _DOC_FIELDS}, default=str, sort_keys=True)
    doc.stamp = hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]
    return doc


def by_id(records: Iterable) -> list:
    """Records in id order: a collection loaded without ORDER BY comes in whatever order the database
    keeps rows (PostgreSQL moves an updated row), and a document must not change with it."""
    return sorted(records, key=lambda record: record.id)


def _barrier_line(barrier: Barrier) -> str:
    kind = choices.label(choices.BARRIER_KINDS, barrier.kind)
    actor = choices.label(choices.ACTOR_CATEGORIES, barrier.actor_category)
    return f"Frein {kind.lower()} ({actor.lower()}) : {barrier.description}"


def action_labels(action: FieldAction) -> str:
    """What an action is tagged with, in words: its publics, themes and workshop tags, the kinds and
    points of view of its barriers, the dimensions of its effects (one line each, in a stable order)."""
    tags = [name for kind in ("public", "theme", "atelier") for t in action.tags_of(kind)
            for name in (t.name, *t.synonym_list)]
    kinds = sorted({choices.label(choices.BARRIER_KINDS, b.kind) for b in action.barriers})
    actors = sorted({choices.label(choices.ACTOR_CATEGORIES, b.actor_category) for b in action.barriers})
    dimensions = sorted({choices.label(choices.EFFECT_DIMENSIONS, e.dimension) for e in action.effects})
    return "\n".join([*tags, *(f"frein {k.lower()}" for k in kinds), *actors,
                      *(f"effet {d.lower()}" for d in dimensions)])


def action_doc(action: FieldAction) -> SearchDoc:
    """The search document of a field action: its story, findings, tools, people and partners."""
    findings = [
        *(f"Effet : {e.description} {e.indicator}" for e in by_id(action.effects)),
        *(_barrier_line(b) for b in by_id(action.barriers)),
        *(f"Levier : {lever.description}" for lever in by_id(action.levers)),
        *(f"Outil : {t.title}. {t.description}" for t in by_id(action.published_tools())),
    ]
    links = sorted(action.practitioner_links, key=lambda link: link.practitioner_id)
    listed = [link.practitioner for link in links if policy.is_listed(policy.ANONYMOUS, link.practitioner)]
    extra = [p.full_name for p in listed] + [o.name for o in by_id(action.partners)]
    extra += [o.name for p in listed for o in by_id(p.organisations)]
    return _stamped(SearchDoc(
        doc_id=doc_id("action", action.id), kind="action", title=action.title,
        body="\n\n".join([action.summary, plain_text(action.writeup), *findings]),
        extra=" · ".join(dict.fromkeys(extra)),
        territory=action.territory.slug if action.territory else None,
        commune=action.commune_insee, mode=action.mode,
        publics=[t.slug for t in action.tags_of("public") if t.validated],
        themes=[t.slug for t in action.tags_of("theme") if t.validated],
        labels=action_labels(action),
        barrier_kinds=sorted({b.kind for b in action.barriers}),
        actors=sorted({b.actor_category for b in action.barriers}),
        dimensions=sorted({e.dimension for e in action.effects}),
        has_tool="oui" if action.published_tools() else "non",
        status=action.status, year=action.year, date=action.start_date,
        visibility=policy.action_visibility(action),
    ))


def practitioner_doc(person: Practitioner) -> SearchDoc:
    """The search document of a practitioner (found only when listed in the directory)."""
    function = choices.label(choices.FUNCTIONS, person.function)
    organisations = by_id(person.organisations)
    body = [function, *(o.name for o in organisations), person.skills_knowledge, person.skills_know_how,
            person.skills_interpersonal]
    return _stamped(SearchDoc(
        doc_id=doc_id("practitioner", person.id), kind="practitioner", title=person.full_name,
        body="\n".join(part for part in body if part),
        territory=person.territory.slug if person.territory else None,
        commune=organisations[0].commune_insee if organisations else None,
        visibility=policy.practitioner_visibility(person),
    ))


def organisation_doc(org: Organisation) -> SearchDoc:
    """The search document of an organisation."""
    kind = choices.label(choices.ORGANISATION_KINDS, org.kind)
    commune = org.commune.name if org.commune else ""
    return _stamped(SearchDoc(
        doc_id=doc_id("organisation", org.id), kind="organisation", title=org.name,
        body="\n".join(part for part in (kind, commune, org.director_name and f"Direction : {org.director_name}")
                       if part),
        extra=" · ".join(a.title for a in by_id(org.partner_of) if policy.action_visibility(a) == "public"),
        territory=org.territory.slug if org.territory else None, commune=org.commune_insee,
    ))


def tool_doc(tool: Tool) -> SearchDoc:
    """The search document of a co-built tool: its description and the words inside its latest file."""
    latest = tool.latest()
    files = [f"{f.filename} (version {f.version})" for f in tool.files if f.approved]
    return _stamped(SearchDoc(
        doc_id=doc_id("tool", tool.id), kind="tool", title=tool.title,
        body="\n".join(part for part in (choices.label(choices.TOOL_KINDS, tool.kind), tool.description,
                                          tool.co_building, tool.partners, latest.text if latest else "") if part),
        extra=" · ".join([*(a.title for a in by_id(tool.actions) if policy.action_visibility(a) == "public"),
                          *files]),
        date=tool.created_at.date() if tool.created_at else None,
        visibility=policy.tool_visibility(tool),
    ))


def session_doc(meeting: WorkshopSession) -> SearchDoc:
    """The search document of a workshop session: its programme and what the group drew from it."""
    workshop = meeting.workshop
    half = choices.label(choices.HALF_DAYS, meeting.half_day).lower()
    parts = []
    ordered = sorted(meeting.presentations, key=lambda p: (p.position, p.id))
    shown = [p for p in ordered if policy.is_public(p.action)]
    for p in shown:
        parts += [f"Présentation : {p.action.title}", p.learnt, *(f"Question : {q}" for q in p.question_list)]
    presenters = [person.full_name for p in shown for person in by_id(p.presenters)
                  if policy.is_listed(policy.ANONYMOUS, person)]
    return _stamped(SearchDoc(
        doc_id=doc_id("session", meeting.id), kind="session",
        title=f"{workshop.name} — séance du {meeting.day.strftime('%d/%m/%Y')} ({half})",
        body="\n".join(part for part in [meeting.place, *parts] if part),
        extra=" · ".join(dict.fromkeys(presenters + [t.display_name for t in by_id(workshop.trainers)])),
        territory=workshop.territory.slug if workshop.territory else None,
        year=meeting.day.year, date=meeting.day,
    ))


def cahier_doc(cahier: Cahier) -> SearchDoc:
    """The search document of a cahier: the texts it printed (its snapshot), found once published."""
    data = cahier.snapshot if cahier.published else {}
    body = [plain_text(text) for _where, text in cahier_texts(data)] if data else []
    return _stamped(SearchDoc(
        doc_id=doc_id("cahier", cahier.id), kind="cahier",
        title=f"Cahier n° {cahier.number} — {cahier.title}",
        body="\n".join(body),
        # Section titles only: a person named in a cahier is not found through it once she leaves the directory.
        extra=" · ".join(s["title"] for s in data.get("sections", [])),
        year=cahier.issue_date.year, date=cahier.issue_date,
        visibility="public" if cahier.published else "brouillon",
    ))


_LOADERS = {
    "action": (FieldAction, action_doc, (
        selectinload(FieldAction.territory), selectinload(FieldAction.tags), selectinload(FieldAction.effects),
        selectinload(FieldAction.barriers), selectinload(FieldAction.levers), selectinload(FieldAction.tools),
        selectinload(FieldAction.partners),
        selectinload(FieldAction.practitioner_links).selectinload(ActionPractitioner.practitioner)
        .selectinload(Practitioner.organisations),
    )),
    "practitioner": (Practitioner, practitioner_doc, (
        selectinload(Practitioner.territory), selectinload(Practitioner.organisations),
    )),
    "organisation": (Organisation, organisation_doc, (
        selectinload(Organisation.territory), selectinload(Organisation.commune),
        selectinload(Organisation.partner_of),
    )),
    "tool": (Tool, tool_doc, (selectinload(Tool.actions), selectinload(Tool.files))),
    "cahier": (Cahier, cahier_doc, ()),
    "session": (WorkshopSession, session_doc, (
        selectinload(WorkshopSession.workshop).selectinload(Workshop.territory),
        selectinload(WorkshopSession.workshop).selectinload(Workshop.trainers),
        selectinload(WorkshopSession.presentations).selectinload(Presentation.action),
        selectinload(WorkshopSession.presentations).selectinload(Presentation.presenters),
    )),
}


def _versioned(doc: SearchDoc, version: int) -> SearchDoc:
    doc.version = version  # not part of the stamp: the stamp says what is indexed, the version when
    return doc


def documents(session: Session, keys: Iterable[tuple[str, int]],
              known: dict[tuple[str, int], int] | None = None) -> tuple[list[SearchDoc], dict[str, int]]:
    """Documents of the records that exist, and {doc id: version} of those that are gone (to delete).

    Versions are read before the records (see ``versions``); ``known`` passes versions the caller
    already read that way.
    """
    wanted: dict[str, set[int]] = {}
    for kind, object_id in keys:
        if kind in _LOADERS:
            wanted.setdefault(kind, set()).add(object_id)
    current = known if known is not None else versions.read(session, ((k, i) for k, ids in wanted.items() for i in ids))
    upserts, deletes = [], {}
    for kind, ids in wanted.items():
        model, build, loads = _LOADERS[kind]
        found = {}
        ordered = sorted(ids)
        for start in range(0, len(ordered), BATCH):
            chunk = ordered[start:start + BATCH]
            found.update((r.id, r) for r in session.exec(select(model).where(model.id.in_(chunk)).options(*loads)))
        upserts += [_versioned(build(found[i]), current.get((kind, i), 0)) for i in ordered if i in found]
        deletes.update((doc_id(kind, i), current.get((kind, i), 0)) for i in ordered if i not in found)
    return upserts, deletes


def record_ids(session: Session) -> dict[str, list[int]]:
    """Ids of every record that has a document, by kind."""
    return {kind: list(session.exec(select(model.id).order_by(model.id))) for kind, (model, _, _) in _LOADERS.items()}


def all_documents(session: Session) -> Iterator[SearchDoc]:
    """Every document the database holds, with its version, in batches (rebuild and check)."""
    for kind, ids in record_ids(session).items():
        model, build, loads = _LOADERS[kind]
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            current = versions.read(session, ((kind, i) for i in chunk))  # before the records
            for record in session.exec(select(model).where(model.id.in_(chunk)).order_by(model.id).options(*loads)):
                yield _versioned(build(record), current[(kind, record.id)])
            session.expunge_all()  # keep memory flat on large databases


def count_documents(session: Session) -> int:
    """How many documents a rebuild writes."""
    return sum(session.exec(select(func.count()).select_from(model)).one() for model, _, _ in _LOADERS.values())
