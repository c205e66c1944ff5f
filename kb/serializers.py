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
