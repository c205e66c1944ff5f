"""JSON shapes of the public API: public fields only, decided with the policy."""

from __future__ import annotations

from flask import url_for

from kb import policy
from kb.models import FieldAction, Organisation, Practitioner, choices
from kb.policy import Viewer
from kb.services import Page


def _place(obj) -> dict:
    return {
        "commune": {"insee": obj.commune.insee, "nom": obj.commune.name} if obj.commune else None,
        "latitude": obj.latitude,
        "longitude": obj.longitude,
    }


def action_summary(action: FieldAction) -> dict:
    """An action in lists."""
    place = _place(action)
    centre = (action.commune.latitude, action.commune.longitude) if action.commune else (None, None)
    shown = policy.shown_position(action.location_precision, (action.latitude, action.longitude), centre)
    place["latitude"], place["longitude"] = shown or (None, None)
    return {
        "id": action.id,
        "titre": action.title,
        "resume": action.summary,
        "mode": action.mode,
        "mode_libelle": choices.label(choices.INTERVENTION_MODES, action.mode),
        "statut": action.status,
        "territoire": action.territory.slug if action.territory else None,
        **place,
        "precision": action.location_precision,
        "date_debut": action.start_date.isoformat() if action.start_date else None,
        "date_fin": action.end_date.isoformat() if action.end_date else None,
        "publics": [t.name for t in action.tags_of("public")],
        "themes": [t.name for t in action.tags_of("theme")],
        "url": url_for("actions.detail", action_id=action.id, _external=True),
    }


def action_detail(action: FieldAction, viewer: Viewer) -> dict:
    """An action with its findings and the people who may be named."""
    data = action_summary(action)
    if action.location_precision == "commune":
        data["adresse"] = None
    else:
        data["adresse"] = action.address
    data.update({
        "recit": action.writeup,
        "effets": [{"dimension": e.dimension, "description": e.description, "indicateur": e.indicator,
                    "preuve": e.evidence_kind or None, "releve_par": e.observer or None,
                    "date_releve": e.observed_on.isoformat() if e.observed_on else None,
                    "valeur_avant": e.value_before, "valeur_apres": e.value_after}
                   for e in action.effects],
        "freins": [{"type": b.kind, "point_de_vue": b.actor_category, "description": b.description}
                   for b in action.barriers],
        "leviers": [lever.description for lever in action.levers],
        "outils": [{"id": t.id, "titre": t.title, "type": t.kind} for t in action.published_tools()],
        "intervenants": [
            {"id": link.practitioner.id, "nom": link.practitioner.full_name, "role": link.role}
            for link in action.practitioner_links if policy.is_listed(viewer, link.practitioner)
        ],
        "partenaires": [{"id": o.id, "nom": o.name} for o in action.partners],
    })
    return data


def organisation(org: Organisation) -> dict:
    """An organisation's public fields."""
    return {
        "id": org.id, "nom": org.name, "type": org.kind, "directeur": org.director_name,
        "adresse": org.address, "code_postal": org.postal_code, **_place(org),
        "telephone": org.phone, "fax": org.fax, "courriel": org.email, "site": org.website,
        "territoire": org.territory.slug if org.territory else None,
        "url": url_for("organisations.detail", org_id=org.id, _external=True),
    }


def practitioner(person: Practitioner, viewer: Viewer) -> dict:
    """A listed practitioner's public fields; contact details only with consent."""
    data = {
        "id": person.id, "prenom": person.first_name, "nom": person.last_name, "fonction": person.function,
        "categorie": person.actor_category, "experience_isic": person.isic_experience,
        "territoire": person.territory.slug if person.territory else None,
        "organisations": [{"id": o.id, "nom": o.name} for o in person.organisations],
        "url": url_for("practitioners.detail", person_id=person.id, _external=True),
    }
    if policy.can_see_contact(viewer, person):
        # The e-mail address is never published: the contact relay page writes to it.
        data.update({"telephone": person.phone,
                     "contact": url_for("practitioners.contact", person_id=person.id, _external=True)
                     if policy.can_message(viewer, person) else None})
    return data


def page(page_: Page, items: list[dict]) -> dict:
    """Pagination envelope."""
    return {"total": page_.total, "page": page_.page, "par_page": page_.per_page, "pages": page_.pages,
            "resultats": items}


# Export records (English keys, flat: one CSV column, JSON key or GeoJSON property each)


def action_record(action: FieldAction) -> dict:
    """An action as exported: what its public page shows of it, placed where public maps place it."""
    centre = (action.commune.latitude, action.commune.longitude) if action.commune else (None, None)
    shown = policy.shown_position(action.location_precision, (action.latitude, action.longitude), centre)
    return {
        "id": action.id, "title": action.title, "summary": action.summary, "mode": action.mode,
        "mode_label": choices.label(choices.INTERVENTION_MODES, action.mode), "status": action.status,
        "territory": action.territory.slug if action.territory else None,
        "commune_insee": action.commune_insee, "commune": action.commune.name if action.commune else None,
        "latitude": shown[0] if shown else None, "longitude": shown[1] if shown else None,
        "location_precision": action.location_precision,
        "start_date": action.start_date.isoformat() if action.start_date else None,
        "end_date": action.end_date.isoformat() if action.end_date else None,
        "publics": [t.name for t in action.tags_of("public")], "themes": [t.name for t in action.tags_of("theme")],
        "url": url_for("actions.detail", action_id=action.id, _external=True),
    }


def organisation_record(org: Organisation) -> dict:
    """An organisation as exported (its public page's fields)."""
    return {
        "id": org.id, "name": org.name, "kind": org.kind,
        "kind_label": choices.label(choices.ORGANISATION_KINDS, org.kind), "director": org.director_name,
        "address": org.address, "postal_code": org.postal_code, "commune_insee": org.commune_insee,
        "commune": org.commune.name if org.commune else None, "latitude": org.latitude, "longitude": org.longitude,
        "phone": org.phone, "fax": org.fax, "email": org.email, "website": org.website, "siret": org.siret,
        "territory": org.territory.slug if org.territory else None,
        "url": url_for("organisations.detail", org_id=org.id, _external=True),
    }


def practitioner_record(person: Practitioner, viewer: Viewer) -> dict:
    """A listed practitioner as exported: the directory's fields; her phone only when she agreed to be contacted
    and the viewer may see it (never her e-mail address)."""
    organisations = sorted(person.organisations, key=lambda o: o.id)
    return {
        "id": person.id, "first_name": person.first_name, "last_name": person.last_name,
        "function": choices.label(choices.FUNCTIONS, person.function),
        "actor_category": choices.label(choices.ACTOR_CATEGORIES, person.actor_category),
        "territory": person.territory.slug if person.territory else None,
        "organisations": [o.name for o in organisations],
        "phone": person.phone if policy.can_see_contact(viewer, person) else None,
        # The e-mail address is never published: the relay page writes to it.
        "contact": url_for("practitioners.contact", person_id=person.id, _external=True)
        if policy.can_see_contact(viewer, person) and policy.can_message(viewer, person) else None,
        "url": url_for("practitioners.detail", person_id=person.id, _external=True),
    }


def action_detail_record(action: FieldAction, viewer: Viewer) -> dict:
    """An action with its story and findings (the API's detail), naming only people who agreed to be listed."""
    return {
        **action_record(action),
        "address": None if action.location_precision == "commune" else action.address,
        "writeup": action.writeup,
        "effects": [{"dimension": e.dimension, "description": e.description, "indicator": e.indicator,
                     "evidence": e.evidence_kind or None, "observer": e.observer or None,
                     "observed_on": e.observed_on, "value_before": e.value_before, "value_after": e.value_after}
                    for e in sorted(action.effects, key=lambda e: e.id)],
        "barriers": [{"kind": b.kind, "actor_category": b.actor_category, "description": b.description}
                     for b in sorted(action.barriers, key=lambda b: b.id)],
        "levers": [lv.description for lv in sorted(action.levers, key=lambda lv: lv.id)],
        "tools": [{"id": t.id, "title": t.title, "kind": t.kind} for t in action.published_tools()],
        "practitioners": [{"id": link.practitioner.id, "name": link.practitioner.full_name, "role": link.role}
                          for link in action.practitioner_links if policy.is_listed(viewer, link.practitioner)],
        "partners": [{"id": o.id, "name": o.name} for o in sorted(action.partners, key=lambda o: o.id)],
    }


# French column titles of the CSV files (a spreadsheet is read by people; JSON keys stay English).
COLUMN_TITLES = {
    "id": "Identifiant", "title": "Titre", "summary": "Résumé", "mode": "Mode (code)", "mode_label": "Mode",
    "status": "Statut", "territory": "Territoire", "commune_insee": "Code INSEE", "commune": "Commune",
    "latitude": "Latitude", "longitude": "Longitude", "location_precision": "Précision du lieu",
    "start_date": "Date de début", "end_date": "Date de fin", "publics": "Publics", "themes": "Thèmes",
    "url": "Adresse de la fiche", "name": "Nom", "kind": "Type (code)", "kind_label": "Type",
    "director": "Direction", "address": "Adresse", "postal_code": "Code postal", "phone": "Téléphone",
    "fax": "Fax", "email": "Courriel", "website": "Site web", "first_name": "Prénom", "last_name": "Nom",
    "function": "Fonction", "actor_category": "Catégorie d'acteur", "organisations": "Organisations",
    "contact": "Écrire (relais de l'observatoire)", "siret": "SIRET",
}
