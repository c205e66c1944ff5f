"""Moderation queue for trainers and admins: submissions, pending versions, reported actions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from kb import policy
from kb.auth import require
from kb.db import commit, get_session
from kb.errors import DomainError
from kb.models import ActionRevision
from kb.services import actions as action_services
from kb.services import moderation as services
from kb.services import privacy, reports
from kb.services import tools as tool_services
from kb.services.versions import LONG_FIELDS, line_diff
from kb.views._forms import current_viewer

bp = Blueprint("moderation", __name__, url_prefix="/moderation")


@bp.before_request
def _moderators_only():
    require(policy.is_moderator(current_viewer()))


def _decide(run, template: str, **context):
    """POST runs a decision and commits, or re-displays the page with the error; GET shows it."""
    values, errors = request.form if request.method == "POST" else MultiDict(), {}
    if request.method == "POST":
        try:
            message = run(values)
            commit()
        except DomainError as exc:
            get_session().rollback()
            errors = {exc.field or "__all__": exc.message}
        else:
            flash(message, "success")
            return redirect(url_for(".queue"))
    return render_template(template, values=values, errors=errors, **context), 422 if errors else 200


@bp.route("/")
def queue():
    """File de modération : actions soumises, modifications en attente, signalements."""
    items = services.queue(get_session())
    flagged = {("action", a.id) for a in items["submitted"] if privacy.action_warnings(a)}
    flagged |= {("version", r.id) for r, _ in items["revisions"] if privacy.revision_warnings(r)}
    tools, tool_files = tool_services.waiting(get_session())
    return render_template("moderation/queue.html", items=items, flagged=flagged, tools=tools, tool_files=tool_files)


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
def submission(action_id: int):
    """Valider ou renvoyer une action soumise."""
    session, viewer = get_session(), current_viewer()
    action = action_services.get_action(session, action_id)
    if action is None:
        abort(404)

    def run(values) -> str:
        approve = values.get("decision") == "publier"
        services.decide_action(session, action, approve, viewer, values.get("comment", ""))
        return "L'action est publiée." if approve else "L'action est renvoyée à son auteur·rice."

    return _decide(run, "moderation/submission.html", action=action, identifying=privacy.action_warnings(action))


@bp.route("/versions/<int:revision_id>", methods=["GET", "POST"])
def revision(revision_id: int):
    """Comparer une modification proposée à la version publiée, puis l'accepter ou la refuser."""
    session, viewer = get_session(), current_viewer()
    found = session.get(ActionRevision, revision_id)
    if found is None or found.status != "en_attente":
        abort(404)
    action = action_services.get_action(session, found.action_id)

    def run(values) -> str:
        if values.get("decision") == "accepter":
            services.approve_revision(session, found, viewer, values.get("comment", "").strip())
            return "La modification est publiée."
        services.reject_revision(session, found, viewer, values.get("comment", ""))
        return "La modification est refusée ; son auteur·rice est prévenu·e."

    diffs = {c["field"]: line_diff(c["before"], c["after"]) for c in found.changes if c["field"] in LONG_FIELDS}
    return _decide(run, "moderation/revision.html", revision=found, action=action, diffs=diffs,
                   moved=services.changed_since(session, found), identifying=privacy.revision_warnings(found))


@bp.route("/signalements/<int:action_id>", methods=["GET", "POST"])
def reported(action_id: int):
    """Examiner les signalements d'une action : la remettre en ligne ou la dépublier."""
    session, viewer = get_session(), current_viewer()
    action = action_services.get_action(session, action_id)
    if action is None:
        abort(404)

    def run(values) -> str:
        keep = values.get("decision") == "garder"
        if values.get("decision") not in ("garder", "depublier"):
            raise DomainError("Choisissez une décision.", field="decision")
        reports.resolve(session, action, keep, viewer, values.get("comment", ""))
        return "L'action est de nouveau en ligne." if keep else "L'action est dépubliée (brouillon)."

    return _decide(run, "moderation/reported.html", action=action, open_reports=reports.open_reports(session, action))
