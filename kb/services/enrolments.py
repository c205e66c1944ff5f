"""Self-service enrolment in a workshop group: a professional asks, one of its trainers accepts or declines.

Each side is told by e-mail. A group may have a capacity: a request is still possible when it is full (the
trainers may make room), but it cannot be accepted until a place is free.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from kb.errors import DomainError
from kb.models import Enrolment, JoinRequest, Practitioner, UserAccount, Workshop
from kb.models.base import utcnow
from kb.policy import Viewer
from kb.services.moderation import tell

STATUSES = {"demandee": "En attente", "acceptee": "Acceptée", "refusee": "Refusée"}


def enrolled_count(session: Session, workshop: Workshop) -> int:
    """How many practitioners the group has."""
    return session.exec(select(func.count()).select_from(Enrolment)
                        .where(Enrolment.workshop_id == workshop.id)).one()


def places_left(session: Session, workshop: Workshop) -> int | None:
    """Free places in the group, None when it has no capacity."""
    if workshop.capacity is None:
        return None
    return max(workshop.capacity - enrolled_count(session, workshop), 0)


def pending_request(session: Session, workshop: Workshop, practitioner_id: int | None) -> JoinRequest | None:
    """The practitioner's request waiting for the trainers of this group, if any."""
    if practitioner_id is None:
        return None
    return session.exec(select(JoinRequest).where(JoinRequest.workshop_id == workshop.id,
                                                  JoinRequest.practitioner_id == practitioner_id,
                                                  JoinRequest.status == "demandee")).first()


def is_enrolled(workshop: Workshop, practitioner_id: int | None) -> bool:
    """Whether the practitioner is in the group."""
    return practitioner_id is not None and any(e.practitioner_id == practitioner_id for e in workshop.enrolments)


def request_to_join(session: Session, workshop: Workshop, actor: Viewer, message: str, group_url: str) -> JoinRequest:
    """Ask to join a group (the account must be linked to its practitioner profile); the trainers are told."""
    if actor.practitioner_id is None:
        raise DomainError("Votre compte n'est relié à aucune fiche d'intervenant·e : demandez à l'équipe de "
                          "l'observatoire de les relier, puis revenez demander à rejoindre le groupe.")
    if is_enrolled(workshop, actor.practitioner_id):
        raise DomainError("Vous faites déjà partie de ce groupe.")
    if pending_request(session, workshop, actor.practitioner_id) is not None:
        raise DomainError("Votre demande est déjà transmise aux formateur·rices du groupe.")
    request = JoinRequest(workshop_id=workshop.id, practitioner_id=actor.practitioner_id, account_id=actor.user_id,
                          message=message.strip()[:2000])
    session.add(request)
    session.flush()
    person = session.get(Practitioner, actor.practitioner_id)
    tell(session, list(workshop.trainers), f"Demande pour rejoindre « {workshop.name} »",
         f"{person.full_name} demande à rejoindre le groupe « {workshop.name} ».\n\n"
         + (f"Son message :\n{request.message}\n\n" if request.message else "")
         + f"Acceptez ou refusez la demande : {group_url}")
    return request


def decide(session: Session, request: JoinRequest, accept: bool, actor: Viewer, group_url: str) -> None:
    """Accept (the practitioner joins, if a place is free) or decline a request; its author is told."""
    if request.status != "demandee":
        raise DomainError("Cette demande a déjà reçu une réponse.")
    workshop = session.get(Workshop, request.workshop_id)
    if accept:
        left = places_left(session, workshop)
        if left == 0:
            raise DomainError(f"Le groupe est complet ({workshop.capacity} places) : augmentez sa capacité ou "
                              "libérez une place avant d'accepter.")
        person = session.get(Practitioner, request.practitioner_id)
        if not is_enrolled(workshop, request.practitioner_id):
            experience = person.isic_experience if person.isic_experience in ("debutant", "experimente") else "debutant"
            workshop.enrolments.append(Enrolment(practitioner_id=request.practitioner_id, experience=experience))
    request.status = "acceptee" if accept else "refusee"
    request.decided_at, request.decided_by_id = utcnow(), actor.user_id
    session.add_all([request, workshop])
    session.flush()
    account = session.get(UserAccount, request.account_id) if request.account_id else None
    if account is not None:
        answer = "acceptée : vous faites partie du groupe" if accept else "refusée"
        tell(session, [account], f"Votre demande pour « {workshop.name} »",
             f"Votre demande pour rejoindre le groupe « {workshop.name} » est {answer}.\n\n{group_url}")


def requests_of(session: Session, workshop: Workshop) -> list[JoinRequest]:
    """The group's requests, waiting ones first, then the newest."""
    found = session.exec(select(JoinRequest).where(JoinRequest.workshop_id == workshop.id)
                         .order_by(JoinRequest.created_at.desc(), JoinRequest.id.desc())).all()
    return sorted(found, key=lambda r: r.status != "demandee")
