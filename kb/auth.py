"""Sessions of signed-in users (Flask-Login) and the Viewer every view passes to services."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, jsonify, request
from flask_login import LoginManager, UserMixin, current_user

from kb.db import get_session
from kb.models import UserAccount
from kb.policy import ANONYMOUS, Viewer

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"
# "strong" drops the session when the client's address or browser changes (stolen cookie).
login_manager.session_protection = "strong"


class SignedIn(UserMixin):
    """The account of the request; its id carries the password fingerprint (see services.accounts)."""

    def __init__(self, account: UserAccount) -> None:
        self.account = account

    def get_id(self) -> str:
        from kb.services.accounts import fingerprint

        return f"{self.account.id}:{fingerprint(self.account)}"


@login_manager.user_loader
def _load(user_id: str) -> SignedIn | None:
    from kb.services.accounts import fingerprint

    number, _, stamp = user_id.partition(":")
    account = get_session().get(UserAccount, int(number)) if number.isdecimal() else None
    if account is None or stamp != fingerprint(account):
        return None  # deleted, or the password changed since this session began
    return SignedIn(account)


def _bearer_user():
    """`Authorization: Bearer <token>` on the API: the token's account for this request only, whatever cookie
    comes with it (never stored in a session). An unknown or revoked token is a 401, not an anonymous read."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if not request.path.startswith("/api/") or scheme.lower() != "bearer":
        return None
    from kb.services.tokens import account_for

    found = account_for(get_session(), secret.strip())
    if found is None:
        response = jsonify({"error": {"code": 401, "message": "Jeton inconnu ou révoqué.", "fields": {}}})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="observatoire"'
        return response
    g.api_token = found[1]
    g._login_user = SignedIn(found[0])  # Flask-Login's current_user for this request
    return None


def api_token():
    """The API token this request was made with, or None (a browser session)."""
    return g.get("api_token")


def current_account() -> UserAccount | None:
    """The signed-in account, or None."""
    return current_user.account if current_user.is_authenticated else None


def current_viewer() -> Viewer:
    """The person making the request, with her effective role."""
    from kb.services.accounts import viewer_of

    account = current_account()
    return viewer_of(account) if account is not None else ANONYMOUS


def require(allowed: bool) -> None:
    """Stop a request the viewer may not make: sign in first (anonymous), or 403."""
    if allowed:
        return
    if current_user.is_authenticated:
        abort(403, _refusal(current_user.account))
    if request.path.startswith("/api/"):
        response = jsonify({"error": {"code": 401, "message": "Connectez-vous pour accéder à cette ressource.",
                                      "fields": {}}})
        response.status_code = 401
        abort(response)
    abort(login_manager.unauthorized())


def _refusal(account: UserAccount) -> str:
    """Why a signed-in person may not see a page, and what she can do (the 403 page says it)."""
    from kb.models import choices
    from kb.services.accounts import needs_approval

    if needs_approval(account):
        return ("Votre compte attend la validation d'un·e administrateur·rice : en attendant, il a les droits "
                "d'un compte étudiant. Vous recevrez un courriel dès qu'il sera validé ; si l'attente vous semble "
                "longue, écrivez à l'équipe de l'observatoire.")
    role = choices.ROLES.get(account.role, account.role).lower()
    return (f"Cette page est réservée à d'autres rôles que le vôtre (votre compte : {role}). Si vous en avez "
            "besoin pour votre travail, demandez à l'équipe de l'observatoire de faire évoluer votre compte.")


def client_key() -> str:
    """A keyed hash of the client's address: rate limits and reports never store the address itself."""
    secret = current_app.config["SECRET_KEY"].encode()
    return "ip:" + hashlib.sha256(secret + (request.remote_addr or "").encode()).hexdigest()[:32]


def safe_next(target: str | None) -> str | None:
    """A local path to return to after login, never another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def init_app(app: Flask) -> None:
    """Attach Flask-Login; each request reads its user afresh."""
    login_manager.init_app(app)

    @app.before_request
    def _fresh_user():
        # In tests an app context can outlive a request: never reuse another request's user or CSRF token.
        g.pop("_login_user", None)
        g.pop("csrf_token", None)
        g.pop("api_token", None)
        return _bearer_user()

    @app.context_processor
    def _viewer() -> dict:
        return {"viewer": current_viewer(), "account": current_account()}
