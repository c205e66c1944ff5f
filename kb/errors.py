"""Domain errors and the French error pages / JSON errors."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "La requête est invalide.",
    403: "Vous n'avez pas accès à cette page.",
    404: "Cette page n'existe pas, ou plus.",
    405: "Cette méthode n'est pas permise ici.",
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


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(code: int, message: str):
    if _wants_json():
        return jsonify({"error": {"code": code, "message": message}}), code
    template = "errors/404.html" if code == 404 else "errors/error.html"
    return render_template(template, code=code, message=message), code


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

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("Unhandled error", exc_info=error)
        return _render(500, MESSAGES[500])
