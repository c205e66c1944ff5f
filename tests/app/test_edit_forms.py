"""Every edit form, opened and saved unchanged, succeeds and changes nothing: no row, no version in the history.

The form is read from the rendered page the way a browser submits it (selected options, checked boxes,
textareas with CRLF line breaks), so a value the page shows differently from how it is stored shows up.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlmodel import SQLModel, select
from werkzeug.datastructures import MultiDict

from kb.db import get_engine, new_session
from kb.demo.accounts import DEMO_ACCOUNTS
from kb.models import (
    Cahier,
    DebateDay,
    FieldAction,
    Organisation,
    Practitioner,
    Presentation,
    Seminar,
    Tag,
    Tool,
    UserAccount,
    Workshop,
    WorkshopSession,
)
from kb.models.action import ActionTag
from tests.app.html_forms import main_form
from tests.conftest import login

PASSWORDS = {role: password for _email, _name, role, password, approved in DEMO_ACCOUNTS if approved}
EMAILS = {role: email for email, _name, role, _password, approved in DEMO_ACCOUNTS if approved}
# Who saves the form: a trainer edits every record; the consent page belongs to a linked professional.
EDIT_FORMS = {
    "actions.edit": ("/actions/{action}/modifier", "formateur"),
    "organisations.edit": ("/organisations/{organisation}/modifier", "formateur"),
    "practitioners.edit": ("/intervenants/{practitioner}/modifier", "formateur"),
    "workshops.edit": ("/ateliers/{workshop}/modifier", "formateur"),
    "workshops.edit_session": ("/ateliers/seances/{session}/modifier", "formateur"),
    "workshops.synthesis": ("/ateliers/seances/{session}/presentations/{presentation}/synthese", "formateur"),
    "workshops.attendance": ("/ateliers/seances/{session}/presences", "formateur"),
    "workshops.tags": ("/ateliers/actions/{tagged_action}/etiquettes", "formateur"),
    "agenda.edit_debate": ("/journees/{debate}/modifier", "formateur"),
    "agenda.attendees": ("/journees/{debate}/participants", "formateur"),
    "agenda.edit_seminar": ("/seminaire/{seminar}/modifier", "formateur"),
    "admin.account": ("/admin/comptes/{account}", "admin"),
    "accounts.consent": ("/compte/consentement", "professionnel"),
    "vocabulary.edit": ("/vocabulaire/publics/{term}/modifier", "formateur"),
    "tools.edit": ("/outils/{tool}/modifier", "formateur"),
    "cahiers.edit": ("/cahiers/{draft_cahier}/modifier", "formateur"),
}
# Columns a save may touch without changing anything a person sees, and the bookkeeping that follows every
# flush of a record (kb/indexing: which records to index again; the content revision, which kept pages follow).
IGNORED_COLUMNS = {"updated_at", "last_login_at"}
IGNORED_TABLE_PREFIXES = ("index_", "content_revision")


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, without bookkeeping columns.

    A surrogate id nothing points to (an effect's, a lever's) is left out: rewriting such a row with the
    same content changes nothing anyone can see or link to.
    """
    tables = [t for t in SQLModel.metadata.sorted_tables if not t.name.startswith(IGNORED_TABLE_PREFIXES)]
    referenced = {fk.column.table.name for table in tables for fk in table.foreign_keys}
    rows = {}
    with get_engine(app).connect() as connection:
        for table in tables:
            columns = [c for c in table.columns if c.name not in IGNORED_COLUMNS
                       and not (c.name == "id" and table.name not in referenced)]
            rows[table.name] = sorted(tuple(map(repr, row)) for row in connection.execute(select(*columns)))
    return rows


def differences(before: dict, after: dict) -> dict[str, list]:
    """Per table, the rows that went and came (only the differing cells when one row changed)."""
    found = {}
    for name in before:
        gone = [r for r in before[name] if r not in after[name]]
        came = [r for r in after[name] if r not in before[name]]
        if len(gone) == len(came) == 1:
            found[name] = [(i, was, now) for i, (was, now) in enumerate(zip(gone[0], came[0], strict=True))
                           if was != now]
        elif gone or came:
            found[name] = [("gone", gone[:3]), ("came", came[:3])]
    return found


def _richest(session, model, *relations):
    """The record with the most related rows (so the form shows every kind of field filled)."""
    return max(session.exec(select(model)).all(), key=lambda obj: (sum(len(getattr(obj, r)) for r in relations),
                                                                    -obj.id))


@pytest.fixture
def ids(demo_app) -> dict[str, int]:
    """A well-filled record of each kind in the demo data."""
    with demo_app.app_context(), new_session(demo_app) as session:
        action = _richest(session, FieldAction, "practitioner_links", "partners", "tools", "tags", "effects",
                          "barriers", "levers")
        tagged = session.exec(select(ActionTag.action_id).join(Tag, Tag.id == ActionTag.tag_id)
                              .where(Tag.kind == "atelier")).first()
        presentation = session.exec(select(Presentation).where(Presentation.learnt != "")).first()
        meeting = _richest(session, WorkshopSession, "attendance", "presentations")
        student = session.exec(select(UserAccount).where(UserAccount.email == EMAILS["etudiant"])).one()
        return {
            "action": action.id, "tagged_action": tagged or action.id,
            "organisation": _richest(session, Organisation, "practitioners", "partner_of").id,
            "practitioner": _richest(session, Practitioner, "organisations", "action_links").id,
            "workshop": _richest(session, Workshop, "trainers", "enrolments", "sessions").id,
            "session": (presentation.session_id if presentation else meeting.id),
            "presentation": presentation.id if presentation else 0,
            "debate": _richest(session, DebateDay, "attendees", "themes").id,
            "seminar": session.exec(select(Seminar.id).order_by(Seminar.id)).first(),
            "account": student.id,
            "term": "jeunes-de-16-a-25-ans",  # with a definition and synonyms
            "tool": _richest(session, Tool, "actions", "files").id,
            "draft_cahier": session.exec(select(Cahier.id).where(Cahier.status == "brouillon")).first(),
        }


def test_every_edit_route_has_an_unchanged_save_test(demo_app):
    edits = {rule.endpoint for rule in demo_app.url_map.iter_rules()
             if "POST" in rule.methods and ("edit" in rule.endpoint or "modifier" in rule.rule)}
    assert edits and edits <= set(EDIT_FORMS)


@pytest.mark.parametrize("endpoint", sorted(EDIT_FORMS))
def test_saving_an_edit_form_unchanged_succeeds_and_changes_nothing(demo_app, demo_client, ids, endpoint):
    template, role = EDIT_FORMS[endpoint]
    url = template.format(**ids)
    login(demo_client, SimpleNamespace(email=EMAILS[role]), PASSWORDS[role])
    page = demo_client.get(url)
    assert page.status_code == 200, url
    form = main_form(page.get_data(as_text=True), url)
    assert len(form.names) > 1, "the form shows no value to save"
    before = snapshot(demo_app)
    response = demo_client.post(form.action, data=MultiDict(form.pairs()))
    assert response.status_code == 302, _errors(response)
    diff = differences(before, snapshot(demo_app))
    assert diff == {}, "\n".join(f"{k}: {v}" for k, v in diff.items())


def test_an_action_saved_unchanged_adds_no_version_to_its_history(demo_app, demo_client, ids):
    login(demo_client, SimpleNamespace(email=EMAILS["formateur"]), PASSWORDS["formateur"])
    url, history = f"/actions/{ids['action']}/modifier", f"/actions/{ids['action']}/historique"
    versions = demo_client.get(history).get_data(as_text=True).count("<li>")
    form = main_form(demo_client.get(url).get_data(as_text=True), url)
    assert demo_client.post(url, data=MultiDict(form.pairs())).status_code == 302
    assert demo_client.get(history).get_data(as_text=True).count("<li>") == versions
    form = MultiDict(form.pairs())
    form["title"] = form["title"] + " (modifié)"
    assert demo_client.post(url, data=form).status_code == 302
    page = demo_client.get(history).get_data(as_text=True)
    assert page.count("<li>") == versions + 1 and "Champs modifiés : Titre</p>" in page  # CRLF is no change


def _errors(response) -> str:
    html = response.get_data(as_text=True)
    shown = re.findall(r'class="field-error"[^>]*>([^<]+)', html) + re.findall(r"<p>([^<]+)</p>\s*</div>", html)[:1]
    return f"{response.status_code}: " + " | ".join(shown)


def test_an_author_saving_her_published_action_unchanged_is_told_nothing_changed(demo_app, demo_client):
    with demo_app.app_context():
        session = new_session()
        author = session.exec(select(UserAccount).where(UserAccount.email == EMAILS["professionnel"])).one()
        action_id = session.exec(select(FieldAction.id).where(FieldAction.author_id == author.id,
                                                              FieldAction.publication_status == "publiee")).first()
        session.close()
    assert action_id, "the demo professional has a published action"
    login(demo_client, SimpleNamespace(email=EMAILS["professionnel"]), PASSWORDS["professionnel"])
    url = f"/actions/{action_id}/modifier"
    form = main_form(demo_client.get(url).get_data(as_text=True), url)
    before = snapshot(demo_app)
    response = demo_client.post(url, data=MultiDict(form.pairs()), follow_redirects=True)
    assert response.status_code == 200, _errors(response)
    assert "Aucune modification à enregistrer" in response.get_data(as_text=True)
    assert differences(before, snapshot(demo_app)) == {}  # no pending version, no message to the moderators
