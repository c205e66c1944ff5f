"""Places on maps: the actions and organisations to draw, and peers near a point."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from kb import policy
from kb.errors import DomainError
from kb.forms.filters import ActionFilters
from kb.models import (
    ActionPractitioner,
    Commune,
    FieldAction,
    Organisation,
    Practitioner,
    PractitionerOrganisation,
    Territory,
)
from kb.policy import Viewer
from kb.services.actions import filtered_actions_query
from maps.gazetteer import AmbiguousPlace, Gazetteer, UnknownPlace
from maps.geo import haversine_km


@dataclass(frozen=True)
class Place:
    """A point on the map with what a list line and a marker need (plain values, no ORM object)."""

    id: int
    kind: str  # "action", "organisation" or "practitioner"
    title: str
    lat: float
    lon: float
    mode: str = ""
    territory: str = ""
    commune: str = ""
    detail: str = ""
    distance_km: float | None = None


def action_places(session: Session, filters: ActionFilters, viewer: Viewer, ids: list[int] | None = None) -> list[Place]:
    """Visible actions matching the filters (and the search ids, if any), at the position the policy allows."""
    centre = aliased(Commune)
    stmt = filtered_actions_query(filters, viewer)
    if ids is not None:
        stmt = stmt.where(FieldAction.id.in_(ids))
    # execute, not exec: the statement started as select(FieldAction), which sqlmodel reads as scalars.
    rows = session.execute(
        stmt.with_only_columns(
            FieldAction.id, FieldAction.title, FieldAction.mode, FieldAction.location_precision,
            FieldAction.latitude, FieldAction.longitude, centre.latitude, centre.longitude, centre.name,
            Territory.name,
        ).outerjoin(centre, centre.insee == FieldAction.commune_insee)
        .outerjoin(Territory, Territory.id == FieldAction.territory_id)
    ).all()
    rows.sort(key=lambda row: (row[1], row[0]))  # by title: faster here than in the database, over 50,000 rows
    places = []
    for id_, title, mode, precision, lat, lon, c_lat, c_lon, commune, territory in rows:
        shown = policy.shown_position(precision, (lat, lon), (c_lat, c_lon))
        if shown:
            places.append(Place(id_, "action", title, *shown, mode=mode, territory=territory or "",
                                commune=commune or ""))
    return places


def action_place(action: FieldAction) -> Place | None:
    """Where an action's page shows it (a sensitive one at its commune's centre)."""
    centre = (action.commune.latitude, action.commune.longitude) if action.commune else (None, None)
    shown = policy.shown_position(action.location_precision, (action.latitude, action.longitude), centre)
    if shown is None:
        return None
    return Place(action.id, "action", action.title, *shown, mode=action.mode,
                 territory=action.territory.name if action.territory else "",
                 commune=action.commune.name if action.commune else "")


def organisation_place(org: Organisation) -> Place | None:
    """Where an organisation's page shows it (its address, else its commune's centre)."""
    centre = (org.commune.latitude, org.commune.longitude) if org.commune else (None, None)
    shown = policy.shown_position("exacte", (org.latitude, org.longitude), centre)
    if shown is None:
        return None
    return Place(org.id, "organisation", org.name, *shown, territory="Organisations",
                 commune=org.commune.name if org.commune else "")


def organisation_places(session: Session, ids: list[int] | None = None, ordered: bool = True) -> list[Place]:
    """Organisations with coordinates (their own, else their commune's centre); all of them, or those of ``ids``;
    by name unless ``ordered`` is false (a map: sorting 100,000 names in the database costs a second)."""
    stmt = (select(Organisation.id, Organisation.name, Organisation.latitude, Organisation.longitude,
                   Commune.latitude, Commune.longitude, Commune.name, Territory.name)
            .outerjoin(Commune, Commune.insee == Organisation.commune_insee)
            .outerjoin(Territory, Territory.id == Organisation.territory_id))
    if ordered:
        stmt = stmt.order_by(Organisation.name)
    if ids is not None:
        stmt = stmt.where(Organisation.id.in_(sorted(set(ids))))
    rows = session.exec(stmt).all()
    places = []
    for id_, name, lat, lon, c_lat, c_lon, commune, territory in rows:
        shown = policy.shown_position("exacte", (lat, lon), (c_lat, c_lon))
        if shown:
            places.append(Place(id_, "organisation", name, *shown, territory=territory or "", commune=commune or ""))
    return places


def locate(text: str) -> tuple[float, float, str]:
    """A commune (name, postal code or INSEE code) as (lat, lon, label), or a French DomainError."""
    try:
        place = Gazetteer.default().lookup(text)
    except AmbiguousPlace as exc:
        options = ", ".join(f"{c.name} ({c.departement})" for c in exc.candidates[:8])
        raise DomainError(f"Plusieurs communes correspondent à « {text} » : {options}. "
                          "Précisez avec le code postal.", field="lieu") from exc
    except UnknownPlace as exc:
        raise DomainError(f"Commune inconnue : « {text} ». Vérifiez l'orthographe ou saisissez un code postal.",
                          field="lieu") from exc
    if place.lat is None or place.lon is None:
        raise DomainError(f"La commune « {place.name} » n'a pas de coordonnées connues.", field="lieu")
    return place.lat, place.lon, place.label


def organisation_position(session: Session, org_id: int) -> tuple[float, float, str]:
    """The position of an organisation chosen as the starting point."""
    org = session.get(Organisation, org_id)
    place = org and next(iter(organisation_places(session, [org_id])), None)
    if place is None:
        raise DomainError("Cette organisation n'a pas de position connue.", field="organisation")
    return place.lat, place.lon, org.name


def nearby(places: list[Place], lat: float, lon: float, radius_km: float) -> list[Place]:
    """Places within the radius, nearest first, each with its distance."""
    measured = sorted([(haversine_km(lat, lon, p.lat, p.lon), p.title, n) for n, p in enumerate(places)])
    measured = [(distance, places[n]) for distance, _title, n in measured]
    found, seen = [], set()
    for distance, place in measured:
        if distance > radius_km:
            break
        if (place.kind, place.id) not in seen:  # someone in two organisations: the nearer one
            seen.add((place.kind, place.id))
            found.append(replace(place, distance_km=distance))
    return found


def organisations_with_people(session: Session, limit: int = 1000) -> list[tuple[int, str]]:
    """(id, name) of the organisations someone in the directory belongs to: the starting points /pairs offers
    (a national import's 100,000 organisations would make a 6 MB list)."""
    return [tuple(row) for row in session.exec(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(
            select(PractitionerOrganisation.organisation_id))).order_by(Organisation.name).limit(limit))]


def peer_practitioners(session: Session, viewer: Viewer, filters: ActionFilters) -> list[Place]:
    """Listed practitioners placed at their organisations (never a personal address).

    With a mode, public or theme, only people involved in a visible action that has it. The
    directory is for signed-in users: anonymous visitors get actions only.
    """
    if not policy.can_see_directory(viewer):
        return []
    orgs = {p.id: p for p in organisation_places(session, list(session.exec(
        select(PractitionerOrganisation.organisation_id))))}
    stmt = (select(Practitioner, PractitionerOrganisation.organisation_id)
            .join(PractitionerOrganisation, PractitionerOrganisation.practitioner_id == Practitioner.id))
    if filters.mode or filters.public or filters.theme:
        actions = filtered_actions_query(ActionFilters(mode=filters.mode, public=filters.public,
                                                       theme=filters.theme), viewer)
        stmt = stmt.where(Practitioner.id.in_(
            select(ActionPractitioner.practitioner_id).where(ActionPractitioner.action_id.in_(
                actions.with_only_columns(FieldAction.id)))))
    places = []
    for person, org_id in session.exec(stmt):
        org = orgs.get(org_id)
        if org is None or not policy.is_listed(viewer, person):
            continue
        places.append(Place(person.id, "practitioner", person.full_name, org.lat, org.lon,
                            territory=org.territory, commune=org.commune, detail=org.title))
    return places
