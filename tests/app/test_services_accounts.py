"""Accounts: sign-up and approval, signing in with its limits, password reset links, admin changes."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from itsdangerous import URLSafeTimedSerializer
from sqlmodel import select

from kb.errors import DomainError
from kb.forms.accounts import AccountAdminInput, SignupInput
from kb.models import RateEvent, UserAccount
from kb.models.base import utcnow
from kb.policy import Viewer
from kb.services import accounts as services
from kb.services.ratelimit import RateLimited
from tests.factories import PASSWORD

SECRET = "tests-only-secret"
ADMIN_URL = "http://localhost/admin/comptes"


def mails(session) -> list[tuple[str, str]]:
    return [(m.to, m.subject) for m in session.info.get("mails", [])]


def events(session) -> list[tuple[str, str]]:
    return sorted((e.bucket, e.key) for e in session.exec(select(RateEvent)))


def signup(email: str = "nadia@exemple.fr", role: str = "etudiant", name: str = "Nadia Martin") -> SignupInput:
    return SignupInput(email=email, display_name=name, role=role, password="un mot de passe solide",
                       password_confirm="un mot de passe solide")


# Passwords


def test_a_password_is_checked_against_its_hash(make):
    account = make.user()
    assert services.check_password(account, PASSWORD) is True
    assert services.check_password(account, "autre chose") is False
    account.password_hash = "pas un hash argon2"
    assert services.check_password(account, PASSWORD) is False


def test_a_hash_made_with_older_parameters_is_renewed_on_sign_in(make):
    account = make.user()
    account.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    old = account.password_hash
    assert services.check_password(account, PASSWORD) is True
    assert account.password_hash != old and not services.HASHER.check_needs_rehash(account.password_hash)
    assert services.check_password(account, PASSWORD) is True


def test_a_new_password_replaces_the_old_one(session, make):
    account = make.user()
    services.set_password(session, account, "nouveau mot de passe")
    session.expire_all()
    saved = session.get(UserAccount, account.id)
    assert services.check_password(saved, "nouveau mot de passe") and not services.check_password(saved, PASSWORD)


# Who an account is


@pytest.mark.parametrize(("role", "approved", "acts_as", "waits"), [
    ("professionnel", False, "etudiant", True),
    ("professionnel", True, "professionnel", False),
    ("formateur", False, "etudiant", True),
    ("etudiant", False, "etudiant", False),
    ("admin", True, "admin", False),
])
def test_an_account_acts_with_its_approved_role(make, role, approved, acts_as, waits):
    person = make.practitioner()
    account = make.user(role, approved=approved, practitioner=person)
    assert services.viewer_of(account) == Viewer(role=acts_as, user_id=account.id, practitioner_id=person.id)
    assert services.needs_approval(account) is waits


def test_an_account_is_found_by_its_address_whatever_the_case(session, make):
    account = make.user(email="nadia.martin@exemple.fr")
    assert services.by_email(session, "  Nadia.Martin@EXEMPLE.fr ") is account
    assert services.by_email(session, "nadia@exemple.fr") is None


# Sign-up


LINKS = services.SignupLinks(confirm=lambda token: f"http://localhost/compte/inscription/confirmer/{token}",
                             login="http://localhost/compte/connexion",
                             forgot="http://localhost/compte/mot-de-passe-oublie")
DAY = 24 * 3600


def sign_up(session, data: SignupInput, ip_key: str = "ip:1") -> str | None:
    """Ask for an account; returns the token of the confirmation link mailed, if one was."""
    services.request_signup(session, data, ip_key, LINKS, DAY)
    found = re.search(r"/confirmer/(\S+)", session.info["mails"][-1].body)
    return found.group(1) if found else None


def test_a_student_confirms_her_address_and_is_approved_at_once(session, make):
    make.user("admin")
    token = sign_up(session, signup())
    assert mails(session) == [("nadia@exemple.fr", "Confirmez la création de votre compte")]
    assert "un mot de passe solide" not in session.info["mails"][0].body and "valable 24 heures" in session.info["mails"][0].body
    assert services.by_email(session, "nadia@exemple.fr") is None  # nothing is created before the link is opened
    account = services.confirm_signup(session, token, DAY, ADMIN_URL)
    assert (account.email, account.display_name, account.role) == ("nadia@exemple.fr", "Nadia Martin", "etudiant")
    assert account.approved_at is not None and services.check_password(account, "un mot de passe solide")
    assert len(mails(session)) == 1 and events(session) == [("signup-ip", "ip:1")]
    with pytest.raises(DomainError, match="a déjà servi"):
        services.confirm_signup(session, token, DAY, ADMIN_URL)  # a link used twice


@pytest.mark.parametrize(("role", "label"), [("professionnel", "Professionnel·le"), ("formateur", "Formateur·rice")])
def test_a_professional_or_trainer_waits_and_every_admin_is_told(session, make, role, label):
    first, second = make.user("admin", email="admin1@exemple.fr"), make.user("admin", email="admin2@exemple.fr")
    make.user("formateur", email="formatrice@exemple.fr")
    account = services.confirm_signup(session, sign_up(session, signup(role=role)), DAY, ADMIN_URL)
    assert account.approved_at is None and account.role == role
    assert mails(session)[1:] == [(first.email, "Compte à valider sur l'Observatoire ISIC"),
                                  (second.email, "Compte à valider sur l'Observatoire ISIC")]
    assert session.info["mails"][1].body == (f"Nadia Martin a demandé un compte « {label} ».\n"
                                             f"Validez-le ou refusez-le ici : {ADMIN_URL}\n")
    assert [a.email for a in services.admins(session)] == [first.email, second.email]


def test_a_taken_address_gets_a_reminder_by_mail_and_the_caller_learns_nothing(session, make):
    make.user(email="nadia@exemple.fr", name="Nadia Martin")
    assert services.request_signup(session, signup(), "ip:1", LINKS, DAY) is None  # no error, no account
    assert mails(session) == [("nadia@exemple.fr", "Vous avez déjà un compte sur l'Observatoire ISIC")]
    body = session.info["mails"][0].body
    assert LINKS.login in body and LINKS.forgot in body and "/confirmer/" not in body
    assert events(session) == [("signup-ip", "ip:1")]  # the attempt is counted all the same


@pytest.mark.parametrize("token", ["pas-un-jeton", URLSafeTimedSerializer(SECRET, salt="signup").dumps(
    {"e": "x@exemple.fr", "n": "X", "r": "admin", "h": "h"}), URLSafeTimedSerializer(SECRET, salt="signup").dumps([1])])
def test_a_forged_or_broken_signup_link_creates_nothing(session, token):
    with pytest.raises(DomainError, match="pas valide"):
        services.confirm_signup(session, token, DAY, ADMIN_URL)
    assert session.exec(select(UserAccount)).all() == []


def test_an_expired_signup_link_says_so(session):
    token = sign_up(session, signup())
    with pytest.raises(DomainError, match="expiré"):  # older than the allowed age (here: any age)
        services.confirm_signup(session, token, -1, ADMIN_URL)
    assert services.by_email(session, "nadia@exemple.fr") is None


def test_sign_ups_are_limited_per_client(session):
    for n in range(10):
        sign_up(session, signup(email=f"personne{n}@exemple.fr"))
    with pytest.raises(RateLimited) as limited:
        sign_up(session, signup(email="une-de-trop@exemple.fr"))
    assert limited.value.field == "email"
    assert sign_up(session, signup(email="ailleurs@exemple.fr"), "ip:2")


def test_an_admin_creates_an_approved_account(session, make):
    account = services.create_account(session, " Anne@Exemple.fr ", "Anne Admin", "mot de passe", "admin")
    assert (account.email, account.display_name, account.role) == ("anne@exemple.fr", "Anne Admin", "admin")
    assert account.approved_at is not None and services.check_password(account, "mot de passe")
    with pytest.raises(DomainError) as taken:
        services.create_account(session, "ANNE@exemple.fr", "Anne", "mot de passe", "admin")
    assert (taken.value.field, taken.value.message) == ("email", "Un compte existe déjà avec l'adresse ANNE@exemple.fr.")
    with pytest.raises(DomainError) as role:
        services.create_account(session, "zoe@exemple.fr", "Zoé", "mot de passe", "directeur")
    assert (role.value.field, role.value.message) == ("role", "Rôle inconnu.")


# Signing in


def test_signing_in_with_the_right_password(session, make):
    account = make.user(email="nadia@exemple.fr")
    services.ratelimit.hit(session, "login-email", "nadia@exemple.fr")
    services.ratelimit.hit(session, "login-ip", "ip:1")
    assert services.authenticate(session, " Nadia@Exemple.fr", PASSWORD, "ip:1") is account
    assert account.last_login_at is not None and utcnow() - account.last_login_at < timedelta(minutes=1)
    assert events(session) == [("login-ip", "ip:1")]  # the address's failures are forgotten, not the client's


@pytest.mark.parametrize("email", ["nadia@exemple.fr", "inconnue@exemple.fr"])
def test_a_failed_sign_in_says_the_same_and_is_counted_per_address_and_client(session, make, email):
    make.user(email="nadia@exemple.fr")
    with pytest.raises(DomainError) as failed:
        services.authenticate(session, email.upper(), "mauvais", "ip:1")
    assert (failed.value.field, failed.value.message) == ("password", "Adresse ou mot de passe incorrect.")
    assert events(session) == [("login-email", email), ("login-ip", "ip:1")]


def test_five_failures_block_the_address(session, make):
    make.user(email="nadia@exemple.fr")
    for _ in range(5):
        with pytest.raises(DomainError):
            services.authenticate(session, "nadia@exemple.fr", "mauvais", "ip:1")
    with pytest.raises(RateLimited) as limited:
        services.authenticate(session, "nadia@exemple.fr", PASSWORD, "ip:2")
    assert limited.value.field == "email"


def test_twenty_failures_block_the_client(session, make):
    account = make.user()
    for n in range(20):
        with pytest.raises(DomainError):
            services.authenticate(session, f"personne{n}@exemple.fr", "mauvais", "ip:1")
    with pytest.raises(RateLimited) as limited:
        services.authenticate(session, account.email, PASSWORD, "ip:1")
    assert limited.value.field == "email"


def test_demo_accounts_sign_in_in_demo_mode_only(session, make):
    demo = make.user(email=f"etudiante@{services.DEMO_DOMAIN}")
    with pytest.raises(DomainError) as refused:
        services.authenticate(session, demo.email.upper(), PASSWORD, "ip:1")
    assert (refused.value.field, refused.value.message) == (
        "email", "Les comptes de démonstration sont désactivés sur cette instance.")
    assert services.authenticate(session, demo.email, PASSWORD, "ip:1", demo_mode=True) is demo


# Password reset


def test_a_reset_link_works_until_the_password_changes(session, make):
    account = make.user()
    token = services.reset_token(account, SECRET)
    assert services.account_for_token(session, token, SECRET, 3600) is account
    services.set_password(session, account, "nouveau mot de passe")
    with pytest.raises(DomainError) as used:
        services.account_for_token(session, token, SECRET, 3600)
    assert used.value.message == "Ce lien a déjà servi ou n'est plus valide. Demandez un nouveau lien."


def test_a_reset_link_expires(session, make):
    account = make.user()
    old = services.reset_token(account, SECRET, issued_at=int(time.time()) - 3601)
    with pytest.raises(DomainError) as expired:
        services.account_for_token(session, old, SECRET, 3600)
    assert expired.value.message == "Ce lien a expiré. Demandez un nouveau lien de réinitialisation."
    recent = services.reset_token(account, SECRET, issued_at=int(time.time()) - 3500)
    assert services.account_for_token(session, recent, SECRET, 3600) is account


@pytest.mark.parametrize("forge", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: services.reset_token(UserAccount(id=1, password_hash="x"), "une autre clé"),
    lambda token: "n'importe quoi",
])
def test_a_forged_reset_link_is_refused(session, make, forge):
    token = services.reset_token(make.user(), SECRET)
    with pytest.raises(DomainError) as refused:
        services.account_for_token(session, forge(token), SECRET, 3600)
    assert refused.value.message == "Ce lien de réinitialisation n'est pas valide."


def test_a_reset_link_of_a_deleted_account_or_odd_payload_is_refused(session, make):
    gone = UserAccount(id=999_999, password_hash="x")
    odd = URLSafeTimedSerializer(SECRET, salt=services.RESET_SALT).dumps(["u", 1])  # signed, but not ours
    for token in (services.reset_token(gone, SECRET), odd):
        with pytest.raises(DomainError) as refused:
            services.account_for_token(session, token, SECRET, 3600)
        assert refused.value.message == "Ce lien a déjà servi ou n'est plus valide. Demandez un nouveau lien."


def test_a_reset_is_mailed_to_a_known_address_only(session, make):
    account = make.user(email="nadia@exemple.fr", name="Nadia Martin")
    links = []

    def link(token: str) -> str:
        links.append(token)
        return f"http://localhost/compte/reinitialiser/{token}"

    services.request_reset(session, "inconnue@exemple.fr", "ip:1", link, SECRET, 3600)
    assert mails(session) == [] and links == []
    services.request_reset(session, " NADIA@exemple.fr ", "ip:1", link, SECRET, 5400)
    assert mails(session) == [("nadia@exemple.fr", "Réinitialisation de votre mot de passe")]
    assert session.info["mails"][0].body == (
        "Bonjour Nadia Martin,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 90 minutes, une seule "
        f"fois) :\nhttp://localhost/compte/reinitialiser/{links[0]}\n\n"
        "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n")
    assert services.account_for_token(session, links[0], SECRET, 5400) is account
    assert events(session) == [("reset-email", "inconnue@exemple.fr"), ("reset-email", "nadia@exemple.fr"),
                               ("reset-ip", "ip:1"), ("reset-ip", "ip:1")]


def test_reset_requests_are_limited_per_address_and_per_client(session):
    for _ in range(3):
        services.request_reset(session, "nadia@exemple.fr", "ip:1", str, SECRET, 3600)
    with pytest.raises(RateLimited) as per_address:
        services.request_reset(session, "nadia@exemple.fr", "ip:2", str, SECRET, 3600)
    assert per_address.value.field == "email"
    for n in range(7):
        services.request_reset(session, f"personne{n}@exemple.fr", "ip:1", str, SECRET, 3600)
    with pytest.raises(RateLimited) as per_client:
        services.request_reset(session, "autre@exemple.fr", "ip:1", str, SECRET, 3600)
    assert per_client.value.field == "email"


# Confirming a sensitive change


def test_a_wrong_confirmation_is_counted_and_limited(session, make):
    account = make.user()
    services.confirm_password(session, account, PASSWORD)
    for _ in range(5):
        with pytest.raises(DomainError) as wrong:
            services.confirm_password(session, account, "mauvais", field="current_password")
        assert (wrong.value.field, wrong.value.message, wrong.value.keep) == (
            "current_password", "Mot de passe incorrect.", True)
    assert events(session) == [("password-check", f"u:{account.id}")] * 5
    with pytest.raises(RateLimited) as limited:
        services.confirm_password(session, account, PASSWORD)
    assert limited.value.field == "password"


# Administration


ADMIN = Viewer(role="admin", user_id=None)


@pytest.mark.parametrize(("role", "label"), [("professionnel", "Professionnel·le"), ("formateur", "Formateur·rice")])
def test_an_admin_approves_a_professional_or_trainer_who_is_told(session, make, role, label):
    account = make.user(role, approved=False, name="Paul Pro")
    services.administer(session, account, AccountAdminInput(role=role, approved=True), ADMIN)
    assert account.approved_at is not None
    assert mails(session) == [(account.email, "Votre compte est validé")]
    assert session.info["mails"][0].body == (f"Bonjour Paul Pro,\n\nVotre compte « {label} » de "
                                             "l'Observatoire des pratiques de l'ISIC est validé.\n")


def test_a_change_of_role_after_approval_sends_nothing_more(session, make):
    account = make.user("professionnel", approved=False, name="Paul Pro")
    services.administer(session, account, AccountAdminInput(role="professionnel", approved=True), ADMIN)
    approved_at = account.approved_at
    services.administer(session, account, AccountAdminInput(role="formateur", approved=True), ADMIN)
    assert (account.role, account.approved_at, len(mails(session))) == ("formateur", approved_at, 1)  # told once
    services.administer(session, account, AccountAdminInput(role="formateur", approved=False), ADMIN)
    assert account.approved_at is None


def test_approving_a_student_sends_nothing(session, make):
    account = make.user("etudiant", approved=False)
    services.administer(session, account, AccountAdminInput(role="etudiant", approved=True), ADMIN)
    assert account.approved_at is not None and mails(session) == []


def test_an_admin_cannot_drop_her_own_admin_role(session, make):
    admin = make.user("admin")
    actor = Viewer(role="admin", user_id=admin.id)
    with pytest.raises(DomainError) as refused:
        services.administer(session, admin, AccountAdminInput(role="formateur", approved=True), actor)
    assert (refused.value.field, refused.value.message) == (
        "role", "Vous ne pouvez pas retirer votre propre rôle d'administrateur·rice.")
    assert services.administer(session, admin, AccountAdminInput(role="admin", approved=True), actor).role == "admin"
    other = make.user("admin")
    services.administer(session, other, AccountAdminInput(role="formateur", approved=True), actor)
    assert other.role == "formateur"


def test_an_account_is_linked_to_one_existing_practitioner(session, make):
    person, gone = make.practitioner(), make.practitioner(anonymised_at=utcnow())
    first, second = make.user("professionnel"), make.user("professionnel")
    services.administer(session, first, AccountAdminInput(role="professionnel", approved=True,
                                                          practitioner_id=person.id), ADMIN)
    assert first.practitioner_id == person.id
    services.administer(session, first, AccountAdminInput(role="professionnel", approved=True,
                                                          practitioner_id=person.id), ADMIN)  # kept as is
    with pytest.raises(DomainError) as taken:
        services.administer(session, second, AccountAdminInput(role="professionnel", approved=True,
                                                               practitioner_id=person.id), ADMIN)
    assert (taken.value.field, taken.value.message) == ("practitioner_id", "Cette fiche est déjà liée à un autre compte.")
    for missing in (gone.id, 999_999):
        with pytest.raises(DomainError) as refused:
            services.administer(session, second, AccountAdminInput(role="professionnel", approved=True,
                                                                   practitioner_id=missing), ADMIN)
        assert (refused.value.field, refused.value.message) == (
            "practitioner_id", "Cette fiche d'intervenant·e n'existe pas (ou plus).")
    services.administer(session, first, AccountAdminInput(role="professionnel", approved=True), ADMIN)
    assert first.practitioner_id is None


def test_accounts_to_approve_come_first_then_by_name(session, make):
    make.user("etudiant", name="Anne")
    make.user("professionnel", name="Zoé", approved=False)
    make.user("formateur", name="Bruno", approved=False)
    make.user("etudiant", name="Claire", approved=False)
    assert [a.display_name for a in services.list_accounts(session)] == ["Bruno", "Zoé", "Anne", "Claire"]


def test_an_accounts_actions_are_listed_last_changed_first(session, make):
    author, other = make.user("professionnel"), make.user("professionnel")
    older = make.action(title="Ancienne", author_id=author.id)
    newer = make.action(title="Récente", author_id=author.id)
    make.action(title="D'une autre", author_id=other.id)
    older.updated_at, newer.updated_at = utcnow() - timedelta(days=2), utcnow() - timedelta(days=1)
    session.flush()
    assert [a.title for a in services.authored_actions(session, author)] == ["Récente", "Ancienne"]


def test_linkable_practitioners_are_by_name_without_anonymised_ones(session, make):
    make.practitioner(first_name="Alice", last_name="Blanc")
    make.practitioner(first_name="Bruno", last_name="Arnaud")
    make.practitioner(first_name="Alex", last_name="Arnaud")
    make.practitioner(first_name="X", last_name="Anonyme", anonymised_at=utcnow())
    assert [p.full_name for p in services.linkable_practitioners(session)] == [
        "Alex Arnaud", "Bruno Arnaud", "Alice Blanc"]


def test_an_unknown_address_costs_one_password_check_like_a_known_one(session, make, monkeypatch):
    """No timing difference tells whether an address has an account: each failed sign-in verifies one hash."""
    make.user("professionnel", email="connue@exemple.fr")
    checks = []

    class CountingHasher(PasswordHasher):
        def verify(self, hashed, password):
            checks.append(password)
            return super().verify(hashed, password)

    monkeypatch.setattr(services, "HASHER", CountingHasher())
    for email in ("inconnue@exemple.fr", "connue@exemple.fr"):
        checks.clear()
        with pytest.raises(DomainError):
            services.authenticate(session, email, "pas le bon", ip_key="ip:1")
        assert len(checks) == 1, email
