"""Contribution and moderation: who saves what, pending versions of published actions, decisions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from kb import mail, policy
from kb.errors import DomainError
from kb.forms.actions import ActionInput, parse_action_pairs
from kb.models import ActionReport, ActionRevision, FieldAction, Tag, UserAccount
from kb.models.base import utcnow
from kb.policy import Viewer
from kb.services import actions as action_services
from kb.services import lock_for_change
from kb.services.accounts import viewer_of
from kb.services.versions import canonical, changes, current_input


@dataclass
class Saved:
    """Outcome of saving an action form: the action, and whether the change waits for moderation."""

    action: FieldAction
    pending: bool = False
    unchanged: bool = False
    withdrawn: bool = False


def moderators(session: Session) -> list[UserAccount]:
    """Approved trainers and admins (told of submissions and hidden actions)."""
    return list(session.exec(select(UserAccount).where(UserAccount.role.in_(policy.MODERATORS),
                                                       UserAccount.approved_at.is_not(None))))


def tell(session: Session, to: list[UserAccount], subject: str, body: str) -> None:
    """Queue the same message to each account."""
    for account in to:
        mail.queue(session, mail.Mail(to=account.email, subject=subject, body=body))


def _account(session: Session, account_id: int | None) -> list[UserAccount]:
    account = session.get(UserAccount, account_id) if account_id is not None else None
    return [account] if account is not None else []


def author_accounts(session: Session, action: FieldAction) -> list[UserAccount]:
    """The author of an action (none when the account was deleted or the action imported)."""
    return _account(session, action.author_id)


def _check_publication(data: ActionInput, actor: Viewer) -> None:
    if data.publication_status not in policy.publication_choices(actor):
        raise DomainError("Une action est publiée après validation par l'équipe : choisissez « brouillon » "
                          "ou « en attente de validation ».", field="publication_status")


def record(session: Session, action: FieldAction, kind: str, before: dict, actor: Viewer, comment: str = "",
            status: str = "appliquee") -> ActionRevision:
    """Add a version to an action's history: what changed since ``before``, by whom, with a comment."""
    revision = ActionRevision(action_id=action.id, author_id=actor.user_id, kind=kind, status=status,
                              changes=changes(before, canonical(session, current_input(action))), comment=comment)
    session.add(revision)
    session.flush()
    return revision


def create(session: Session, data: ActionInput, actor: Viewer, queue_url: str) -> Saved:
    """A new action by its author; a submission is announced to the moderators."""
    _check_publication(data, actor)
    action = action_services.create_action(session, data, actor)
    action.author_id = actor.user_id
    record(session, action, "creation", {}, actor)
    if action.publication_status == "en_attente":
        tell(session, moderators(session), "Nouvelle action à valider",
              f"« {action.title} » attend votre validation : {queue_url}\n")
    return Saved(action)


def pending_revision(session: Session, action: FieldAction) -> ActionRevision | None:
    """The edit of a published action waiting for moderation, if any."""
    return session.exec(select(ActionRevision).where(ActionRevision.action_id == action.id,
                                                     ActionRevision.status == "en_attente")).first()


def edit(session: Session, action: FieldAction, data: ActionInput, submitted: list[list[str]], actor: Viewer,
         queue_url: str) -> Saved:
    """Apply an edit, or keep it as a pending version while the published one stays online."""
    lock_for_change(session, action, "Cette action")
    before = canonical(session, current_input(action))
    if not policy.edit_needs_review(actor, action):
        _check_publication(data, actor)
        was_pending = action.publication_status == "en_attente"
        action_services.update_action(session, action, data, actor)
        if canonical(session, current_input(action)) != before:  # saved unchanged: nothing for the history
            record(session, action, "modification", before, actor)
        if action.publication_status == "en_attente" and not was_pending:
            tell(session, moderators(session), "Nouvelle action à valider",
                  f"« {action.title} » attend votre validation : {queue_url}\n")
        return Saved(action)
    data = data.model_copy(update={"publication_status": action.publication_status})
    diff = changes(before, canonical(session, data))
    pending = pending_revision(session, action)
    own = pending is not None and pending.author_id == actor.user_id
    if not diff:  # back to the published version: her own proposal, if any, is withdrawn
        if own:
            session.delete(pending)
            session.flush()
        return Saved(action, unchanged=not own, withdrawn=own)
    if own and pending.changes == diff and pending.base == before:  # her proposal saved again as it was
        return Saved(action, pending=True, unchanged=True)
    proposed = submitted
    revision = pending or ActionRevision(action_id=action.id, kind="proposition", status="en_attente")
    revision.author_id, revision.proposed, revision.changes, revision.created_at = actor.user_id, proposed, diff, utcnow()
    revision.base = before
    session.add(revision)
    session.flush()
    tell(session, moderators(session), "Modification à valider",
          f"Une modification de « {action.title} » attend votre validation : {queue_url}\n")
    return Saved(action, pending=True)


def approve_revision(session: Session, revision: ActionRevision, actor: Viewer, comment: str) -> FieldAction:
    """Apply a pending version to the published action and tell its author."""
    action = session.get(FieldAction, revision.action_id)
    lock_for_change(session, action, "Cette action")
    session.expire(revision)
    if revision.status != "en_attente":
        raise DomainError("Cette modification a déjà été traitée.")
    result = parse_action_pairs(revision.proposed)
    if not result.ok:
        first = next(iter(result.errors.values()))
        raise DomainError(f"La version proposée n'est plus valide ({first}) : refusez-la avec un commentaire.")
    before = canonical(session, current_input(action))
    moved = changed_since(session, revision, before)
    if moved:
        raise DomainError(f"L'action a été modifiée depuis cette proposition ({', '.join(moved)}) : l'accepter "
                          "effacerait ces changements. Refusez-la en demandant à l'auteur·rice de reprendre sa "
                          "modification sur la version actuelle.")
    data = result.data.model_copy(update={"publication_status": action.publication_status})
    # Terms the version brings stay proposals of its author: approving an edit is not validating a vocabulary.
    author = session.get(UserAccount, revision.author_id) if revision.author_id else None
    action_services.update_action(session, action, data, actor,
                                  terms_by=viewer_of(author) if author else Viewer(role="professionnel"))
    revision.changes = changes(before, canonical(session, current_input(action)))
    revision.status, revision.reviewer_id, revision.reviewed_at, revision.comment = (
        "approuvee", actor.user_id, utcnow(), comment)
    tell(session, _account(session, revision.author_id), "Modification validée",
          f"Votre modification de « {action.title} » est publiée." + (f"\n\nCommentaire : {comment}" if comment else ""))
    session.flush()
    return action


def changed_since(session: Session, revision: ActionRevision, current: dict[str, str] | None = None) -> list[str]:
    """Labels of the fields the published action changed since a pending edit was proposed."""
    if not revision.base:
        return []
    if current is None:
        current = canonical(session, current_input(session.get(FieldAction, revision.action_id)))
    return [c["label"] for c in changes(revision.base, current) if c["field"] != "publication_status"]


def reject_revision(session: Session, revision: ActionRevision, actor: Viewer, comment: str) -> None:
    """Refuse a pending version; the published action is unchanged and its author is told why."""
    if not comment.strip():
        raise DomainError("Expliquez le refus à l'auteur·rice dans le commentaire.", field="comment")
    action = session.get(FieldAction, revision.action_id)
    revision.status, revision.reviewer_id, revision.reviewed_at, revision.comment = (
        "refusee", actor.user_id, utcnow(), comment.strip())
    tell(session, _account(session, revision.author_id), "Modification refusée",
          f"Votre modification de « {action.title} » n'a pas été retenue.\n\nCommentaire : {comment.strip()}")
    session.flush()


def decide_action(session: Session, action: FieldAction, approve: bool, actor: Viewer, comment: str) -> None:
    """Publish a submitted action, or send it back to its author as a draft with a comment."""
    if action.publication_status != "en_attente":
        raise DomainError("Cette action n'attend plus de validation.")
    lock_for_change(session, action, "Cette action")
    if action.publication_status != "en_attente":  # decided by another moderator meanwhile
        raise DomainError("Cette action n'attend plus de validation.")
    if not approve and not comment.strip():
        raise DomainError("Expliquez le refus à l'auteur·rice dans le commentaire.", field="comment")
    before = canonical(session, current_input(action))
    action.publication_status = "publiee" if approve else "brouillon"
    session.flush()
    record(session, action, "moderation", before, actor, comment=comment.strip(),
            status="approuvee" if approve else "refusee")
    verdict = "est publiée" if approve else "vous est renvoyée en brouillon"
    tell(session, author_accounts(session, action), f"Votre action {'est publiée' if approve else 'à reprendre'}",
          f"« {action.title} » {verdict}." + (f"\n\nCommentaire : {comment.strip()}" if comment.strip() else ""))


def history(session: Session, action: FieldAction) -> list[tuple[ActionRevision, str, str]]:
    """(version, author name, reviewer name), newest first."""
    revisions = session.exec(select(ActionRevision).where(ActionRevision.action_id == action.id)
                             .order_by(ActionRevision.created_at.desc(), ActionRevision.id.desc())).all()

    def name(account_id: int | None) -> str:
        account = session.get(UserAccount, account_id) if account_id else None
        return account.display_name if account else "Auteur·rice anonyme (compte supprimé ou import)"

    return [(r, name(r.author_id), name(r.reviewer_id) if r.reviewer_id else "") for r in revisions]


def queue(session: Session) -> dict:
    """What waits for moderators: submitted actions, pending versions, reported actions."""
    submitted = session.exec(select(FieldAction).where(FieldAction.publication_status == "en_attente")
                             .order_by(FieldAction.updated_at)).all()
    revisions = session.exec(select(ActionRevision).where(ActionRevision.status == "en_attente")
                             .order_by(ActionRevision.created_at)).all()
    reported = session.exec(
        select(FieldAction, func.count(ActionReport.id)).join(ActionReport, ActionReport.action_id == FieldAction.id)
        .where(ActionReport.status == "ouvert").group_by(FieldAction.id).order_by(func.count(ActionReport.id).desc())
    ).all()
    terms = session.exec(select(Tag).where(Tag.status == "proposee").order_by(Tag.kind, Tag.name)).all()
    return {"submitted": list(submitted), "revisions": [(r, session.get(FieldAction, r.action_id)) for r in revisions],
            "reported": [(a, n) for a, n in reported], "terms": list(terms)}

