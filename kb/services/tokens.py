"""Personal API tokens: created on the account page (shown once), stored as their SHA-256, revoked there."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlmodel import Session, select

from kb.errors import DomainError
from kb.models import ApiToken, UserAccount
from kb.models.base import utcnow
from kb.services import lock_for_change
from kb.services.accounts import confirm_password

PREFIX = "obs_"
MAX_ACTIVE = 10


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def tokens_of(session: Session, account: UserAccount) -> list[ApiToken]:
    """An account's tokens, the newest first (revoked ones too: their history)."""
    return list(session.exec(select(ApiToken).where(ApiToken.account_id == account.id)
                             .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def create_token(session: Session, account: UserAccount, name: str, password: str) -> tuple[ApiToken, str]:
    """A new token for the account (its password typed again: a borrowed session cannot mint lasting access);
    returns it with its secret, which is never stored nor shown again."""
    confirm_password(session, account, password)
    name = " ".join(name.split())
    if not 1 <= len(name) <= 100:
        raise DomainError("Donnez au jeton un nom de 1 à 100 caractères (par exemple « Script de saisie »).",
                          field="name")
    lock_for_change(session, account, "Ce compte")
    active = [t for t in tokens_of(session, account) if t.revoked_at is None]
    if len(active) >= MAX_ACTIVE:
        raise DomainError(f"Vous avez déjà {MAX_ACTIVE} jetons actifs : révoquez-en un d'abord.", field="name")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(account_id=account.id, name=name, token_hash=_digest(secret), prefix=secret[:12])
    session.add(token)
    session.flush()
    return token, secret


def revoke_token(session: Session, account: UserAccount, token_id: int) -> ApiToken:
    """Revoke one of the account's tokens (at once: the next request with it is refused)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.account_id != account.id:
        raise DomainError("Ce jeton n'existe pas.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
    return token


def account_for(session: Session, secret: str) -> tuple[UserAccount, ApiToken] | None:
    """The account a presented token belongs to, unless it is unknown or revoked."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == _digest(secret))).first()
    if token is None or token.revoked_at is not None:
        return None
    account = session.get(UserAccount, token.account_id)
    return (account, token) if account is not None else None


def mark_used(token: ApiToken, now: datetime | None = None) -> None:
    """Note when a token last wrote (set on the requests that commit anyway)."""
    token.last_used_at = now or utcnow()
