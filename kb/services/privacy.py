"""People's data: consent, the contact relay, "Mes données" (export, erasure), anonymisation, and
warnings when a write-up seems to identify the people supported."""

from __future__ import annotations

import json
import re
from datetime import date

from sqlalchemy import update
from sqlmodel import Session, select

from kb import mail
from kb.errors import DomainError
from kb.forms.accounts import ConsentInput, MessageInput
from kb.models import (
    ActionReport,
    ActionRevision,
    ApiToken,
    Attendance,
    Cahier,
    ConsentRecord,
    DebateTheme,
    DebateVote,
    Enrolment,
    FieldAction,
    Practitioner,
    Tool,
    ToolFile,
    UserAccount,
    Workshop,
    WorkshopTrainer,
    choices,
)
from kb.models.base import utcnow
from kb.policy import Viewer, can_message
from kb.services import ratelimit
from kb.services.accounts import confirm_password

# Every repetition is bounded: unbounded ones made "a.a.a.…" take quadratic time (48 s for 200 kB).
_NAME = r"[A-ZÀÂÉÈÊÎÏÔÛÇ][a-zà-öø-ÿ]{1,30}(?:-[A-ZÀÂÉÈÊÎÏÔÛÇ][a-zà-öø-ÿ]{1,30})?"
_NOT_NAMES = {"Depuis", "Pendant", "Après", "Avant", "Environ", "Enfants", "Jeunes", "Adultes", "Moins", "Plus",
              "Entre", "Dès", "Vers", "Ils", "Elles", "Tous", "Toutes", "Certains", "Certaines", "Soit"}
PATTERNS = (
    ("une civilité suivie d'un nom", re.compile(rf"\b(?:M\.|Mme|Mlle|Monsieur|Madame|Mademoiselle)\s+{_NAME}")),
    ("un prénom suivi d'un âge", re.compile(rf"\b({_NAME})\s*(?:,\s*|\(\s*)\d{{1,3}}\s*ans\b")),
    ("une adresse précise", re.compile(
        r"\b\d{1,4}\s*(?:bis|ter)?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|impasse|allée|place|cours|traverse"
        r"|quai|route|résidence|bâtiment|bât\.)\s+[\w'’ -]{2,40}", re.IGNORECASE)),
    ("un numéro de téléphone", re.compile(r"\b0[1-9](?:[ .-]?\d{2}){4}\b")),
    ("une adresse électronique", re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,63}\b")),
)


def identification_warnings(*texts: str) -> list[str]:
    """Passages that may identify a person supported (« Mme X », « Karim, 17 ans », « 12 rue … »)."""
    found: list[str] = []
    for text in texts:
        for label, pattern in PATTERNS:
            for match in pattern.finditer(text or ""):
                if label == "un prénom suivi d'un âge" and match.group(1) in _NOT_NAMES:
                    continue
                item = f"« {match.group(0).strip()} » ({label})"
                if item not in found:
                    found.append(item)
    return found[:10]


TEXT_FIELDS = ("title", "summary", "writeup", "effects", "barriers", "levers")


def action_warnings(action: FieldAction) -> list[str]:
    """The identifying passages of an action's texts (what its author confirmed past, if anything)."""
    return identification_warnings(action.title, action.summary, action.writeup,
                                    *(text for e in action.effects for text in (e.description, e.indicator, e.observer)),
                                    *(b.description for b in action.barriers), *(lv.description for lv in action.levers))


def revision_warnings(revision: ActionRevision) -> list[str]:
    """The identifying passages a proposed change brings (in the texts it changes)."""
    return identification_warnings(*(str(c.get("after") or "") for c in revision.changes
                                     if c.get("field") in TEXT_FIELDS))


def set_consent(session: Session, practitioner: Practitioner, data: ConsentInput, actor: Viewer) -> None:
    """Record a consent given or withdrawn, with its date and scope (a choice confirmed unchanged is not new)."""
    if (practitioner.consent_listed, practitioner.consent_contact) == (data.listed, data.contact):
        return
    practitioner.consent_listed, practitioner.consent_contact = data.listed, data.contact
    practitioner.consent_date = date.today()
    session.add(practitioner)
    session.add(ConsentRecord(practitioner_id=practitioner.id, listed=data.listed, contact=data.contact,
                              recorded_by_id=actor.user_id))
    session.flush()


def consent_history(session: Session, practitioner: Practitioner) -> list[ConsentRecord]:
    """Consents recorded for a practitioner, newest first."""
    return list(session.exec(select(ConsentRecord).where(ConsentRecord.practitioner_id == practitioner.id)
                             .order_by(ConsentRecord.created_at.desc(), ConsentRecord.id.desc())))


def send_message(session: Session, practitioner: Practitioner, data: MessageInput, sender: UserAccount,
                 actor: Viewer) -> None:
    """Relay a message to a practitioner who agreed to be contacted; her address stays hidden."""
    if not can_message(actor, practitioner):
        raise DomainError("Cette personne ne souhaite pas être contactée par l'observatoire.")
    ratelimit.take(session, "message", f"u:{sender.id}", field="body")
    mail.queue(session, mail.Mail(
        to=practitioner.email, reply_to=sender.email,
        subject=f"[Observatoire ISIC] {data.subject}",
        body=f"{sender.display_name} vous écrit par l'Observatoire des pratiques de l'ISIC :\n\n{data.body}\n\n"
             "— Répondez à ce message pour lui écrire directement. Votre adresse ne lui a pas été communiquée ; "
             "vous pouvez retirer votre accord à être contacté·e depuis votre compte.\n"))


def export_account(session: Session, account: UserAccount) -> dict:
    """Everything the observatory holds about the account's person, as JSON-ready data."""
    person = session.get(Practitioner, account.practitioner_id) if account.practitioner_id else None
    actions = session.exec(select(FieldAction).where(FieldAction.author_id == account.id)).all()
    revisions = session.exec(select(ActionRevision).where(ActionRevision.author_id == account.id)).all()
    reports = session.exec(select(ActionReport).where(ActionReport.reporter_key == f"u:{account.id}")).all()
    return {
        "compte": {"email": account.email, "nom_affiche": account.display_name,
                   "role": choices.ROLES.get(account.role, account.role),
                   "cree_le": account.created_at.isoformat(),
                   "valide_le": account.approved_at.isoformat() if account.approved_at else None,
                   "derniere_connexion": account.last_login_at.isoformat() if account.last_login_at else None},
        "fiche_intervenant": None if person is None else {
            "prenom": person.first_name, "nom": person.last_name, "fonction": person.function,
            "categorie": person.actor_category, "experience_isic": person.isic_experience,
            "savoirs": person.skills_knowledge, "savoir_faire": person.skills_know_how,
            "savoir_etre": person.skills_interpersonal, "email": person.email, "telephone": person.phone,
            "organisations": [o.name for o in person.organisations],
            "actions": [{"id": link.action_id, "titre": link.action.title, "role": link.role}
                        for link in person.action_links],
            "consentements": [{"annuaire": c.listed, "contact": c.contact, "date": c.created_at.isoformat()}
                              for c in consent_history(session, person)]},
        "actions_redigees": [{"id": a.id, "titre": a.title, "publication": a.publication_status} for a in actions],
        "outils_proposes": [{"id": t.id, "titre": t.title, "publication": t.publication_status,
                             "fichiers": [{"nom": f.filename, "version": f.version} for f in t.files]}
                            for t in session.exec(select(Tool).where(Tool.proposed_by_id == account.id))],
        "versions_d_outils_deposees": [{"outil": f.tool_id, "nom": f.filename, "version": f.version,
                                        "date": f.created_at.isoformat()}
                                       for f in session.exec(select(ToolFile).where(
                                           ToolFile.uploaded_by_id == account.id))],
        "versions": [{"action": r.action_id, "type": r.kind, "statut": r.status, "date": r.created_at.isoformat(),
                      "champs": [c["label"] for c in r.changes]} for r in revisions],
        "signalements": [{"action": r.action_id, "motif": r.reason, "commentaire": r.comment,
                          "date": r.created_at.isoformat()} for r in reports],
        "votes_journee_debat": [{"theme": session.get(DebateTheme, v.theme_id).title}
                                for v in session.exec(select(DebateVote).where(DebateVote.account_id == account.id))],
        "ateliers_animes": [w.name for w in session.exec(select(Workshop).join(
            WorkshopTrainer, WorkshopTrainer.workshop_id == Workshop.id).where(WorkshopTrainer.account_id == account.id))],
        "ateliers_suivis": [] if person is None else [
            {"atelier": session.get(Workshop, e.workshop_id).name, "experience": e.experience,
             "presences": [a.session_id for a in session.exec(select(Attendance).where(
                 Attendance.practitioner_id == person.id, Attendance.present.is_(True)))]}
            for e in session.exec(select(Enrolment).where(Enrolment.practitioner_id == person.id))],
        # Their names and dates; the tokens themselves are not kept (only their hash) and never exported.
        "jetons_api": [{"nom": t.name, "debut": t.prefix, "cree_le": t.created_at.isoformat(),
                        "revoque_le": t.revoked_at.isoformat() if t.revoked_at else None}
                       for t in session.exec(select(ApiToken).where(ApiToken.account_id == account.id)
                                             .order_by(ApiToken.id))],
    }


def _scrub_history(session: Session, name: str, replacement: str) -> None:
    """Replace a name in the version history (its texts were written when the person was named)."""
    for revision in session.exec(select(ActionRevision)):
        if name not in json.dumps([revision.changes, revision.base], ensure_ascii=False):
            continue
        revision.changes = [{k: v.replace(name, replacement) if isinstance(v, str) else v for k, v in c.items()}
                            for c in revision.changes]
        revision.base = {k: v.replace(name, replacement) if isinstance(v, str) else v
                         for k, v in revision.base.items()}
        session.add(revision)


def _without_name(value, name: str, replacement: str):
    """A snapshot's data with a name taken out of its lists of names and replaced in its texts."""
    if isinstance(value, dict):
        return {k: _without_name(v, name, replacement) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_name(v, name, replacement) for v in value if v != name]
    return value.replace(name, replacement) if isinstance(value, str) else value


def _scrub_cahiers(session: Session, name: str, replacement: str) -> None:
    """Take a name out of the published cahiers: frozen as they are, they no longer name who withdrew (their
    PDF follows, its cache being keyed by the content)."""
    for cahier in session.exec(select(Cahier).where(Cahier.status == "publie")):
        if name in json.dumps(cahier.snapshot, ensure_ascii=False):
            cahier.snapshot = _without_name(cahier.snapshot, name, replacement)
            session.add(cahier)


def anonymise_practitioner(session: Session, practitioner: Practitioner) -> None:
    """Remove a practitioner's identity and contact details; her part in actions stays, unnamed."""
    if practitioner.full_name.strip():
        _scrub_history(session, practitioner.full_name, "Intervenant·e anonymisé·e")
        _scrub_cahiers(session, practitioner.full_name, "Intervenant·e anonymisé·e")
    practitioner.first_name, practitioner.last_name = "Intervenant·e", f"anonymisé·e n° {practitioner.id}"
    practitioner.email = practitioner.phone = ""
    practitioner.skills_knowledge = practitioner.skills_know_how = practitioner.skills_interpersonal = ""
    practitioner.consent_listed = practitioner.consent_contact = False
    practitioner.consent_date, practitioner.anonymised_at = None, utcnow()
    practitioner.source = practitioner.external_id = None  # an import can no longer find her again
    practitioner.organisations = []
    for record in consent_history(session, practitioner):
        session.delete(record)
    session.exec(update(UserAccount).where(UserAccount.practitioner_id == practitioner.id)
                 .values(practitioner_id=None))
    session.add(practitioner)
    session.flush()


def delete_account(session: Session, account: UserAccount, password: str, anonymise_profile: bool) -> None:
    """Erase an account after checking the password; its actions stay, attributed to an anonymous author."""
    confirm_password(session, account, password)
    erase_account(session, account, anonymise_profile)


def erase_account(session: Session, account: UserAccount, anonymise_profile: bool = False) -> None:
    """Delete an account (by its owner, or by an admin); its actions stay, attributed to an anonymous author."""
    admins = session.exec(select(UserAccount).where(UserAccount.role == "admin", UserAccount.id != account.id)).all()
    if account.role == "admin" and not admins:
        raise DomainError("C'est le dernier compte administrateur : nommez d'abord un·e autre administrateur·rice.")
    person = session.get(Practitioner, account.practitioner_id) if account.practitioner_id else None
    session.exec(update(FieldAction).where(FieldAction.author_id == account.id).values(author_id=None))
    session.exec(update(ActionRevision).where(ActionRevision.author_id == account.id).values(author_id=None))
    session.exec(update(ActionRevision).where(ActionRevision.reviewer_id == account.id).values(reviewer_id=None))
    session.exec(update(ConsentRecord).where(ConsentRecord.recorded_by_id == account.id).values(recorded_by_id=None))
    session.exec(update(ActionReport).where(ActionReport.reporter_key == f"u:{account.id}")
                 .values(reporter_key="supprime"))
    # Her tools and their files stay published, no longer attributed.
    session.exec(update(Tool).where(Tool.proposed_by_id == account.id).values(proposed_by_id=None))
    session.exec(update(ToolFile).where(ToolFile.uploaded_by_id == account.id).values(uploaded_by_id=None))
    session.delete(account)
    session.flush()
    if anonymise_profile and person is not None:
        anonymise_practitioner(session, person)
