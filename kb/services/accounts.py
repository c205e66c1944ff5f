"""Accounts: sign-up, authentication, password reset tokens, approval and roles."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from kb import mail
from kb.errors import DomainError
from kb.forms.accounts import SELF_SERVICE_ROLES, AccountAdminInput, SignupInput
from kb.models import ApiToken, FieldAction, Practitioner, SignupRequest, UserAccount, choices
from kb.models.base import utcnow
from kb.policy import Viewer, effective_role
from kb.services import ratelimit

HASHER = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown address close to a real one.
_DUMMY_HASH = HASHER.hash("observatoire-isic-dummy-password")
RESET_SALT = "password-reset"
DEMO_DOMAIN = "demo.observatoire-isic.fr"


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return HASHER.hash(password)


def check_password(account: UserAccount, password: str) -> bool:
    """Whether ``password`` is the account's; rehashes when the hasher's parameters changed."""
    try:
        HASHER.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    return True


def fingerprint(account: UserAccount) -> str:
    """Changes with the password: sessions and reset tokens made before a change stop working."""
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def viewer_of(account: UserAccount) -> Viewer:
    """The Viewer an account acts as."""
    return Viewer(role=effective_role(account.role, account.approved_at is not None), user_id=account.id,
                  practitioner_id=account.practitioner_id)


def by_email(session: Session, email: str) -> UserAccount | None:
    """The account of an address (case-insensitive), or None."""
    return session.exec(select(UserAccount).where(func.lower(UserAccount.email) == email.strip().lower())).first()


def needs_approval(account: UserAccount) -> bool:
    """Professional and trainer accounts wait for an admin."""
    return account.approved_at is None and account.role in ("professionnel", "formateur")


def admins(session: Session) -> list[UserAccount]:
    """Admin accounts (notified of accounts to approve)."""
    return list(session.exec(select(UserAccount).where(UserAccount.role == "admin")))


@dataclass(frozen=True)
class SignupLinks:
    """Addresses a sign-up mail gives: the confirmation link of a token, the login and forgotten-password pages."""

    confirm: Callable[[str], str]
    login: str
    forgot: str


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def request_signup(session: Session, data: SignupInput, ip_key: str, links: SignupLinks, max_age: int) -> None:
    """Mail the address a link that creates the account, or, when it already has one, a reminder.

    The page says the same either way, and both ways hash the password (the answer takes as long): nobody
    learns from the sign-up form whether an address has an account, only its owner does, by mail. The request
    waits in ``signup_request`` (the password's argon2 hash, never the password) under the SHA-256 of a random
    token; the link holds only the token, so logs and mail archives hold nothing to crack. Requests older than
    ``max_age`` go on the way.
    """
    password_hash = hash_password(data.password)  # before the count: SQLite's write lock is not held meanwhile
    ratelimit.take(session, "signup-ip", ip_key, field="email")
    session.execute(delete(SignupRequest).where(SignupRequest.created_at < utcnow() - timedelta(seconds=max_age)))
    existing = by_email(session, data.email)
    if existing is not None:
        mail.queue(session, mail.Mail(
            to=existing.email, subject="Vous avez déjà un compte sur l'Observatoire ISIC",
            body=f"Bonjour {existing.display_name},\n\nQuelqu'un (vous, sans doute) a demandé à créer un compte avec "
                 f"cette adresse, qui en a déjà un. Connectez-vous : {links.login}\n"
                 f"Mot de passe oublié ? Choisissez-en un nouveau : {links.forgot}\n\n"
                 "Si vous n'avez rien demandé, ignorez ce message : rien ne change.\n"))
        return
    token = secrets.token_urlsafe(32)
    session.add(SignupRequest(token_hash=_token_digest(token), email=data.email, display_name=data.display_name,
                              role=data.role, password_hash=password_hash))
    session.flush()
    hours = max_age // 3600
    mail.queue(session, mail.Mail(
        to=data.email, subject="Confirmez la création de votre compte",
        body=f"Bonjour {data.display_name},\n\nPour créer votre compte « {choices.ROLES[data.role]} » sur "
             f"l'Observatoire ISIC, ouvrez ce lien (valable {hours} heures, une seule fois) :\n{links.confirm(token)}\n\n"
             "Si vous n'avez rien demandé, ignorez ce message : aucun compte n'est créé.\n"))


def pending_signup(session: Session, token: str, max_age: int) -> SignupRequest:
    """What a sign-up link asks for, or a DomainError saying why it cannot be used."""
    wanted = session.exec(select(SignupRequest).where(SignupRequest.token_hash == _token_digest(token))).first()
    if wanted is None or wanted.role not in SELF_SERVICE_ROLES:
        raise DomainError("Ce lien d'inscription n'est pas valide ou a déjà servi : connectez-vous, ou "
                          "inscrivez-vous de nouveau.")
    created = wanted.created_at if wanted.created_at.tzinfo else wanted.created_at.replace(tzinfo=UTC)
    if created < utcnow() - timedelta(seconds=max_age):
        raise DomainError("Ce lien a expiré : inscrivez-vous de nouveau.")
    return wanted


def confirm_signup(session: Session, token: str, max_age: int, admin_url: str) -> UserAccount:
    """Create the account a sign-up link asks for; professionals and trainers wait for approval and admins
    are told. A link works once; an address taken meanwhile says so."""
    wanted = pending_signup(session, token, max_age)
    email = wanted.email
    session.execute(delete(SignupRequest).where(SignupRequest.email == email))  # this link and any other for it
    if by_email(session, email) is not None:
        raise DomainError("Ce compte existe déjà : connectez-vous (ou demandez un nouveau mot de passe).")
    account = UserAccount(email=email, display_name=wanted.display_name, role=wanted.role,
                          password_hash=wanted.password_hash,
                          approved_at=None if wanted.role in ("professionnel", "formateur") else utcnow())
    try:
        with session.begin_nested():  # the same link confirmed twice at once: the second finds the address taken
            session.add(account)
    except IntegrityError:
        raise DomainError("Ce compte existe déjà : connectez-vous (ou demandez un nouveau mot de passe).") from None
    if needs_approval(account):
        for admin in admins(session):
            mail.queue(session, mail.Mail(
                to=admin.email, subject="Compte à valider sur l'Observatoire ISIC",
                body=f"{account.display_name} a demandé un compte « {choices.ROLES[account.role]} ».\n"
                     f"Validez-le ou refusez-le ici : {admin_url}\n"))
    return account


def create_account(session: Session, email: str, display_name: str, password: str, role: str) -> UserAccount:
    """An approved account made by an admin or the CLI (first admin, demo accounts)."""
    if by_email(session, email) is not None:
        raise DomainError(f"Un compte existe déjà avec l'adresse {email}.", field="email")
    if role not in choices.ROLES:
        raise DomainError("Rôle inconnu.", field="role")
    account = UserAccount(email=email.strip().lower(), display_name=display_name, role=role,
                          password_hash=hash_password(password), approved_at=utcnow())
    session.add(account)
    session.flush()
    return account


def authenticate(session: Session, email: str, password: str, ip_key: str, demo_mode: bool = False) -> UserAccount:
    """The account for these credentials; failures are counted per address and per client.

    Demo accounts (their passwords are public) only sign in when the instance runs in demo mode.
    """
    email_key = email.strip().lower()
    if not demo_mode and email_key.endswith(f"@{DEMO_DOMAIN}"):
        raise DomainError("Les comptes de démonstration sont désactivés sur cette instance.", field="email")
    # Refused at once when the allowance is used up; the password is checked before this attempt is counted, so
    # SQLite's write lock (taken by the count's insert) is not held while argon2 works. A parallel burst still
    # cannot slip past: each attempt is counted, one after the other, before it is answered, and one over the
    # allowance is refused even when its password is right. Only failures stay counted.
    ratelimit.check(session, "login-email", email_key, field="email")
    ratelimit.check(session, "login-ip", ip_key, field="email")
    account = by_email(session, email_key)
    if account is None:
        HASHER.verify(_DUMMY_HASH, "observatoire-isic-dummy-password")
    right = account is not None and check_password(account, password)
    ratelimit.take(session, "login-email", email_key, field="email")
    by_ip = ratelimit.take(session, "login-ip", ip_key, field="email")
    if not right:
        raise DomainError("Adresse ou mot de passe incorrect.", field="password")
    ratelimit.clear(session, "login-email", email_key)
    ratelimit.forget(session, by_ip)
    account.last_login_at = utcnow()
    session.flush()
    return account


def _serializer(secret: str, issued_at: int | None = None) -> URLSafeTimedSerializer:
    if issued_at is None:
        return URLSafeTimedSerializer(secret, salt=RESET_SALT)
    signer = type("IssuedAtSigner", (TimestampSigner,), {"get_timestamp": lambda self: issued_at})
    return URLSafeTimedSerializer(secret, salt=RESET_SALT, signer=signer)


def reset_token(account: UserAccount, secret: str, issued_at: int | None = None) -> str:
    """A signed, time-limited token; it stops working once the password changes (single use)."""
    return _serializer(secret, issued_at).dumps({"u": account.id, "f": fingerprint(account)})


def account_for_token(session: Session, token: str, secret: str, max_age: int) -> UserAccount:
    """The account a reset token was made for, or a DomainError saying why it cannot be used."""
    try:
        payload = _serializer(secret).loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError("Ce lien a expiré. Demandez un nouveau lien de réinitialisation.") from None
    except BadSignature:
        raise DomainError("Ce lien de réinitialisation n'est pas valide.") from None
    account = session.get(UserAccount, payload.get("u")) if isinstance(payload, dict) else None
    if account is None or payload.get("f") != fingerprint(account):
        raise DomainError("Ce lien a déjà servi ou n'est plus valide. Demandez un nouveau lien.")
    return account


def request_reset(session: Session, email: str, ip_key: str, link: Callable[[str], str], secret: str,
                  max_age: int) -> None:
    """Mail a reset link when the address has an account (the page says the same either way)."""
    email_key = email.strip().lower()
    ratelimit.take(session, "reset-email", email_key, field="email")
    ratelimit.take(session, "reset-ip", ip_key, field="email")
    account = by_email(session, email_key)
    if account is None:
        return
    minutes = max_age // 60
    mail.queue(session, mail.Mail(
        to=account.email, subject="Réinitialisation de votre mot de passe",
        body=f"Bonjour {account.display_name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien "
             f"(valable {minutes} minutes, une seule fois) :\n{link(reset_token(account, secret))}\n\n"
             "Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n"))


def confirm_password(session: Session, account: UserAccount, password: str, field: str = "password") -> None:
    """Check a password typed again to confirm a sensitive change; wrong ones are counted and limited."""
    ratelimit.check(session, "password-check", f"u:{account.id}", field=field)
    right = check_password(account, password)  # before the count: no write lock held while argon2 works
    attempt = ratelimit.take(session, "password-check", f"u:{account.id}", field=field)
    if not right:
        raise DomainError("Mot de passe incorrect.", field=field, keep=True)  # the failure stays counted
    ratelimit.forget(session, attempt)


def set_password(session: Session, account: UserAccount, password: str) -> None:
    """Replace the password (earlier sessions, reset links and API tokens stop working)."""
    account.password_hash = hash_password(password)
    session.execute(update(ApiToken).where(ApiToken.account_id == account.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))
    session.flush()


def administer(session: Session, account: UserAccount, data: AccountAdminInput, actor: Viewer) -> UserAccount:
    """Change an account's role, approval and linked practitioner; the person is told of an approval."""
    if account.id == actor.user_id and data.role != "admin":
        raise DomainError("Vous ne pouvez pas retirer votre propre rôle d'administrateur·rice.", field="role")
    if data.practitioner_id is not None:
        person = session.get(Practitioner, data.practitioner_id)
        if person is None or person.anonymised_at is not None:
            raise DomainError("Cette fiche d'intervenant·e n'existe pas (ou plus).", field="practitioner_id")
        taken = session.exec(select(UserAccount).where(UserAccount.practitioner_id == data.practitioner_id,
                                                       UserAccount.id != account.id)).first()
        if taken is not None:
            raise DomainError("Cette fiche est déjà liée à un autre compte.", field="practitioner_id")
    newly_approved = data.approved and account.approved_at is None
    account.role, account.practitioner_id = data.role, data.practitioner_id
    account.approved_at = (account.approved_at or utcnow()) if data.approved else None
    if newly_approved and data.role in ("professionnel", "formateur"):
        mail.queue(session, mail.Mail(
            to=account.email, subject="Votre compte est validé",
            body=f"Bonjour {account.display_name},\n\nVotre compte « {choices.ROLES[data.role]} » de "
                 "l'Observatoire des pratiques de l'ISIC est validé.\n"))
    session.flush()
    return account


def list_accounts(session: Session) -> list[UserAccount]:
    """Accounts to approve first, then by name."""
    accounts = session.exec(select(UserAccount).order_by(UserAccount.display_name)).all()
    return sorted(accounts, key=lambda a: not needs_approval(a))


def authored_actions(session: Session, account: UserAccount) -> list[FieldAction]:
    """The actions an account wrote, last changed first."""
    return list(session.exec(select(FieldAction).where(FieldAction.author_id == account.id)
                             .order_by(FieldAction.updated_at.desc())))


def linkable_practitioners(session: Session) -> list[Practitioner]:
    """Practitioner profiles an admin may link to an account (not anonymised), by name."""
    return list(session.exec(select(Practitioner).where(Practitioner.anonymised_at.is_(None))
                             .order_by(Practitioner.last_name, Practitioner.first_name)))
