"""Organisations and practitioners: directory lists, create, change, delete."""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.forms.filters import PeopleFilters
from kb.forms.people import OrganisationInput, PractitionerInput
from kb.models import ConsentRecord, Organisation, Practitioner, Territory
from kb.models.base import utcnow
from kb.policy import Viewer
from kb.services import Page, records_by_ids
from kb.services.places import resolve_commune


def _territory_filter(model, slug: str):
    return model.territory_id.in_(select(Territory.id).where(Territory.slug == slug))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def _page(session: Session, stmt, order, page: int, per_page: int, loads=()) -> Page:
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    items = session.exec(stmt.options(*loads).order_by(*order).offset((page - 1) * per_page).limit(per_page)).all()
    return Page(items=list(items), total=total, page=page, per_page=per_page)


ORGANISATION_LOADS = (selectinload(Organisation.commune), selectinload(Organisation.territory))
PRACTITIONER_LOADS = (selectinload(Practitioner.organisations), selectinload(Practitioner.territory))


def organisations_query(filters: PeopleFilters):
    """SELECT of the organisations matching the list's filters (not ordered, not paged)."""
    stmt = select(Organisation)
    if filters.territory:
        stmt = stmt.where(_territory_filter(Organisation, filters.territory))
    if filters.kind:
        stmt = stmt.where(Organisation.kind == filters.kind)
    if filters.q:
        stmt = stmt.where(func.lower(Organisation.name).like(_like(filters.q), escape="\\"))
    return stmt


def list_organisations(session: Session, filters: PeopleFilters, per_page: int = 20) -> Page[Organisation]:
    """One page of organisations, by name."""
    return _page(session, organisations_query(filters), (Organisation.name, Organisation.id), filters.page, per_page,
                 ORGANISATION_LOADS)


def directory_query(viewer: Viewer):
    """Practitioners who agreed to be listed."""
    return select(Practitioner).where(Practitioner.consent_listed.is_(True))


def practitioners_query(filters: PeopleFilters, viewer: Viewer):
    """SELECT of the directory's practitioners (listed ones only) matching the filters (not ordered, not paged)."""
    stmt = directory_query(viewer)
    if filters.territory:
        stmt = stmt.where(_territory_filter(Practitioner, filters.territory))
    if filters.kind:
        stmt = stmt.where(Practitioner.function == filters.kind)
    if filters.q:
        pattern = _like(filters.q)
        stmt = stmt.where(or_(func.lower(Practitioner.last_name).like(pattern, escape="\\"),
                              func.lower(Practitioner.first_name).like(pattern, escape="\\")))
    return stmt


def list_practitioners(session: Session, filters: PeopleFilters, viewer: Viewer, per_page: int = 20
                       ) -> Page[Practitioner]:
    """One page of the directory (listed practitioners only), by last name."""
    return _page(session, practitioners_query(filters, viewer),
                 (Practitioner.last_name, Practitioner.first_name, Practitioner.id), filters.page, per_page,
                 PRACTITIONER_LOADS)


def _check_territory(session: Session, territory_id: int | None) -> None:
    if territory_id is not None and session.get(Territory, territory_id) is None:
        raise DomainError("Ce territoire n'existe pas.", field="territory_id")


def _apply_organisation(session: Session, org: Organisation, data: OrganisationInput) -> None:
    _check_territory(session, data.territory_id)
    commune = resolve_commune(session, data.commune) if data.commune else None
    for name in ("name", "kind", "director_name", "address", "postal_code", "territory_id", "phone", "fax",
                 "email", "website"):
        setattr(org, name, getattr(data, name))
    org.commune_insee = commune.insee if commune else None
    if data.latitude is not None:
        org.latitude, org.longitude = data.latitude, data.longitude
    elif commune is not None:
        org.latitude, org.longitude = commune.latitude, commune.longitude
    else:
        org.latitude = org.longitude = None


def save_organisation(session: Session, data: OrganisationInput, actor: Viewer,
                      org: Organisation | None = None) -> Organisation:
    """Create an organisation, or change `org`, from validated input."""
    org = org or Organisation(name=data.name, kind=data.kind)
    session.add(org)
    _apply_organisation(session, org, data)
    session.flush()
    return org


def save_practitioner(session: Session, data: PractitionerInput, actor: Viewer,
                      person: Practitioner | None = None) -> Practitioner:
    """Create a practitioner, or change `person`; consent changes are dated."""
    _check_territory(session, data.territory_id)
    organisations = records_by_ids(session, Organisation, data.organisation_ids, "organisation_ids",
                                   "Une organisation choisie n'existe plus. Rechargez la page.")
    person = person or Practitioner(first_name=data.first_name, last_name=data.last_name,
                                    function=data.function, actor_category=data.actor_category)
    created = person.id is None
    consent_changed = created or (person.consent_listed, person.consent_contact) != (data.consent_listed, data.consent_contact)
    if consent_changed or person.id is None:
        person.consent_date = utcnow().date()
    for name, value in data.model_dump(exclude={"organisation_ids"}).items():
        setattr(person, name, value)
    person.organisations = organisations
    session.add(person)
    session.flush()
    if consent_changed:
        session.add(ConsentRecord(practitioner_id=person.id, listed=data.consent_listed,
                                  contact=data.consent_contact, recorded_by_id=actor.user_id))
        session.flush()
    return person


def delete_organisation(session: Session, org: Organisation, actor: Viewer) -> None:
    """Delete an organisation; its links to people and actions go with it."""
    session.delete(org)
    session.flush()


def delete_practitioner(session: Session, person: Practitioner, actor: Viewer) -> None:
    """Delete a practitioner and their parts in actions."""
    session.delete(person)
    session.flush()
