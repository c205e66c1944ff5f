"""Les cahiers de l'observatoire: composing a number from the knowledge base, checking it, publishing it frozen.

A draft is composed live: each time it is shown, its sections read the actions, sessions, tools and figures
as they are now. Publishing writes that content, as plain data, into ``Cahier.snapshot``: the published page,
its PDF and its search document read the snapshot only, so a later edit never changes a published cahier.

Consent is applied while composing, for drafts and at publication alike: an action appears only if it is
published and its authors agreed to the cahiers; a practitioner is named only if she agreed to be listed;
a presentation of an action without that agreement is left out of its session's synthesis. What was left
out is listed for the editor, as are the passages that may identify a person supported (checked over every
text of the cahier, the editor's own included), before she confirms the publication.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from kb import policy
from kb.errors import DomainError
from kb.forms.cahiers import FIGURE_FILTERS, SECTION_KINDS, CahierInput, SectionInput, SectionTextInput
from kb.forms.observatory import ObservatoryFilters, parse_observatory_filters
from kb.models import (
    ActionRevision,
    Cahier,
    CahierSection,
    FieldAction,
    Tag,
    Territory,
    Tool,
    WorkshopSession,
    choices,
)
from kb.models.base import utcnow
from kb.policy import Viewer
from kb.services import figures, lock_for_change
from kb.services.privacy import identification_warnings

STATUSES = {"brouillon": "Brouillon", "publie": "Publié"}
MAX_SECTIONS = 60
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
FILTER_LABELS = {"territory": "Territoire", "mode": "Mode d'intervention", "public": "Public", "theme": "Thème",
                 "year_from": "Depuis", "year_to": "Jusqu'à"}


# Listing


def published(session: Session, limit: int | None = None) -> list[Cahier]:
    """Published cahiers, the latest number first."""
    query = select(Cahier).where(Cahier.status == "publie").order_by(Cahier.number.desc())
    return list(session.exec(query.limit(limit) if limit else query))


def drafts(session: Session) -> list[Cahier]:
    """Cahiers being composed, by number."""
    return list(session.exec(select(Cahier).where(Cahier.status == "brouillon").order_by(Cahier.number)))


def next_number(session: Session) -> int:
    """The number a new cahier gets unless its editor changes it."""
    return (session.exec(select(func.max(Cahier.number))).one() or 0) + 1


def identifier(year: int, number: int) -> str:
    """An ISSN-style identifier: four digits of the year, three of the number, and the ISSN check character
    (weights 8 to 2, modulo 11, X for 10): 2012 n° 1 -> "2012-001X"."""
    digits = f"{year:04d}{number:03d}"
    check = (11 - sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True)) % 11) % 11
    return f"{digits[:4]}-{digits[4:]}{'X' if check == 10 else check}"


def citation(cahier: Cahier, institute: str, url: str) -> str:
    """How to cite a published cahier."""
    month = f"{MONTHS[cahier.issue_date.month - 1]} {cahier.issue_date.year}"
    return (f"{institute}, « {cahier.title} », Les cahiers de l'observatoire des pratiques de l'ISIC, "
            f"n° {cahier.number}, {month}, {cahier.identifier}. En ligne : {url}")


# Composing


def _editable(cahier: Cahier) -> None:
    if cahier.published:
        raise DomainError("Ce cahier est publié : son contenu est figé et ne peut plus changer.")


def save_cahier(session: Session, data: CahierInput, actor: Viewer, cahier: Cahier | None = None) -> Cahier:
    """Create a draft cahier, or change a draft's heading."""
    if cahier is not None:
        lock_for_change(session, cahier, "Ce cahier")
        _editable(cahier)
    taken = session.exec(select(Cahier.id).where(Cahier.number == data.number)).first()
    if taken is not None and (cahier is None or taken != cahier.id):
        raise DomainError(f"Le numéro {data.number} est déjà pris par un autre cahier.", field="number")
    cahier = cahier or Cahier(number=data.number, title=data.title, issue_date=data.issue_date,
                              created_by_id=actor.user_id)
    for name in ("number", "title", "issue_date", "editorial", "credits", "licence"):
        setattr(cahier, name, getattr(data, name))
    session.add(cahier)
    try:
        session.flush()
    except IntegrityError as exc:  # two editors taking the same free number at once: the second is told
        raise DomainError(f"Le numéro {data.number} vient d'être pris par un autre cahier.", field="number") from exc
    return cahier


def delete_draft(session: Session, cahier: Cahier) -> None:
    """Delete a draft (a published cahier stays: it may have been cited)."""
    lock_for_change(session, cahier, "Ce cahier")
    _editable(cahier)
    session.delete(cahier)
    session.flush()


def section_choices(session: Session) -> dict:
    """What a section may present: published actions (those without their authors' agreement marked),
    workshop sessions with a synthesis, published tools, and the observatory's tables."""
    actions = list(session.exec(select(FieldAction).where(policy.public_actions_clause()).order_by(FieldAction.title)))
    sessions = list(session.exec(select(WorkshopSession).order_by(WorkshopSession.day.desc(),
                                                                  WorkshopSession.half_day)))
    tools = list(session.exec(select(Tool).where(Tool.publication_status == "publiee").order_by(Tool.title)))
    return {"actions": [(a.id, a.title if a.cahiers_consent_at else f"{a.title} (sans accord pour les cahiers)")
                        for a in actions],
            "sessions": [(s.id, s.label) for s in sessions if s.presentations],
            "tools": [(t.id, t.title) for t in tools],
            "figures": {name: figure.label for name, figure in figures.FIGURES.items()}}


def add_section(session: Session, cahier: Cahier, data: SectionInput) -> CahierSection:
    """Add a section at the end of a draft."""
    lock_for_change(session, cahier, "Ce cahier")
    _editable(cahier)
    if len(cahier.sections) >= MAX_SECTIONS:
        raise DomainError(f"Un cahier compte au plus {MAX_SECTIONS} sections.")
    model, field = {"action": (FieldAction, "action_id"), "seance": (WorkshopSession, "session_id"),
                    "outil": (Tool, "tool_id")}.get(data.kind, (None, "figure"))
    if model is not None:
        record = session.get(model, data.ref_id)
        if record is None:
            raise DomainError("Ce que vous avez choisi n'existe plus. Rechargez la page.", field=field)
        if data.kind == "action" and not policy.is_public(record):
            raise DomainError("Seule une action publiée peut figurer dans un cahier.", field=field)
        if data.kind == "outil" and record.publication_status != "publiee":
            raise DomainError("Seul un outil publié peut figurer dans un cahier.", field=field)
    elif data.figure not in figures.FIGURES:
        raise DomainError("Ce tableau de chiffres n'existe pas.", field="figure")
    else:
        _filter_names(session, data.filters)
    section = CahierSection(cahier_id=cahier.id, position=max((s.position for s in cahier.sections), default=0) + 1,
                            kind=data.kind, ref_id=data.ref_id if model is not None else None,
                            figure=data.figure if model is None else "", filters=data.filters if model is None else {},
                            heading=data.heading, comment=data.comment)
    session.add(section)
    session.flush()
    session.refresh(cahier, ["sections"])
    return section


def _section(cahier: Cahier, section_id: int) -> CahierSection:
    found = next((s for s in cahier.sections if s.id == section_id), None)
    if found is None:
        raise DomainError("Cette section n'existe plus. Rechargez la page.")
    return found


def update_section(session: Session, cahier: Cahier, section_id: int, data: SectionTextInput) -> CahierSection:
    """Change a section's title and introduction."""
    lock_for_change(session, cahier, "Ce cahier")
    _editable(cahier)
    section = _section(cahier, section_id)
    section.heading, section.comment = data.heading, data.comment
    session.flush()
    return section


def move_section(session: Session, cahier: Cahier, section_id: int, step: int) -> None:
    """Move a section one place up (-1) or down (+1)."""
    lock_for_change(session, cahier, "Ce cahier")
    _editable(cahier)
    ordered = list(cahier.sections)
    section = _section(cahier, section_id)
    i = ordered.index(section)
    j = i + (1 if step > 0 else -1)
    if not 0 <= j < len(ordered):
        return
    other = ordered[j]
    # Positions are unique: go through a free one so no flush sees two sections at the same place.
    first, second = section.position, other.position
    section.position = max(s.position for s in ordered) + 1
    session.flush()
    other.position = first
    session.flush()
    section.position = second
    session.flush()
    session.refresh(cahier, ["sections"])


def remove_section(session: Session, cahier: Cahier, section_id: int) -> None:
    """Take a section out of a draft."""
    lock_for_change(session, cahier, "Ce cahier")
    _editable(cahier)
    session.delete(_section(cahier, section_id))
    session.flush()
    session.refresh(cahier, ["sections"])


# The content: the same plain data for a draft (read now) and a published cahier (its snapshot)


def _names(people) -> list[str]:
    return [p.full_name for p in sorted(people, key=lambda p: p.id) if policy.is_listed(policy.ANONYMOUS, p)]


def _action_content(action: FieldAction) -> dict:
    period = ""
    if action.start_date:
        period = f"depuis {action.start_date.year}" if not action.end_date else \
            f"{action.start_date.year}–{action.end_date.year}" if action.end_date.year != action.start_date.year \
            else str(action.start_date.year)
    return {
        "id": action.id, "title": action.title,
        "place": ", ".join(p for p in (action.commune.name if action.commune else "",
                                       action.territory.name if action.territory else "") if p),
        "mode": choices.label(choices.INTERVENTION_MODES, action.mode), "period": period,
        "summary": action.summary, "writeup": action.writeup,
        "effects": [{"dimension": choices.label(choices.EFFECT_DIMENSIONS, e.dimension), "description": e.description,
                     "indicator": e.indicator,
                     "evidence": choices.label(choices.EVIDENCE_KINDS, e.evidence_kind) if e.evidence_kind else ""}
                    for e in sorted(action.effects, key=lambda e: e.id)],
        "barriers": [{"kind": choices.label(choices.BARRIER_KINDS, b.kind),
                      "actor": choices.label(choices.ACTOR_CATEGORIES, b.actor_category), "description": b.description}
                     for b in sorted(action.barriers, key=lambda b: b.id)],
        "levers": [lv.description for lv in sorted(action.levers, key=lambda lv: lv.id)],
        "people": _names(link.practitioner for link in action.practitioner_links),
    }


def in_cahiers(action: FieldAction | None) -> bool:
    """Whether an action may appear in a cahier: published, visible, and its authors agreed."""
    return action is not None and policy.is_public(action) and action.cahiers_consent_at is not None


def _session_content(meeting: WorkshopSession, left_out: list[str], where: str) -> dict:
    presentations = []
    for p in sorted(meeting.presentations, key=lambda p: (p.position, p.id)):
        if not in_cahiers(p.action):
            left_out.append(f"{where} : une présentation est omise (l'action n'est pas publiée ou ses "
                            "auteur·rices n'ont pas donné leur accord pour les cahiers).")
            continue
        presentations.append({"action": p.action.title, "presenters": _names(p.presenters), "learnt": p.learnt,
                              "questions": p.question_list})
    return {"id": meeting.id, "workshop": meeting.workshop.name, "day": meeting.day.isoformat(),
            "half": choices.label(choices.HALF_DAYS, meeting.half_day).lower(), "place": meeting.place,
            "presentations": presentations}


def _tool_content(tool: Tool) -> dict:
    latest = tool.latest()
    return {"id": tool.id, "title": tool.title, "kind": choices.label(choices.TOOL_KINDS, tool.kind),
            "description": tool.description, "co_building": tool.co_building, "partners": tool.partners,
            "licence": choices.label(choices.TOOL_LICENCES, tool.licence),
            "file": f"{latest.filename} (version {latest.version})" if latest else ""}


def _filter_names(session: Session, filters: dict) -> dict[str, str]:
    """What each kept filter is called: the territory's and the terms' names, the mode's label; None when the
    territory or a term no longer exists."""
    names: dict[str, str] = {}
    for key, value in filters.items():
        if key == "territory":
            found = session.exec(select(Territory.name).where(Territory.slug == value)).first()
        elif key in ("public", "theme"):
            found = session.exec(select(Tag.name).where(Tag.kind == key, Tag.slug == value)).first()
        elif key == "mode":
            found = choices.INTERVENTION_MODES.get(value)
        else:
            found = value
        if found is None:
            raise DomainError(f"Filtre « {FILTER_LABELS[key]} » inconnu : choisissez une valeur de la liste.",
                              field=key)
        names[key] = found
    return names


def _stored_filters(section: CahierSection) -> ObservatoryFilters:
    parsed, errors = parse_observatory_filters({k: str(v) for k, v in (section.filters or {}).items()
                                                if k in FIGURE_FILTERS})
    if errors:
        raise DomainError(next(iter(errors.values())))
    return parsed


def _figure_content(session: Session, section: CahierSection) -> dict:
    figure = figures.FIGURES[section.figure]
    filters = _stored_filters(section)
    kept = {k: v for k, v in filters.args().items() if k in FIGURE_FILTERS}
    table = figure.compute(session, filters)
    described = [f"{FILTER_LABELS[k]} : {name}" for k, name in _filter_names(session, kept).items()]
    return {"name": section.figure, "chart": figure.chart, "table": figures.table_data(table),
            "filters": " · ".join(described) or "toutes les actions publiées"}


def compose(session: Session, cahier: Cahier, today: date | None = None) -> dict:
    """The cahier's content as it would be published now: plain data, consent applied."""
    sections: list[dict] = []
    left_out: list[str] = []
    for n, section in enumerate(cahier.sections, start=1):
        where = f"Section {n}"
        entry = {"kind": section.kind, "heading": section.heading, "comment": section.comment}
        if section.kind == "action":
            action = session.get(FieldAction, section.ref_id) if section.ref_id else None
            if not in_cahiers(action):
                reason = "n'existe plus" if action is None else "n'est plus publiée" if not policy.is_public(action) \
                    else "n'a pas l'accord de ses auteur·rices pour les cahiers"
                left_out.append(f"{where} : l'action{f' « {action.title} »' if action else ''} {reason} ; "
                                "elle n'apparaît pas.")
                continue
            entry["action"] = _action_content(action)
            entry["title"] = section.heading or action.title
        elif section.kind == "seance":
            meeting = session.get(WorkshopSession, section.ref_id) if section.ref_id else None
            if meeting is None:
                left_out.append(f"{where} : la séance n'existe plus ; elle n'apparaît pas.")
                continue
            entry["session"] = _session_content(meeting, left_out, where)
            entry["title"] = section.heading or f"Séance du {meeting.day:%d/%m/%Y} — {meeting.workshop.name}"
        elif section.kind == "outil":
            tool = session.get(Tool, section.ref_id) if section.ref_id else None
            if tool is None or tool.publication_status != "publiee":
                left_out.append(f"{where} : l'outil n'existe plus ou n'est plus publié ; il n'apparaît pas.")
                continue
            entry["tool"] = _tool_content(tool)
            entry["title"] = section.heading or tool.title
        else:
            try:
                if section.figure not in figures.FIGURES:
                    raise DomainError("ce tableau n'existe plus")
                entry["figure"] = _figure_content(session, section)
            except DomainError as exc:  # a territory or a term gone since, a table renamed
                left_out.append(f"{where} : les chiffres ne peuvent pas être calculés ({exc.message}) ; "
                                "retirez la section et ajoutez-la à nouveau.")
                continue
            entry["title"] = section.heading or entry["figure"]["table"]["title"]
        entry["anchor"] = f"section-{len(sections) + 1}"
        sections.append(entry)
    contributors = sorted({name for s in sections for name in (
        *s.get("action", {}).get("people", []),
        *(n for p in s.get("session", {}).get("presentations", []) for n in p["presenters"]))})
    return {"number": cahier.number, "title": cahier.title, "issue_date": cahier.issue_date.isoformat(),
            "editorial": cahier.editorial, "credits": cahier.credits, "licence": cahier.licence,
            "sections": sections, "contributors": contributors, "left_out": left_out,
            "composed_on": (today or date.today()).isoformat()}


def content(session: Session, cahier: Cahier) -> dict:
    """What a cahier shows: its snapshot once published, else its draft composed now."""
    return cahier.snapshot if cahier.published else compose(session, cahier)


def texts(data: dict) -> list[tuple[str, str]]:
    """(where, text) for every text of a cahier's content, the editor's included."""
    found = [("Titre", data["title"]), ("Éditorial", data["editorial"]), ("Crédits", data["credits"])]
    for n, s in enumerate(data["sections"], start=1):
        where = f"Section {n} « {s['title']} »"
        found += [(where, s["title"]), (where, s["heading"]), (where, s["comment"])]
        if "action" in s:
            a = s["action"]
            found += [(where, t) for t in (a["title"], a["place"], a["summary"], a["writeup"], *a["levers"],
                                           *(e[k] for e in a["effects"] for k in ("description", "indicator")),
                                           *(b["description"] for b in a["barriers"]))]
        if "session" in s:
            m = s["session"]
            found += [(where, t) for t in (m["workshop"], m["place"])]
            found += [(where, t) for p in m["presentations"] for t in (p["action"], p["learnt"], *p["questions"])]
        if "tool" in s:
            found += [(where, s["tool"][k]) for k in ("title", "description", "co_building", "partners")]
    return [(where, text) for where, text in found if text]


def check(data: dict) -> list[str]:
    """Passages of the whole cahier that may identify a person supported, with where they are."""
    found: list[str] = []
    for where, text in texts(data):
        found += [item for passage in identification_warnings(text)
                  if (item := f"{where} : {passage}") not in found]
    return found


def reviewed_stamp(findings: list[str]) -> str:
    """A digest of the passages the review page showed: publishing confirms those, not later ones."""
    return hashlib.sha256("\n".join(findings).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Imprint:
    """What a published cahier says of itself, frozen with it: its address and its publisher."""

    base_url: str = "http://127.0.0.1:5000"  # KB_PUBLIC_URL, else the publishing request's own address
    institute: str = "Observatoire des pratiques de l'ISIC"
    address: str = ""


def publish(session: Session, cahier: Cahier, actor: Viewer, confirmed: bool, reviewed: str | None = None,
            imprint: Imprint = Imprint(), now: datetime | None = None) -> dict:
    """Freeze a draft: its content as it is now becomes the published cahier, with its identifier, address and
    citation.

    Refused with nothing to show; when the check finds passages to reread, refused unless ``confirmed`` for
    exactly the passages the editor was shown (``reviewed``, their stamp; None: whatever they are)."""
    lock_for_change(session, cahier, "Ce cahier")
    _editable(cahier)
    data = compose(session, cahier, (now or utcnow()).date())
    if not data["sections"] and not data["editorial"]:
        raise DomainError("Ce cahier est vide : ajoutez un éditorial ou des sections avant de le publier.")
    findings = check(data)
    if findings and not confirmed:
        raise DomainError("Relisez les passages signalés, anonymisez-les si besoin, puis cochez la case pour "
                          "confirmer la publication.", field="confirm")
    if findings and reviewed is not None and reviewed != reviewed_stamp(findings):
        raise DomainError("Le cahier a changé depuis votre relecture : relisez les passages signalés ci-dessous, "
                          "puis confirmez à nouveau.", field="confirm")
    del data["left_out"]  # the editor's list: what consent kept out is not kept in the published data
    cahier.identifier = identifier(cahier.issue_date.year, cahier.number)
    cahier.status = "publie"  # the citation reads it
    url = f"{imprint.base_url.rstrip('/')}/cahiers/{cahier.id}"
    data.update(identifier=cahier.identifier, url=url, institute=imprint.institute, address=imprint.address,
                licence_label=choices.label(choices.TOOL_LICENCES, cahier.licence),
                citation=citation(cahier, imprint.institute, url))
    cahier.snapshot = data
    cahier.published_at, cahier.published_by_id = now or utcnow(), actor.user_id
    session.flush()
    return data


def set_consent(session: Session, action: FieldAction, agreed: bool, actor: Viewer,
                now: datetime | None = None) -> bool:
    """Record that an action's authors agree (or no longer agree) to its publication in the cahiers, in its
    history; returns whether it changed. A withdrawal applies to the cahiers published from now on: a
    published cahier keeps what it printed."""
    lock_for_change(session, action, "Cette action")
    if agreed == (action.cahiers_consent_at is not None):
        return False
    action.cahiers_consent_at = (now or utcnow()) if agreed else None
    yes_no = {True: "oui", False: "non"}
    session.add(ActionRevision(action_id=action.id, author_id=actor.user_id, kind="accord_cahiers",
                               status="appliquee", changes=[{"field": "cahiers_consent", "label": "Accord pour les cahiers",
                                                             "before": yes_no[not agreed], "after": yes_no[agreed]}]))
    session.flush()
    return True


def section_kind_label(kind: str) -> str:
    """« Une action (…) » and so on."""
    return SECTION_KINDS.get(kind, kind)
