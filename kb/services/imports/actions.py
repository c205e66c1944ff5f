"""Importing actions as the team would type them: through the action form's parser and the moderation service."""

from __future__ import annotations

import re
from collections.abc import Iterator

from sqlalchemy import update
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.models import FieldAction, Organisation, choices
from kb.services.imports.common import (
    BATCH,
    Outcome,
    Report,
    _claim_key,
    _folded,
    _Organisations,
    _place,
    _Rejected,
    _value,
)
from kb.tabular import Table

# Actions: the fields of the action form that a table can carry (our own exports' titles included).
ACTION_FIELDS = {
    "external_id": ("Identifiant dans la source", ("id", "identifiant", "identifiant source")),
    "source": ("Source", ("source",)),
    "title": ("Titre", ("titre", "title", "intitule", "nom de l action", "action")),
    "summary": ("Résumé", ("resume", "summary", "description courte", "objectif")),
    "writeup": ("Récit", ("recit", "writeup", "description", "description detaillee")),
    "mode": ("Mode d'intervention", ("mode code", "mode", "mode d intervention", "type d action")),
    "status": ("Statut", ("statut", "status", "etat")),
    "start_date": ("Date de début", ("date de debut", "debut", "start date", "start_date")),
    "end_date": ("Date de fin", ("date de fin", "fin", "end date", "end_date")),
    "address": ("Adresse", ("adresse", "address")),
    "postal_code": ("Code postal", ("code postal", "cp", "postal code")),
    "commune": ("Commune", ("commune", "ville", "localite", "city")),
    "commune_insee": ("Code INSEE", ("code insee", "insee", "commune insee", "code commune")),
    "latitude": ("Latitude", ("latitude", "lat")),
    "longitude": ("Longitude", ("longitude", "lon", "lng")),
    "location_precision": ("Précision du lieu", ("precision du lieu", "location precision", "precision")),
    "publics": ("Publics", ("publics", "public", "public vise")),
    "themes": ("Thèmes", ("themes", "theme", "thematiques")),
    "partner": ("Organisation partenaire (nom)", ("organisation", "structure", "partenaire", "porteur")),
    "partner_siret": ("SIRET de l'organisation", ("siret", "siret structure")),
    "publication_status": ("Publication", ("publication", "publication status", "statut de publication")),
}
_ACTION_SYNONYMS = {synonym: target for target, (_label, synonyms) in ACTION_FIELDS.items() for synonym in synonyms}


def _choice(text: str | None, vocabulary: dict[str, str]) -> str | None:
    """A vocabulary's code from its code or its label ("Développement social local" -> "dsl")."""
    if not text:
        return None
    if text in vocabulary:
        return text
    folded = _folded(text)
    return next((code for code, label in vocabulary.items() if _folded(label) == folded or _folded(code) == folded),
                text)


def _terms(text: str | None) -> list[str]:
    return [t.strip() for t in re.split(r"[|;,]", text or "") if t.strip()]


def import_action_steps(session: Session, table: Table, mapping: dict[str, str], source: str, report: Report,
                        actor) -> Iterator[tuple[int, int]]:
    """Import actions as the team's own: each row is read by the action form's parser (the same rules), saved
    through the moderation service (the same history), found again by its source and id, and never created twice:
    a close title in the same or a nearby commune is reported as a likely duplicate. A row whose text seems to
    identify a person supported is kept as a draft, the passages listed, until someone anonymises it."""
    from kb.forms.actions import form_pairs, form_values_of, parse_action_form
    from kb.services import duplicates, moderation
    from kb.services.privacy import identification_warnings
    from kb.services.versions import canonical, current_input

    known = {(s, e): i for i, s, e in session.exec(select(FieldAction.id, FieldAction.source, FieldAction.external_id)
                                                     .where(FieldAction.external_id.is_not(None)))}
    orgs = _Organisations(session)
    columns_of = {target: column for column, target in mapping.items()}
    total, seen = len(table.rows), {}
    _begin_write(session)
    for number, row in enumerate(table.rows, start=2):
        notes: list[str] = []
        values = {target: _value(row, mapping, target) for target in ACTION_FIELDS}
        title = values["title"] or ""
        try:
            source_name, external, key = _claim_key(values, source, seen, number, mapping)
            commune, position = _place(values, mapping, notes)
        except _Rejected as exc:
            report.outcomes.append(Outcome(number, "rejetee", title, exc.reason, exc.column, notes=notes))
            continue
        partner = orgs.find(values["partner_siret"], values["partner"], notes)
        texts = [title, values["summary"] or "", values["writeup"] or ""]
        doubts = [passage for text in texts for passage in identification_warnings(text)]
        publication = _choice(values["publication_status"], choices.PUBLICATION_STATUSES) or "publiee"
        if doubts:
            publication = "brouillon"
            notes.append("gardée en brouillon : le texte semble identifier une personne accompagnée ("
                         + ", ".join(doubts[:3]) + ") — à anonymiser avant de la publier")
        body = {"title": title, "summary": values["summary"] or "", "writeup": values["writeup"] or "",
                "mode": _choice(values["mode"], choices.INTERVENTION_MODES) or "",
                "status": _choice(values["status"], choices.ACTION_STATUSES) or "en_cours",
                "publication_status": publication, "address": values["address"] or "",
                "location_precision": _choice(values["location_precision"], choices.LOCATION_PRECISIONS) or "exacte",
                "commune": commune.insee if commune else None,
                "latitude": position[0] if position else None, "longitude": position[1] if position else None,
                "start_date": values["start_date"], "end_date": values["end_date"],
                "publics": _terms(values["publics"]), "themes": _terms(values["themes"]),
                "partner_ids": [partner] if partner else []}
        form = form_values_of(body)
        parsed = parse_action_form(form)
        if not parsed.ok:
            field_name, message = next(iter(parsed.errors.items()))
            report.outcomes.append(Outcome(number, "rejetee", title, message,
                                           columns_of.get(field_name, ACTION_FIELDS.get(field_name, (field_name,))[0]),
                                           notes=notes))
            continue
        existing = session.get(FieldAction, known[key]) if key and key in known else None
        try:
            with session.begin_nested():
                if existing is not None:
                    before = canonical(session, current_input(existing))
                    saved = moderation.edit(session, existing, parsed.data, form_pairs(form), actor, "")
                    changed = canonical(session, current_input(existing)) != before
                    status = "mise_a_jour" if changed else "inchangee"
                else:
                    twins = duplicates.similar_actions(session, parsed.data)
                    if twins:
                        report.outcomes.append(Outcome(number, "doublon", title,
                                                       f"Proche de « {twins[0].title} » : non créée.", notes=notes))
                        continue
                    saved = moderation.create(session, parsed.data, actor, "")
                    saved.action.source, saved.action.external_id = source_name, external
                    status = "ajoutee"
                session.flush()
        except DomainError as exc:
            report.outcomes.append(Outcome(number, "rejetee", title, exc.message,
                                           columns_of.get(exc.field or "", ""), notes=notes))
            continue
        if status == "ajoutee" and key:
            known[key] = saved.action.id
        report.outcomes.append(Outcome(number, status, title, record_id=saved.action.id, notes=notes))
        if (number - 1) % BATCH == 0 and number - 1 < total:
            yield number - 1, total
            _begin_write(session)  # the caller may have committed: the next rows' savepoints nest again
    session.flush()
    yield total, total


def _begin_write(session: Session) -> None:
    """Open the write transaction now. Each action is saved in a savepoint (a row that breaks a rule leaves
    nothing behind); with SQLite's Python driver a savepoint opened outside a transaction would commit on its
    release — a dry run would keep its rows. A no-op UPDATE starts the transaction first, on every database."""
    session.execute(update(Organisation).where(Organisation.id == -1).values(name=Organisation.name))
