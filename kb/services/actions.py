"""Field actions: list with filters, create, change, delete."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.forms.actions import ActionInput
from kb.forms.filters import ActionFilters
from kb.models import (
    ActionPractitioner,
    Barrier,
    Commune,
    Effect,
    FieldAction,
    Lever,
    Organisation,
    Practitioner,
    Territory,
    Tool,
    ToolAction,
)
from kb.policy import Viewer, visible_actions_clause
from kb.services import Page, lock_for_change, records_by_ids
from kb.services.places import resolve_commune
from kb.services.tags import get_or_create_tags, tag_condition, tags_in_use

LIST_LOADS = (selectinload(FieldAction.territory), selectinload(FieldAction.commune), selectinload(FieldAction.tags))


def filtered_actions_query(filters: ActionFilters, viewer: Viewer):
    """SELECT of the actions this viewer may see that match the filters (not ordered, not paged)."""
    stmt = select(FieldAction).where(visible_actions_clause(viewer))
    if filters.territory:
        stmt = stmt.where(FieldAction.territory_id.in_(select(Territory.id).where(Territory.slug == filters.territory)))
    if filters.commune:
        stmt = stmt.where(FieldAction.commune_insee == filters.commune)
    if filters.mode:
        stmt = stmt.where(FieldAction.mode == filters.mode)
    if filters.status:
        stmt = stmt.where(FieldAction.status == filters.status)
    if filters.public:
        stmt = stmt.where(tag_condition("public", filters.public))
    if filters.theme:
        stmt = stmt.where(tag_condition("theme", filters.theme))
    if filters.year:
        stmt = stmt.where(FieldAction.start_date >= date(filters.year, 1, 1),
                          FieldAction.start_date <= date(filters.year, 12, 31))
    if filters.barrier_kind:
        stmt = stmt.where(FieldAction.id.in_(select(Barrier.action_id).where(Barrier.kind == filters.barrier_kind)))
    if filters.actor:
        stmt = stmt.where(FieldAction.id.in_(select(Barrier.action_id).where(Barrier.actor_category == filters.actor)))
    if filters.dimension:
        stmt = stmt.where(FieldAction.id.in_(select(Effect.action_id).where(Effect.dimension == filters.dimension)))
    if filters.has_tool:
        with_tool = FieldAction.id.in_(select(ToolAction.action_id).join(Tool, Tool.id == ToolAction.tool_id)
                                       .where(Tool.publication_status == "publiee"))
        stmt = stmt.where(with_tool if filters.has_tool == "oui" else ~with_tool)
    return stmt


def list_actions(session: Session, filters: ActionFilters, viewer: Viewer, per_page: int = 20,
                 ids: list[int] | None = None) -> Page[FieldAction]:
    """One page of visible actions matching the filters (and among ``ids``, a text's matches), newest first."""
    stmt = filtered_actions_query(filters, viewer)
    if ids is not None:
        stmt = stmt.where(FieldAction.id.in_(ids))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    items = session.exec(
        stmt.options(*LIST_LOADS)
        .order_by(FieldAction.start_date.desc().nulls_last(), FieldAction.id.desc())
        .offset((filters.page - 1) * per_page).limit(per_page)
    ).all()
    return Page(items=list(items), total=total, page=filters.page, per_page=per_page)


def latest_actions(session: Session, viewer: Viewer, limit: int = 6) -> list[FieldAction]:
    """The most recently added visible actions."""
    stmt = filtered_actions_query(ActionFilters(), viewer).options(*LIST_LOADS)
    return list(session.exec(stmt.order_by(FieldAction.created_at.desc(), FieldAction.id.desc()).limit(limit)))


COMMUNE_CHOICES = 300


def filter_options(session: Session, viewer: Viewer) -> dict:
    """Values offered by the filter form: only those some visible action has.

    Each list is one join with DISTINCT over the visible actions: nested IN subqueries and loading every
    start date cost 150 ms at 10k actions (measured), this about 15."""
    visible = visible_actions_clause(viewer)
    used = select(FieldAction.commune_insee).where(visible, FieldAction.commune_insee.is_not(None)).distinct()
    # Actions in thousands of communes (a national import): a list that long serves nobody and weighs megabytes;
    # the form then offers a commune field with suggestions instead (None here).
    communes = None
    if session.exec(select(func.count()).select_from(used.subquery())).one() <= COMMUNE_CHOICES:
        communes = list(session.exec(select(Commune).where(Commune.insee.in_(used)).order_by(Commune.name)).all())
    year = func.extract("year", FieldAction.start_date)
    years = session.exec(select(year).where(visible, FieldAction.start_date.is_not(None)).distinct()).all()
    return {
        "territories": list(session.exec(select(Territory).order_by(Territory.name))),
        "communes": communes,
        "publics": tags_in_use(session, "public", visible),
        "themes": tags_in_use(session, "theme", visible),
        "years": sorted({int(y) for y in years}, reverse=True),
    }


# What an action's page and its JSON show, loaded in one query per relationship instead of one per row.
_PAGE_LOADS = (
    joinedload(FieldAction.territory), joinedload(FieldAction.commune), selectinload(FieldAction.tags),
    selectinload(FieldAction.effects), selectinload(FieldAction.barriers), selectinload(FieldAction.levers),
    selectinload(FieldAction.tools), selectinload(FieldAction.partners),
    selectinload(FieldAction.practitioner_links).selectinload(ActionPractitioner.practitioner),
)


def get_action(session: Session, action_id: int) -> FieldAction | None:
    """An action with everything its page shows, or None."""
    return session.exec(select(FieldAction).where(FieldAction.id == action_id).options(*_PAGE_LOADS)).first()


def _by_ids(session: Session, model, ids: list[int], field: str, what: str) -> list:
    return records_by_ids(session, model, ids, field, f"{what} choisi·e n'existe plus. Rechargez la page.")


def _apply(session: Session, action: FieldAction, data: ActionInput, actor: Viewer) -> None:
    if data.territory_id is not None and session.get(Territory, data.territory_id) is None:
        raise DomainError("Ce territoire n'existe pas.", field="territory_id")
    commune = resolve_commune(session, data.commune) if data.commune else None
    for name in ("title", "summary", "writeup", "mode", "territory_id", "address", "location_precision",
                 "start_date", "end_date", "status", "publication_status"):
        setattr(action, name, getattr(data, name))
    action.commune_insee = commune.insee if commune else None
    if data.latitude is not None:
        action.latitude, action.longitude = data.latitude, data.longitude
    elif commune is not None:
        # No point given: place the action at the commune's centre.
        action.latitude, action.longitude = commune.latitude, commune.longitude
    else:
        action.latitude = action.longitude = None
    action.tags = [t for t in action.tags if t.kind not in ("public", "theme")] + \
        get_or_create_tags(session, "public", data.publics, actor) + \
        get_or_create_tags(session, "theme", data.themes, actor)
    action.partners = _by_ids(session, Organisation, data.partner_ids, "partner_ids", "Une organisation")
    # Tools not yet published are not offered in the form: their links (made from the tool's form) stay.
    unpublished = [t for t in action.tools if t.publication_status != "publiee"]
    action.tools = unpublished + [t for t in _by_ids(session, Tool, data.tool_ids, "tool_ids", "Un outil")
                                  if t not in unpublished]
    people_ids = [row.practitioner_id for row in data.people]
    if len(people_ids) != len(set(people_ids)):
        raise DomainError("Une même personne est indiquée deux fois.", field="people")
    _by_ids(session, Practitioner, people_ids, "people", "Un·e intervenant·e")
    action.practitioner_links = [ActionPractitioner(practitioner_id=r.practitioner_id, role=r.role) for r in data.people]
    action.effects = [Effect(**row.model_dump()) for row in data.effects]
    action.barriers = [Barrier(**row.model_dump()) for row in data.barriers]
    action.levers = [Lever(**row.model_dump()) for row in data.levers]


def create_action(session: Session, data: ActionInput, actor: Viewer) -> FieldAction:
    """Create an action from validated input."""
    action = FieldAction(title=data.title, summary=data.summary, mode=data.mode)
    session.add(action)
    _apply(session, action, data, actor)
    session.flush()
    return action


def update_action(session: Session, action: FieldAction, data: ActionInput, actor: Viewer,
                  terms_by: Viewer | None = None) -> FieldAction:
    """Replace an action's content with validated input; new terms are proposed in the name of ``terms_by``
    (the author of an approved version), else of ``actor``."""
    _apply(session, action, data, terms_by or actor)
    session.flush()
    return action


def delete_action(session: Session, action: FieldAction, actor: Viewer) -> None:
    """Delete an action with its effects, barriers, levers and links."""
    lock_for_change(session, action, "Cette action")
    session.delete(action)
    session.flush()
