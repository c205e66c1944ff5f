"""The role matrix: every route of the app, the answer each role gets.

A new route fails `test_every_route_has_a_decision` until someone writes down who may use it.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from kb.forms.actions import action_form_values, form_pairs, parse_action_form
from kb.models import (
    ActionReport,
    Cahier,
    CahierSection,
    DebateDay,
    DebateTheme,
    Enrolment,
    FieldAction,
    Invoice,
    Organisation,
    Presentation,
    Registration,
    Seminar,
    SeminarDay,
    ToolFile,
    Trainee,
    Workshop,
    WorkshopSession,
)
from kb.services import accounts as account_services
from kb.services import cahiers as cahier_services
from kb.services import moderation
from kb.storage import get_storage
from tests.conftest import csrf_token, login

ROLES = ("anonyme", "etudiant", "professionnel", "formateur", "admin")
EVERYONE = dict.fromkeys(ROLES, 200)
SIGNED_IN = {"anonyme": 302, "etudiant": 200, "professionnel": 200, "formateur": 200, "admin": 200}
CONTRIBUTORS = {"anonyme": 302, "etudiant": 403, "professionnel": 200, "formateur": 200, "admin": 200}
MODERATORS = {"anonyme": 302, "etudiant": 403, "professionnel": 403, "formateur": 200, "admin": 200}
ADMINS = {"anonyme": 302, "etudiant": 403, "professionnel": 403, "formateur": 403, "admin": 200}
AUTHOR = CONTRIBUTORS  # the professional of the matrix wrote the actions it uses

# endpoint -> (URL template, expected answer per role); {ids} come from the `world` fixture.
EXPECTED = {
    "main.home": ("/", EVERYONE),
    "main.about": ("/a-propos", EVERYONE),
    "main.privacy": ("/confidentialite", EVERYONE),
    "actions.index": ("/actions/", EVERYONE),
    "actions.export": ("/actions/export.csv", EVERYONE),
    "organisations.export": ("/organisations/export.geojson", EVERYONE),
    "practitioners.export": ("/intervenants/export.json", SIGNED_IN),
    "actions.detail": ("/actions/{published}", EVERYONE),
    "actions.create": ("/actions/nouvelle", CONTRIBUTORS),
    "actions.edit": ("/actions/{published}/modifier", AUTHOR),
    "actions.delete": ("/actions/{published}/supprimer", MODERATORS),  # published: authors may not delete
    "actions.history": ("/actions/{published}/historique", AUTHOR),
    "actions.report": ("/actions/{published}/signaler", EVERYONE),
    "api.actions": ("/api/actions", dict.fromkeys(ROLES, 308)),  # former routes: to /api/v1
    "api.action": ("/api/actions/{published}", dict.fromkeys(ROLES, 308)),
    "api.organisations": ("/api/organisations", dict.fromkeys(ROLES, 308)),
    "api.practitioners": ("/api/practitioners", dict.fromkeys(ROLES, 308)),
    "api_v1.actions": ("/api/v1/actions", EVERYONE),
    "api_v1.action": ("/api/v1/actions/{published}", EVERYONE),
    "api_v1.organisations": ("/api/v1/organisations", EVERYONE),
    "api_v1.organisation": ("/api/v1/organisations/{org}", EVERYONE),
    "api_v1.practitioners": ("/api/v1/practitioners", {**SIGNED_IN, "anonyme": 401}),
    "api_v1.practitioner": ("/api/v1/practitioners/{peer}", {**SIGNED_IN, "anonyme": 401}),
    "api_v1.search": ("/api/v1/search?q=cuisine", EVERYONE),
    "api_v1.openapi_document": ("/api/v1/openapi.json", EVERYONE),
    "api_v1.docs": ("/api/v1/docs", EVERYONE),
    # Writing (POST, PUT) shares its URL with reading: a GET reads. Writes need a token (tests/app/test_api_write.py).
    "api_v1.create_action": ("/api/v1/actions", EVERYONE),
    "api_v1.replace_action": ("/api/v1/actions/{published}", EVERYONE),
    "accounts.tokens": ("/compte/jetons", CONTRIBUTORS),
    "imports.upload": ("/admin/import/", ADMINS),
    "imports.trial": ("/admin/import/essai", {**dict.fromkeys(ROLES, 405)}),
    "imports.run": ("/admin/import/importer", {**dict.fromkeys(ROLES, 405)}),
    "accounts.revoke_token": ("/compte/jetons/1/revoquer", dict.fromkeys(ROLES, 405)),
    "search.search_api": ("/api/search?q=cuisine", EVERYONE),
    "search.search_page": ("/recherche?q=cuisine", EVERYONE),
    "geo.communes": ("/api/communes?q=arl", EVERYONE),
    "geo.nearest_commune": ("/api/communes/proche?lat=43.68&lon=4.63", EVERYONE),
    "geo.map_page": ("/carte", EVERYONE),
    "geo.map_points": ("/carte/points?bbox=43,4,44,6&z=8", EVERYONE),
    "geo.popup": ("/carte/fiche/a{published}", EVERYONE),
    "geo.peers": ("/pairs?commune=Arles", EVERYONE),
    "practitioners.index": ("/intervenants/", SIGNED_IN),
    "practitioners.detail": ("/intervenants/{peer}", SIGNED_IN),
    "practitioners.create": ("/intervenants/nouveau", MODERATORS),
    "practitioners.edit": ("/intervenants/{peer}/modifier", MODERATORS),
    "practitioners.delete": ("/intervenants/{peer}/supprimer", MODERATORS),
    "practitioners.contact": ("/intervenants/{peer}/contacter", CONTRIBUTORS),
    "practitioners.anonymise": ("/intervenants/{peer}/anonymiser", ADMINS),
    "organisations.index": ("/organisations/", EVERYONE),
    "organisations.detail": ("/organisations/{org}", EVERYONE),
    "organisations.create": ("/organisations/nouvelle", CONTRIBUTORS),
    "organisations.edit": ("/organisations/{org}/modifier", MODERATORS),
    "organisations.delete": ("/organisations/{org}/supprimer", MODERATORS),
    "tools.index": ("/outils/", EVERYONE),
    "tools.detail": ("/outils/{tool}", EVERYONE),
    "tools.create": ("/outils/nouveau", CONTRIBUTORS),
    "tools.edit": ("/outils/{tool}/modifier", MODERATORS),  # published: who proposed it asks the team
    "tools.add_version": ("/outils/{tool}/versions", dict.fromkeys(ROLES, 405)),  # POST only
    "tools.submit": ("/outils/{tool}/soumettre", dict.fromkeys(ROLES, 405)),
    "tools.download": ("/outils/{tool}/fichiers/{tool_file}", EVERYONE),
    "tools.decide": ("/outils/moderation/{tool}", MODERATORS),
    "tools.decide_version": ("/outils/moderation/versions/{tool_file}", dict.fromkeys(ROLES, 405)),
    "cahiers.index": ("/cahiers/", EVERYONE),
    "cahiers.detail": ("/cahiers/{cahier}", EVERYONE),
    "cahiers.pdf": ("/cahiers/{cahier}/cahier.pdf", EVERYONE),
    "cahiers.feed": ("/cahiers/flux.atom", EVERYONE),
    "cahiers.create": ("/cahiers/nouveau", MODERATORS),
    "cahiers.take_figure": ("/cahiers/reprendre?figure=actions-par-territoire", MODERATORS),
    "cahiers.edit": ("/cahiers/{draft_cahier}/modifier", MODERATORS),
    "cahiers.compose": ("/cahiers/{draft_cahier}/composer", MODERATORS),
    "cahiers.publish": ("/cahiers/{draft_cahier}/publier", MODERATORS),
    "cahiers.delete": ("/cahiers/{draft_cahier}/supprimer", MODERATORS),
    "cahiers.section": ("/cahiers/{draft_cahier}/sections/{cahier_section}", dict.fromkeys(ROLES, 405)),
    "actions.cahiers_consent": ("/actions/{published}/accord-cahiers", dict.fromkeys(ROLES, 405)),
    "territories.index": ("/territoires/", EVERYONE),
    "territories.detail": ("/territoires/arles", EVERYONE),
    "accounts.signup": ("/compte/inscription", EVERYONE),
    "accounts.signup_sent": ("/compte/inscription/envoyee", EVERYONE),
    "accounts.confirm_signup": ("/compte/inscription/confirmer/faux-jeton", dict.fromkeys(ROLES, 400)),
    "accounts.login": ("/compte/connexion", EVERYONE),
    "accounts.logout": ("/compte/deconnexion", dict.fromkeys(ROLES, 405)),  # POST only
    "accounts.forgot": ("/compte/mot-de-passe-oublie", EVERYONE),
    "accounts.reset": ("/compte/reinitialiser/faux-jeton", dict.fromkeys(ROLES, 400)),
    "accounts.home": ("/compte/", SIGNED_IN),
    "accounts.change_password": ("/compte/mot-de-passe", SIGNED_IN),
    "accounts.my_data": ("/compte/mes-donnees", SIGNED_IN),
    "accounts.export": ("/compte/mes-donnees.json", SIGNED_IN),
    "accounts.delete": ("/compte/supprimer", SIGNED_IN),
    # Only a person whose account is linked to her practitioner profile has a consent page.
    "accounts.consent": ("/compte/consentement", {**ADMINS, "professionnel": 200, "admin": 403}),
    "admin.accounts": ("/admin/comptes", ADMINS),
    "admin.account": ("/admin/comptes/{student_account}", ADMINS),
    "admin.delete_account": ("/admin/comptes/{student_account}/supprimer", ADMINS),
    "moderation.queue": ("/moderation/", MODERATORS),
    "moderation.submission": ("/moderation/actions/{submitted}", MODERATORS),
    "moderation.revision": ("/moderation/versions/{revision}", MODERATORS),
    "moderation.reported": ("/moderation/signalements/{published}", MODERATORS),
    "static": ("/static/css/app.css", EVERYONE),
    "healthz": ("/healthz", EVERYONE),
    "metrics": ("/metrics", EVERYONE),  # by the machine's address (the test client's), whoever signs in
    "workshops.index": ("/ateliers/", EVERYONE),
    "workshops.detail": ("/ateliers/{workshop}", EVERYONE),
    "workshops.create": ("/ateliers/nouveau", MODERATORS),
    "workshops.edit": ("/ateliers/{workshop}/modifier", MODERATORS),
    "workshops.delete": ("/ateliers/{workshop}/supprimer", MODERATORS),
    "workshops.workshop_feed": ("/ateliers/{workshop}.ics", EVERYONE),
    "workshops.create_session": ("/ateliers/{workshop}/seances/nouvelle", MODERATORS),
    "workshops.session_page": ("/ateliers/seances/{session}", EVERYONE),
    "workshops.edit_session": ("/ateliers/seances/{session}/modifier", MODERATORS),
    "workshops.delete_session": ("/ateliers/seances/{session}/supprimer", MODERATORS),
    "workshops.prepare": ("/ateliers/seances/{session}/preparer", MODERATORS),
    "workshops.reorder": ("/ateliers/seances/{session}/presentations/{presentation}/monter",
                          dict.fromkeys(ROLES, 405)),  # POST only
    "workshops.synthesis": ("/ateliers/seances/{session}/presentations/{presentation}/synthese", MODERATORS),
    "workshops.attendance": ("/ateliers/seances/{session}/presences", MODERATORS),
    "workshops.programme": ("/ateliers/seances/{session}/programme", EVERYONE),
    "workshops.join": ("/ateliers/{workshop}/rejoindre", dict.fromkeys(ROLES, 405)),  # POST only
    "workshops.decide_request": ("/ateliers/demandes/1", dict.fromkeys(ROLES, 405)),  # POST only
    "workshops.sign_in_sheet": ("/ateliers/seances/{session}/emargement", MODERATORS),  # names of the enrolled
    "workshops.tags": ("/ateliers/actions/{published}/etiquettes", MODERATORS),
    "agenda.agenda": ("/agenda", EVERYONE),
    "agenda.register": ("/journees/{debate}/inscription", dict.fromkeys(ROLES, 405)),  # POST only
    "observatory.dashboard": ("/observatoire/", EVERYONE),
    "observatory.barriers": ("/observatoire/freins", EVERYONE),
    "observatory.levers": ("/observatoire/leviers", EVERYONE),
    "observatory.effects": ("/observatoire/effets", EVERYONE),
    "observatory.comparison": ("/observatoire/comparaison", EVERYONE),
    "observatory.table_csv": ("/observatoire/donnees/freins-par-acteur.csv", EVERYONE),
    "vocabulary.index": ("/vocabulaire/", EVERYONE),
    "vocabulary.term": ("/vocabulaire/publics/{term}", EVERYONE),
    "vocabulary.suggest": ("/api/vocabulaire/publics?q=fam", EVERYONE),
    "vocabulary.create": ("/vocabulaire/publics/nouveau", MODERATORS),
    "vocabulary.edit": ("/vocabulaire/publics/{term}/modifier", MODERATORS),
    "vocabulary.merge": ("/vocabulaire/publics/{term}/fusionner", MODERATORS),
    "vocabulary.delete": ("/vocabulaire/publics/{term}/supprimer", MODERATORS),
    "vocabulary.validate": ("/vocabulaire/publics/{term}/valider", dict.fromkeys(ROLES, 405)),  # POST only
    "agenda.feed": ("/agenda.ics", EVERYONE),
    "agenda.debates": ("/journees/", EVERYONE),
    "agenda.debate": ("/journees/{debate}", EVERYONE),
    "agenda.create_debate": ("/journees/nouvelle", MODERATORS),
    "agenda.edit_debate": ("/journees/{debate}/modifier", MODERATORS),
    "agenda.themes": ("/journees/{debate}/themes", MODERATORS),
    "agenda.attendees": ("/journees/{debate}/participants", MODERATORS),
    "agenda.delete_theme": ("/journees/themes/{theme}/supprimer", dict.fromkeys(ROLES, 405)),  # POST only
    "agenda.vote": ("/journees/themes/{theme}/vote", dict.fromkeys(ROLES, 405)),  # POST only
    "agenda.seminars": ("/seminaire/", EVERYONE),
    "agenda.seminar": ("/seminaire/{seminar}", EVERYONE),
    "agenda.create_seminar": ("/seminaire/nouveau", MODERATORS),
    "agenda.edit_seminar": ("/seminaire/{seminar}/modifier", MODERATORS),
    "seminars.bulletin": ("/seminaire/{seminar}/bulletin", EVERYONE),
    # The employer's private link works without an account, for anyone holding it.
    "seminars.mine": ("/inscription/{token}", EVERYONE),
    "seminars.mine_document": ("/inscription/{token}/bulletin.pdf", EVERYONE),
    "seminars.mine_invoice": ("/inscription/{token}/facture/F-2026-0001.pdf", EVERYONE),
    "seminars.mine_add": ("/inscription/{token}/stagiaires", dict.fromkeys(ROLES, 405)),  # POST only
    "seminars.mine_remove": ("/inscription/{token}/stagiaires/{trainee}/retirer", dict.fromkeys(ROLES, 405)),
    "seminars.mine_cancel": ("/inscription/{token}/annuler", dict.fromkeys(ROLES, 405)),
    "seminars.team_list": ("/seminaire/{seminar}/inscriptions", MODERATORS),
    "seminars.team_csv": ("/seminaire/{seminar}/inscriptions.csv", MODERATORS),
    "seminars.attendance": ("/seminaire/{seminar}/presences", MODERATORS),
    "seminars.sign_in_sheet": ("/seminaire/{seminar}/emargement/2026-04-10/matin.pdf", MODERATORS),
    "seminars.registration": ("/seminaire/inscriptions/{registration}", MODERATORS),
    "seminars.team_document": ("/seminaire/inscriptions/{registration}/convocations.pdf", MODERATORS),
    "seminars.team_invoice": ("/seminaire/inscriptions/{registration}/facture/F-2026-0001.pdf", MODERATORS),
    "seminars.set_status": ("/seminaire/inscriptions/{registration}/statut", dict.fromkeys(ROLES, 405)),
    "seminars.paperwork": ("/seminaire/inscriptions/{registration}/suivi", dict.fromkeys(ROLES, 405)),
    "seminars.team_add": ("/seminaire/inscriptions/{registration}/stagiaires", dict.fromkeys(ROLES, 405)),
    "seminars.renew_link": ("/seminaire/inscriptions/{registration}/lien", dict.fromkeys(ROLES, 405)),
    "seminars.team_remove": ("/seminaire/inscriptions/{registration}/stagiaires/{trainee}/annuler",
                             dict.fromkeys(ROLES, 405)),
}

# Drafts and submissions: only their author and moderators open them.
PRIVATE_PAGES = {
    "/actions/{draft}": {"anonyme": 404, "etudiant": 404, "professionnel": 200, "formateur": 200, "admin": 200},
    "/actions/{submitted}": {"anonyme": 404, "etudiant": 404, "professionnel": 200, "formateur": 200, "admin": 200},
    "/api/v1/actions/{draft}": dict.fromkeys(ROLES, 404),
    "/carte/fiche/a{draft}": dict.fromkeys(ROLES, 404),
    # A cahier in preparation is seen by its editors only (its preview and its PDF).
    "/cahiers/{draft_cahier}": {"anonyme": 404, "etudiant": 404, "professionnel": 404, "formateur": 200, "admin": 200},
    "/cahiers/{draft_cahier}/cahier.pdf": {"anonyme": 404, "etudiant": 404, "professionnel": 404, "formateur": 200,
                                           "admin": 200},
}


@pytest.fixture
def world(app, session, make):
    """One record of each kind, and an account per role; the professional wrote the actions."""
    me = make.practitioner(first_name="Inès", last_name="Porteuse")
    peer = make.practitioner(first_name="Paul", last_name="Pair", email="paul@example.org")
    accounts = {role: make.user(role) for role in ROLES[1:]}
    accounts["professionnel"].practitioner_id = me.id
    pro = accounts["professionnel"].id
    published = make.action(title="Atelier cuisine partagée", people=[(me, "porteur")], author_id=pro,
                            publics=["Familles"])
    draft = make.action(title="Projet en brouillon", publication_status="brouillon", author_id=pro)
    submitted = make.action(title="Action soumise", publication_status="en_attente", author_id=pro)
    org, tool = make.organisation(), make.tool(actions=[published])
    form = action_form_values(published)
    form["summary"] = "Un nouveau résumé proposé par l'autrice de l'action."
    moderation.edit(session, published, parse_action_form(form).data, form_pairs(form),
                    account_services.viewer_of(accounts["professionnel"]), queue_url="")
    revision = moderation.pending_revision(session, published)
    session.add(ActionReport(action_id=published.id, reason="erronee", reporter_key="test"))
    workshop = Workshop(name="Groupe ISIC Arles", year=2026, enrolments=[Enrolment(practitioner_id=peer.id)])
    session.add(workshop)
    session.flush()
    meeting = WorkshopSession(workshop_id=workshop.id, day=date(2026, 2, 13), half_day="am")
    session.add(meeting)
    session.flush()
    presentation = Presentation(session_id=meeting.id, action_id=published.id, presenters=[me],
                                questions="Quelle posture adopter ?")
    debate = DebateDay(title="Journée débat", day=date(2026, 11, 27))
    session.add_all([presentation, debate])
    session.flush()
    theme = DebateTheme(debate_day_id=debate.id, title="La posture", questions="Quelle posture adopter ?")
    seminar = Seminar(title="Séminaire", year=2026, days=[SeminarDay(option=1, day=date(2026, 4, 10))])
    session.add_all([theme, seminar])
    session.flush()
    registration = Registration(seminar_id=seminar.id, option=1, reference="INS-2026-0001", status="confirmee",
                                organisation_name="Centre social", email="cs@exemple.fr", signer_name="Dominique",
                                signed_on=date(2026, 3, 1), unit_price_eur=250, token_nonce="abcdef0123456789",
                                trainees=[Trainee(last_name="Durand", first_name="Léa", state="place")])
    session.add(registration)
    tool_file = ToolFile(tool_id=tool.id, version=1, filename="grille.txt", kind="txt", mimetype="text/plain",
                         size=6, sha256="0" * 64, storage_key=get_storage(app).save(session, b"grille"))
    session.add(tool_file)
    session.flush()
    session.add(Invoice(registration_id=registration.id, kind="facture", year=2026, number=1,
                        issued_on=date(2026, 3, 2), quantity=1, unit_price_eur=250, amount_eur=250,
                        lines='["DURAND Léa"]'))
    published_cahier = Cahier(number=1, title="Cahier publié", issue_date=date(2012, 12, 14), status="publie",
                              identifier="2012-001X")
    draft_cahier = Cahier(number=2, title="Cahier en préparation", issue_date=date(2026, 12, 1))
    session.add_all([published_cahier, draft_cahier])
    session.flush()
    published_cahier.snapshot = cahier_services.compose(session, published_cahier)
    cahier_section = CahierSection(cahier_id=draft_cahier.id, position=1, kind="action", ref_id=published.id)
    session.add(cahier_section)
    session.commit()
    from kb.views.seminars import token_for

    with app.test_request_context():
        token = token_for(registration)
    ids = {"published": published.id, "draft": draft.id, "submitted": submitted.id, "peer": peer.id, "org": org.id,
           "tool": tool.id, "revision": revision.id, "student_account": accounts["etudiant"].id,
           "workshop": workshop.id, "session": meeting.id, "presentation": presentation.id, "debate": debate.id,
           "theme": theme.id, "seminar": seminar.id, "term": "familles", "registration": registration.id,
           "trainee": registration.trainees[0].id, "token": token,
           "tool_file": tool_file.id, "cahier": published_cahier.id, "draft_cahier": draft_cahier.id,
           "cahier_section": cahier_section.id}
    return ids, accounts


def _client_for(app, role, accounts):
    client = app.test_client()
    if role != "anonyme":
        login(client, accounts[role])
    return client


def test_every_route_has_a_decision(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(EXPECTED) == set(), "new route: add the answer of each role to EXPECTED"
    assert set(EXPECTED) - endpoints == set(), "EXPECTED names a route that no longer exists"


def test_each_role_gets_the_expected_answer_on_every_route(app, world):
    ids, accounts = world
    wrong = {}
    for role in ROLES:
        client = _client_for(app, role, accounts)
        pages = {url: expected for url, expected in EXPECTED.values()} | PRIVATE_PAGES
        for url, expected in pages.items():
            with client.get(url.format(**ids)) as response:
                status = response.status_code
            if status != expected[role]:
                wrong[(role, url)] = (status, expected[role])
    assert wrong == {}


def test_roles_that_may_not_post_change_nothing(app, session, world):
    ids, accounts = world
    count_actions = select(func.count()).select_from(FieldAction)
    count_orgs = select(func.count()).select_from(Organisation)
    before = (session.exec(count_actions).one(), session.exec(count_orgs).one())
    forms = {
        "/actions/nouvelle": CONTRIBUTORS, "/organisations/nouvelle": CONTRIBUTORS,
        "/actions/{published}/supprimer": MODERATORS, "/organisations/{org}/supprimer": MODERATORS,
        "/intervenants/{peer}/anonymiser": ADMINS, "/moderation/actions/{submitted}": MODERATORS,
        "/admin/comptes/{student_account}": ADMINS, "/admin/comptes/{student_account}/supprimer": ADMINS,
        "/ateliers/seances/{session}/presentations/{presentation}/retirer": MODERATORS,
        "/ateliers/actions/{published}/etiquettes": MODERATORS, "/ateliers/{workshop}/supprimer": MODERATORS,
        "/journees/themes/{theme}/supprimer": MODERATORS,
        "/journees/themes/{theme}/vote": {**SIGNED_IN},
        "/seminaire/inscriptions/{registration}/statut": MODERATORS,
        "/seminaire/inscriptions/{registration}/stagiaires/{trainee}/annuler": MODERATORS,
        "/seminaire/{seminar}/presences": MODERATORS,
        "/seminaire/inscriptions/{registration}/lien": MODERATORS,
        "/outils/moderation/{tool}": MODERATORS, "/outils/{tool}/versions": MODERATORS,
        "/outils/moderation/versions/{tool_file}": MODERATORS,
        "/cahiers/nouveau": MODERATORS, "/cahiers/{draft_cahier}/modifier": MODERATORS,
        "/cahiers/{draft_cahier}/composer": MODERATORS, "/cahiers/{draft_cahier}/publier": MODERATORS,
        "/cahiers/{draft_cahier}/supprimer": MODERATORS,
        "/cahiers/{draft_cahier}/sections/{cahier_section}": MODERATORS,
        "/actions/{published}/accord-cahiers": AUTHOR,
        "/admin/import/": ADMINS, "/admin/import/essai": ADMINS, "/admin/import/importer": ADMINS,
    }
    wrong = {}
    for role in ("anonyme", "etudiant", "professionnel"):
        client = _client_for(app, role, accounts)
        token = csrf_token(client, "/compte/connexion")  # a valid token: only the role is refused
        for url, expected in forms.items():
            if expected[role] == 200:
                continue
            status = client.post(url.format(**ids), data={"csrf_token": token, "title": "Intrusion",
                                                           "decision": "publier", "role": "admin"}).status_code
            if status != expected[role]:
                wrong[(role, url)] = (status, expected[role])
    assert wrong == {}
    session.expire_all()
    assert (session.exec(count_actions).one(), session.exec(count_orgs).one()) == before
    assert session.get(FieldAction, ids["submitted"]).publication_status == "en_attente"
    assert accounts["etudiant"].role == "etudiant"
    assert session.get(Presentation, ids["presentation"]) is not None and session.get(Workshop, ids["workshop"])
    assert session.get(DebateTheme, ids["theme"]) is not None
    assert session.get(Registration, ids["registration"]).status == "confirmee"
    assert session.get(Trainee, ids["trainee"]).state == "place"
    assert session.get(Registration, ids["registration"]).token_nonce == "abcdef0123456789"
    assert session.exec(select(func.count()).select_from(ToolFile)).one() == 1
    assert session.exec(select(func.count()).select_from(Cahier)).one() == 2
    draft_cahier = session.get(Cahier, ids["draft_cahier"])
    assert (draft_cahier.status, draft_cahier.number, len(draft_cahier.sections)) == ("brouillon", 2, 1)
    assert session.get(FieldAction, ids["published"]).cahiers_consent_at is None
