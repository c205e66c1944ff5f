"""Demo accounts, one per role, with passwords documented in the README (demo mode only)."""

from __future__ import annotations

from sqlmodel import Session
from werkzeug.datastructures import MultiDict

from kb.forms.actions import action_form_values, form_pairs, parse_action_form
from kb.models import ActionReport, FieldAction, Practitioner
from kb.services import accounts, moderation
from kb.services.accounts import DEMO_DOMAIN

# (e-mail, display name, role, password, approved)
DEMO_ACCOUNTS = (
    (f"admin@{DEMO_DOMAIN}", "Équipe de l'observatoire", "admin", "demo-admin-2012", True),
    (f"formatrice@{DEMO_DOMAIN}", "Claire Formatrice (démo)", "formateur", "demo-formatrice-2012", True),
    (f"professionnelle@{DEMO_DOMAIN}", "Professionnelle (démo)", "professionnel", "demo-pro-2012", True),
    (f"etudiant@{DEMO_DOMAIN}", "Étudiant (démo)", "etudiant", "demo-etudiant-2012", True),
    (f"en-attente@{DEMO_DOMAIN}", "Professionnel à valider (démo)", "professionnel", "demo-attente-2012", False),
)


def add_demo_accounts(session: Session, actions: list[FieldAction], people: list[Practitioner]) -> int:
    """Create the demo accounts; the professional is linked to a listed practitioner and authors her actions.

    Her first published action gets a pending edit and another action an open report, so the
    moderation queue has something in each section.
    """
    made = {}
    for email, name, role, password, approved in DEMO_ACCOUNTS:
        account = accounts.create_account(session, email, name, password, role)
        if not approved:
            account.approved_at = None
        made[role if approved else "pending"] = account
    pro = made["professionnel"]
    person = next(p for p in people if p.consent_listed and p.consent_contact and p.email and p.action_links)
    pro.practitioner_id, pro.display_name = person.id, person.full_name
    mine = [link.action for link in person.action_links if link.role == "porteur"] or \
        [link.action for link in person.action_links]
    for action in mine:
        action.author_id = pro.id
    session.flush()
    published = [a for a in mine if a.publication_status == "publiee"]
    if published:
        action = published[0]
        form = MultiDict(action_form_values(action))
        form["summary"] = action.summary + " Depuis la rentrée, un second groupe s'est constitué le jeudi soir."
        result = parse_action_form(form)
        if result.ok:
            moderation.edit(session, action, result.data, form_pairs(form), accounts.viewer_of(pro), queue_url="")
    reported = next((a for a in actions if a.publication_status == "publiee" and a not in mine), None)
    if reported is not None:
        session.add(ActionReport(action_id=reported.id, reason="erronee", reporter_key="demo",
                                 comment="Le lieu de rendez-vous a changé depuis l'été."))
    session.flush()
    session.info.pop("mails", None)  # nobody to notify about invented data
    return len(made)
