"""Problem reports on published actions: three open reports hide an action until a moderator decides."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.models import ActionReport, FieldAction, choices
from kb.models.base import utcnow
from kb.policy import Viewer, is_public
from kb.services import ratelimit
from kb.services.moderation import moderators, tell

HIDE_AFTER = 3


def open_reports(session: Session, action: FieldAction) -> list[ActionReport]:
    """Reports not yet reviewed, oldest first."""
    return list(session.exec(select(ActionReport).where(ActionReport.action_id == action.id,
                                                        ActionReport.status == "ouvert")
                             .order_by(ActionReport.created_at)))


def report(session: Session, action: FieldAction, reason: str, comment: str, reporter_key: str,
           queue_url: str) -> bool:
    """Record a report; returns True when it is the one that hides the action."""
    if not is_public(action):
        raise DomainError("Cette action n'est pas publiée : elle ne peut pas être signalée.")
    if reason not in choices.REPORT_REASONS:
        raise DomainError("Choisissez un motif dans la liste.", field="reason")
    if len(comment) > 2000:
        raise DomainError("Le commentaire est trop long (au plus 2000 caractères).", field="comment")
    ratelimit.check(session, "report", reporter_key, field="reason")
    already = session.exec(select(ActionReport).where(ActionReport.action_id == action.id,
                                                      ActionReport.reporter_key == reporter_key,
                                                      ActionReport.status == "ouvert")).first()
    if already is not None:
        raise DomainError("Vous avez déjà signalé cette action ; l'équipe va l'examiner.", field="reason")
    ratelimit.hit(session, "report", reporter_key)
    session.add(ActionReport(action_id=action.id, reason=reason, comment=comment.strip(), reporter_key=reporter_key))
    session.flush()
    count = session.exec(select(func.count()).select_from(ActionReport).where(
        ActionReport.action_id == action.id, ActionReport.status == "ouvert")).one()
    if count >= HIDE_AFTER:
        action.hidden_at = utcnow()
        session.add(action)
        session.flush()
        tell(session, moderators(session), "Action masquée après signalements",
              f"« {action.title} » a reçu {count} signalements et n'est plus visible : {queue_url}\n")
        return True
    return False


def resolve(session: Session, action: FieldAction, keep: bool, actor: Viewer) -> None:
    """Close the open reports: keep the action online (unhide it) or unpublish it as a draft."""
    for item in open_reports(session, action):
        item.status, item.resolved_at = "traite", utcnow()
    action.hidden_at = None
    if not keep:
        action.publication_status = "brouillon"
    session.add(action)
    session.flush()
