"""Accounts: sign-up, login, logout, password reset, my account, my data (export, erasure), consent."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import login_user, logout_user
from werkzeug.datastructures import MultiDict

from kb import policy
from kb.auth import SignedIn, client_key, current_account, require, safe_next
from kb.db import commit, get_session
from kb.errors import DomainError
from kb.forms.accounts import (
    SELF_SERVICE_ROLES,
    parse_consent,
    parse_delete_account,
    parse_email,
    parse_login,
    parse_new_password,
    parse_signup,
)
from kb.models import Practitioner
from kb.services import accounts as services
from kb.services import privacy
from kb.services import tokens as token_services
from kb.services.ratelimit import RateLimited
from kb.views._forms import button_cycle, current_viewer, form_cycle

bp = Blueprint("accounts", __name__, url_prefix="/compte")


def _signed_in():
    require(current_account() is not None)
    return current_account()


@bp.route("/inscription", methods=["GET", "POST"])
def signup():
    """Créer un compte : un lien de confirmation part par courriel (la page ne dit jamais si l'adresse a déjà un
    compte ; le courriel, lui, le dit à sa propriétaire)."""
    session, config = get_session(), current_app.config
    links = services.SignupLinks(confirm=lambda token: url_for(".confirm_signup", token=token, _external=True),
                                 login=url_for(".login", _external=True), forgot=url_for(".forgot", _external=True))

    def save(data):
        services.request_signup(session, data, client_key(), links, config["SIGNUP_TOKEN_MAX_AGE"])
        return data

    return form_cycle(parse=parse_signup, save=save, template="accounts/signup.html",
                      initial=MultiDict({"role": "etudiant"}), success=lambda _data: url_for(".signup_sent"),
                      forms_roles=SELF_SERVICE_ROLES,
                      message="Un courriel vient de partir vers l'adresse indiquée : ouvrez le lien qu'il contient "
                              "pour terminer votre inscription.")


@bp.route("/inscription/envoyee")
def signup_sent():
    """Après l'inscription : vérifier sa messagerie."""
    return render_template("accounts/signup_sent.html", hours=current_app.config["SIGNUP_TOKEN_MAX_AGE"] // 3600)


@bp.route("/inscription/confirmer/<token>", methods=["GET", "POST"])
def confirm_signup(token: str):
    """Confirmer l'inscription depuis le lien reçu (un bouton : un lien ouvert par un antivirus ne crée rien)."""
    session, config = get_session(), current_app.config
    try:
        wanted = services.pending_signup(session, token, config["SIGNUP_TOKEN_MAX_AGE"])
        if request.method == "POST":
            account = services.confirm_signup(session, token, config["SIGNUP_TOKEN_MAX_AGE"],
                                              url_for("admin.accounts", _external=True))
            commit()
            login_user(SignedIn(account))
            flash("Bienvenue ! Votre compte est créé." + (
                " Un·e administrateur·rice va valider votre rôle ; en attendant vous avez les droits "
                "d'un·e étudiant·e." if services.needs_approval(account) else ""), "success")
            return redirect(url_for(".home"))
    except DomainError as exc:
        session.rollback()
        return render_template("accounts/signup_invalid.html", message=exc.message), 400
    return render_template("accounts/signup_confirm.html", wanted=wanted, roles=SELF_SERVICE_ROLES)


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    """Se connecter."""
    values, errors, status = MultiDict(), {}, 200
    if request.method == "POST":
        session, values = get_session(), request.form
        result = parse_login(values)
        errors = result.errors
        if result.ok:
            try:
                account = services.authenticate(session, result.data.email, result.data.password, client_key(),
                                                demo_mode=current_app.config["DEMO_MODE"])
            except RateLimited as exc:
                session.rollback()
                errors, status = {exc.field or "__all__": exc.message}, 429
            except DomainError as exc:
                commit()  # the failed attempt is counted
                errors = {exc.field or "__all__": exc.message}
            else:
                commit()
                login_user(SignedIn(account), remember=result.data.remember)
                flash(f"Bonjour {account.display_name}, vous êtes connecté·e.", "success")
                return redirect(safe_next(request.args.get("next")) or url_for(".home"))
        status = status if status != 200 else 422
    values = MultiDict({"email": values.get("email", "")})  # never send a password back
    return render_template("accounts/login.html", values=values, errors=errors, demo=_demo_accounts()), status


def _demo_accounts() -> list[tuple]:
    """In demo mode, the demo accounts that exist, to try each role without help."""
    if not current_app.config["DEMO_MODE"]:
        return []
    from kb.demo.accounts import DEMO_ACCOUNTS

    session = get_session()
    return [(email, role, password) for email, _name, role, password, approved in DEMO_ACCOUNTS
            if approved and services.by_email(session, email) is not None]


@bp.route("/deconnexion", methods=["POST"])
def logout():
    """Se déconnecter."""
    logout_user()
    flash("Vous êtes déconnecté·e.", "success")
    return redirect(url_for("main.home"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
def forgot():
    """Demander un lien de réinitialisation du mot de passe."""
    session = get_session()
    config = current_app.config

    def save(data):
        services.request_reset(session, data.email, client_key(),
                               lambda token: url_for(".reset", token=token, _external=True),
                               config["SECRET_KEY"], config["RESET_TOKEN_MAX_AGE"])
        return data

    return form_cycle(parse=parse_email, save=save, template="accounts/forgot.html", initial=MultiDict(),
                      success=lambda _data: url_for(".login"),
                      message="Si un compte existe à cette adresse, un lien de réinitialisation vient d'y être "
                              "envoyé. Il est valable une heure.")


@bp.route("/reinitialiser/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Choisir un nouveau mot de passe à partir du lien reçu par courriel."""
    session, config = get_session(), current_app.config
    try:
        account = services.account_for_token(session, token, config["SECRET_KEY"], config["RESET_TOKEN_MAX_AGE"])
    except DomainError as exc:
        return render_template("accounts/reset_invalid.html", message=exc.message), 400
    return form_cycle(parse=parse_new_password, save=lambda data: services.set_password(session, account, data.password),
                      template="accounts/reset.html", initial=MultiDict(), success=lambda _r: url_for(".login"),
                      message="Votre mot de passe est changé. Connectez-vous avec le nouveau.")


@bp.route("/")
def home():
    """Mon compte : rôle, fiche d'intervenant·e, contributions."""
    account = _signed_in()
    actions = services.authored_actions(get_session(), account)
    return render_template("accounts/home.html", me=account, actions=actions,
                           waiting=services.needs_approval(account))


@bp.route("/jetons", methods=["GET", "POST"])
def tokens():
    """Jetons d'accès à l'API : en créer un (montré une seule fois), voir ceux qui existent."""
    account, session = _signed_in(), get_session()
    require(policy.can_contribute(current_viewer()))
    errors, secret, name = {}, None, ""
    if request.method == "POST":
        name = request.form.get("name", "")
        try:
            _token, secret = token_services.create_token(session, account, name, request.form.get("password", ""))
            commit()
        except DomainError as exc:
            commit() if exc.keep else session.rollback()  # a wrong password stays counted
            errors = {exc.field or "__all__": exc.message}
    response = make_response(render_template("accounts/tokens.html", tokens=token_services.tokens_of(session, account),
                                             secret=secret, values={"name": "" if secret else name}, errors=errors),
                             422 if errors else 200)
    response.headers["Cache-Control"] = "no-store"  # the token is shown once: never kept by a cache
    return response


@bp.route("/jetons/<int:token_id>/revoquer", methods=["POST"])
def revoke_token(token_id: int):
    """Révoquer un jeton : la requête suivante faite avec lui est refusée."""
    account = _signed_in()
    return button_cycle(lambda: f"Le jeton « {token_services.revoke_token(get_session(), account, token_id).name} » "
                                "est révoqué.", url_for(".tokens"))


@bp.route("/mot-de-passe", methods=["GET", "POST"])
def change_password():
    """Changer de mot de passe (les autres sessions sont fermées)."""
    account, session = _signed_in(), get_session()

    def save(data):
        services.confirm_password(session, account, request.form.get("current_password", ""), "current_password")
        services.set_password(session, account, data.password)
        return account

    def done(acc) -> str:
        login_user(SignedIn(acc))  # the session id carries the new password's fingerprint
        return url_for(".home")

    return form_cycle(parse=parse_new_password, save=save, template="accounts/password.html", initial=MultiDict(),
                      success=done, message="Votre mot de passe est changé.")


@bp.route("/mes-donnees")
def my_data():
    """Mes données : ce que l'observatoire conserve, export et suppression."""
    account = _signed_in()
    return render_template("accounts/my_data.html", me=account, data=privacy.export_account(get_session(), account))


@bp.route("/mes-donnees.json")
def export():
    """Télécharger toutes mes données (JSON)."""
    account = _signed_in()
    body = json.dumps(privacy.export_account(get_session(), account), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="mes-donnees-observatoire-isic.json"'})


@bp.route("/supprimer", methods=["GET", "POST"])
def delete():
    """Supprimer mon compte (mes actions restent, attribuées à un auteur anonyme)."""
    account, session = _signed_in(), get_session()

    def save(data):
        privacy.delete_account(session, account, data.password, request.form.get("anonymise_profile") == "1")
        return account

    def done(_acc) -> str:
        logout_user()
        return url_for("main.home")

    return form_cycle(parse=parse_delete_account, save=save, template="accounts/delete.html", initial=MultiDict(),
                      success=done, message="Votre compte est supprimé.", me=account)


@bp.route("/consentement", methods=["GET", "POST"])
def consent():
    """Mon consentement : figurer dans l'annuaire, accepter d'être contacté·e."""
    account, session = _signed_in(), get_session()
    person = session.get(Practitioner, account.practitioner_id) if account.practitioner_id else None
    require(person is not None and policy.can_edit_practitioner(current_viewer(), person))
    initial = MultiDict({"listed": "on" if person.consent_listed else "", "contact": "on" if person.consent_contact else ""})
    return form_cycle(parse=parse_consent, save=lambda data: privacy.set_consent(session, person, data, current_viewer()),
                      template="accounts/consent.html", initial=initial, success=lambda _r: url_for(".consent"),
                      message="Votre choix est enregistré.", person=person,
                      history=privacy.consent_history(session, person))
