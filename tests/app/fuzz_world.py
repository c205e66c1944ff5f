"""The fuzz's world: one app for a test module, a record of each kind, and a client signed in per role."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import session as flask_session
from flask_login import login_user
from flask_wtf.csrf import generate_csrf
from sqlmodel import select

from kb.auth import SignedIn
from kb.db import new_session
from kb.forms.actions import action_form_values, form_pairs, parse_action_form
from kb.models import (
    ActionReport,
    ActionRevision,
    Cahier,
    CahierSection,
    DebateDay,
    DebateTheme,
    Enrolment,
    FieldAction,
    Organisation,
    Practitioner,
    Presentation,
    Seminar,
    SeminarDay,
    Tool,
    UserAccount,
    Workshop,
    WorkshopSession,
)
from kb.services import accounts as account_services
from kb.services import cahiers as cahier_services
from kb.services import moderation
from tests.app.html_forms import Field
from tests.factories import Factories

ROLES = ("anonyme", "etudiant", "professionnel", "formateur", "admin")
# URL arguments that name a record, and its model.
ID_MODELS = {"action_id": FieldAction, "org_id": Organisation, "person_id": Practitioner, "workshop_id": Workshop,
             "session_id": WorkshopSession, "presentation_id": Presentation, "debate_id": DebateDay,
             "theme_id": DebateTheme, "seminar_id": Seminar, "account_id": UserAccount,
             "revision_id": ActionRevision, "tool_id": Tool, "cahier_id": Cahier, "section_id": CahierSection}


class World:
    """The shared app, its accounts, one signed-in test client per role and the forms each one sees."""

    def __init__(self, app, accounts: dict[str, int], reset_token: str):
        self.app, self.accounts, self.reset_token = app, accounts, reset_token
        self.clients = {role: app.test_client() for role in ROLES}
        self.forms: dict[str, tuple[list[str], list[Field]]] = {}  # path -> what page_forms read

    def sign(self, role: str) -> str:
        """Reset the role's client to a clean session (signed in as the role), return a valid CSRF token."""
        client = self.clients[role]
        client.delete_cookie("remember_token", domain="localhost")
        with self.app.test_request_context(environ_base=client.environ_base):
            if role != "anonyme":
                with new_session(self.app) as session:
                    login_user(SignedIn(session.get(UserAccount, self.accounts[role])))
            token = generate_csrf()
            data = dict(flask_session)
        with client.session_transaction() as kept:
            kept.clear()
            kept.update(data)
        return token

    def ids(self, arg: str) -> list[int]:
        """Ids of the records an URL argument names, as they are now (the fuzz accounts left out)."""
        model = ID_MODELS[arg]
        with new_session(self.app) as session:
            found = list(session.exec(select(model.id).order_by(model.id)))
        return [i for i in found if not (model is UserAccount and i in self.accounts.values())]

    def pairs(self) -> list[tuple[int, int]]:
        """(session id, presentation id) of the presentations that exist."""
        with new_session(self.app) as session:
            return list(session.exec(select(Presentation.session_id, Presentation.id)))


def build(app) -> tuple[dict[str, int], str]:
    """A small world: people, organisations, actions in every state, workshops, debate days, seminars.

    Returns the ids of the accounts of each role, and a valid password-reset link token of another account.
    """
    with app.app_context(), new_session(app) as session:
        make = Factories(session)
        people = [make.practitioner(first_name=name) for name in ("Inès", "Paul", "Zoé")]
        # Names typed by users who meant no harm: every page showing them must show them as they are.
        orgs = [make.organisation(name="Centre {{ 7*7 }} {% if %} {#", latitude=43.6766, longitude=4.6278),
                make.organisation()]
        accounts = {role: make.user(role) for role in ROLES[1:]}
        accounts["professionnel"].practitioner_id = people[0].id
        student = make.user("etudiant")  # the admin pages' own targets, and the reset link's account
        make.user("professionnel", approved=False)
        pro = accounts["professionnel"].id
        published = [make.action(title=f"Atelier {n}", people=[(people[0], "porteur")], author_id=pro,
                                 themes=["Cuisine"], publics=["Familles"]) for n in ("{{ 7*7 }}", "jardin {#")]
        published[0].partners, published[0].tools = orgs, [make.tool()]
        make.action(title="Projet en brouillon", publication_status="brouillon", author_id=pro)
        make.action(title="Action soumise", publication_status="en_attente", author_id=pro)
        form = action_form_values(published[0])
        form["summary"] = "Un nouveau résumé proposé par l'autrice de l'action."
        moderation.edit(session, published[0], parse_action_form(form).data, form_pairs(form),
                        account_services.viewer_of(accounts["professionnel"]), queue_url="")
        session.add(ActionReport(action_id=published[1].id, reason="erronee", reporter_key="fuzz"))
        workshop = Workshop(name="Groupe ISIC Arles", year=2026, trainers=[accounts["formateur"]],
                            enrolments=[Enrolment(practitioner_id=p.id) for p in people])
        session.add(workshop)
        session.flush()
        meetings = [WorkshopSession(workshop_id=workshop.id, day=date(2026, 2, 13), half_day=h) for h in ("am", "pm")]
        session.add_all(meetings)
        session.flush()
        for action in published:
            session.add(Presentation(session_id=meetings[0].id, action_id=action.id, presenters=[people[0]],
                                     learnt="Le temps long compte.", questions="Quelle posture adopter ?\nQui décide ?"))
        debate = DebateDay(title="Journée débat", day=date(2026, 11, 27), attendees=people[:2])
        session.add(debate)
        session.flush()
        session.add(DebateTheme(debate_day_id=debate.id, title="La posture", questions="Quelle posture adopter ?"))
        session.add(Seminar(title="Séminaire", year=2026, days=[SeminarDay(option=o, day=date(2026, 3 * o, n))
                                                                 for o in (1, 2) for n in (10, 17, 24)]))
        # A cahier in preparation (with a section of each kind) and a published one; titles typed without harm.
        draft = Cahier(number=2, title="Cahier {{ 7*7 }} en préparation", issue_date=date(2026, 12, 1),
                       editorial="Éditorial {% raw %} <script>alert(1)</script>")
        published_cahier = Cahier(number=1, title="Cahier publié {#", issue_date=date(2012, 12, 14), status="publie",
                                  identifier="2012-001X")
        session.add_all([draft, published_cahier])
        session.flush()
        published[0].cahiers_consent_at = datetime(2012, 6, 1, tzinfo=UTC)
        session.add_all([CahierSection(cahier_id=draft.id, position=1, kind="action", ref_id=published[0].id),
                         CahierSection(cahier_id=draft.id, position=2, kind="seance", ref_id=meetings[0].id),
                         CahierSection(cahier_id=draft.id, position=3, kind="chiffres", figure="freins-par-acteur",
                                       filters={"year_from": "2010"})])
        session.flush()
        published_cahier.snapshot = cahier_services.compose(session, draft)
        session.commit()
        token = account_services.reset_token(student, app.config["SECRET_KEY"])
        return {role: account.id for role, account in accounts.items()}, token
