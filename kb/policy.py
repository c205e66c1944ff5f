"""Who may see what: the single place that decides visibility of actions and people's details.

Accounts and roles arrive later; until then every visitor is an anonymous `Viewer`, editing is open
(see README) and only public data is shown. Views and services call these functions and never test
statuses or consent flags themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.models import FieldAction, Practitioner

PUBLIC_PUBLICATION_STATUSES = ("publiee", "archivee")


@dataclass(frozen=True)
class Viewer:
    """The person looking at a page or calling the API."""

    role: str = "anonyme"
    user_id: int | None = None


ANONYMOUS = Viewer()


def visible_publication_statuses(viewer: Viewer) -> tuple[str, ...]:
    """Publication statuses of actions this viewer may find in lists, maps, search and the API."""
    return PUBLIC_PUBLICATION_STATUSES


def can_view_action(viewer: Viewer, action: FieldAction) -> bool:
    """Whether the viewer may open this action's page (drafts only through their edit link)."""
    return action.publication_status in visible_publication_statuses(viewer) or can_edit(viewer)


def can_edit(viewer: Viewer) -> bool:
    """Whether the viewer may create, change or delete records (open until accounts exist)."""
    return True


def is_listed(viewer: Viewer, practitioner: Practitioner) -> bool:
    """Whether the practitioner appears by name in the directory and on action pages."""
    return practitioner.consent_listed


def can_see_contact(viewer: Viewer, practitioner: Practitioner) -> bool:
    """Whether the practitioner's e-mail and phone may be shown to this viewer."""
    return practitioner.consent_listed and practitioner.consent_contact


def action_visibility(action: FieldAction) -> str:
    """Who may find this action in search: "public", or its unpublished status."""
    return "public" if action.publication_status in PUBLIC_PUBLICATION_STATUSES else action.publication_status


def practitioner_visibility(practitioner: Practitioner) -> str:
    """Who may find this practitioner in search: "public" when listed in the directory."""
    return "public" if practitioner.consent_listed else "non_liste"


def search_visibilities(viewer: Viewer) -> set[str]:
    """The document visibilities this viewer's searches may return."""
    return {"public"}


def shown_position(precision: str, position: tuple[float | None, float | None],
                   commune_centre: tuple[float | None, float | None]) -> tuple[float, float] | None:
    """Where an action may be drawn on public pages: a sensitive one ("commune") at its commune's centre."""
    lat, lon = commune_centre if precision == "commune" or position[0] is None else position
    return None if lat is None or lon is None else (lat, lon)
