"""Accounts: sign-up, approval, login and its rate limit, logout, password reset tokens, CLI."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from sqlmodel import select

from kb.mail import sent_mails
from kb.models import UserAccount
from kb.services.accounts import reset_token
from tests.conftest import login, post_form
from tests.factories import PASSWORD

SIGNUP = {"email": "Lea.Morel@Exemple.fr", "display_name": "Léa Morel", "role": "professionnel",
          "password": "un-mot-de-passe-solide", "password_confirm": "un-mot-de-passe-solide", "accept_privacy": "on"}


def _link(message) -> str:
    return re.search(r"http://localhost(/compte/reinitialiser/\S+)", message.get_content()).group(1)


def _confirmation_path(message) -> str:
    return re.search(r"http://localhost(/compte/inscription/confirmer/\S+)", message.get_content()).group(1)


def test_a_professional_signs_up_and_waits_for_an_admin(app, client, session, make):
    admin = make.user("admin", email="admin@exemple.fr")
    session.commit()
    response = post_form(client, "/compte/inscription", SIGNUP, follow_redirects=True)
    assert "Vérifiez votre messagerie" in response.get_data(as_text=True)
    [confirmation] = sent_mails(app)
    assert confirmation["To"] == "lea.morel@exemple.fr"
    link = _confirmation_path(confirmation)
    page = client.get(link).get_data(as_text=True)  # opening the link creates nothing: a button does
    assert "Confirmer votre inscription" in page and "lea.morel@exemple.fr" in page and "Professionnel·le" in page
    assert session.exec(select(UserAccount).where(UserAccount.email == "lea.morel@exemple.fr")).first() is None
    response = post_form(client, link, {}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Votre compte est créé" in html and "en attente de validation" in html
    account = session.exec(select(UserAccount).where(UserAccount.email == "lea.morel@exemple.fr")).one()
    assert account.role == "professionnel" and account.approved_at is None
    assert account.password_hash.startswith("$argon2id$") and "un-mot-de-passe" not in account.password_hash
    # Until approved she acts as a student: she may read the directory but not publish.
    assert client.get("/intervenants/").status_code == 200
    refused = client.get("/actions/nouvelle")
    assert refused.status_code == 403  # the page says why, and what to do
    assert "Votre compte attend la validation d&#39;un·e administrateur·rice" in refused.get_data(as_text=True)
    assert [m["To"] for m in sent_mails(app)] == ["lea.morel@exemple.fr", admin.email]
    used = app.test_client().get(link)  # the link served once
    assert used.status_code == 400 and "a déjà servi" in used.get_data(as_text=True)
    # The admin approves her; she is told, and may publish.
    admin_client = app.test_client()
    login(admin_client, admin)
    response = post_form(admin_client, f"/admin/comptes/{account.id}", {"role": "professionnel", "approved": "on"})
    assert response.status_code == 302
    assert sent_mails(app)[-1]["To"] == "lea.morel@exemple.fr"
    assert client.get("/actions/nouvelle").status_code == 200


def test_sign_up_errors_keep_the_values_and_never_the_password(client, session, make):
    make.user("etudiant", email="deja@exemple.fr")
    session.commit()
    bad = {**SIGNUP, "email": "deja@exemple.fr", "password_confirm": "autre-chose-encore"}
    html = post_form(client, "/compte/inscription", bad).get_data(as_text=True)
    assert "Les deux mots de passe ne sont pas identiques" in html
    assert 'value="Léa Morel"' in html and "un-mot-de-passe-solide" not in html
    response = post_form(client, "/compte/inscription", {**SIGNUP, "role": "admin"})
    assert response.status_code == 422 and "Choisissez une valeur de la liste" in response.get_data(as_text=True)
    response = post_form(client, "/compte/inscription", {k: v for k, v in SIGNUP.items() if k != "accept_privacy"})
    assert "acceptez la politique de confidentialité" in response.get_data(as_text=True)


def test_sign_up_never_tells_whether_an_address_has_an_account(app, client, session, make):
    make.user("etudiant", email="deja@exemple.fr", name="Déjà Inscrite")
    session.commit()
    pages = []
    for email in ("DEJA@exemple.fr", "nouvelle@exemple.fr"):
        response = post_form(client, "/compte/inscription", {**SIGNUP, "email": email})
        pages.append((response.status_code, response.headers["Location"],
                      client.get(response.headers["Location"]).get_data(as_text=True)))
    assert pages[0] == pages[1]
    taken, new = sent_mails(app)
    assert taken["To"] == "deja@exemple.fr" and "déjà un compte" in taken["Subject"]
    assert "/compte/mot-de-passe-oublie" in taken.get_content() and "/confirmer/" not in taken.get_content()
    assert new["To"] == "nouvelle@exemple.fr" and "/compte/inscription/confirmer/" in new.get_content()
    assert client.get("/compte/inscription/confirmer/pas-un-jeton").status_code == 400


def test_login_logout_and_session_cookie_settings(client, session, make):
    account = make.user("etudiant", email="etu@exemple.fr")
    session.commit()
    response = post_form(client, "/compte/connexion", {"email": "ETU@exemple.fr", "password": PASSWORD,
                                                        "remember": "on"})
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("session=") and "HttpOnly" in c and "SameSite=Lax" in c for c in cookies)
    assert any(c.startswith("remember_token=") and "HttpOnly" in c for c in cookies)
    assert "Mon compte" in client.get("/").get_data(as_text=True)
    assert client.get("/compte/deconnexion").status_code == 405  # logging out is a POST with a CSRF token
    assert post_form(client, "/compte/deconnexion", {}).status_code == 302
    assert client.get("/compte/").status_code == 302
    session.refresh(account)
    assert account.last_login_at is not None


def test_a_wrong_password_is_refused_and_login_is_rate_limited(client, session, make):
    make.user("etudiant", email="etu@exemple.fr")
    session.commit()
    for _ in range(5):
        response = post_form(client, "/compte/connexion", {"email": "etu@exemple.fr", "password": "mauvais"})
        assert response.status_code == 422 and "Adresse ou mot de passe incorrect" in response.get_data(as_text=True)
    response = post_form(client, "/compte/connexion", {"email": "etu@exemple.fr", "password": PASSWORD})
    assert response.status_code == 429  # even the right password waits now
    assert "Trop de tentatives. Réessayez dans 15 minutes" in response.get_data(as_text=True)
    other = post_form(client, "/compte/connexion", {"email": "inconnue@exemple.fr", "password": "x"})
    assert other.status_code == 422 and 'value="inconnue@exemple.fr"' in other.get_data(as_text=True)


def test_login_goes_back_to_the_page_asked_but_never_to_another_site(client, session, make):
    account = make.user("formateur", email="f@exemple.fr")
    session.commit()
    redirect = client.get("/moderation/")
    assert redirect.status_code == 302 and "next=%2Fmoderation%2F" in redirect.headers["Location"]
    token_page = client.get("/compte/connexion?next=/moderation/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', token_page).group(1)
    response = client.post("/compte/connexion?next=/moderation/",
                           data={"csrf_token": token, "email": account.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/moderation/")
    post_form(client, "/compte/deconnexion", {})
    response = client.post("/compte/connexion?next=//evil.example/x",
                           data={"csrf_token": token, "email": account.email, "password": PASSWORD})
    assert "evil.example" not in response.headers["Location"]


def test_password_reset_by_mail_works_once(app, client, session, make):
    account = make.user("etudiant", email="etu@exemple.fr")
    session.commit()
    html = post_form(client, "/compte/mot-de-passe-oublie", {"email": "etu@exemple.fr"},
                     follow_redirects=True).get_data(as_text=True)
    assert "Si un compte existe à cette adresse" in html
    post_form(client, "/compte/mot-de-passe-oublie", {"email": "personne@exemple.fr"})  # same answer, no mail
    mails = sent_mails(app)
    assert [m["To"] for m in mails] == ["etu@exemple.fr"]
    link = _link(mails[0])
    response = post_form(client, link, {"password": "nouveau-mot-de-passe", "password_confirm": "nouveau-mot-de-passe"})
    assert response.status_code == 302
    login(client, account, "nouveau-mot-de-passe")
    again = client.get(link)
    assert again.status_code == 400 and "déjà servi" in again.get_data(as_text=True)


def test_expired_and_forged_reset_links_are_refused(app, client, session, make):
    account = make.user("etudiant")
    session.commit()
    old = reset_token(account, app.config["SECRET_KEY"], issued_at=int(time.time()) - 2 * 3600)
    response = client.get(f"/compte/reinitialiser/{old}")
    assert response.status_code == 400 and "Ce lien a expiré" in response.get_data(as_text=True)
    forged = reset_token(account, "une-autre-cle")
    assert "pas valide" in client.get(f"/compte/reinitialiser/{forged}").get_data(as_text=True)
    fresh = reset_token(account, app.config["SECRET_KEY"])
    assert client.get(f"/compte/reinitialiser/{fresh}").status_code == 200


def test_changing_the_password_closes_other_sessions(app, client, session, make):
    account = make.user("etudiant")
    session.commit()
    login(client, account)
    elsewhere = app.test_client()
    login(elsewhere, account)
    response = post_form(client, "/compte/mot-de-passe", {"current_password": PASSWORD, "password": "encore-un-autre",
                                                          "password_confirm": "encore-un-autre"})
    assert response.status_code == 302
    assert client.get("/compte/").status_code == 200  # this browser stays signed in
    assert elsewhere.get("/compte/").status_code == 302  # the other one must sign in again
    wrong = post_form(client, "/compte/mot-de-passe", {"current_password": "faux", "password": "abcdefghijkl",
                                                       "password_confirm": "abcdefghijkl"})
    assert "Mot de passe incorrect" in wrong.get_data(as_text=True)


def test_reset_requests_are_rate_limited(client):
    for _ in range(3):
        assert post_form(client, "/compte/mot-de-passe-oublie", {"email": "a@exemple.fr"}).status_code == 302
    response = post_form(client, "/compte/mot-de-passe-oublie", {"email": "a@exemple.fr"})
    assert response.status_code == 422 and "Trop de tentatives" in response.get_data(as_text=True)


def test_create_admin_command(app, runner, session):
    result = runner.invoke(args=["user", "create-admin", "--email", "Chef@Exemple.fr", "--name", "Cheffe",
                                 "--password", "mot-de-passe-admin"])
    assert result.exit_code == 0, result.output
    account = session.exec(select(UserAccount).where(UserAccount.email == "chef@exemple.fr")).one()
    assert account.role == "admin" and account.approved_at is not None
    again = runner.invoke(args=["user", "create-admin", "--email", "chef@exemple.fr", "--name", "X",
                                "--password", "mot-de-passe-admin"])
    assert again.exit_code != 0 and "existe déjà" in again.output
    short = runner.invoke(args=["user", "create-admin", "--email", "b@exemple.fr", "--name", "X", "--password", "court"])
    assert short.exit_code != 0 and "10 caractères" in short.output


def test_demo_accounts_are_listed_on_the_login_page_in_demo_mode(demo_app, demo_client):
    html = demo_client.get("/compte/connexion").get_data(as_text=True)
    assert "admin@demo.observatoire-isic.fr" in html and "demo-pro-2012" in html
    demo_app.config["DEMO_MODE"] = False
    assert "demo-pro-2012" not in demo_client.get("/compte/connexion").get_data(as_text=True)


def test_demo_accounts_cannot_sign_in_outside_demo_mode(demo_app, demo_client):
    demo_app.config["DEMO_MODE"] = False
    response = post_form(demo_client, "/compte/connexion", {"email": "admin@demo.observatoire-isic.fr",
                                                             "password": "demo-admin-2012"})
    assert response.status_code == 422 and "comptes de démonstration sont désactivés" in response.get_data(as_text=True)


def test_an_anonymised_profile_cannot_be_linked_to_an_account(app, client, session, make, sign_in):
    gone = make.practitioner(first_name="Ancienne", anonymised_at=datetime.now(UTC))
    student = make.user("etudiant")
    session.commit()
    sign_in("admin")
    response = post_form(client, f"/admin/comptes/{student.id}", {"role": "etudiant", "approved": "on",
                                                                   "practitioner_id": str(gone.id)})
    assert response.status_code == 422 and "n&#39;existe pas (ou plus)" in response.get_data(as_text=True)


def test_refused_sign_ups_and_wrong_confirmation_passwords_are_counted(client, session, make, sign_in):
    make.user("etudiant", email="deja@exemple.fr")
    session.commit()
    for _ in range(10):
        post_form(client, "/compte/inscription", {**SIGNUP, "email": "deja@exemple.fr"})
    limited = post_form(client, "/compte/inscription", {**SIGNUP, "email": "nouvelle@exemple.fr"})
    assert "Trop de tentatives" in limited.get_data(as_text=True)
    sign_in("etudiant")
    for _ in range(5):
        wrong = post_form(client, "/compte/supprimer", {"password": "au-hasard"})
        assert "Mot de passe incorrect" in wrong.get_data(as_text=True)
    blocked = post_form(client, "/compte/supprimer", {"password": PASSWORD})
    assert blocked.status_code == 422 and "Trop de tentatives" in blocked.get_data(as_text=True)
    assert client.get("/compte/").status_code == 200  # the account is still there


def test_a_refused_page_names_the_role_it_needs_no_more_than_that(client, sign_in):
    sign_in("etudiant")
    page = client.get("/moderation/").get_data(as_text=True)
    assert "réservée à d&#39;autres rôles que le vôtre (votre compte : étudiant·e)" in page
    assert "demandez à l&#39;équipe de l&#39;observatoire" in page
