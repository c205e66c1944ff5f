"""Territories, key figures and the lists that forms offer."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from kb.models import Barrier, FieldAction, Organisation, Practitioner, Territory, Tool, WorkshopSession
from kb.policy import Viewer, is_public, visible_actions_clause


def territories(session: Session) -> list[Territory]:
    """The institute's units, by name."""
    return list(session.exec(select(Territory).order_by(Territory.name)))


def territory_by_slug(session: Session, slug: str) -> Territory | None:
    """A unit by its URL name."""
    return session.exec(select(Territory).where(Territory.slug == slug)).first()


def key_figures(session: Session, viewer: Viewer) -> dict[str, int]:
    """Counts shown on the home page."""
    visible = visible_actions_clause(viewer)

    def count(stmt) -> int:
        return session.exec(stmt).one()

    return {
        "actions": count(select(func.count()).select_from(FieldAction).where(visible)),
        "practitioners": count(select(func.count()).select_from(Practitioner)),
        "organisations": count(select(func.count()).select_from(Organisation)),
        "communes": count(select(func.count(func.distinct(FieldAction.commune_insee))).where(visible)),
        "barriers": count(select(func.count()).select_from(Barrier).join(FieldAction).where(visible)),
        "tools": count(select(func.count()).select_from(Tool).where(Tool.publication_status == "publiee")),
    }


def form_choices(session: Session) -> dict:
    """Organisations, practitioners, tools and territories offered in forms."""
    return {
        "territories": territories(session),
        "organisations": list(session.exec(select(Organisation).order_by(Organisation.name))),
        "practitioners": list(session.exec(select(Practitioner).order_by(Practitioner.last_name,
                                                                         Practitioner.first_name))),
        "tools": list(session.exec(select(Tool).where(Tool.publication_status == "publiee").order_by(Tool.title))),
    }


def list_tools(session: Session) -> list[Tool]:
    """Published co-built tools, by title."""
    return list(session.exec(select(Tool).where(Tool.publication_status == "publiee").order_by(Tool.title)))


def linkable_actions(session: Session, viewer: Viewer) -> list[FieldAction]:
    """Actions a tool may be linked to in its form: those the viewer finds in lists, by title."""
    return list(session.exec(select(FieldAction).where(visible_actions_clause(viewer)).order_by(FieldAction.title)))


def linkable_sessions(session: Session) -> list[WorkshopSession]:
    """Workshop sessions a tool may be linked to (the team's choice), latest first."""
    return list(session.exec(select(WorkshopSession).order_by(WorkshopSession.day.desc(), WorkshopSession.id)))


def visible_actions_of_tool(tool: Tool, viewer: Viewer) -> list[FieldAction]:
    """The tool's actions this viewer may see in lists."""
    return [a for a in tool.actions if is_public(a)]
