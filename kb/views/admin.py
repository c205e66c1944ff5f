"""Administration: accounts to approve, roles, links between accounts and practitioner profiles."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from werkzeug.datastructures import MultiDict

from kb import policy
from kb.auth import require
from kb.db import get_session
from kb.forms.accounts import parse_account_admin
from kb.models import UserAccount
from kb.services import accounts as services
from kb.services import privacy
from kb.views._forms import current_viewer, delete_cycle, form_cycle

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def _admins_only():
    require(policy.is_admin(current_viewer()))


@bp.route("/comptes")
def accounts():
    """Comptes : ceux à valider d'abord."""
    session = get_session()
    return render_template("admin/accounts.html", accounts=services.list_accounts(session),
                           needs_approval=services.needs_approval)


@bp.route("/comptes/<int:account_id>", methods=["GET", "POST"])
def account(account_id: int):
    """Rôle, validation et fiche d'intervenant·e liée d'un compte."""
    session, viewer = get_session(), current_viewer()
    found = session.get(UserAccount, account_id)
    if found is None:
        abort(404)
    initial = MultiDict({"role": found.role, "approved": "on" if found.approved_at else "",
                         "practitioner_id": str(found.practitioner_id or "")})
    people = services.linkable_practitioners(session)
    return form_cycle(parse=parse_account_admin, save=lambda data: services.administer(session, found, data, viewer),
                      template="admin/account.html", initial=initial, success=lambda _a: url_for(".accounts"),
                      message=f"Le compte de {found.display_name} est mis à jour.", target=found, people=people)


@bp.route("/comptes/<int:account_id>/supprimer", methods=["GET", "POST"])
def delete_account(account_id: int):
    """Supprimer un compte (ses actions restent, attribuées à un auteur anonyme)."""
    session, viewer = get_session(), current_viewer()
    found = session.get(UserAccount, account_id)
    if found is None:
        abort(404)
    if found.id == viewer.user_id:
        return redirect(url_for("accounts.delete"))  # one's own account: with the password, from "Mes données"
    return delete_cycle(obj=found, delete=lambda a: privacy.erase_account(session, a),
                        template="confirm_delete.html", success=url_for(".accounts"),
                        message=f"Le compte de {found.display_name} est supprimé.", what="le compte de",
                        name=found.display_name, cancel=url_for(".account", account_id=found.id))
