"""Domain errors and the French error pages / JSON errors."""

from __future__ import annotations

import html
import logging

from flask import Flask, Response, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

MESSAGES = {
    400: "La requête est invalide.",
    403: "Vous n'avez pas accès à cette page.",
    404: "Cette page n'existe pas, ou plus.",
    405: "Cette méthode n'est pas permise ici.",
    409: "Quelqu'un d'autre a modifié ces données en même temps que vous. Rechargez la page et réessayez.",
    410: "Ce lien a expiré. Demandez à l'équipe de l'observatoire de vous envoyer un nouveau lien.",
    413: "Le contenu envoyé est trop volumineux.",
    500: "Une erreur inattendue s'est produite. L'équipe de l'observatoire a été prévenue.",
}


class DomainError(Exception):
    """A rule of the domain was broken; `message` is French and shown to the user."""

    def __init__(self, message: str, field: str | None = None, keep: bool = False):
        super().__init__(message)
        self.message = message
        self.field = field
        # True when what was flushed before the error must be committed anyway (a failed attempt counted).
        self.keep = keep


class Vanished(Exception):
    """What a request works on was deleted by someone else meanwhile: answered 404 with ``message``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _rollback() -> None:
    """Roll back the request's unit of work: the error page must not read a session a failed flush left broken."""
    session = g.get("db_session")
    if session is None:
        return
    try:
        session.rollback()
    except Exception:  # a lost connection: the page is still worth trying, and teardown closes the session
        log.exception("rollback failed while answering an error")


def _minimal_page(code: int, message: str) -> Response:
    """A page that needs neither templates nor the database (the security headers come from after_request)."""
    body = (f'<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><title>Erreur {code} · Observatoire ISIC'
            f'</title></head><body><h1>Erreur {code}</h1><p>{html.escape(message)}</p>'
            f'<p><a href="{html.escape(request.script_root)}/">Retour à l\'accueil</a></p></body></html>\n')
    return Response(body, status=code, mimetype="text/html")


def _render(code: int, message: str):
    _rollback()
    if _wants_json():
        return jsonify({"error": {"code": code, "message": message, "fields": {}}}), code
    template = "errors/404.html" if code == 404 else "errors/error.html"
    try:
        return render_template(template, code=code, message=message), code
    except Exception:
        log.exception("the French error page could not be rendered")
        return _minimal_page(code, message)


def init_app(app: Flask) -> None:
    """Register French error pages (HTML) and JSON errors under /api/."""

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return _render(400, "Le formulaire a expiré ou n'est pas valide (jeton CSRF). Rechargez la page et réessayez.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        custom = error.description and error.description != type(error).description  # abort(400, "…") in French
        return _render(code, error.description if custom else MESSAGES.get(code, error.description or MESSAGES[500]))

    @app.errorhandler(Vanished)
    def vanished(error: Vanished):
        return _render(404, error.message)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(ObjectDeletedError)
    def concurrent_change(error: Exception):
        # A safety net: the services lock what they change (lock_for_change); this says so if one was missed.
        app.logger.warning("concurrent change: %s", error)
        return _render(409, MESSAGES[409])

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error", exc_info=error)
        return _render(500, MESSAGES[500])
