"""Problem reports on published actions: three open reports hide an action until a moderator decides."""

from __future__ import annotations

from datetime import UTC, timedelta

from sqlmodel import Session, select

from kb.errors import DomainError
from kb.models import ActionReport, FieldAction, UserAccount, choices
from kb.models.base import utcnow
from kb.policy import Viewer, is_public
from kb.services import ratelimit
from kb.services.moderation import author_accounts, moderators, record, tell
from kb.services.versions import canonical, current_input

HIDE_AFTER = 3
NEW_ACCOUNT_DELAY = timedelta(days=1)


def open_reports(session: Session, action: FieldAction) -> list[ActionReport]:
    """Reports not yet reviewed, oldest first."""
    return list(session.exec(select(ActionReport).where(ActionReport.action_id == action.id,
                                                        ActionReport.status == "ouvert")
                             .order_by(ActionReport.created_at)))


def _counts(session: Session, reporter_key: str) -> bool:
    """Whether a report counts toward hiding: a visitor's (one per address), or an account's that is
    approved or older than a day: three accounts opened in a minute must not hide an action."""
    if not reporter_key.startswith("u:"):
        return True
    account = session.get(UserAccount, int(reporter_key[2:])) if reporter_key[2:].isdecimal() else None
    if account is None:
        return False
    created = account.created_at if account.created_at.tzinfo else account.created_at.replace(tzinfo=UTC)
    return account.role in ("professionnel", "formateur", "admin") and account.approved_at is not None \
        or utcnow() - created >= NEW_ACCOUNT_DELAY


def report(session: Session, action: FieldAction, reason: str, comment: str, reporter_key: str,
           queue_url: str) -> bool:
    """Record a report; returns True when it is the one that hides the action."""
    if not is_public(action):
        raise DomainError("Cette action n'est pas publiée : elle ne peut pas être signalée.")
    if reason not in choices.REPORT_REASONS:
        raise DomainError("Choisissez un motif dans la liste.", field="reason")
    if len(comment) > 2000:
        raise DomainError("Le commentaire est trop long (au plus 2000 caractères).", field="comment")
    ratelimit.take(session, "report", reporter_key, field="reason")  # a refusal below rolls it back
    already = session.exec(select(ActionReport).where(ActionReport.action_id == action.id,
                                                      ActionReport.reporter_key == reporter_key,
                                                      ActionReport.status == "ouvert")).first()
    if already is not None:
        raise DomainError("Vous avez déjà signalé cette action ; l'équipe va l'examiner.", field="reason")
    session.add(ActionReport(action_id=action.id, reason=reason, comment=comment.strip(), reporter_key=reporter_key))
    session.flush()
    count = len([r for r in open_reports(session, action) if _counts(session, r.reporter_key)])
    if count >= HIDE_AFTER:
        action.hidden_at = utcnow()
        session.add(action)
        session.flush()
        tell(session, moderators(session), "Action masquée après signalements",
              f"« {action.title} » a reçu {count} signalements et n'est plus visible : {queue_url}\n")
        tell(session, author_accounts(session, action), "Votre action est masquée après des signalements",
             f"« {action.title} » a été signalée plusieurs fois ; elle est masquée le temps que l'équipe "
             "l'examine. Vous serez prévenu·e de sa décision.\n")
        return True
    return False


def resolve(session: Session, action: FieldAction, keep: bool, actor: Viewer, comment: str = "") -> None:
    """Close the open reports: keep the action online (unhide it) or unpublish it as a draft.

    The decision is recorded in the version history and its author is told.
    """
    reasons = sorted({choices.REPORT_REASONS.get(r.reason, r.reason) for r in open_reports(session, action)})
    for item in open_reports(session, action):
        item.status, item.resolved_at = "traite", utcnow()
    before = canonical(session, current_input(action))
    action.hidden_at = None
    if not keep:
        action.publication_status = "brouillon"
    session.add(action)
    session.flush()
    note = f"Signalements examinés ({', '.join(reasons) or 'aucun'}) : " + (
        "action maintenue en ligne." if keep else "action dépubliée.") + (f" {comment.strip()}" if comment.strip() else "")
    record(session, action, "moderation", before, actor, comment=note, status="approuvee" if keep else "refusee")
    tell(session, author_accounts(session, action), "Décision après signalements",
         f"« {action.title} » : {note}\n")
