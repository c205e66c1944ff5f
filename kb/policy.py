"""Who may see and do what: the one place that decides, for every page, API and service.

Roles: anonymous visitors, étudiant, professionnel, formateur (trainer), admin. Professional and
trainer accounts act as students until an admin approves them (``Viewer.role`` is the effective
role). Views and services ask these functions and never test roles, statuses or consent flags.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_

from kb.models import FieldAction, Practitioner

PUBLIC_PUBLICATION_STATUSES = ("publiee", "archivee")
CONTRIBUTORS = ("professionnel", "formateur", "admin")
MODERATORS = ("formateur", "admin")


@dataclass(frozen=True)
class Viewer:
    """The person looking at a page or calling the API, with her effective role."""

    role: str = "anonyme"
    user_id: int | None = None
    practitioner_id: int | None = None

    @property
    def signed_in(self) -> bool:
        """Whether the viewer has an account session."""
        return self.user_id is not None


ANONYMOUS = Viewer()


def effective_role(role: str, approved: bool) -> str:
    """The role an account acts with: professionals and trainers wait for approval as students."""
    return role if approved or role in ("etudiant", "admin") else "etudiant"


# Actions


def is_moderator(viewer: Viewer) -> bool:
    """Trainers and admins moderate contributions, tag actions and edit every record."""
    return viewer.role in MODERATORS


def is_admin(viewer: Viewer) -> bool:
    """Admins manage accounts and roles and anonymise people."""
    return viewer.role == "admin"


def can_contribute(viewer: Viewer) -> bool:
    """Whether the viewer may propose actions, organisations and tools."""
    return viewer.role in CONTRIBUTORS


def is_public(action: FieldAction) -> bool:
    """Published (or archived) and not hidden after reports."""
    return action.publication_status in PUBLIC_PUBLICATION_STATUSES and action.hidden_at is None


def public_actions_clause():
    """SQL condition of the actions anyone may find in lists, maps, search and the API."""
    return and_(FieldAction.publication_status.in_(PUBLIC_PUBLICATION_STATUSES), FieldAction.hidden_at.is_(None))


def visible_actions_clause(viewer: Viewer):
    """SQL condition of the actions this viewer finds in lists (the same for every role)."""
    return public_actions_clause()


def is_author(viewer: Viewer, action: FieldAction) -> bool:
    """Whether the viewer wrote this action."""
    return viewer.user_id is not None and action.author_id == viewer.user_id


def can_view_action(viewer: Viewer, action: FieldAction) -> bool:
    """Whether the viewer may open this action's page (drafts: their author and moderators)."""
    return is_public(action) or is_moderator(viewer) or is_author(viewer, action)


def can_edit_action(viewer: Viewer, action: FieldAction) -> bool:
    """Moderators edit every action; a professional edits her own."""
    return is_moderator(viewer) or (can_contribute(viewer) and is_author(viewer, action))


def edit_needs_review(viewer: Viewer, action: FieldAction) -> bool:
    """A non-moderator's edit of a published action waits as a pending version."""
    return not is_moderator(viewer) and action.publication_status in PUBLIC_PUBLICATION_STATUSES


def can_delete_action(viewer: Viewer, action: FieldAction) -> bool:
    """Moderators delete any action; an author deletes hers while it is not published."""
    return is_moderator(viewer) or (can_edit_action(viewer, action)
                                    and action.publication_status not in PUBLIC_PUBLICATION_STATUSES)


def publication_choices(viewer: Viewer) -> tuple[str, ...]:
    """Publication statuses the viewer may set in the action form."""
    return ("brouillon", "en_attente", "publiee", "archivee") if is_moderator(viewer) else ("brouillon", "en_attente")


def can_view_history(viewer: Viewer, action: FieldAction) -> bool:
    """The version history names accounts: moderators and the author see it."""
    return is_moderator(viewer) or is_author(viewer, action)


# Organisations, tools and people


def can_create_records(viewer: Viewer) -> bool:
    """Organisations and tools may be added by every contributor."""
    return can_contribute(viewer)


def can_manage_records(viewer: Viewer) -> bool:
    """Changing or deleting organisations and tools, and managing practitioners, is for moderators."""
    return is_moderator(viewer)


def can_edit_practitioner(viewer: Viewer, practitioner: Practitioner) -> bool:
    """Moderators, and the person herself through her linked account."""
    return is_moderator(viewer) or (viewer.practitioner_id is not None and viewer.practitioner_id == practitioner.id)


def can_see_directory(viewer: Viewer) -> bool:
    """The practitioner directory is for signed-in users (students included), not the public."""
    return viewer.signed_in


def is_listed(viewer: Viewer, practitioner: Practitioner) -> bool:
    """Whether the practitioner may be named to this viewer (she agreed to be listed)."""
    return practitioner.consent_listed or can_edit_practitioner(viewer, practitioner)


def can_see_contact(viewer: Viewer, practitioner: Practitioner) -> bool:
    """Whether her phone may be shown: professionals and up, when she agreed to be contacted."""
    return can_contribute(viewer) and practitioner.consent_listed and practitioner.consent_contact


def can_message(viewer: Viewer, practitioner: Practitioner) -> bool:
    """Whether the contact relay is offered (her e-mail address itself is never shown)."""
    return can_see_contact(viewer, practitioner) and bool(practitioner.email) and practitioner.id != viewer.practitioner_id


# Workshops and the debate day


def can_run_workshops(viewer: Viewer) -> bool:
    """Trainers and admins build workshops and sessions, tag actions, record attendance and syntheses."""
    return is_moderator(viewer)


def can_manage_registrations(viewer: Viewer) -> bool:
    """The observatory team (trainers and admins) handles the seminar's registrations, documents and attendance."""
    return is_moderator(viewer)


def can_see_attendance(viewer: Viewer) -> bool:
    """Who attended which session is shown to trainers and admins (everyone else sees counts)."""
    return is_moderator(viewer)


def can_vote(viewer: Viewer) -> bool:
    """Signed-in participants prioritise the debate day's themes."""
    return viewer.signed_in


# Co-built tools


def can_view_tool(viewer: Viewer, tool) -> bool:
    """A published tool is public; one waiting or in draft is seen by who proposed it and by the team."""
    return tool.publication_status == "publiee" or is_moderator(viewer) or (
        viewer.user_id is not None and tool.proposed_by_id == viewer.user_id)


def can_edit_tool(viewer: Viewer, tool) -> bool:
    """The team edits every tool; who proposed one edits it until it is published."""
    return is_moderator(viewer) or (viewer.user_id is not None and tool.proposed_by_id == viewer.user_id
                                    and tool.publication_status != "publiee")


def can_add_tool_version(viewer: Viewer, tool) -> bool:
    """The team and who proposed the tool upload new versions (hers wait for the team once it is published)."""
    return is_moderator(viewer) or (viewer.user_id is not None and tool.proposed_by_id == viewer.user_id)


def tool_file_shown(viewer: Viewer, tool, tool_file) -> bool:
    """A file version is downloadable once approved, or by the team and its uploader before."""
    return can_view_tool(viewer, tool) and (tool_file.approved or is_moderator(viewer) or (
        viewer.user_id is not None and tool_file.uploaded_by_id == viewer.user_id))


def tool_visibility(tool) -> str:
    """Who may find this tool in search: everyone once published."""
    return "public" if tool.publication_status == "publiee" else tool.publication_status


# Cahiers


def can_edit_cahiers(viewer: Viewer) -> bool:
    """Trainers and admins compose and publish the cahiers."""
    return is_moderator(viewer)


def can_view_cahier(viewer: Viewer, cahier) -> bool:
    """A published cahier is public; a draft is seen by its editors."""
    return cahier.status == "publie" or can_edit_cahiers(viewer)


def can_set_cahiers_consent(viewer: Viewer, action: FieldAction) -> bool:
    """Who edits an action records whether its authors agree to the cahiers (the team, a written agreement)."""
    return can_edit_action(viewer, action)


# Search


def action_visibility(action: FieldAction) -> str:
    """Who may find this action in search: "public" exactly when ``is_public`` (the pages' rule), else
    "masquee" after reports or its unpublished status."""
    if is_public(action):
        return "public"
    return "masquee" if action.publication_status in PUBLIC_PUBLICATION_STATUSES else action.publication_status


def practitioner_visibility(practitioner: Practitioner) -> str:
    """Who may find this practitioner in search: signed-in users when listed in the directory."""
    return "annuaire" if practitioner.consent_listed else "non_liste"


def search_visibilities(viewer: Viewer) -> set[str]:
    """The document visibilities this viewer's searches may return."""
    return {"public", "annuaire"} if can_see_directory(viewer) else {"public"}


def shown_position(precision: str, position: tuple[float | None, float | None],
                   commune_centre: tuple[float | None, float | None]) -> tuple[float, float] | None:
    """Where an action may be drawn on public pages: a sensitive one ("commune") at its commune's centre."""
    lat, lon = commune_centre if precision == "commune" or position[0] is None else position
    return None if lat is None or lon is None else (lat, lon)
