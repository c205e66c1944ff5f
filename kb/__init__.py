"""Observatoire des pratiques de l'ISIC: the knowledge base application."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from kb.config import load_settings
from kb.resources import STATIC, TEMPLATES

csrf = CSRFProtect()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, then database, templates, errors, views and commands."""
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder=str(STATIC))
    app.config.from_mapping(load_settings(test_config))

    from kb import auth, cli, db, errors, indexing, mail, observability, rendering, security, storage, views

    observability.init_app(app)  # first: its request id and timer wrap everything the others do
    db.init_app(app)
    indexing.init_app(app)
    mail.init_app(app)
    storage.init_app(app)
    csrf.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    rendering.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    cli.init_app(app)
    return app
