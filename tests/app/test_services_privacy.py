"""People's data: consent, the contact relay, "Mes données", erasure and anonymisation, and the warnings
about write-ups that may identify the people supported."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from kb.errors import DomainError
from kb.forms.accounts import ConsentInput, MessageInput
from kb.models import (
    ActionReport,
    ActionRevision,
    Attendance,
    ConsentRecord,
    DebateDay,
    DebateTheme,
    DebateVote,
    Enrolment,
    FieldAction,
    Practitioner,
    UserAccount,
    Workshop,
    WorkshopSession,
)
from kb.policy import Viewer
from kb.services import privacy as services
from kb.services.ratelimit import RateLimited
from tests.factories import PASSWORD

PRO = Viewer(role="professionnel", user_id=None)


# Warnings about identifying details


def test_each_identifying_detail_is_quoted_once_with_its_kind():
    assert services.identification_warnings("Mme Benali est venue.", "Karim, 17 ans, et Mme Benali.") == [
        "« Mme Benali » (une civilité suivie d'un nom)", "« Karim, 17 ans » (un prénom suivi d'un âge)"]
    assert services.identification_warnings("Écrire à karim.b@exemple.fr ou au 06 12 34 56 78.") == [
        "« 06 12 34 56 78 » (un numéro de téléphone)", "« karim.b@exemple.fr » (une adresse électronique)"]


def test_ages_after_ordinary_words_are_not_names():
    assert services.identification_warnings("Depuis, 3 ans de travail. Enfants (6 ans) et Jeunes, 16 ans.") == []
    assert services.identification_warnings("Depuis, 3 ans ; Karim, 17 ans.") == [
        "« Karim, 17 ans » (un prénom suivi d'un âge)"]


def test_at_most_ten_warnings_are_shown():
    text = " ".join(f"Mme Nom{chr(97 + n)}a." for n in range(12))
    warnings = services.identification_warnings(text, None)
    assert len(warnings) == 10 and warnings[0] == "« Mme Nomaa » (une civilité suivie d'un nom)"


# Consent


def test_a_consent_given_or_withdrawn_is_dated_and_recorded(session, make):
    trainer = make.user("formateur")
    person = make.practitioner(consent_listed=False, consent_contact=False, consent_date=date(2020, 1, 1))
    actor = Viewer(role="formateur", user_id=trainer.id)
    services.set_consent(session, person, ConsentInput(listed=True, contact=True), actor)
    services.set_consent(session, person, ConsentInput(listed=True, contact=True), actor)  # confirmed, unchanged
    services.set_consent(session, person, ConsentInput(listed=True, contact=False), actor)
    session.expire_all()
    saved = session.get(Practitioner, person.id)
    assert (saved.consent_listed, saved.consent_contact, saved.consent_date) == (True, False, date.today())
    history = services.consent_history(session, saved)
    assert [(c.listed, c.contact, c.recorded_by_id) for c in history] == [(True, False, trainer.id),
                                                                          (True, True, trainer.id)]


def test_the_consent_history_is_newest_first(session, make):
    person = make.practitioner()
    other = make.practitioner()
    for listed in (True, False, True):
        session.add(ConsentRecord(practitioner_id=person.id, listed=listed, contact=False))
    session.add(ConsentRecord(practitioner_id=other.id, listed=True, contact=True))
    session.flush()
    records = session.exec(select(ConsentRecord).where(ConsentRecord.practitioner_id == person.id)
                           .order_by(ConsentRecord.id)).all()
    records[0].created_at += timedelta(days=1)
    records[1].created_at = records[2].created_at  # recorded in the same instant: the later one first
    session.flush()
    assert [r.id for r in services.consent_history(session, person)] == [records[0].id, records[2].id, records[1].id]


# The contact relay


def test_a_message_is_relayed_without_revealing_her_address(session, make):
    person = make.practitioner(email="nadia@example.org")
    sender = make.user("professionnel", email="paul@exemple.fr", name="Paul Pro")
    services.send_message(session, person, MessageInput(subject="Votre atelier", body="Bonjour, pourrions-nous échanger ?"),
                          sender, Viewer(role="professionnel", user_id=sender.id))
    [mail] = session.info["mails"]
    assert (mail.to, mail.reply_to, mail.subject) == ("nadia@example.org", "paul@exemple.fr",
                                                      "[Observatoire ISIC] Votre atelier")
    assert mail.body == (
        "Paul Pro vous écrit par l'Observatoire des pratiques de l'ISIC :\n\nBonjour, pourrions-nous échanger ?\n\n"
        "— Répondez à ce message pour lui écrire directement. Votre adresse ne lui a pas été communiquée ; "
        "vous pouvez retirer votre accord à être contacté·e depuis votre compte.\n")


def test_no_message_to_someone_who_did_not_agree(session, make):
    sender = make.user("professionnel")
    with pytest.raises(DomainError) as refused:
        services.send_message(session, make.practitioner(consent_contact=False),
                              MessageInput(subject="Bonjour", body="Un message de vingt caractères."), sender, PRO)
    assert refused.value.message == "Cette personne ne souhaite pas être contactée par l'observatoire."
    assert session.info.get("mails", []) == []


def test_five_messages_a_day_per_sender(session, make):
    person = make.practitioner()
    sender, other = make.user("professionnel"), make.user("professionnel")
    message = MessageInput(subject="Bonjour", body="Un message de vingt caractères.")
    for _ in range(5):
        services.send_message(session, person, message, sender, PRO)
    with pytest.raises(RateLimited) as limited:
        services.send_message(session, person, message, sender, PRO)
    assert limited.value.field == "body"
    services.send_message(session, person, message, other, PRO)
    assert len(session.info["mails"]) == 6


# "Mes données"


def test_the_export_holds_everything_about_the_account_and_its_person(session, make):
    org = make.organisation(name="Centre social Les Tamaris")
    person = make.practitioner([org], first_name="Agathe", last_name="Roux", function="es",
                               actor_category="chef_service", isic_experience="debutant", skills_knowledge="DSL",
                               skills_know_how="Animer", skills_interpersonal="Écouter", email="agathe@example.org",
                               phone="04 90 00 00 01")
    account = make.user("professionnel", practitioner=person, email="agathe@exemple.fr", name="Agathe R.")
    action = make.action(title="Jardin partagé", author_id=account.id, people=[(person, "referent")],
                         publication_status="brouillon")
    make.action(title="D'un autre")
    session.add(ConsentRecord(practitioner_id=person.id, listed=True, contact=True))
    session.add(ActionRevision(action_id=action.id, author_id=account.id, kind="creation", status="appliquee",
                               changes=[{"field": "title", "label": "Titre", "before": "", "after": "Jardin"}]))
    session.add(ActionReport(action_id=action.id, reason="erronee", comment="Date fausse", reporter_key=f"u:{account.id}"))
    session.add(ActionReport(action_id=action.id, reason="doublon", reporter_key="ip:autre"))
    workshop = Workshop(name="Groupe ISIC Arles", year=2026, enrolments=[Enrolment(practitioner_id=person.id)],
                        trainers=[account])
    session.add(workshop)
    session.flush()
    held, missed = (WorkshopSession(workshop_id=workshop.id, day=date(2026, 2, day), half_day="am") for day in (13, 20))
    session.add_all([held, missed])
    session.flush()
    classmate = make.practitioner()
    session.add_all([Attendance(session_id=held.id, practitioner_id=person.id, present=True),
                     Attendance(session_id=missed.id, practitioner_id=person.id, present=False),
                     Attendance(session_id=missed.id, practitioner_id=classmate.id, present=True)])
    debate = DebateDay(title="Journée", day=date(2026, 11, 27))
    session.add(debate)
    session.flush()
    theme = DebateTheme(debate_day_id=debate.id, title="La posture", questions="Q ?")
    session.add(theme)
    session.flush()
    session.add(DebateVote(theme_id=theme.id, account_id=account.id))
    account.last_login_at = account.created_at
    session.flush()
    data = services.export_account(session, account)
    assert data["compte"] == {"email": "agathe@exemple.fr", "nom_affiche": "Agathe R.", "role": "Professionnel·le",
                              "cree_le": account.created_at.isoformat(), "valide_le": account.approved_at.isoformat(),
                              "derniere_connexion": account.created_at.isoformat()}
    sheet = data["fiche_intervenant"]
    consents = sheet.pop("consentements")
    assert sheet == {"prenom": "Agathe", "nom": "Roux", "fonction": "es", "categorie": "chef_service",
                     "experience_isic": "debutant", "savoirs": "DSL", "savoir_faire": "Animer", "savoir_etre": "Écouter",
                     "email": "agathe@example.org", "telephone": "04 90 00 00 01",
                     "organisations": ["Centre social Les Tamaris"],
                     "actions": [{"id": action.id, "titre": "Jardin partagé", "role": "referent"}]}
    assert [(c["annuaire"], c["contact"]) for c in consents] == [(True, True)] and consents[0]["date"]
    assert data["actions_redigees"] == [{"id": action.id, "titre": "Jardin partagé", "publication": "brouillon"}]
    [version] = data["versions"]
    assert {k: v for k, v in version.items() if k != "date"} == {"action": action.id, "type": "creation",
                                                                 "statut": "appliquee", "champs": ["Titre"]}
    [report] = data["signalements"]
    assert {k: v for k, v in report.items() if k != "date"} == {"action": action.id, "motif": "erronee",
                                                                "commentaire": "Date fausse"}
    assert data["votes_journee_debat"] == [{"theme": "La posture"}]
    assert data["ateliers_animes"] == ["Groupe ISIC Arles"]
    assert data["ateliers_suivis"] == [{"atelier": "Groupe ISIC Arles", "experience": "debutant",
                                        "presences": [held.id]}]


def test_the_export_of_an_account_without_a_profile(session, make):
    account = make.user("etudiant", approved=False)
    account.role = "ancien_role"
    data = services.export_account(session, account)
    assert (data["compte"]["role"], data["compte"]["valide_le"], data["compte"]["derniere_connexion"]) == (
        "ancien_role", None, None)
    assert (data["fiche_intervenant"], data["ateliers_suivis"], data["actions_redigees"]) == (None, [], [])


# Anonymisation and erasure


def test_anonymising_removes_identity_contact_consent_and_links_but_keeps_her_part_in_actions(session, make):
    org = make.organisation()
    person = make.practitioner([org], first_name="Hélène", last_name="Identifiable", skills_knowledge="a",
                               skills_know_how="b", skills_interpersonal="c")
    account = make.user("professionnel", practitioner=person)
    action = make.action(people=[(person, "porteur")])
    session.add(ConsentRecord(practitioner_id=person.id, listed=True, contact=True))
    other = make.practitioner()
    session.add(ConsentRecord(practitioner_id=other.id, listed=True, contact=True))
    session.add(ActionRevision(action_id=action.id, kind="creation", status="appliquee",
                               changes=[{"field": "title", "label": "Titre", "before": "", "after": "Jardin"}]))
    session.flush()
    session.add(ActionRevision(action_id=action.id, kind="modification", status="appliquee",
                               changes=[{"field": "people", "label": "Intervenant·es", "before": "",
                                         "after": "Hélène Identifiable (Porteur·euse)", "rank": 1}],
                               base={"people": "Hélène Identifiable (Porteur·euse)", "title": "Jardin", "year": 2012}))
    session.flush()
    services.anonymise_practitioner(session, person)
    session.expire_all()
    saved = session.get(Practitioner, person.id)
    assert (saved.first_name, saved.last_name) == ("Intervenant·e", f"anonymisé·e n° {person.id}")
    assert (saved.email, saved.phone, saved.skills_knowledge, saved.skills_know_how, saved.skills_interpersonal) == (
        "", "", "", "", "")
    assert (saved.consent_listed, saved.consent_contact, saved.consent_date) == (False, False, None)
    assert saved.anonymised_at is not None and saved.organisations == []
    assert services.consent_history(session, saved) == [] and len(services.consent_history(session, other)) == 1
    assert session.get(UserAccount, account.id).practitioner_id is None
    assert [link.practitioner_id for link in session.get(FieldAction, action.id).practitioner_links] == [person.id]
    unnamed, named = session.exec(select(ActionRevision).order_by(ActionRevision.id)).all()
    assert unnamed.changes[0]["after"] == "Jardin"
    assert named.changes[0] == {"field": "people", "label": "Intervenant·es", "before": "",
                                "after": "Intervenant·e anonymisé·e (Porteur·euse)", "rank": 1}
    assert named.base == {"people": "Intervenant·e anonymisé·e (Porteur·euse)", "title": "Jardin", "year": 2012}


def test_an_account_is_erased_after_its_password_and_leaves_its_records_anonymous(session, make):
    person = make.practitioner(last_name="Identifiable")
    account = make.user("professionnel", practitioner=person)
    make.user("admin")
    action = make.action(author_id=account.id)
    revision = ActionRevision(action_id=action.id, author_id=account.id, reviewer_id=account.id, kind="creation",
                              status="appliquee")
    consent = ConsentRecord(practitioner_id=person.id, listed=True, contact=True, recorded_by_id=account.id)
    report = ActionReport(action_id=action.id, reason="erronee", reporter_key=f"u:{account.id}")
    other_report = ActionReport(action_id=action.id, reason="erronee", reporter_key="ip:1")
    session.add_all([revision, consent, report, other_report])
    someone = make.user("professionnel")
    theirs = make.action(author_id=someone.id)
    their_revision = ActionRevision(action_id=theirs.id, author_id=someone.id, reviewer_id=someone.id,
                                    kind="creation", status="appliquee")
    their_consent = ConsentRecord(practitioner_id=person.id, listed=False, contact=False, recorded_by_id=someone.id)
    session.add_all([their_revision, their_consent])
    session.flush()
    with pytest.raises(DomainError):
        services.delete_account(session, account, "mauvais", anonymise_profile=True)
    services.delete_account(session, account, PASSWORD, anonymise_profile=False)
    session.expire_all()
    assert session.get(UserAccount, account.id) is None
    assert session.get(FieldAction, action.id).author_id is None
    saved = session.get(ActionRevision, revision.id)
    assert (saved.author_id, saved.reviewer_id) == (None, None)
    assert session.get(ConsentRecord, consent.id).recorded_by_id is None
    assert (session.get(ActionReport, report.id).reporter_key, session.get(ActionReport, other_report.id).reporter_key) \
        == ("supprime", "ip:1")
    assert session.get(Practitioner, person.id).last_name == "Identifiable"  # the profile was kept
    assert session.get(FieldAction, theirs.id).author_id == someone.id  # nobody else's records change
    assert (session.get(ActionRevision, their_revision.id).author_id,
            session.get(ActionRevision, their_revision.id).reviewer_id) == (someone.id, someone.id)
    assert session.get(ConsentRecord, their_consent.id).recorded_by_id == someone.id


def test_an_admin_erasing_an_account_keeps_its_profile_unless_asked(session, make):
    person = make.practitioner(last_name="Identifiable")
    services.erase_account(session, make.user("etudiant", practitioner=person))
    assert session.get(Practitioner, person.id).last_name == "Identifiable"


def test_an_account_erased_with_its_profile_anonymises_the_profile(session, make):
    person = make.practitioner(last_name="Identifiable")
    account = make.user("etudiant", practitioner=person)
    services.erase_account(session, account, anonymise_profile=True)
    session.expire_all()
    assert session.get(Practitioner, person.id).last_name == f"anonymisé·e n° {person.id}"


def test_the_last_admin_cannot_be_erased(session, make):
    admin = make.user("admin")
    with pytest.raises(DomainError) as refused:
        services.erase_account(session, admin)
    assert refused.value.message == ("C'est le dernier compte administrateur : nommez d'abord un·e autre "
                                     "administrateur·rice.")
    make.user("admin")
    services.erase_account(session, admin)
    assert session.get(UserAccount, admin.id) is None
