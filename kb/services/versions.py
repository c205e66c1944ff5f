"""Readable versions of an action: a canonical text per field, and the differences between two."""

from __future__ import annotations

import difflib

from sqlmodel import Session

from kb.errors import DomainError
from kb.forms.actions import ActionInput, action_form_values, parse_action_form
from kb.models import FieldAction, Organisation, Practitioner, Territory, Tool, choices
from kb.models.findings import effect_evidence
from kb.services.places import resolve_commune

LABELS = {
    "title": "Titre", "summary": "Résumé", "writeup": "Récit", "mode": "Mode d'intervention",
    "territory": "Territoire", "commune": "Commune", "address": "Adresse", "position": "Coordonnées",
    "location_precision": "Précision du lieu", "dates": "Dates", "status": "Avancement",
    "publication_status": "Publication", "publics": "Publics", "themes": "Thèmes", "partners": "Partenaires",
    "tools": "Outils", "people": "Intervenant·es", "effects": "Effets", "barriers": "Freins", "levers": "Leviers",
}
LONG_FIELDS = ("summary", "writeup", "effects", "barriers", "levers")


def _name(session: Session, model, key: int, attr: str) -> str:
    obj = session.get(model, key)
    return getattr(obj, attr) if obj is not None else f"n° {key} (supprimé)"


def _effect_line(effect) -> str:
    """One effect as a version shows it: dimension, text, then what shows it."""
    evidence = effect_evidence(effect)
    return (f"[{choices.EFFECT_DIMENSIONS.get(effect.dimension, effect.dimension)}] {effect.description}"
            + (f" — {evidence[:1].lower()}{evidence[1:]}" if evidence else ""))


def canonical(session: Session, data: ActionInput) -> dict[str, str]:
    """One French text per field of an action's content, comparable between two versions."""
    commune = ""
    if data.commune:
        try:
            found = resolve_commune(session, data.commune)
            commune = f"{found.name} ({found.insee})"
        except DomainError:
            commune = data.commune
    position = "" if data.latitude is None else f"{data.latitude:.5f}, {data.longitude:.5f}"
    dates = " → ".join(d.strftime("%d/%m/%Y") if d else "…" for d in (data.start_date, data.end_date))
    return {
        "title": data.title, "summary": data.summary, "writeup": data.writeup,
        "mode": choices.INTERVENTION_MODES.get(data.mode, data.mode),
        "territory": _name(session, Territory, data.territory_id, "name") if data.territory_id else "",
        "commune": commune, "address": data.address, "position": position,
        "location_precision": choices.LOCATION_PRECISIONS.get(data.location_precision, ""),
        "dates": "" if dates == "… → …" else dates,
        "status": choices.ACTION_STATUSES.get(data.status, data.status),
        "publication_status": choices.PUBLICATION_STATUSES.get(data.publication_status, data.publication_status),
        "publics": ", ".join(sorted(data.publics)), "themes": ", ".join(sorted(data.themes)),
        "partners": ", ".join(sorted(_name(session, Organisation, i, "name") for i in data.partner_ids)),
        "tools": ", ".join(sorted(_name(session, Tool, i, "title") for i in data.tool_ids)),
        "people": "\n".join(sorted(f"{_name(session, Practitioner, p.practitioner_id, 'full_name')} "
                                   f"({choices.ACTION_ROLES.get(p.role, p.role)})" for p in data.people)),
        "effects": "\n".join(map(_effect_line, data.effects)),
        "barriers": "\n".join(f"[{choices.BARRIER_KINDS.get(b.kind, b.kind)}, "
                              f"{choices.ACTOR_CATEGORIES.get(b.actor_category, b.actor_category)}] {b.description}"
                              for b in data.barriers),
        "levers": "\n".join(lever.description for lever in data.levers),
    }


def current_input(action: FieldAction) -> ActionInput:
    """The action as the input its form would submit."""
    result = parse_action_form(action_form_values(action))
    if not result.ok:  # stored data older than today's rules: compare what can be read
        return ActionInput.model_construct(title=action.title, summary=action.summary, writeup=action.writeup,
                                           mode=action.mode, publication_status=action.publication_status)
    return result.data


def changes(before: dict[str, str], after: dict[str, str]) -> list[dict[str, str]]:
    """The fields whose text differs, with their label, before and after."""
    return [{"field": key, "label": LABELS[key], "before": before.get(key, ""), "after": after.get(key, "")}
            for key in LABELS if before.get(key, "") != after.get(key, "")]


def line_diff(before: str, after: str) -> list[tuple[str, str]]:
    """A line-by-line diff: ("-", removed), ("+", added), (" ", kept) rows for the moderation page."""
    rows = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line[:1] in ("-", "+", " "):
            rows.append((line[:1], line[2:]))
    return rows
